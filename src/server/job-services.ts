/**
 * The job side of the composition root: the vault repositories with their enveloped passwords,
 * the recovery point eraser, the mover to cold storage, and the worker pool that runs jobs, all
 * writing job state through the one ledger.
 */
import { existsSync } from 'node:fs';
import type { Clock } from '../backup/clock.js';
import type { IdSource } from '../backup/id-source.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { ResourceLister, ResourceLookup } from '../backup/protected-resource.js';
import type { RecoveryPointEraser } from '../backup/recovery-points.js';
import { createRepositoryPasswords } from '../backup/repository-passwords.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import { ownDirectories } from '../config/own-directories.js';
import type { CofferConfig } from '../config/schema.js';
import { createResourceRegistry } from '../connectors/resource-registry.js';
import { createRecoveryPointEraser } from '../jobs/erase-recovery-point.js';
import { createColdMover } from '../jobs/move-to-cold.js';
import { createRestoreTestChecks } from '../jobs/restore-test-checks.js';
import type { RestoreTestChecks } from '../jobs/restore-test-checks.js';
import type { ColdMover } from '../jobs/move-to-cold.js';
import { formatStorageLocation } from '../config/storage-location.js';
import { createVaultRepositories } from '../jobs/vault-repositories.js';
import type { VaultRepositories } from '../jobs/vault-repositories.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { createStorageExporter } from '../recovery/storage-exporter.js';
import type { StorageExporter } from '../recovery/storage-exporter.js';
import { startWorkerPool } from '../jobs/worker-pool.js';
import { resumeDeletions } from '../jobs/resume-deletions.js';
import { sweepDeadWriters } from '../jobs/sweep-dead-writers.js';
import type { KmsDomain } from '../kms/kms-domain.js';
import type { CopyOrganization } from '../backup/copy-checks.js';
import type { WorkerPool } from '../jobs/worker-pool.js';

export interface JobServices {
  readonly resources: ResourceLookup;
  /** Every configured or discovered resource of an account and region (selections). */
  readonly listResources: ResourceLister;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
  /** Erases at once (lifecycle expiry); rejects with the cause when it could not. */
  readonly eraseRecoveryPointNow: (scope: CatalogScope, point: RecoveryPoint) => Promise<void>;
  /** Moves a point due for cold storage to its region's cold location, or only changes its class (jobs/move-to-cold.ts). */
  readonly moveToCold: ColdMover;
  /** Restore testing's check and deletion of what a completed restore created. */
  readonly restoreTestChecks: RestoreTestChecks;
  /** Starts claiming jobs; call once the domain is built. */
  start(): WorkerPool;
  /** The vaults' repositories under their enveloped passwords (the indexer reads snapshots through them). */
  readonly repositories: VaultRepositories;
  /** Keeps vault, key and recovery point records in each vault's storage (recovery/storage-exporter.ts). */
  readonly exporter: StorageExporter;
  /** Stops following the ledger (after the workers stopped). */
  stopExporting(): Promise<void>;
  /** Removes what dead writers left in every vault's storage (jobs/sweep-dead-writers.ts); `log` names each vault cleaned. */
  sweepDeadWriters(log: (line: string) => void, extraAccounts?: readonly string[]): Promise<void>;
  /** Erases the points an earlier run left DELETING (jobs/resume-deletions.ts). */
  resumeDeletions(log: (line: string) => void, extraAccounts?: readonly string[]): Promise<void>;
}

/** The organization copy checks see: the configured one, with every configured account as a member. */
function copyOrganization(config: CofferConfig): CopyOrganization | undefined {
  const org = config.organization;
  return org === undefined ? undefined : { id: org.id, managementAccountId: org.managementAccount, memberAccountIds: config.accounts.map((a) => a.id) };
}

export interface JobServiceInputs {
  readonly config: CofferConfig;
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly kms: KmsDomain;
  /** Opens repository passwords written before KMS. */
  readonly rootKey: Buffer;
  /** Opens vault storage whatever its kind (server/region-storage.ts). */
  readonly storage: StorageFactory;
  readonly warn: (line: string) => void;
  /** `--sandbox`: unknown resources are backed up as metadata-only points (connectors/metadata-only.ts). */
  readonly sandbox?: boolean;
}

