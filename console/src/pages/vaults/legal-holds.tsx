/**
 * Legal holds on this vault's recovery points: a held point cannot be deleted, by a person or a
 * lifecycle, until every hold on it is cancelled. Lists the holds that name this vault, creates
 * one for a date range, cancels one.
 */
import { useState } from 'react';
import { CancelLegalHoldCommand, CreateLegalHoldCommand, GetLegalHoldCommand, ListLegalHoldsCommand } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { TextField } from '../../components/fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { StatusBadge } from '../../components/status-badge';
import { formatTime } from '../../format';
import { useAction, useLoad } from '../../use-load';

export function LegalHolds({ vault }: { vault: string }) {
  const { clients, session } = useConsole();
  const holds = useLoad(async () => {
    const list = await allPages(async (NextToken) => {
      const out = await clients.backup.send(new ListLegalHoldsCommand({ NextToken }));
      return { items: out.LegalHolds, next: out.NextToken };
    });
    const full = await Promise.all(list.map((h) => clients.backup.send(new GetLegalHoldCommand({ LegalHoldId: h.LegalHoldId! }))));
    return full.filter((h) => (h.RecoveryPointSelection?.VaultNames ?? []).includes(vault));
  }, [vault, session.region]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const create = useAction(async () => {
    await clients.backup.send(
      new CreateLegalHoldCommand({
        Title: title,
        Description: description || title,
        RecoveryPointSelection: {
          VaultNames: [vault],
          ...(from !== '' && to !== '' ? { DateRange: { FromDate: new Date(`${from}T00:00:00Z`), ToDate: new Date(`${to}T23:59:59Z`) } } : {}),
        },
      }),
    );
    setTitle('');
    setDescription('');
    holds.reload();
  });
  const cancel = useAction(async (id: string) => {
    const why = window.prompt('Why is this hold cancelled? (kept with the hold)');
    if (why === null) return;
    await clients.backup.send(new CancelLegalHoldCommand({ LegalHoldId: id, CancelDescription: why || 'cancelled in the console' }));
    holds.reload();
  });
  return (
    <div className="stack">
      <p className="section-description">
        A recovery point under an active legal hold cannot be deleted, by hand or by its lifecycle, until every hold on it is cancelled.
      </p>
      <ErrorNotice error={holds.error} />
      {holds.data === undefined ? (
        <Loading what="legal holds" />
      ) : (
        <DataTable
          label="Legal holds"
          rows={holds.data}
          rowKey={(h) => h.LegalHoldId!}
          empty="No legal hold names this vault."
          columns={[
            { header: 'Title', cell: (h) => h.Title },
            { header: 'State', cell: (h) => <StatusBadge state={h.Status} /> },
            {
              header: 'Points from',
              cell: (h) =>
                h.RecoveryPointSelection?.DateRange === undefined
                  ? 'any time'
                  : `${formatTime(h.RecoveryPointSelection.DateRange.FromDate)} to ${formatTime(h.RecoveryPointSelection.DateRange.ToDate)}`,
            },
            { header: 'Created', cell: (h) => formatTime(h.CreationDate) },
            {
              header: '',
              cell: (h) =>
                h.Status === 'ACTIVE' ? (
                  <button type="button" className="button button-small" onClick={() => void cancel.run(h.LegalHoldId!)}>
                    Cancel hold
                  </button>
                ) : null,
            },
          ]}
        />
      )}
      <ErrorNotice error={cancel.error} title="The hold was not cancelled" />
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <h3>Place a legal hold</h3>
        <TextField label="Title" value={title} onChange={setTitle} required />
        <TextField label="Description" value={description} onChange={setDescription} />
        <div className="grid-2">
          <TextField label="Points created from" type="date" value={from} onChange={setFrom} hint="Leave both dates empty to hold every point of the vault." />
          <TextField label="to" type="date" value={to} onChange={setTo} />
        </div>
        <ErrorNotice error={create.error} title="The hold was not placed" />
        <button type="submit" className="button button-primary" disabled={create.busy || title.trim() === ''}>
          Place hold
        </button>
      </form>
    </div>
  );
}
