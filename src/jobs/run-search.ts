/**
 * Runs a search job on the node that started it: each recovery point it searches is opened and
 * its index read to the end (recovery-point-items.ts), every item matched against the job's
 * filters (backup/search-filters.ts), and what matches recorded in batches with the progress,
 * renewing the job's lease. A STOPPING job stops between batches (STOPPED); a point that cannot
 * be read is recorded FAILED with why and the others go on. At most MAX_RESULTS items are kept.
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { Clock } from '../backup/clock.js';
import { itemMatches } from '../backup/search-filters.js';
import type { ItemFilters } from '../backup/search-filters.js';
import { reviveDates, SEARCH_LEASE_MS } from '../backup/search-jobs.js';
import type { SearchJobBackupRecord } from '../backup/search-jobs.js';
import type { IndexedItemView } from '../backup/search-item.js';
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { CatalogScope } from '../catalog/scope.js';
import { errorMessage } from './job-context.js';
import { recoveryPointItems } from './recovery-point-items.js';
import { pointRepository } from './vault-repositories.js';
import type { VaultRepositories } from './vault-repositories.js';

export const MAX_RESULTS = 10_000;
const BATCH = 500;

export interface SearchRunnerDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly repositories: VaultRepositories;
  readonly clock: Clock;
  readonly wallClock: Clock;
  readonly holder: string;
  readonly warn: (line: string) => void;
}

/** The wire shape of a found item (ListSearchJobResults' ResultItem), times as ISO text. */
function resultItem(backup: SearchJobBackupRecord, item: IndexedItemView): Record<string, unknown> {
  const common = { BackupResourceArn: backup.recoveryPointArn, SourceResourceArn: backup.sourceResourceArn, BackupVaultName: backup.vaultName };
  if (backup.resourceType === 'S3')
    return { S3ResultItem: { ...common, ObjectKey: item.name, ObjectSize: item.size, CreationTime: item.modified, ETag: item.etag } };
  const fileSystem = backup.sourceResourceArn.split('/').pop();
  return { EBSResultItem: { ...common, FileSystemIdentifier: fileSystem, FilePath: item.name, FileSize: item.size, LastModifiedTime: item.modified } };
}

export function createSearchRunner(deps: SearchRunnerDeps): { run(scope: CatalogScope, id: string): void; idle(): Promise<void> } {
  const running = new Set<Promise<void>>();

  const search = async (scope: CatalogScope, id: string): Promise<void> => {
    const job = await deps.catalog.searchJobs.get(scope, id);
    if (job === undefined) return;
    const filters = JSON.parse(job.filtersJson, reviveDates) as ItemFilters;
    const progress = { pointsScanned: 0, itemsScanned: 0, itemsMatched: 0 };
    let kept = 0;
    let pending: string[] = [];
    const failures: string[] = [];
    const flush = async (): Promise<boolean> => {
      const ok = await deps.catalog.searchJobs.record(
        scope,
        id,
        deps.holder,
        progress,
        pending,
        kept - pending.length,
        deps.wallClock.now().getTime() + SEARCH_LEASE_MS,
      );
      pending = [];
      return ok;
    };
    const stopping = async (): Promise<boolean> => (await deps.catalog.searchJobs.get(scope, id))?.status === 'STOPPING';

    for await (const backup of everyItem((page) => deps.catalog.searchJobs.listBackups(scope, id, page))) {
      if (await stopping()) break;
      try {
        const point = await deps.ledger.point(scope, backup.recoveryPointArn);
        const vault = await deps.catalog.vaults.get(scope, backup.vaultName);
        if (point?.snapshotId === undefined || vault === undefined) throw new Error('the recovery point no longer exists');
        const repo = await deps.repositories.open(scope, vault, pointRepository(point));
        const snapshot = await repo.loadSnapshot(point.snapshotId);
        for await (const item of recoveryPointItems(repo, snapshot, backup.resourceType)) {
          progress.itemsScanned += 1;
          if (!itemMatches(filters, backup.resourceType, item)) continue;
          progress.itemsMatched += 1;
          if (kept >= MAX_RESULTS) continue;
          pending.push(JSON.stringify(resultItem(backup, item)));
          kept += 1;
          if (pending.length >= BATCH && !(await flush())) return;
        }
        await deps.catalog.searchJobs.setBackupStatus(scope, id, backup.recoveryPointArn, 'COMPLETED', undefined);
      } catch (err) {
        failures.push(backup.recoveryPointArn);
        await deps.catalog.searchJobs.setBackupStatus(scope, id, backup.recoveryPointArn, 'FAILED', `It could not be searched: ${errorMessage(err)}.`);
      }
      progress.pointsScanned += 1;
      if (!(await flush())) return;
    }
    if (!(await flush())) return;
    const now = deps.clock.now().getTime();
    if (await stopping()) {
      await deps.catalog.searchJobs.transition(scope, id, ['STOPPING'], 'STOPPED', {
        statusMessage: 'Stopped by StopSearchJob; the results found until then are kept.',
        completedAt: now,
      });
      return;
    }
    const notes = [
      ...(progress.itemsMatched > MAX_RESULTS
        ? [`${progress.itemsMatched} items matched; the first ${MAX_RESULTS} are kept: narrow the filters to see the others.`]
        : []),
      ...(failures.length > 0 ? [`${failures.length} recovery point(s) could not be searched (ListSearchJobBackups says why).`] : []),
    ];
    await deps.catalog.searchJobs.transition(scope, id, ['RUNNING', 'STOPPING'], 'COMPLETED', {
      ...(notes.length === 0 ? {} : { statusMessage: notes.join(' ') }),
      completedAt: now,
    });
  };

  return {
    run(scope, id) {
      const done = search(scope, id)
        .catch(async (err: unknown) => {
          deps.warn(`coffer: search job ${id} failed: ${errorMessage(err)}`);
          await deps.catalog.searchJobs
            .transition(scope, id, ['RUNNING', 'STOPPING'], 'FAILED', {
              statusMessage: `The search failed: ${errorMessage(err)}.`,
              completedAt: deps.clock.now().getTime(),
            })
            .catch(() => undefined);
        })
        .finally(() => running.delete(done));
      running.add(done);
    },
    async idle() {
      await Promise.all([...running]);
    },
  };
}
