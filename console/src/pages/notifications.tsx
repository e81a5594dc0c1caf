/**
 * Vault notification deliveries (GET /_coffer/notifications): each message to each subscriber
 * with its state, attempts and last error, failures first in the eye; filter by state and vault.
 * Refreshes every few seconds, so a retry that succeeds shows without a reload.
 */
import { useConsole } from '../console-context';
import type { Delivery } from '../api/coffer-api';
import { DataTable } from '../components/data-table';
import { SelectField, TextField } from '../components/fields';
import { ErrorNotice, Loading, Notice } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { StatusBadge } from '../components/status-badge';
import { formatTime } from '../format';
import { navigate } from '../router';
import { useLoad } from '../use-load';

const STATES = [
  { value: '', label: 'Any state' },
  { value: 'FAILED', label: 'Failed' },
  { value: 'PENDING', label: 'Pending (retrying)' },
  { value: 'DELIVERED', label: 'Delivered' },
] as const;

type StateFilter = (typeof STATES)[number]['value'];

function setFilter(state: string, vault: string): void {
  const q = new URLSearchParams(Object.entries({ state, vault }).filter(([, v]) => v !== ''));
  const search = q.toString();
  navigate(`#/notifications${search === '' ? '' : `?${search}`}`);
}

function outcome(d: Delivery) {
  if (d.State === 'DELIVERED') return <>delivered {formatTime(d.DeliveredAt)}</>;
  if (d.State === 'PENDING')
    return (
      <>
        {d.LastError ?? 'waiting'}
        {d.NextAttemptAt !== undefined && (
          <>
            <br />
            <span className="small">next attempt {formatTime(d.NextAttemptAt)}</span>
          </>
        )}
      </>
    );
  return <>{d.LastError}</>;
}

export function Notifications({ state, vault }: { state: string; vault: string }) {
  const { clients, session, refreshTick } = useConsole();
  const list = useLoad(() => clients.coffer.deliveries({ state, vaultName: vault, maxResults: 200 }), [state, vault, session.region, refreshTick], 5000);
  const rows = list.data?.Deliveries ?? [];
  const failing = rows.filter((d) => d.State !== 'DELIVERED' && d.LastError !== undefined).length;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Vault events delivered to the subscribers of their SNS topic, as the server's config declares them (notifications.topics): https:// endpoints get SNS's HTTP JSON, e-mail goes through SMTP. Failed attempts are retried with backoff."
      />
      <div className="card form filters">
        <SelectField<StateFilter> label="State" value={state as StateFilter} onChange={(v) => setFilter(v, vault)} options={STATES} />
        <TextField label="Vault" value={vault} onChange={(v) => setFilter(state, v)} placeholder="any vault" />
      </div>
      <ErrorNotice error={list.error} title="Could not list deliveries" />
      {failing > 0 && (
        <Notice kind="error" title={`${failing} ${failing === 1 ? 'delivery is' : 'deliveries are'} failing`}>
          Each row says what the subscriber answered. A topic missing from the config fails at once: add it under notifications.topics with its subscribers and
          restart Coffer.
        </Notice>
      )}
      {list.data === undefined ? (
        <Loading what="deliveries" />
      ) : (
        <DataTable
          label="Notification deliveries"
          rows={rows}
          rowKey={(d) => `${d.MessageId} ${d.Subscriber}`}
          empty="No deliveries yet. Set a vault's notifications (its Notifications tab) to a topic the config declares; the next job sends one."
          columns={[
            { header: 'State', cell: (d) => <StatusBadge state={d.State} /> },
            {
              header: 'Event',
              cell: (d) => (
                <>
                  <code className="small">{d.EventType}</code>
                  <br />
                  <span className="small">{d.MessageAttributes['State']}</span>
                </>
              ),
            },
            { header: 'Vault', cell: (d) => <a href={`#/vaults/${encodeURIComponent(d.BackupVaultName)}?tab=notifications`}>{d.BackupVaultName}</a> },
            { header: 'Subscriber', cell: (d) => <span className="mono small">{d.Subscriber}</span> },
            { header: 'Attempts', cell: (d) => d.Attempts },
            { header: 'Outcome', cell: outcome },
            { header: 'Created', cell: (d) => formatTime(d.CreatedAt) },
            {
              header: 'Message',
              cell: (d) => (
                <details>
                  <summary>show</summary>
                  <p className="small">{d.Message}</p>
                  <p className="small mono">{d.TopicArn}</p>
                </details>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
