/**
 * Applying recovery point lifecycles at a tick: points past their DeleteAt are deleted (their
 * data erased by the injected eraser, then the ledger erases the point), those past
 * MoveToColdStorageAt become COLD (their data moved to the region's cold storage location when
 * it has one, by the injected mover). Both lists go by cursor: a point that must wait (a legal
 * hold, a busy vault, a failed move) stays due for a later tick and does not hide the points
 * after it. Every change goes through the ledger.
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import { LIFECYCLE_DELETABLE, transitionPoint } from '../backup/jobs/recovery-point-transitions.js';
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { CatalogScope } from '../catalog/scope.js';
import { RepositoryLockedError } from '../vault/errors.js';

export interface LifecycleDeps {
  readonly catalog: Pick<Catalog, 'legalHolds'>;
  readonly ledger: JobLedger;
  /** Deletes an expired recovery point's data and row; rejects when it could not. */
  readonly erase: (scope: CatalogScope, point: RecoveryPoint) => Promise<void>;
  /** Moves a point due for cold storage: true when it is COLD afterwards, false when it waits; rejects when the move failed. */
  readonly moveToCold?: ((scope: CatalogScope, point: RecoveryPoint) => Promise<boolean>) | undefined;
  readonly warn: (line: string) => void;
}

const PAGE = 100;
const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A point under an active legal hold is not expired: it stays, saying why, until the hold is cancelled. */
async function keptForLegalHold(deps: LifecycleDeps, point: RecoveryPoint, now: Date): Promise<boolean> {
  const holds = await deps.catalog.legalHolds.activeHoldsOn(point, point.arn);
  if (holds.length === 0) return false;
  const step = { type: 'expiryHeld', holdIds: holds.map((h) => h.id) } as const;
  if (transitionPoint(point, step, now).change.statusMessage !== point.statusMessage) await deps.ledger.stepPoint(point, point, step);
  return true;
}

async function expire(deps: LifecycleDeps, point: RecoveryPoint, now: Date): Promise<boolean> {
  if (!LIFECYCLE_DELETABLE.includes(point.state) || (await keptForLegalHold(deps, point, now))) return false;
  const marked = await deps.ledger.stepPoint(point, point, { type: 'lifecycleDelete' });
  if (marked === undefined) return false;
  try {
    await deps.erase(point, marked);
    return true;
  } catch (err) {
    // A backup or check of the same vault is running: try again at a later tick.
    const step =
      err instanceof RepositoryLockedError
        ? ({ type: 'deletionWaits', back: point.state, reason: reasonOf(err) } as const)
        : ({ type: 'expire', reason: reasonOf(err) } as const);
    await deps.ledger.stepPoint(point, marked, step);
    return false;
  }
}

/** Without a mover only the class changes; a failed move leaves the point WARM, saying why. */
async function moveToCold(deps: LifecycleDeps, point: RecoveryPoint): Promise<boolean> {
  if (deps.moveToCold === undefined) return (await deps.ledger.stepPoint(point, point, { type: 'moveToCold' })) !== undefined;
  try {
    return await deps.moveToCold(point, point);
  } catch (err) {
    const busy = err instanceof RepositoryLockedError;
    if (!busy) deps.warn(`coffer: moving recovery point ${point.arn} to cold storage failed (retried at the next tick): ${reasonOf(err)}`);
    await deps.ledger.stepPoint(point, point, { type: 'coldMoveHeld', busy, reason: reasonOf(err) });
    return false;
  }
}

/** `held`: false once this node lost the maintenance lease; the pass stops before the next point. */
export async function applyLifecycles(deps: LifecycleDeps, now: Date, held: () => boolean = () => true): Promise<{ deleted: number; movedToCold: number }> {
  let deleted = 0;
  let movedToCold = 0;
  for await (const point of everyItem((page) => deps.ledger.pointsDueForDeletion(now, page), PAGE)) {
    if (!held()) return { deleted, movedToCold };
    if (await expire(deps, point, now)) deleted += 1;
  }
  for await (const point of everyItem((page) => deps.ledger.pointsDueForColdStorage(now, page), PAGE)) {
    if (!held()) return { deleted, movedToCold };
    if (await moveToCold(deps, point)) movedToCold += point.storageClass === 'WARM' ? 1 : 0;
  }
  return { deleted, movedToCold };
}
