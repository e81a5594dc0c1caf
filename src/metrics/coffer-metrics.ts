/**
 * metrics/: what `/metrics` shows, in Prometheus text (prom-client, a registry of Coffer's own).
 * Two sources: figures read from the catalog at each scrape (jobs by state, last successes,
 * vault sizes, the outbox), the same on every node of a shared catalog; and this process's
 * counters (API requests, job transitions, job bytes and durations, delivery attempts). It
 * knows the ledger's events and the catalog's stats; no HTTP routing (server/ serves it).
 * docs/metrics.md lists every series.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../backup/clock.js';
import type { JobEvent } from '../backup/jobs/job-events.js';
import type { Job } from '../backup/jobs/job.js';
import type { Catalog } from '../catalog/catalog.js';
import type { OutboxRecord } from '../catalog/notification-outbox.js';

export interface ServedCall {
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly status: number;
  readonly seconds: number;
}

export interface CofferMetrics {
  readonly contentType: string;
  /** The Prometheus text of every series now. */
  render(): Promise<string>;
  request(served: ServedCall): void;
  /** A ledger event, with its job when it ended one (for its bytes and duration). */
  jobEvent(event: JobEvent, ended: Job | undefined): void;
  delivery(record: OutboxRecord, outcome: 'delivered' | 'retrying' | 'failed', seconds: number): void;
}

export interface MetricsDeps {
  readonly catalog: Catalog;
  /** The domain's clock (scheduler lag is measured on it). */
  readonly clock: Clock;
  /** The scheduler's cursor: up to when rule runs are dispatched (undefined before its first run). */
  readonly schedulerCursor: () => Promise<number | undefined>;
}

