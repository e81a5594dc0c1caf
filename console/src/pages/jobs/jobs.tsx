/**
 * Backup, copy and restore jobs, newest first, with live progress: the list reloads every two
 * seconds while a job is active. A failed job shows its message and, apart, the fix. Backup
 * jobs can be stopped; new ones started on demand.
 */
import { useState } from 'react';
import { StopBackupJobCommand } from '@aws-sdk/client-backup';
import { ACTIVE_STATES, listJobs } from '../../api/jobs';
import type { JobKind, JobView } from '../../api/jobs';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { SelectField } from '../../components/fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader } from '../../components/page-header';
import { StatusBadge } from '../../components/status-badge';
import { Tabs } from '../../components/tabs';
import { arnName, formatBytes, formatTime, splitFix } from '../../format';
import { navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';

const TABS = [
  { id: 'backup', label: 'Backup jobs' },
  { id: 'copy', label: 'Copy jobs' },
  { id: 'restore', label: 'Restore jobs' },
] as const;

export function Jobs({ type }: { type: string }) {
  const kind: JobKind = type === 'copy' || type === 'restore' ? type : 'backup';
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Every backup, copy and restore, with its progress and what went wrong."
        actions={
          <a className="button button-primary" href="#/jobs/new">
            Start backup job
          </a>
        }
      />
      <Tabs label="Job type" tabs={TABS} selected={kind} onSelect={(t) => navigate(`#/jobs?type=${t}`)}>
        <JobTable key={kind} kind={kind} />
      </Tabs>
    </>
  );
}

function JobTable({ kind }: { kind: JobKind }) {
  const { clients, session } = useConsole();
  const [state, setState] = useState('');
  const [active, setActive] = useState(true);
  const jobs = useLoad(
    async () => {
      const list = (await listJobs(clients.backup, kind)).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
      setActive(list.some((j) => ACTIVE_STATES.has(j.state)));
      return list;
    },
    [kind, session.region],
    active ? 2000 : 10_000,
  );
  const stop = useAction(async (id: string) => {
    await clients.backup.send(new StopBackupJobCommand({ BackupJobId: id }));
    jobs.reload();
  });
  if (jobs.data === undefined) return jobs.error !== undefined ? <ErrorNotice error={jobs.error} /> : <Loading what="jobs" />;
  const states = [...new Set(jobs.data.map((j) => j.state))].sort();
  const shown = jobs.data.filter((j) => state === '' || j.state === state);
  return (
    <div className="stack">
      <div className="filters">
        <SelectField
          label="State"
          value={state}
          onChange={setState}
          options={[
            { value: '', label: `All states (${jobs.data.length})` },
            ...states.map((s) => ({ value: s, label: `${s} (${jobs.data!.filter((j) => j.state === s).length})` })),
          ]}
        />
        <p className="hint live-hint" role="status">
          {active ? 'Live: refreshing every 2 seconds while jobs run.' : 'No job is running.'}
        </p>
      </div>
      <ErrorNotice error={stop.error} title="The job was not stopped" />
      <ErrorNotice error={jobs.error} title="Could not refresh the jobs" />
      <DataTable
        label={`${kind} jobs`}
        rows={shown}
        rowKey={(j) => j.id}
        empty={`No ${kind} jobs${state === '' ? '' : ` in state ${state}`}.`}
        columns={[
          { header: 'Job', cell: (j) => <span className="mono small">{j.id}</span> },
          {
            header: kind === 'restore' ? 'Restores into' : 'Resource',
            cell: (j) => <span className="mono wrap small">{kind === 'restore' ? (j.createdResourceArn ?? '—') : j.resourceArn}</span>,
          },
          ...(kind === 'copy'
            ? [
                {
                  header: 'Copies',
                  cell: (j: JobView) => (
                    <span className="small">
                      {arnName(j.from)} → <span className="mono wrap">{j.to}</span>
                    </span>
                  ),
                },
              ]
            : []),
          { header: 'State', cell: (j) => <StatusBadge state={j.state} /> },
          { header: 'Progress / size', cell: (j) => <Progress job={j} /> },
          { header: 'Message', cell: (j) => <JobMessage job={j} /> },
          { header: 'Created', cell: (j) => formatTime(j.createdAt) },
          { header: 'Completed', cell: (j) => formatTime(j.completedAt) },
          ...(kind === 'backup'
            ? [
                {
                  header: '',
                  cell: (j: JobView) =>
                    ['CREATED', 'PENDING', 'RUNNING'].includes(j.state) ? (
                      <button type="button" className="button button-small" onClick={() => void stop.run(j.id)} aria-label={`Stop job ${j.id}`}>
                        Stop
                      </button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}

function Progress({ job }: { job: JobView }) {
  const percent = job.percentDone === undefined ? undefined : Number.parseFloat(job.percentDone);
  if (job.state === 'RUNNING' && percent !== undefined && Number.isFinite(percent)) {
    return (
      <div className="progress-cell">
        <progress max={100} value={percent} aria-label={`${percent.toFixed(0)} percent done`} />
        <span className="small">
          {percent.toFixed(0)}% · {formatBytes(job.bytes)}
        </span>
      </div>
    );
  }
  return <span className="small">{job.bytes === undefined ? '—' : formatBytes(job.bytes)}</span>;
}

function JobMessage({ job }: { job: JobView }) {
  const { message, fix } = splitFix(job.statusMessage);
  if (message === '') return <span className="hint">—</span>;
  return (
    <div className="job-message">
      <p>{message}</p>
      {fix !== undefined && (
        <p className="fix">
          <strong>Fix:</strong> {fix}
        </p>
      )}
    </div>
  );
}
