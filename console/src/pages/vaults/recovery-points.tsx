/**
 * A vault's recovery points, filtered by resource type, state, text and date; the chosen one's
 * details below the table: lifecycle (change it), tags, legal holds, copy to another vault,
 * restore, delete.
 */
import { useState } from 'react';
import {
  DeleteRecoveryPointCommand,
  ListLegalHoldsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByLegalHoldCommand,
  StartCopyJobCommand,
  UpdateRecoveryPointLifecycleCommand,
} from '@aws-sdk/client-backup';
import type { RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { NumberField, SelectField, TextField } from '../../components/fields';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { Section } from '../../components/page-header';
import { ResourceTags } from '../../components/resource-tags';
import { StatusBadge } from '../../components/status-badge';
import { arnName, formatBytes, formatDays, formatTime } from '../../format';
import { defaultRoleArn } from '../../iam-roles';
import { useAction, useLoad } from '../../use-load';

export function RecoveryPoints({ vault }: { vault: string }) {
  const { clients, session } = useConsole();
  const points = useLoad(async () => {
    const [list, holds] = await Promise.all([
      allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, NextToken, MaxResults: 500 }));
        return { items: out.RecoveryPoints, next: out.NextToken };
      }, 10),
      heldPoints(),
    ]);
    return { list: list.sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0)), holds };
  }, [vault, session.region]);
  async function heldPoints(): Promise<Map<string, string[]>> {
    const holds = await allPages(async (NextToken) => {
      const out = await clients.backup.send(new ListLegalHoldsCommand({ NextToken }));
      return { items: out.LegalHolds, next: out.NextToken };
    });
    const held = new Map<string, string[]>();
    for (const h of holds.filter((x) => x.Status === 'ACTIVE')) {
      const arns = await allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: h.LegalHoldId!, NextToken }));
        return { items: out.RecoveryPoints, next: out.NextToken };
      });
      for (const p of arns) held.set(p.RecoveryPointArn!, [...(held.get(p.RecoveryPointArn!) ?? []), h.Title ?? h.LegalHoldId!]);
    }
    return held;
  }
  const [type, setType] = useState('');
  const [state, setState] = useState('');
  const [text, setText] = useState('');
  const [after, setAfter] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);

  if (points.data === undefined) return points.error !== undefined ? <ErrorNotice error={points.error} /> : <Loading what="recovery points" />;
  const { list, holds } = points.data;
  const types = [...new Set(list.map((p) => p.ResourceType ?? ''))].sort();
  const states = [...new Set(list.map((p) => p.Status ?? ''))].sort();
  const afterMs = after === '' ? undefined : new Date(`${after}T00:00:00Z`).getTime();
  const shown = list.filter(
    (p) =>
      (type === '' || p.ResourceType === type)
      && (state === '' || p.Status === state)
      && (text === '' || `${p.ResourceArn ?? ''} ${p.RecoveryPointArn ?? ''}`.toLowerCase().includes(text.toLowerCase()))
      && (afterMs === undefined || (p.CreationDate?.getTime() ?? 0) >= afterMs),
  );
  const selected = list.find((p) => p.RecoveryPointArn === chosen);
  return (
    <div className="stack">
      <form className="filters" role="search" aria-label="Filter recovery points" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Resource type"
          value={type}
          onChange={setType}
          options={[{ value: '', label: 'All types' }, ...types.map((t) => ({ value: t, label: t }))]}
        />
        <SelectField
          label="State"
          value={state}
          onChange={setState}
          options={[{ value: '', label: 'All states' }, ...states.map((t) => ({ value: t, label: t }))]}
        />
        <TextField label="Resource or ARN contains" value={text} onChange={setText} />
        <TextField label="Created on or after" type="date" value={after} onChange={setAfter} />
      </form>
      <p className="count" role="status">
        {shown.length} of {list.length} recovery points
      </p>
      <DataTable
        label="Recovery points"
        rows={shown}
        rowKey={(p) => p.RecoveryPointArn!}
        empty="No recovery point matches."
        columns={[
          { header: 'Created', cell: (p) => formatTime(p.CreationDate) },
          { header: 'Resource', cell: (p) => <span className="mono wrap">{p.ResourceArn}</span> },
          { header: 'Type', cell: (p) => p.ResourceType },
          {
            header: 'State',
            cell: (p) => (
              <>
                <StatusBadge state={p.Status} />
                {holds.has(p.RecoveryPointArn!) && <span className="badge badge-warn">legal hold</span>}
              </>
            ),
          },
          { header: 'Size', cell: (p) => formatBytes(p.BackupSizeInBytes), className: 'num' },
          { header: 'Expires', cell: (p) => (p.CalculatedLifecycle?.DeleteAt === undefined ? 'never' : formatTime(p.CalculatedLifecycle.DeleteAt)) },
          {
            header: 'Cold storage from',
            cell: (p) => (p.CalculatedLifecycle?.MoveToColdStorageAt === undefined ? '—' : formatTime(p.CalculatedLifecycle.MoveToColdStorageAt)),
          },
          {
            header: '',
            cell: (p) => (
              <button
                type="button"
                className="button button-small"
                aria-pressed={chosen === p.RecoveryPointArn}
                onClick={() => setChosen(chosen === p.RecoveryPointArn ? undefined : p.RecoveryPointArn)}
                aria-label={`Details of the recovery point of ${arnName(p.ResourceArn)} from ${formatTime(p.CreationDate)}`}
              >
                Details
              </button>
            ),
          },
        ]}
      />
      {selected !== undefined && (
        <PointDetails
          key={selected.RecoveryPointArn}
          vault={vault}
          point={selected}
          holds={holds.get(selected.RecoveryPointArn!) ?? []}
          onChange={points.reload}
        />
      )}
    </div>
  );
}

