/**
 * At server start: recovery points left DELETING by a Coffer that died while erasing them
 * (DeleteRecoveryPoint or lifecycle expiry) are erased again: forget + prune are idempotent, so
 * the erasure simply runs to its end this time. A point still DELETING after a failed attempt
 * (the repository locked by another node that is erasing it, the storage faulty) stays DELETING
 * and is tried again at the next start; the line says why. Without this, a point whose erasure
 * was killed stayed DELETING forever, refusing a second DeleteRecoveryPoint.
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import { errorMessage } from './job-context.js';
import { vaultsOf } from './sweep-dead-writers.js';

export interface ResumeDeletionsDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly scopes: readonly CatalogScope[];
  /** Erases now; rejects with the cause when it could not (the eraser's `eraseNow`). */
  readonly eraseNow: (scope: CatalogScope, point: RecoveryPoint) => Promise<void>;
  readonly log: (line: string) => void;
}

/** Erases every DELETING point of `scopes`; returns how many went. */
export async function resumeDeletions(deps: ResumeDeletionsDeps): Promise<number> {
  let erased = 0;
  for (const scope of deps.scopes) {
    for (const vault of await vaultsOf(deps.catalog, scope)) {
      const arns: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.catalog.recoveryPoints.listByVault(
          scope,
          vault.name,
          { state: 'DELETING' },
          { limit: 1000, ...(cursor === undefined ? {} : { cursor }) },
        );
        arns.push(...page.items.map((p) => p.arn));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      for (const arn of arns) {
        const point = await deps.ledger.point(scope, arn);
        if (point?.state !== 'DELETING') continue;
        try {
          await deps.eraseNow(scope, point);
          erased++;
          deps.log(`coffer: finished deleting recovery point ${arn} of backup vault ${vault.name}, which an earlier run had left half-deleted`);
        } catch (err) {
          deps.log(`coffer: recovery point ${arn} of backup vault ${vault.name} is still DELETING (tried again at the next start): ${errorMessage(err)}`);
        }
      }
    }
  }
  return erased;
}
