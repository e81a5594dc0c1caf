/** Editing a plan: its current version in the editor, saved with UpdateBackupPlan (a new version). */
import { GetBackupPlanCommand, UpdateBackupPlanCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader } from '../../components/page-header';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { draftOf } from './plan-draft';
import type { PlanDraft } from './plan-draft';
import { PlanEditor } from './plan-editor';

export function PlanEdit({ id }: { id: string }) {
  const { clients, session } = useConsole();
  const plan = useLoad(() => clients.backup.send(new GetBackupPlanCommand({ BackupPlanId: id })), [id, session.region]);
  const save = useAction(async (draft: PlanDraft) => {
    await clients.backup.send(new UpdateBackupPlanCommand({ BackupPlanId: id, BackupPlan: draft as never }));
    navigate(href('plans', id));
  });
  return (
    <>
      <PageHeader title={`Edit ${plan.data?.BackupPlan?.BackupPlanName ?? 'backup plan'}`} back={{ href: href('plans', id), label: 'The plan' }} />
      {plan.data === undefined ? (
        plan.error !== undefined ? (
          <ErrorNotice error={plan.error} />
        ) : (
          <Loading what="the plan" />
        )
      ) : (
        <PlanEditor
          initial={draftOf(plan.data.BackupPlan!)}
          submitLabel="Save new version"
          busy={save.busy}
          error={save.error}
          nameLocked
          onSubmit={(d) => void save.run(d)}
          onCancel={() => navigate(href('plans', id))}
        />
      )}
    </>
  );
}