export async function createJobServices({ config, catalog, ledger, clock, ids, kms, rootKey, storage, warn, sandbox }: JobServiceInputs): Promise<JobServices> {
  // Repository passwords are enveloped by KMS; the root key only opens pre-KMS rows.
  // Each vault's storage keeps what it takes to open it and rebuild its catalog rows (recovery/).
  let exporter: StorageExporter | undefined;
  const repositories = createVaultRepositories(createRepositoryPasswords({ catalog, clock, kms, rootKey }), storage, {
    opened: (scope, vault, keyId) => void exporter?.exportKey(scope, { ...vault, arn: vault.arn }, keyId),
  });
  exporter = createStorageExporter({
    catalog,
    rootKey,
    warn,
    // Point and key records only once the vault's directory exists (its first repository made it), so that they never
    // recreate a removed vault's storage; the vault's own record makes it (the exporter takes it back if the vault is gone).
    vaultStore: (vault, create) =>
      vault.storageLocation === undefined
      || (create !== true && vault.storageLocation.startsWith('file:') && !existsSync(vault.storageLocation.slice('file:'.length)))
        ? undefined
        : repositories.vaultStoreOf(vault),
    regionStores: () => config.regions.map((r) => storage.open(formatStorageLocation(r.storage), { owner: `the storage of region ${r.name}` })),
  });
  const unfollow = exporter.follow(ledger.events);
  const copyChecks = { catalog, kms, organization: copyOrganization(config) };
  const registry = createResourceRegistry(config.resources, config.discoveries, { warn });
  await registry.refresh();
  const resources = (arn: string) => registry.get(arn);
  const eraser = createRecoveryPointEraser({ catalog, ledger, repositories }, warn);
  const restoreTargets = { roots: config.restoreRoots, forbidden: ownDirectories(config) };
  const coldRoots = new Map(config.regions.map((r) => [r.name, r.coldStorage === undefined ? undefined : formatStorageLocation(r.coldStorage)]));
  const scopesOf = (extraAccounts: readonly string[]) => {
    const accounts = [...new Set([...config.accounts.map((a) => a.id), ...extraAccounts])];
    return accounts.flatMap((accountId) => config.regions.map((r) => ({ accountId, region: r.name })));
  };
  const moveToCold = createColdMover({ catalog, ledger, repositories, warn, coldRoot: (region) => coldRoots.get(region) });
  return {
    repositories,
    exporter,
    stopExporting: async () => {
      unfollow();
      await exporter.idle();
    },
    resources,
    listResources: (scope) => registry.list(scope),
    eraseRecoveryPoint: (scope, point) => eraser.erase(scope, point),
    eraseRecoveryPointNow: (scope, point) => eraser.eraseNow(scope, point),
    moveToCold,
    restoreTestChecks: createRestoreTestChecks({
      ledger,
      catalog,
      clock,
      ids,
      repositories,
      resources,
      restoreTargets,
      restoreDestinations: config.restoreTargets,
      warn,
    }),
    sweepDeadWriters: async (log, extraAccounts = []) => {
      await sweepDeadWriters({ catalog, repositories, scopes: scopesOf(extraAccounts), coldRoot: (region) => coldRoots.get(region), log, warn });
    },
    resumeDeletions: async (log, extraAccounts = []) => {
      await resumeDeletions({ catalog, ledger, scopes: scopesOf(extraAccounts), eraseNow: (scope, point) => eraser.eraseNow(scope, point), log });
    },
    start: () =>
      startWorkerPool(
        {
          ledger,
          catalog,
          clock,
          ids,
          repositories,
          resources,
          copyChecks,
          restoreTargets,
          restoreDestinations: config.restoreTargets,
          warn,
          sandbox: sandbox === true,
          owner: `coffer-${process.pid}-${ids.uuid()}`,
        },
        { warn },
      ),
  };
}