function PointDetails({ vault, point, holds, onChange }: { vault: string; point: RecoveryPointByBackupVault; holds: readonly string[]; onChange: () => void }) {
  const { clients, whoami } = useConsole();
  const arn = point.RecoveryPointArn!;
  const [deleteAfter, setDeleteAfter] = useState<number | undefined>(point.Lifecycle?.DeleteAfterDays);
  const [coldAfter, setColdAfter] = useState<number | undefined>(point.Lifecycle?.MoveToColdStorageAfterDays);
  const [destination, setDestination] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  const lifecycle = useAction(async () => {
    await clients.backup.send(
      new UpdateRecoveryPointLifecycleCommand({
        BackupVaultName: vault,
        RecoveryPointArn: arn,
        Lifecycle: { DeleteAfterDays: deleteAfter, MoveToColdStorageAfterDays: coldAfter },
      }),
    );
    setMessage('Lifecycle saved.');
    onChange();
  });
  const copy = useAction(async () => {
    const out = await clients.backup.send(
      new StartCopyJobCommand({
        RecoveryPointArn: arn,
        SourceBackupVaultName: vault,
        DestinationBackupVaultArn: destination.trim(),
        IamRoleArn: defaultRoleArn(whoami.accountId),
      }),
    );
    setMessage(`Copy job ${out.CopyJobId} started: follow it under Jobs → Copy.`);
  });
  const remove = useAction(async () => {
    if (!window.confirm('Delete this recovery point? Its data is erased; this cannot be undone.')) return;
    await clients.backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    onChange();
  });
  return (
    <Section title="Recovery point" id="point-details">
      <dl className="facts">
        <div>
          <dt>ARN</dt>
          <dd className="mono wrap">{arn}</dd>
        </div>
        <div>
          <dt>Resource</dt>
          <dd className="mono wrap">{point.ResourceArn}</dd>
        </div>
        <div>
          <dt>Made by</dt>
          <dd>
            {point.CreatedBy?.BackupPlanId !== undefined ? (
              <a href={`#/plans/${point.CreatedBy.BackupPlanId}`}>plan {point.CreatedBy.BackupPlanName ?? point.CreatedBy.BackupPlanId}</a>
            ) : point.SourceBackupVaultArn !== undefined ? (
              `copy from ${point.SourceBackupVaultArn}`
            ) : (
              'an on-demand backup'
            )}
          </dd>
        </div>
        <div>
          <dt>Lifecycle</dt>
          <dd>
            {point.Lifecycle?.MoveToColdStorageAfterDays === undefined
              ? 'stays in warm storage'
              : `cold after ${formatDays(point.Lifecycle.MoveToColdStorageAfterDays)}`}
            , {point.Lifecycle?.DeleteAfterDays === undefined ? 'kept until deleted' : `deleted after ${formatDays(point.Lifecycle.DeleteAfterDays)}`}
          </dd>
        </div>
        <div>
          <dt>Legal holds</dt>
          <dd>{holds.length === 0 ? 'none' : holds.join(', ')}</dd>
        </div>
      </dl>
      {message !== undefined && <Notice kind="success" title={message} />}
      <div className="grid-2">
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void lifecycle.run();
          }}
        >
          <h3>Lifecycle</h3>
          <NumberField label="Move to cold storage after (days)" value={coldAfter} onChange={setColdAfter} min={1} hint="Empty: stays in warm storage." />
          <NumberField
            label="Delete after (days)"
            value={deleteAfter}
            onChange={setDeleteAfter}
            min={1}
            hint="Empty: kept until deleted. With cold storage, at least 90 days after the move."
          />
          <ErrorNotice error={lifecycle.error} title="The lifecycle was not changed" />
          <button type="submit" className="button button-primary" disabled={lifecycle.busy}>
            Save lifecycle
          </button>
        </form>
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void copy.run();
          }}
        >
          <h3>Copy to another vault</h3>
          <TextField
            label="Destination vault ARN"
            value={destination}
            onChange={setDestination}
            mono
            placeholder="arn:aws:backup:eu-west-1:222222222222:backup-vault:central"
            hint="Another region of this account, or another account's vault whose access policy allows backup:CopyIntoBackupVault."
          />
          <ErrorNotice error={copy.error} title="The copy was not started" />
          <button type="submit" className="button" disabled={copy.busy || destination.trim() === ''}>
            Start copy job
          </button>
        </form>
      </div>
      <ResourceTags arn={arn} what="recovery point" />
      <ErrorNotice error={remove.error} title="The recovery point was not deleted" />
      <div className="form-actions">
        <a className="button button-primary" href={`#/restore?vault=${encodeURIComponent(vault)}&point=${encodeURIComponent(arn)}`}>
          Restore…
        </a>
        <button type="button" className="button button-danger" onClick={() => void remove.run()} disabled={remove.busy}>
          Delete recovery point
        </button>
      </div>
    </Section>
  );
}
