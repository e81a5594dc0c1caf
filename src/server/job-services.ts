/**
 * The job side of the composition root: the root key, the vault repositories with their
 * enveloped passwords, the recovery point eraser, the mover to cold storage, and the worker pool
 * that runs jobs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../backup/clock.js';
import type { ResourceLister, ResourceLookup } from '../backup/protected-resource.js';
import type { RecoveryPointEraser } from '../backup/recovery-points.js';
import { createRepositoryPasswords } from '../backup/repository-passwords.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { CatalogScope } from '../catalog/scope.js';
import { ownDirectories } from '../config/own-directories.js';
import type { CofferConfig } from '../config/schema.js';
import { createResourceRegistry } from '../connectors/resource-registry.js';
import { createRecoveryPointEraser } from '../jobs/erase-recovery-point.js';
import { createColdMover } from '../jobs/move-to-cold.js';
import type { ColdMover } from '../jobs/move-to-cold.js';
import { formatStorageLocation } from '../config/storage-location.js';
import { createVaultRepositories } from '../jobs/vault-repositories.js';
import { startWorkerPool } from '../jobs/worker-pool.js';
import type { KmsDomain } from '../kms/kms-domain.js';
import type { CopyOrganization } from '../backup/copy-checks.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { loadRootKey } from './root-key.js';

export interface JobServices {
  readonly resources: ResourceLookup;
  /** Every configured or discovered resource of an account and region (selections). */
  readonly listResources: ResourceLister;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
  /** Erases at once (lifecycle expiry); rejects with the cause when it could not. */
  readonly eraseRecoveryPointNow: (scope: CatalogScope, point: RecoveryPointRecord) => Promise<void>;
  /** Moves a point due for cold storage to its region's cold location, or only changes its class (jobs/move-to-cold.ts). */
  readonly moveToCold: ColdMover;
  /** Starts claiming jobs; call once the domain is built. */
  start(): WorkerPool;
}


/** The organization copy checks see: the configured one, with every configured account as a member. */
function copyOrganization(config: CofferConfig): CopyOrganization | undefined {
  const org = config.organization;
  return org === undefined ? undefined : { id: org.id, managementAccountId: org.managementAccount, memberAccountIds: config.accounts.map((a) => a.id) };
}

export async function createJobServices(config: CofferConfig, catalog: Catalog, clock: Clock, env: Readonly<Record<string, string | undefined>>, warn: (line: string) => void, kms: KmsDomain): Promise<JobServices> {
  const rootKey = await loadRootKey(config.dataDir, env);
  // Repository passwords are enveloped by KMS; the root key only opens pre-KMS rows.
  const repositories = createVaultRepositories(createRepositoryPasswords({ catalog, clock, kms, rootKey }));
  const copyChecks = { catalog, kms, organization: copyOrganization(config) };
  const registry = createResourceRegistry(config.resources, config.discoveries, { warn });
  await registry.refresh();
  const resources = (arn: string) => registry.get(arn);
  const eraser = createRecoveryPointEraser({ catalog, clock, repositories }, warn);
  const restoreTargets = { roots: config.restoreRoots, forbidden: ownDirectories(config) };
  const coldRoots = new Map(config.regions.map((r) => [r.name, r.coldStorage === undefined ? undefined : formatStorageLocation(r.coldStorage)]));
  const moveToCold = createColdMover({ catalog, clock, repositories, warn, coldRoot: (region) => coldRoots.get(region) });
  return {
    resources,
    listResources: (scope) => registry.list(scope),
    eraseRecoveryPoint: (scope, point) => eraser.erase(scope, point),
    eraseRecoveryPointNow: (scope, point) => eraser.eraseNow(scope, point),
    moveToCold,
    start: () => startWorkerPool({ catalog, clock, repositories, resources, copyChecks, restoreTargets, warn, owner: `coffer-${process.pid}-${randomUUID()}` }, { warn }),
  };
}
