/**
 * Creating a plan: start from one of the built-in templates, from a JSON plan (as the AWS CLI or
 * Terraform would send it), or from scratch; then the same editor, and CreateBackupPlan.
 */
import { useState } from 'react';
import {
  CreateBackupPlanCommand,
  GetBackupPlanFromJSONCommand,
  GetBackupPlanFromTemplateCommand,
  ListBackupPlanTemplatesCommand,
  ListBackupVaultsCommand,
} from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { RadioGroup, SelectField } from '../../components/fields';
import { JsonEditor, parseJson } from '../../components/json-editor';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { draftOf, newRule } from './plan-draft';
import type { PlanDraft } from './plan-draft';
import { PlanEditor } from './plan-editor';

type Start = 'template' | 'json' | 'scratch';

const EXAMPLE_JSON = JSON.stringify(
  {
    BackupPlan: {
      BackupPlanName: 'from-json',
      Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'Default', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 35 } }],
    },
  },
  null,
  2,
);

export function PlanNew({ start }: { start: string | undefined }) {
  const { clients, session } = useConsole();
  const [mode, setMode] = useState<Start>(start === 'json' || start === 'template' ? start : 'scratch');
  const [draft, setDraft] = useState<PlanDraft | undefined>(undefined);
  const vaults = useLoad(async () => (await clients.backup.send(new ListBackupVaultsCommand({}))).BackupVaultList ?? [], [session.region]);
  const create = useAction(async (plan: PlanDraft) => {
    const out = await clients.backup.send(new CreateBackupPlanCommand({ BackupPlan: plan as never }));
    navigate(`${href('plans', out.BackupPlanId!)}`);
  });
  const firstVault = vaults.data?.[0]?.BackupVaultName ?? 'Default';
  /** Rules of templates and JSON name the vault Default; point them at a vault that exists here. */
  const adopt = (plan: PlanDraft): PlanDraft => {
    const names = new Set((vaults.data ?? []).map((v) => v.BackupVaultName));
    return { ...plan, Rules: (plan.Rules ?? []).map((r) => (names.has(r.TargetBackupVaultName) ? r : { ...r, TargetBackupVaultName: firstVault })) };
  };
  if (draft !== undefined) {
    return (
      <>
        <PageHeader
          title="Create a backup plan"
          back={{ href: '#/plans', label: 'Backup plans' }}
          description="Check the rules, then create the plan. Resources are assigned to it next."
        />
        <PlanEditor
          initial={draft}
          submitLabel="Create plan"
          busy={create.busy}
          error={create.error}
          onSubmit={(p) => void create.run(p)}
          onCancel={() => setDraft(undefined)}
        />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Create a backup plan" back={{ href: '#/plans', label: 'Backup plans' }} />
      <div className="card form">
        <RadioGroup
          legend="Start from"
          value={mode}
          onChange={setMode}
          options={[
            { value: 'template', label: 'A template', hint: 'daily, weekly and monthly plans as AWS offers them' },
            { value: 'json', label: 'JSON', hint: 'a plan as the AWS CLI or Terraform sends it' },
            { value: 'scratch', label: 'Scratch', hint: 'one daily rule to change' },
          ]}
        />
      </div>
      {vaults.data === undefined ? (
        <Loading what="vaults" />
      ) : mode === 'template' ? (
        <FromTemplate onDraft={(d) => setDraft(adopt(d))} />
      ) : mode === 'json' ? (
        <FromJson onDraft={(d) => setDraft(adopt(d))} />
      ) : (
        <Section title="From scratch">
          <button type="button" className="button button-primary" onClick={() => setDraft({ BackupPlanName: '', Rules: [newRule(0, firstVault)] })}>
            Start with one daily rule
          </button>
        </Section>
      )}
    </>
  );
}

function FromTemplate({ onDraft }: { onDraft: (d: PlanDraft) => void }) {
  const { clients } = useConsole();
  const templates = useLoad(async () => (await clients.backup.send(new ListBackupPlanTemplatesCommand({}))).BackupPlanTemplatesList ?? [], []);
  const [chosen, setChosen] = useState('');
  const use = useAction(async (templateId: string) => {
    const out = await clients.backup.send(new GetBackupPlanFromTemplateCommand({ BackupPlanTemplateId: templateId }));
    onDraft(draftOf(out.BackupPlanDocument!));
  });
  if (templates.data === undefined) return templates.error !== undefined ? <ErrorNotice error={templates.error} /> : <Loading what="templates" />;
  const id = chosen === '' ? (templates.data[0]?.BackupPlanTemplateId ?? '') : chosen;
  return (
    <Section title="From a template">
      <div className="card form">
        <SelectField
          label="Template"
          value={id}
          onChange={setChosen}
          options={templates.data.map((t) => ({ value: t.BackupPlanTemplateId!, label: t.BackupPlanTemplateName! }))}
        />
        <ErrorNotice error={use.error} />
        <button type="button" className="button button-primary" disabled={use.busy || id === ''} onClick={() => void use.run(id)}>
          Use this template
        </button>
      </div>
    </Section>
  );
}

function FromJson({ onDraft }: { onDraft: (d: PlanDraft) => void }) {
  const { clients } = useConsole();
  const [text, setText] = useState(EXAMPLE_JSON);
  const use = useAction(async () => {
    const parsed = parseJson(text).value as { BackupPlan?: unknown };
    const body = parsed !== null && typeof parsed === 'object' && 'BackupPlan' in parsed ? parsed.BackupPlan : parsed;
    const out = await clients.backup.send(new GetBackupPlanFromJSONCommand({ BackupPlanTemplateJson: JSON.stringify(body) }));
    onDraft(draftOf(out.BackupPlan!));
  });
  return (
    <Section
      title="From JSON"
      description="A BackupPlan document, alone or wrapped as {&quot;BackupPlan&quot;: ...}. Coffer checks it as CreateBackupPlan would (GetBackupPlanFromJSON)."
    >
      <div className="card form">
        <JsonEditor label="Plan JSON" value={text} onChange={setText} rows={16} />
        <ErrorNotice error={use.error} title="The JSON is not a valid plan" />
        <button type="button" className="button button-primary" disabled={use.busy || parseJson(text).error !== undefined} onClick={() => void use.run()}>
          Check and continue
        </button>
      </div>
    </Section>
  );
}
