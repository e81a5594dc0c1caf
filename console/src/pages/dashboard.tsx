/**
 * The dashboard: the last 24 hours of jobs by type and state, failed copies first with their
 * message and fix (copies fail hours after the backup, where nobody looks), then other failures,
 * the protected resources with their last recovery point, and the vaults by size.
 */
import { ListBackupVaultsCommand, ListProtectedResourcesCommand, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { allPages } from '../api/all-pages';
import { listJobs } from '../api/jobs';
import type { JobKind, JobView } from '../api/jobs';
import { useConsole } from '../console-context';
import { DataTable } from '../components/data-table';
import { ErrorNotice, Loading, Notice } from '../components/notice';
import { PageHeader, Section } from '../components/page-header';
import { StatusBadge } from '../components/status-badge';
import { arnName, formatBytes, formatTime, splitFix } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';

const DAY = 86_400_000;
const KINDS: readonly JobKind[] = ['backup', 'copy', 'restore'];

export function Dashboard() {
  const { clients, serverNow, session, whoami } = useConsole();
  const now = serverNow();
  const since = new Date(now.getTime() - DAY);
  const jobs = useLoad(async () => (await Promise.all(KINDS.map((k) => listJobs(clients.backup, k, { createdAfter: since })))).flat(), [session.region], 5000);
  const resources = useLoad(
    () =>
      allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListProtectedResourcesCommand({ NextToken, MaxResults: 200 }));
        return { items: out.Results, next: out.NextToken };
      }),
    [session.region],
  );
  const vaults = useLoad(async () => {
    const list = await allPages(async (NextToken) => {
      const out = await clients.backup.send(new ListBackupVaultsCommand({ NextToken }));
      return { items: out.BackupVaultList, next: out.NextToken };
    });
    const sized = await Promise.all(
      list.map(async (v) => {
        const points = await allPages(async (NextToken) => {
          const out = await clients.backup.send(
            new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v.BackupVaultName!, NextToken, MaxResults: 1000 }),
          );
          return { items: out.RecoveryPoints, next: out.NextToken };
        }, 10);
        return {
          name: v.BackupVaultName!,
          points: points.length,
          bytes: points.reduce((n, p) => n + (p.BackupSizeInBytes ?? 0), 0),
          locked: v.Locked === true,
        };
      }),
    );
    return sized.sort((a, b) => b.bytes - a.bytes);
  }, [session.region]);

  const all = jobs.data ?? [];
  const failedCopies = all.filter((j) => j.kind === 'copy' && j.state === 'FAILED');
  const otherFailures = all.filter((j) => j.kind !== 'copy' && ['FAILED', 'ABORTED', 'EXPIRED'].includes(j.state));
  const states = [...new Set(all.map((j) => j.state))].sort();

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          <>
            Account {whoami.accountId} in {session.region}, as of {formatTime(now)}.
          </>
        }
      />
      <Section title="Jobs in the last 24 hours" id="jobs-24h">
        <ErrorNotice error={jobs.error} title="Could not list jobs" />
        {jobs.data === undefined ? (
          <Loading what="jobs" />
        ) : all.length === 0 ? (
          <p className="empty">No jobs since {formatTime(since)}.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Jobs by type and state" tabIndex={0}>
            <table className="matrix">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  {states.map((s) => (
                    <th scope="col" key={s}>
                      <StatusBadge state={s} />
                    </th>
                  ))}
                  <th scope="col">All</th>
                </tr>
              </thead>
              <tbody>
                {KINDS.map((k) => {
                  const mine = all.filter((j) => j.kind === k);
                  return (
                    <tr key={k}>
                      <th scope="row">
                        <a href={`#/jobs?type=${k}`}>{k[0]!.toUpperCase() + k.slice(1)}</a>
                      </th>
                      {states.map((s) => (
                        <td key={s} className="num">
                          {mine.filter((j) => j.state === s).length || '·'}
                        </td>
                      ))}
                      <td className="num">
                        <strong>{mine.length}</strong>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section
        title="Failed copies"
        id="failed-copies"
        description="A copy fails after its backup succeeded: this is where a cross-account or cross-region problem shows."
      >
        {jobs.data !== undefined
          && (failedCopies.length === 0 ? <Notice kind="success" title="No failed copies in the last 24 hours." /> : <FailureList jobs={failedCopies} />)}
      </Section>
      {otherFailures.length > 0 && (
        <Section title="Other failed jobs" id="failed-jobs">
          <FailureList jobs={otherFailures} />
        </Section>
      )}
      <Section title="Protected resources" id="protected" description="Every resource with a recovery point, and its latest one.">
        <ErrorNotice error={resources.error} />
        {resources.data === undefined ? (
          <Loading what="resources" />
        ) : (
          <DataTable
            label="Protected resources"
            rows={resources.data}
            rowKey={(r) => r.ResourceArn ?? ''}
            empty="Nothing is protected yet: assign resources to a backup plan, or start a backup job."
            columns={[
              { header: 'Resource', cell: (r) => <span className="mono wrap">{r.ResourceArn}</span> },
              { header: 'Type', cell: (r) => r.ResourceType },
              { header: 'Last backup', cell: (r) => formatTime(r.LastBackupTime) },
              {
                header: 'Last recovery point',
                cell: (r) =>
                  r.LastBackupVaultArn === undefined ? (
                    '—'
                  ) : (
                    <a href={`${href('vaults', arnName(r.LastBackupVaultArn))}`}>
                      {arnName(r.LastBackupVaultArn)} · {arnName(r.LastRecoveryPointArn)}
                    </a>
                  ),
              },
            ]}
          />
        )}
      </Section>
      <Section title="Vaults by size" id="vault-sizes">
        <ErrorNotice error={vaults.error} />
        {vaults.data === undefined ? (
          <Loading what="vaults" />
        ) : (
          <DataTable
            label="Vaults by size"
            rows={vaults.data}
            rowKey={(v) => v.name}
            empty={
              <>
                No vaults yet. <a href="#/vaults">Create one</a>.
              </>
            }
            columns={[
              { header: 'Vault', cell: (v) => <a href={href('vaults', v.name)}>{v.name}</a> },
              { header: 'Recovery points', cell: (v) => v.points, className: 'num' },
              { header: 'Size', cell: (v) => formatBytes(v.bytes), className: 'num' },
              { header: 'Lock', cell: (v) => (v.locked ? 'locked' : '—') },
            ]}
          />
        )}
      </Section>
    </>
  );
}

function FailureList({ jobs }: { jobs: readonly JobView[] }) {
  return (
    <ul className="failures">
      {jobs.map((j) => {
        const { message, fix } = splitFix(j.statusMessage);
        return (
          <li key={`${j.kind}-${j.id}`} className="failure">
            <p className="failure-head">
              <StatusBadge state={j.state} /> {j.kind} job <code>{j.id}</code> · {formatTime(j.createdAt)}
            </p>
            <p className="mono wrap small">{j.kind === 'copy' ? `${arnName(j.from)} → ${j.to ?? ''}` : j.resourceArn}</p>
            <p>{message || 'No message.'}</p>
            {fix !== undefined && (
              <p className="fix">
                <strong>Fix:</strong> {fix}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
