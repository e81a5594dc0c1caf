/**
 * The ledger's durable sink for notifications: inside the transaction of a job or recovery-point
 * change, each event a vault subscribed to becomes outbox rows (one per subscriber of the vault's
 * topic), so a message exists exactly when its change committed. A topic the config does not
 * declare is accepted by PutBackupVaultNotifications (as AWS accepts any topic ARN) and its
 * messages are recorded FAILED at once, with the fix, where /_coffer/notifications shows them.
 */
import type { CatalogStores } from '../catalog/catalog.js';
import type { NewOutboxRow } from '../catalog/notification-outbox.js';
import type { VaultRecord } from '../catalog/vaults.js';
import type { Clock } from '../backup/clock.js';
import type { IdSource } from '../backup/id-source.js';
import type { VaultEventSource } from './vault-event-types.js';
import { ledgerReads } from '../backup/jobs/ledger-reads.js';
import { parseArn } from '../iam/arn.js';
import type { NotificationTopicConfig } from '../config/schema.js';
import { indexMessage, jobMessage, pointMessage } from './backup-message.js';
import type { BackupMessage } from './backup-message.js';
import { subscribedType, vaultEventsOf } from './vault-event-types.js';
import type { VaultEventFact } from './vault-event-types.js';

export interface OutboxSinkDeps {
  readonly topics: readonly NotificationTopicConfig[];
  readonly ids: IdSource;
  readonly clock: Clock;
}

/** The message-less fix for a topic the config does not declare. */
export function undeclaredTopicError(topicArn: string): string {
  return `SNS topic ${topicArn} is not declared in the config: add it under notifications.topics with its subscribers (https:// URLs, mailto: addresses) and restart Coffer; messages recorded before then are not resent.`;
}

function vaultNameOfArn(arn: string): string | undefined {
  const resource = parseArn(arn)?.resource;
  return resource?.startsWith('backup-vault:') === true ? resource.slice('backup-vault:'.length) : undefined;
}

interface Resolved {
  readonly vaultName: string;
  readonly message: BackupMessage;
}

/** A durable sink for the ledger's events and for index events: called in the transaction of their change. */
export type OutboxSink = (events: readonly VaultEventSource[], stores: CatalogStores) => Promise<void>;

export function createOutboxSink(deps: OutboxSinkDeps): OutboxSink {
  const subscribers = new Map(deps.topics.map((t) => [t.arn, t.subscribers]));

  return async (events, stores) => {
    const vaults = new Map<string, VaultRecord | undefined>();
    const vaultOf = async (scope: { accountId: string; region: string }, name: string) => {
      const key = `${scope.accountId}/${scope.region}/${name}`;
      if (!vaults.has(key)) vaults.set(key, await stores.vaults.get(scope, name));
      return vaults.get(key);
    };
    const rows: NewOutboxRow[] = [];
    for (const [event, fact] of events.flatMap((e) => vaultEventsOf(e).map((f) => [e, f] as const))) {
      const resolved = await resolve(event, fact, stores);
      if (resolved === undefined) continue;
      const vault = await vaultOf(event, resolved.vaultName);
      const settings = vault?.notifications;
      if (settings === undefined) continue;
      const eventType = subscribedType(fact, new Set(settings.events));
      if (eventType === undefined) continue;
      const base = {
        accountId: event.accountId,
        region: event.region,
        messageId: deps.ids.uuid(),
        vaultName: resolved.vaultName,
        topicArn: settings.snsTopicArn,
        eventType,
        ...resolved.message,
        eventAt: event.at.getTime(),
        createdAt: deps.clock.now().getTime(),
      };
      const targets = subscribers.get(settings.snsTopicArn);
      if (targets === undefined) rows.push({ ...base, subscriber: '', state: 'FAILED', lastError: undeclaredTopicError(settings.snsTopicArn) });
      else if (targets.length === 0)
        rows.push({
          ...base,
          subscriber: '',
          state: 'FAILED',
          lastError: `SNS topic ${settings.snsTopicArn} has no subscribers in the config: list some under its subscribers.`,
        });
      else for (const subscriber of targets) rows.push({ ...base, subscriber, state: 'PENDING' });
    }
    if (rows.length === 0) return;
    await stores.notificationOutbox.add(rows);
  };
}

/** The vault an event belongs to and its message, read in the event's own transaction. */
async function resolve(event: VaultEventSource, fact: VaultEventFact, stores: CatalogStores): Promise<Resolved | undefined> {
  if (event.type === 'recovery-point-index') return { vaultName: event.vaultName, message: indexMessage(fact, event) };
  const reads = ledgerReads(stores);
  if (event.type === 'recovery-point') {
    const point = event.to === 'GONE' ? undefined : await reads.point(event, event.arn);
    const subject = point ?? {
      arn: event.arn,
      accountId: event.accountId,
      resourceArn: 'unknown (the recovery point is gone)',
      createdAt: event.at,
      storageClass: event.storageClass ?? 'DELETED',
    };
    return { vaultName: event.vaultName, message: pointMessage(fact, subject, event.vaultName) };
  }
  const job = await reads.job(event.kind, event, event.jobId);
  if (job === undefined) return undefined;
  const vaultName = job.kind === 'copy' ? vaultNameOfArn(job.sourceVaultArn) : job.vaultName;
  return vaultName === undefined ? undefined : { vaultName, message: jobMessage(fact, job) };
}
