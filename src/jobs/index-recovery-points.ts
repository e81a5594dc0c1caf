/**
 * The indexer: builds the recovery point indexes asked for (PENDING) on this node. It takes each
 * under a lease in the catalog (several nodes share the work; a node that dies leaves its rows to
 * another once the lease ends), reads the snapshot's trees to the end (recovery-point-items.ts),
 * and records ACTIVE with how many items it holds, or FAILED with why, with the vault event in
 * the same transaction.
 */
import type { Clock } from '../backup/clock.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { IndexEventSink, RecoveryPointIndexChanged } from '../backup/recovery-point-indexes.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ClaimedIndex } from '../catalog/recovery-point-indexes.js';
import { errorMessage } from './job-context.js';
import { recoveryPointItems } from './recovery-point-items.js';
import { pointRepository } from './vault-repositories.js';
import type { VaultRepositories } from './vault-repositories.js';

/** Long enough for a bucket of millions of objects; a dead node's rows wait this long. */
export const INDEX_LEASE_MS = 10 * 60_000;
const POLL_MS = 5_000;
const BATCH = 4;

export interface IndexerDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly repositories: VaultRepositories;
  /** The domain's clock: the index's dates. */
  readonly clock: Clock;
  /** Leases run on the wall clock even when the domain's clock is manual. */
  readonly wallClock: Clock;
  readonly holder: string;
  readonly sink?: IndexEventSink | undefined;
  readonly warn: (line: string) => void;
  readonly pollMs?: number | undefined;
}

export interface Indexer {
  /** An index was asked for: look now rather than at the next poll. */
  nudge(): void;
  /** One round now: resolves when the indexes it took are recorded; how many. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface Built {
  readonly status: 'ACTIVE' | 'FAILED';
  readonly statusMessage?: string;
  readonly totalItems?: number;
}

async function build(deps: IndexerDeps, claim: ClaimedIndex): Promise<Built> {
  const point = await deps.ledger.point(claim, claim.recoveryPointArn);
  const vault = await deps.catalog.vaults.get(claim, claim.vaultName);
  if (point === undefined || point.snapshotId === undefined || vault === undefined)
    return { status: 'FAILED', statusMessage: `Recovery point ${claim.recoveryPointArn} no longer exists.` };
  try {
    const repo = await deps.repositories.open(claim, vault, pointRepository(point));
    const snapshot = await repo.loadSnapshot(point.snapshotId);
    let totalItems = 0;
    for await (const _item of recoveryPointItems(repo, snapshot, claim.resourceType)) totalItems += 1;
    return { status: 'ACTIVE', totalItems };
  } catch (err) {
    return {
      status: 'FAILED',
      statusMessage: `The index of ${claim.recoveryPointArn} could not be built: ${errorMessage(err)}. Check the vault (coffer vault check), then ask again with UpdateRecoveryPointIndexSettings.`,
    };
  }
}

export function startIndexer(deps: IndexerDeps): Indexer {
  const pollMs = deps.pollMs ?? POLL_MS;
  let round: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const one = async (claim: ClaimedIndex): Promise<void> => {
    const built = await build(deps, claim);
    const at = deps.clock.now();
    await deps.catalog.transaction(async (stores) => {
      if (!(await stores.recoveryPointIndexes.finish(claim, built, at.getTime()))) return;
      const event: RecoveryPointIndexChanged = {
        type: 'recovery-point-index',
        accountId: claim.accountId,
        region: claim.region,
        arn: claim.recoveryPointArn,
        vaultName: claim.vaultName,
        resourceArn: claim.sourceResourceArn,
        to: built.status,
        at,
        statusMessage: built.statusMessage,
        totalItems: built.totalItems,
      };
      await deps.sink?.([event], stores);
    });
  };

  const runRound = async (): Promise<number> => {
    let done = 0;
    for (;;) {
      const claims = await deps.catalog.recoveryPointIndexes.claimPending(deps.holder, BATCH, INDEX_LEASE_MS, deps.wallClock.now().getTime());
      if (claims.length === 0) return done;
      for (const claim of claims) {
        await one(claim).catch((err: unknown) => deps.warn(`coffer: the index of ${claim.recoveryPointArn} was not recorded: ${errorMessage(err)}`));
        done += 1;
      }
    }
  };

  const runOnce = (): Promise<number> => {
    if (round !== undefined) {
      again = true;
      return round;
    }
    round = runRound()
      .catch((err: unknown) => {
        deps.warn(`coffer: indexing recovery points failed: ${errorMessage(err)}`);
        return 0;
      })
      .finally(() => {
        round = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return round;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().finally(schedule);
    }, pollMs);
    timer.unref();
  };
  schedule();

  return {
    nudge: () => void runOnce(),
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await round;
    },
  };
}
