/** Backup plans of the account and region. */
import { ListBackupPlansCommand } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader } from '../../components/page-header';
import { formatTime } from '../../format';
import { href } from '../../router';
import { useLoad } from '../../use-load';

export function PlanList() {
  const { clients, session } = useConsole();
  const plans = useLoad(
    () =>
      allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListBackupPlansCommand({ NextToken }));
        return { items: out.BackupPlansList, next: out.NextToken };
      }),
    [session.region],
  );
  return (
    <>
      <PageHeader
        title="Backup plans"
        description="When to back up, where to, how long to keep it, where to copy it; and which resources."
        actions={
          <a className="button button-primary" href="#/plans/new">
            Create plan
          </a>
        }
      />
      <ErrorNotice error={plans.error} title="Could not list plans" />
      {plans.data === undefined ? (
        <Loading what="plans" />
      ) : (
        <DataTable
          label="Backup plans"
          rows={plans.data}
          rowKey={(p) => p.BackupPlanId!}
          empty={
            <>
              No plans yet. <a href="#/plans/new">Create one</a> from a template, from JSON or from scratch.
            </>
          }
          columns={[
            { header: 'Name', cell: (p) => <a href={href('plans', p.BackupPlanId!)}>{p.BackupPlanName}</a> },
            { header: 'Plan ID', cell: (p) => <span className="mono small">{p.BackupPlanId}</span> },
            { header: 'Last run', cell: (p) => formatTime(p.LastExecutionDate) },
            { header: 'Created', cell: (p) => formatTime(p.CreationDate) },
          ]}
        />
      )}
    </>
  );
}
