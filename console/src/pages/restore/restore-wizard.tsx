/**
 * The restore wizard: 1. the recovery point (vault, then point), 2. the target for its resource
 * type (new directory / database / table / bucket), 3. review and StartRestoreJob; then the job
 * is followed here until it ends.
 */
import { useEffect, useState } from 'react';
import {
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { SelectField, TextField } from '../../components/fields';
import { JsonEditor, parseJson, pretty } from '../../components/json-editor';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { StatusBadge } from '../../components/status-badge';
import { formatBytes, formatTime, splitFix } from '../../format';
import { defaultRoleArn } from '../../iam-roles';
import { navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { RestoreTarget, TARGET_WORDS } from './restore-targets';
import type { Metadata } from './restore-targets';

export function RestoreWizard({ vault, point }: { vault: string | undefined; point: string | undefined }) {
  return (
    <>
      <PageHeader
        title="Restore"
        description="A restore always creates something new — a directory, a database, a table, a bucket — and never writes over what exists."
      />
      <ol className="steps" aria-label="Steps">
        <li className={point === undefined ? 'step step-current' : 'step step-done'} aria-current={point === undefined ? 'step' : undefined}>
          1. Recovery point
        </li>
        <li className={point !== undefined ? 'step step-current' : 'step'} aria-current={point !== undefined ? 'step' : undefined}>
          2. Target and review
        </li>
      </ol>
      {vault === undefined || point === undefined ? <ChoosePoint vault={vault} /> : <ChooseTarget key={point} vault={vault} point={point} />}
    </>
  );
}

function ChoosePoint({ vault }: { vault: string | undefined }) {
  const { clients, session } = useConsole();
  const vaults = useLoad(async () => (await clients.backup.send(new ListBackupVaultsCommand({}))).BackupVaultList ?? [], [session.region]);
  const chosenVault = vault ?? vaults.data?.[0]?.BackupVaultName;
  const points = useLoad(
    async () =>
      chosenVault === undefined
        ? []
        : ((await clients.backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: chosenVault, MaxResults: 500 }))).RecoveryPoints ?? [])
            .filter((p) => p.Status === 'COMPLETED')
            .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0)),
    [chosenVault],
  );
  const [picked, setPicked] = useState('');
  if (vaults.data === undefined) return vaults.error !== undefined ? <ErrorNotice error={vaults.error} /> : <Loading what="vaults" />;
  if (vaults.data.length === 0) return <Notice kind="info" title="There is nothing to restore yet: this region has no vault." />;
  const pointArn = picked || points.data?.[0]?.RecoveryPointArn || '';
  return (
    <Section title="1. Choose the recovery point">
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`#/restore?vault=${encodeURIComponent(chosenVault ?? '')}&point=${encodeURIComponent(pointArn)}`);
        }}
      >
        <SelectField
          label="Vault"
          value={chosenVault ?? ''}
          onChange={(v) => navigate(`#/restore?vault=${encodeURIComponent(v)}`)}
          options={vaults.data.map((v) => ({ value: v.BackupVaultName!, label: `${v.BackupVaultName} (${v.NumberOfRecoveryPoints ?? 0} points)` }))}
        />
        {points.data === undefined ? (
          <Loading what="recovery points" />
        ) : points.data.length === 0 ? (
          <p className="empty">No completed recovery point in this vault.</p>
        ) : (
          <SelectField
            label="Recovery point"
            value={pointArn}
            onChange={setPicked}
            options={points.data.map((p) => ({
              value: p.RecoveryPointArn!,
              label: `${formatTime(p.CreationDate)} · ${p.ResourceType} · ${p.ResourceArn?.split(/[:/]/).pop() ?? ''} · ${formatBytes(p.BackupSizeInBytes)}`,
            }))}
          />
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pointArn === ''}>
            Next: choose the target
          </button>
        </div>
      </form>
    </Section>
  );
}

