/**
 * The job side of the composition root: the root key, the vault repositories with their
 * enveloped passwords, the recovery point eraser, and the worker pool that runs jobs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../backup/clock.js';
import type { ResourceLister, ResourceLookup } from '../backup/protected-resource.js';
import type { RecoveryPointEraser } from '../backup/recovery-points.js';
import { createRepositoryPasswords } from '../backup/repository-passwords.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { CofferConfig } from '../config/schema.js';
import { createResourceRegistry } from '../connectors/resource-registry.js';
import { createRecoveryPointEraser } from '../jobs/erase-recovery-point.js';
import { createVaultRepositories } from '../jobs/vault-repositories.js';
import { startWorkerPool } from '../jobs/worker-pool.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { loadRootKey } from './root-key.js';

export interface JobServices {
  readonly resources: ResourceLookup;
  /** Every configured or discovered resource of an account and region (selections). */
  readonly listResources: ResourceLister;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
  /** Erases at once (lifecycle expiry); rejects with the cause when it could not. */
  readonly eraseRecoveryPointNow: (scope: CatalogScope, point: RecoveryPointRecord) => Promise<void>;
  /** Starts claiming jobs; call once the domain is built. */
  start(): WorkerPool;
}


export async function createJobServices(config: CofferConfig, catalog: Catalog, clock: Clock, env: Readonly<Record<string, string | undefined>>, warn: (line: string) => void): Promise<JobServices> {
  const rootKey = await loadRootKey(config.dataDir, env);
  const repositories = createVaultRepositories(createRepositoryPasswords({ catalog, clock, rootKey }));
  const registry = createResourceRegistry(config.resources, config.discoveries, { warn });
  await registry.refresh();
  const resources = (arn: string) => registry.get(arn);
  const eraser = createRecoveryPointEraser({ catalog, clock, repositories }, warn);
  return {
    resources,
    listResources: (scope) => registry.list(scope),
    eraseRecoveryPoint: (scope, point) => eraser.erase(scope, point),
    eraseRecoveryPointNow: (scope, point) => eraser.eraseNow(scope, point),
    start: () => startWorkerPool({ catalog, clock, repositories, resources, owner: `coffer-${process.pid}-${randomUUID()}` }, { warn }),
  };
}
