/**
 * What the ledger tells the rest of Coffer: one event per applied change of a job or a
 * recovery point (creation included), for notifications and metrics. Events are facts after
 * the write: in-process listeners hear them once the change committed; a durable sink (an
 * outbox) is given them with the transaction that makes the change, so it commits with it or
 * not at all.
 */
import type { CatalogStores } from '../../catalog/catalog.js';
import type { JobKind, RecoveryPointState, StateOf, StorageClass } from './job-states.js';
import type { Actor, JobStepType, ObjectFailure } from './job-transitions.js';
import type { PointStepType } from './recovery-point-transitions.js';

export interface JobChanged<K extends JobKind = JobKind> {
  readonly type: 'job';
  readonly kind: K;
  readonly step: JobStepType | 'create';
  readonly by: Actor | 'ledger';
  readonly accountId: string;
  readonly region: string;
  readonly jobId: string;
  readonly resourceArn: string | undefined;
  /** Undefined for a new job. */
  readonly from: StateOf<K> | undefined;
  readonly to: StateOf<K>;
  readonly at: Date;
  readonly statusMessage: string | undefined;
  /** A completion that left objects of a bucket out one by one: which, and why. */
  readonly objectFailures?: readonly ObjectFailure[];
}

export interface RecoveryPointChanged {
  readonly type: 'recovery-point';
  readonly step: PointStepType | 'create';
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly vaultName: string;
  /** Undefined for a new recovery point. */
  readonly from: RecoveryPointState | undefined;
  /** `GONE`: its row was removed (data erased, or discarded by its failed job). */
  readonly to: RecoveryPointState | 'GONE';
  readonly storageClass: StorageClass | undefined;
  readonly at: Date;
}

export type JobEvent = JobChanged | RecoveryPointChanged;

export type JobEventListener = (event: JobEvent) => void;

/**
 * A durable sink: called inside the catalog transaction that applies the events' changes, with
 * that transaction's stores; a throw rolls the change back.
 */
export type JobEventSink = (events: readonly JobEvent[], stores: CatalogStores) => Promise<void>;

export interface JobEvents {
  /** Hears every event after its change committed; returns the unsubscribe. */
  subscribe(listener: JobEventListener): () => void;
}

/** The listeners of one ledger; a listener that throws is reported, never allowed to undo a change. */
export function createJobEventHub(
  onListenerError: (err: unknown) => void,
): JobEvents & { publish(events: readonly JobEvent[]): void; readonly quiet: boolean } {
  const listeners = new Set<JobEventListener>();
  return {
    get quiet() {
      return listeners.size === 0;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish(events) {
      for (const event of events) {
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (err) {
            onListenerError(err);
          }
        }
      }
    },
  };
}