function ChooseTarget({ vault, point }: { vault: string; point: string }) {
  const { clients, whoami } = useConsole();
  const loaded = useLoad(async () => {
    const [described, recorded] = await Promise.all([
      clients.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: point })),
      clients.backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: point })),
    ]);
    return { described, metadata: recorded.RestoreMetadata ?? {} };
  }, [vault, point]);
  const [metadata, setMetadata] = useState<Metadata | undefined>(undefined);
  const [raw, setRaw] = useState<string | undefined>(undefined);
  const [role, setRole] = useState(defaultRoleArn(whoami.accountId));
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (loaded.data !== undefined && metadata === undefined) setMetadata({ ...loaded.data.metadata });
  }, [loaded.data, metadata]);
  const start = useAction(async () => {
    const out = await clients.backup.send(
      new StartRestoreJobCommand({ RecoveryPointArn: point, Metadata: metadata, IamRoleArn: role, ResourceType: loaded.data?.described.ResourceType }),
    );
    setJobId(out.RestoreJobId);
  });
  if (loaded.data === undefined || metadata === undefined)
    return loaded.error !== undefined ? <ErrorNotice error={loaded.error} /> : <Loading what="the recovery point" />;
  const p = loaded.data.described;
  const type = p.ResourceType;
  return (
    <Section title={`2. Restore into ${TARGET_WORDS[type ?? ''] ?? 'a new resource'}`}>
      <dl className="facts">
        <div>
          <dt>Recovery point</dt>
          <dd className="mono wrap">{point}</dd>
        </div>
        <div>
          <dt>Of</dt>
          <dd className="mono wrap">
            {p.ResourceArn} ({type})
          </dd>
        </div>
        <div>
          <dt>Made</dt>
          <dd>
            {formatTime(p.CreationDate)} · {formatBytes(p.BackupSizeInBytes)}
          </dd>
        </div>
        <div>
          <dt>Vault</dt>
          <dd>
            {vault} · <a href={`#/restore?vault=${encodeURIComponent(vault)}`}>choose another point</a>
          </dd>
        </div>
      </dl>
      {jobId !== undefined ? (
        <FollowRestore id={jobId} />
      ) : (
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void start.run();
          }}
        >
          <RestoreTarget
            type={type}
            metadata={metadata}
            onChange={(m) => {
              setMetadata(m);
              setRaw(undefined);
            }}
          />
          <TextField label="IAM role" value={role} onChange={setRole} mono />
          <details>
            <summary>All restore metadata</summary>
            <JsonEditor
              label="Metadata (string map)"
              value={raw ?? pretty(metadata)}
              rows={10}
              onChange={(v) => {
                setRaw(v);
                const parsed = parseJson(v).value;
                if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) setMetadata(parsed as Metadata);
              }}
            />
          </details>
          <ErrorNotice error={start.error} title="The restore was not started" />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={start.busy}>
              Start restore
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

function FollowRestore({ id }: { id: string }) {
  const { clients } = useConsole();
  const [done, setDone] = useState(false);
  const job = useLoad(
    async () => {
      const out = await clients.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
      if (['COMPLETED', 'FAILED', 'ABORTED'].includes(out.Status ?? '')) setDone(true);
      return out;
    },
    [id],
    done ? undefined : 1500,
  );
  const j = job.data;
  const { message, fix } = splitFix(j?.StatusMessage);
  return (
    <div className="card" aria-live="polite">
      <h3>
        Restore job <span className="mono small">{id}</span>
      </h3>
      {j === undefined ? (
        <Loading what="the job" />
      ) : (
        <>
          <p>
            <StatusBadge state={j.Status} /> {j.PercentDone !== undefined && j.Status === 'RUNNING' ? `${j.PercentDone}% done` : ''}
          </p>
          {j.CreatedResourceArn !== undefined && (
            <p>
              Creates <span className="mono wrap">{j.CreatedResourceArn}</span>
            </p>
          )}
          {message !== '' && <p>{message}</p>}
          {fix !== undefined && (
            <p className="fix">
              <strong>Fix:</strong> {fix}
            </p>
          )}
          {j.Status === 'COMPLETED' && <Notice kind="success" title="Restored." />}
        </>
      )}
      <p>
        <a href="#/jobs?type=restore">All restore jobs</a>
      </p>
    </div>
  );
}
