/**
 * The job side of the composition root: the root key, the vault repositories with their
 * enveloped passwords, the recovery point eraser, and the worker pool that runs jobs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../backup/clock.js';
import type { DirectoryResource, ResourceLookup } from '../backup/protected-resource.js';
import type { RecoveryPointEraser } from '../backup/recovery-points.js';
import { createRepositoryPasswords } from '../backup/repository-passwords.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CofferConfig } from '../config/schema.js';
import { createRecoveryPointEraser } from '../jobs/erase-recovery-point.js';
import { createVaultRepositories } from '../jobs/vault-repositories.js';
import { startWorkerPool } from '../jobs/worker-pool.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { loadRootKey } from './root-key.js';

export interface JobServices {
  readonly resources: ResourceLookup;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
  /** Starts claiming jobs; call once the domain is built. */
  start(): WorkerPool;
}

export function resourceLookup(config: CofferConfig): ResourceLookup {
  const byArn = new Map<string, DirectoryResource>(config.resources.map((r) => [r.arn, { arn: r.arn, type: r.type, name: r.name, accountId: r.accountId, region: r.region, path: r.path }]));
  return (arn) => byArn.get(arn);
}

export async function createJobServices(config: CofferConfig, catalog: Catalog, clock: Clock, env: Readonly<Record<string, string | undefined>>, warn: (line: string) => void): Promise<JobServices> {
  const rootKey = await loadRootKey(config.dataDir, env);
  const repositories = createVaultRepositories(createRepositoryPasswords({ catalog, clock, rootKey }));
  const resources = resourceLookup(config);
  const eraser = createRecoveryPointEraser({ catalog, clock, repositories }, warn);
  return {
    resources,
    eraseRecoveryPoint: (scope, point) => eraser.erase(scope, point),
    start: () => startWorkerPool({ catalog, clock, repositories, resources, owner: `coffer-${process.pid}-${randomUUID()}` }, { warn }),
  };
}