const DURATION_BUCKETS = [1, 5, 15, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ENDED = new Set(['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL']);

const scheme = (subscriber: string): string =>
  subscriber === '' ? 'none' : subscriber.startsWith('mailto:') ? 'mailto' : subscriber.startsWith('https:') ? 'https' : 'http';

export function createCofferMetrics(deps: MetricsDeps): CofferMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'coffer_' });
  const { catalog } = deps;

  const requests = new Counter({
    name: 'coffer_api_requests_total',
    help: 'AWS API requests answered, by service, operation and HTTP status.',
    labelNames: ['service', 'operation', 'status'],
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'coffer_api_request_duration_seconds',
    help: 'AWS API request latency.',
    labelNames: ['service', 'operation'],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const transitions = new Counter({
    name: 'coffer_job_transitions_total',
    help: 'Job state changes applied by this process, by kind and new state.',
    labelNames: ['kind', 'state'],
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'coffer_job_duration_seconds',
    help: 'Run time of jobs that ended (start to end), by kind, resource type and end state.',
    labelNames: ['kind', 'resource_type', 'state'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const jobBytes = new Counter({
    name: 'coffer_job_bytes_transferred_total',
    help: 'Bytes transferred by jobs that ended, by kind and resource type.',
    labelNames: ['kind', 'resource_type'],
    registers,
  });
  const deliveries = new Counter({
    name: 'coffer_notification_deliveries_total',
    help: 'Notification delivery attempts by outcome (delivered, retrying, failed) and subscriber scheme.',
    labelNames: ['outcome', 'scheme'],
    registers,
  });
  const deliverySeconds = new Histogram({
    name: 'coffer_notification_delivery_duration_seconds',
    help: 'Time one delivery attempt took.',
    labelNames: ['scheme'],
    buckets: REQUEST_BUCKETS,
    registers,
  });

  const jobs = new Gauge({
    name: 'coffer_jobs',
    help: 'Jobs in the catalog by kind, state and resource type.',
    labelNames: ['kind', 'state', 'resource_type'],
    registers,
    async collect() {
      jobs.reset();
      for (const c of await catalog.stats.jobCounts()) jobs.set({ kind: c.kind, state: c.state, resource_type: c.resourceType }, c.count);
    },
  });
  const lastBackup = new Gauge({
    name: 'coffer_last_successful_backup_timestamp_seconds',
    help: 'When the last backup job of each resource completed (Unix time).',
    labelNames: ['account_id', 'region', 'resource_arn', 'resource_type'],
    registers,
    async collect() {
      lastBackup.reset();
      for (const s of await catalog.stats.lastSuccessfulBackups())
        lastBackup.set({ account_id: s.accountId, region: s.region, resource_arn: s.resourceArn, resource_type: s.resourceType }, s.at / 1000);
    },
  });
  const lastCopy = new Gauge({
    name: 'coffer_last_successful_copy_timestamp_seconds',
    help: 'When the last copy job of each resource to each destination vault completed (Unix time).',
    labelNames: ['account_id', 'region', 'resource_arn', 'resource_type', 'destination_vault_arn'],
    registers,
    async collect() {
      lastCopy.reset();
      for (const s of await catalog.stats.lastSuccessfulCopies())
        lastCopy.set(
          {
            account_id: s.accountId,
            region: s.region,
            resource_arn: s.resourceArn,
            resource_type: s.resourceType,
            destination_vault_arn: s.destinationVaultArn ?? '',
          },
          s.at / 1000,
        );
    },
  });
  const vaultBytes = new Gauge({
    name: 'coffer_vault_size_bytes',
    help: "Sum of the recovery points' backup sizes per vault.",
    labelNames: ['account_id', 'region', 'vault'],
    registers,
    async collect() {
      vaultBytes.reset();
      for (const v of await catalog.stats.vaults()) vaultBytes.set({ account_id: v.accountId, region: v.region, vault: v.vaultName }, v.bytes);
    },
  });
  const vaultPoints = new Gauge({
    name: 'coffer_vault_recovery_points',
    help: 'Recovery points per vault.',
    labelNames: ['account_id', 'region', 'vault'],
    registers,
    async collect() {
      vaultPoints.reset();
      for (const v of await catalog.stats.vaults()) vaultPoints.set({ account_id: v.accountId, region: v.region, vault: v.vaultName }, v.recoveryPoints);
    },
  });
  const outbox = new Gauge({
    name: 'coffer_notification_outbox',
    help: 'Notification deliveries in the outbox by state (PENDING, DELIVERED, FAILED).',
    labelNames: ['state'],
    registers,
    async collect() {
      for (const [state, n] of Object.entries(await catalog.notificationOutbox.countByState())) outbox.set({ state }, n);
    },
  });
  const oldestPending = new Gauge({
    name: 'coffer_notification_oldest_pending_seconds',
    help: 'Age of the oldest delivery still to be made (0 when none waits).',
    registers,
    async collect() {
      const at = await catalog.notificationOutbox.oldestPendingAt();
      oldestPending.set(at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000));
    },
  });
  const schedulerLag = new Gauge({
    name: 'coffer_scheduler_lag_seconds',
    help: "How far the scheduler's dispatch cursor is behind the clock (due rule runs not yet turned into jobs).",
    registers,
    async collect() {
      const cursor = await deps.schedulerCursor();
      schedulerLag.set(cursor === undefined ? 0 : Math.max(0, (deps.clock.now().getTime() - cursor) / 1000));
    },
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    request(served) {
      const labels = { service: served.service ?? 'unknown', operation: served.operation ?? 'unknown' };
      requests.inc({ ...labels, status: String(served.status) });
      requestSeconds.observe(labels, served.seconds);
    },
    jobEvent(event, ended) {
      if (event.type !== 'job' || event.from === event.to) return;
      transitions.inc({ kind: event.kind, state: event.to });
      if (ended === undefined || !ENDED.has(event.to)) return;
      const started = ended.startedAt ?? ended.createdAt;
      const finished = ended.completedAt ?? event.at;
      jobSeconds.observe(
        { kind: ended.kind, resource_type: ended.resourceType, state: event.to },
        Math.max(0, (finished.getTime() - started.getTime()) / 1000),
      );
      jobBytes.inc({ kind: ended.kind, resource_type: ended.resourceType }, ended.bytesTransferred);
    },
    delivery(record, result, seconds) {
      deliveries.inc({ outcome: result, scheme: scheme(record.subscriber) });
      deliverySeconds.observe({ scheme: scheme(record.subscriber) }, seconds);
    },
  };
}

/** Whether an event ends a job (its record is then read for bytes and duration). */
export function endsJob(event: JobEvent): boolean {
  return event.type === 'job' && event.from !== event.to && ENDED.has(event.to);
}
