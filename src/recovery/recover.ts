/**
 * `coffer recover`: rebuilds the catalog from what every configured region's storage holds
 * (vault-records.ts): vaults (name, account, region, key, access policy, lock, notifications,
 * tags), the KMS keys their repositories need (with aliases) and the repositories' passwords,
 * and their recovery points (lifecycle, storage class, tags, CreatedBy, copy lineage, size, restore
 * metadata); and the backup plans (versions, selections, tags) kept in every region's storage
 * (plan-records.ts), each from its newest record. Only what the catalog lacks is added: running it again adds nothing, and it never
 * deletes or overwrites a row. A recovery point whose snapshot is gone from its repository is not
 * added (reported); snapshots without a record are reported with what they say of themselves,
 * never imported (see UnrecordedSnapshot). Recovery points are written as
 * recorded, through the job ledger's `recoverPoint` (no transition: nothing about them changes).
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import { CatalogConflictError } from '../catalog/catalog-error.js';
import type { CofferConfig } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { passwordFromKeyFile, storedVaults } from './stored-vaults.js';
import type { StoredVault } from './stored-vaults.js';
import type { KeyFile, PointFile } from './vault-records.js';
import { PlanRecords } from './plan-records.js';
import type { PlanFile } from './plan-records.js';
import { Repository } from '../vault/repository.js';
import type { Snapshot } from '../vault/snapshot.js';

export interface RegionRecovery {
  readonly region: string;
  readonly storage: string;
  readonly vaults: { readonly found: number; readonly added: number };
  readonly keys: { readonly found: number; readonly added: number };
  readonly recoveryPoints: { readonly found: number; readonly added: number };
  /** Plan records in this storage, and how many plans were added from them (a plan kept in several regions' storage is added once, from its newest record). */
  readonly plans: { readonly found: number; readonly added: number };
  /**
   * Snapshots in a vault's repositories that no recovery point record names (written by restic
   * itself, or by a Coffer job that died before recording it, or whose record was lost): reported,
   * never imported (their lifecycle, restore metadata, lineage and key are unknown), and no
   * failure: restic reads them (coffer vault restic-env finds a Coffer-made one by its ARN).
   */
  readonly unrecordedSnapshots: readonly UnrecordedSnapshot[];
  /** What could not be read or added, each naming the file or point and why. */
  readonly problems: readonly string[];
}

export interface UnrecordedSnapshot {
  readonly vaultName: string;
  readonly accountId: string;
  readonly repositoryKeyId: string;
  /** As restic names the repository (RESTIC_REPOSITORY). */
  readonly repository: string;
  readonly snapshotId: string;
  /** From the snapshot itself, when the repository opened. */
  readonly time?: string;
  readonly hostname?: string;
  readonly paths?: readonly string[];
  readonly tags?: readonly string[];
  /** A snapshot Coffer made names its recovery point, resource and type (the snapshot's `coffer` field). */
  readonly recoveryPointArn?: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
}

export interface RecoverDeps {
  readonly catalog: Catalog;
  /** Recovery points come back through it (the one writer of their state), unchanged. */
  readonly ledger: Pick<JobLedger, 'recoverPoint'>;
  readonly config: CofferConfig;
  /** Opens every region's storage, whatever its kind (server/region-storage.ts). */
  readonly storage: StorageFactory;
  readonly rootKey: Buffer;
  readonly now: () => number;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function recoverFromStorage(deps: RecoverDeps): Promise<RegionRecovery[]> {
  const out: (Omit<RegionRecovery, 'plans'> & { plans: { found: number; added: number }; problems: string[]; unrecordedSnapshots: UnrecordedSnapshot[] })[] =
    [];
  const plans = new Map<string, { readonly file: PlanFile; readonly from: number }>();
  for (const region of deps.config.regions) {
    const storage = formatStorageLocation(region.storage);
    const tally = { vaults: { found: 0, added: 0 }, keys: { found: 0, added: 0 }, recoveryPoints: { found: 0, added: 0 } };
    const problems: string[] = [];
    const planTally = { found: 0, added: 0 };
    const unrecorded: UnrecordedSnapshot[] = [];
    let vaults: StoredVault[] = [];
    try {
      vaults = await storedVaults(
        deps.storage,
        storage,
        region.name,
        deps.rootKey,
        deps.config.accounts.map((a) => a.id),
      );
    } catch (err) {
      problems.push(`the storage ${storage} cannot be read: ${errorText(err)}`);
    }
    for (const vault of vaults) {
      try {
        await recoverVault(deps, vault, tally, problems, unrecorded);
      } catch (err) {
        problems.push(`backup vault ${vault.name} of account ${vault.accountId} (${vault.location}): ${errorText(err)}`);
      }
    }
    await readPlans(deps, storage, out.length, plans, planTally, problems);
    out.push({ region: region.name, storage, ...tally, plans: planTally, unrecordedSnapshots: unrecorded, problems });
  }
  for (const { file, from } of plans.values()) {
    const at = out[from]!;
    try {
      if (await recoverPlan(deps, file)) at.plans.added += 1;
    } catch (err) {
      at.problems.push(`backup plan ${file.plan.arn}: ${errorText(err)}`);
    }
  }
  return out;
}

/** The plan records of one region's storage, keeping the newest record of each plan seen so far. */
async function readPlans(
  deps: RecoverDeps,
  storage: string,
  regionIndex: number,
  plans: Map<string, { readonly file: PlanFile; readonly from: number }>,
  tally: { found: number },
  problems: string[],
): Promise<void> {
  const records = new PlanRecords(deps.storage.open(storage), deps.rootKey);
  const accounts = new Set(deps.config.accounts.map((a) => a.id));
  const regions = new Set(deps.config.regions.map((r) => r.name));
  let ids;
  try {
    ids = await records.list();
  } catch (err) {
    problems.push(`the plan records in ${storage} cannot be listed: ${errorText(err)}`);
    return;
  }
  for (const id of ids) {
    if (!accounts.has(id.accountId) || !regions.has(id.region)) continue;
    let file: PlanFile | undefined;
    try {
      file = await records.read(id);
    } catch (err) {
      problems.push(`the record of backup plan ${id.planId} (${id.accountId}, ${id.region}) cannot be read: ${errorText(err)}`);
      continue;
    }
    if (file === undefined) continue;
    tally.found += 1;
    const key = `${id.accountId}/${id.region}/${id.planId}`;
    const seen = plans.get(key);
    if (seen === undefined || seen.file.plan.updatedAt < file.plan.updatedAt) plans.set(key, { file, from: regionIndex });
  }
}

/** A plan with its versions, selections and tags, as recorded; true when it was added. */
async function recoverPlan(deps: RecoverDeps, file: PlanFile): Promise<boolean> {
  const { catalog } = deps;
  const scope: CatalogScope = { accountId: file.plan.accountId, region: file.plan.region };
  if ((await catalog.plans.get(scope, file.plan.id)) !== undefined) return false;
  try {
    await catalog.plans.restore(scope, file.plan, file.versions);
  } catch (err) {
    if (err instanceof CatalogConflictError) return false;
    throw err;
  }
  for (const s of file.selections) {
    if ((await catalog.selections.get(scope, s.planId, s.id)) !== undefined) continue;
    await catalog.selections.create(scope, {
      id: s.id,
      planId: s.planId,
      name: s.name,
      iamRoleArn: s.iamRoleArn,
      document: s.document,
      createdAt: s.createdAt,
      ...(s.creatorRequestId === undefined ? {} : { creatorRequestId: s.creatorRequestId }),
    });
  }
  if (Object.keys(file.tags).length > 0) await catalog.tags.tag(scope, file.plan.arn, file.tags);
  return true;
}

type Tally = { vaults: { found: number; added: number }; keys: { found: number; added: number }; recoveryPoints: { found: number; added: number } };

async function recoverVault(deps: RecoverDeps, vault: StoredVault, tally: Tally, problems: string[], unrecorded: UnrecordedSnapshot[]): Promise<void> {
  const { catalog } = deps;
  const scope: CatalogScope = { accountId: vault.accountId, region: vault.region };
  const keyFiles: KeyFile[] = [];
  for (const keyId of vault.keyIds) {
    try {
      const key = await vault.records.readKey(keyId);
      if (key === undefined)
        problems.push(
          `backup vault ${vault.name}: its repository ${keyId} has no key record (.coffer/keys/${keyId}.sealed); its recovery points cannot be opened`,
        );
      else keyFiles.push(key);
    } catch (err) {
      problems.push(`backup vault ${vault.name}: the key record of repository ${keyId} cannot be read: ${errorText(err)}`);
    }
  }
  let file;
  try {
    file = await vault.records.readVault();
  } catch (err) {
    problems.push(`backup vault ${vault.name}: its vault record cannot be read: ${errorText(err)}`);
  }
  if (file === undefined) {
    problems.push(`backup vault ${vault.name} of account ${vault.accountId} has no readable vault record (.coffer/vault.sealed); not added`);
    return;
  }
  tally.vaults.found += 1;
  const recorded = file.vault;
  if ((await catalog.vaults.get(scope, vault.name)) === undefined) {
    try {
      await catalog.vaults.create(scope, {
        name: recorded.name,
        arn: vault.arn,
        vaultType: recorded.vaultType,
        encryptionKeyArn: recorded.encryptionKeyArn,
        createdAt: recorded.createdAt,
        storageLocation: vault.location,
        ...(recorded.creatorRequestId === undefined ? {} : { creatorRequestId: recorded.creatorRequestId }),
      });
      if (recorded.accessPolicy !== undefined) await catalog.vaults.setAccessPolicy(scope, vault.name, recorded.accessPolicy);
      if (recorded.notifications !== undefined) await catalog.vaults.setNotifications(scope, vault.name, recorded.notifications);
      if (recorded.lock !== undefined) await catalog.vaults.setLock(scope, vault.name, recorded.lock);
      if (Object.keys(file.tags).length > 0) await catalog.tags.tag(scope, vault.arn, file.tags);
      tally.vaults.added += 1;
    } catch (err) {
      if (!(err instanceof CatalogConflictError)) throw err;
    }
  }
  for (const key of keyFiles) {
    tally.keys.found += 1;
    if (await recoverKey(deps, vault, scope, key)) tally.keys.added += 1;
  }
  const snapshotsWithRecord = new Set<string>();
  for (const pointId of await vault.records.pointIds()) {
    let point: PointFile | undefined;
    try {
      point = await vault.records.readPoint(pointId);
    } catch (err) {
      problems.push(`backup vault ${vault.name}: the record of recovery point ${pointId} cannot be read: ${errorText(err)}`);
      continue;
    }
    if (point === undefined) continue;
    tally.recoveryPoints.found += 1;
    if (point.point.snapshotId !== undefined) snapshotsWithRecord.add(point.point.snapshotId);
    try {
      if (await recoverPoint(deps, vault, scope, point)) tally.recoveryPoints.added += 1;
    } catch (err) {
      problems.push(`recovery point ${point.point.arn} (vault ${vault.name}): ${errorText(err)}`);
    }
  }
  for (const keyId of vault.keyIds) {
    const ids = (await vault.repositoryStore(keyId).list('snapshots/'))
      .map((b) => b.name.slice('snapshots/'.length))
      .filter((id) => !snapshotsWithRecord.has(id));
    if (ids.length === 0) continue;
    const base = { vaultName: vault.name, accountId: vault.accountId, repositoryKeyId: keyId, repository: vault.repositoryPath(keyId) };
    const key = keyFiles.find((k) => k.keyId === keyId);
    let snapshots: readonly Snapshot[] = [];
    try {
      if (key !== undefined) snapshots = await (await Repository.open(vault.repositoryStore(keyId), passwordFromKeyFile(deps.rootKey, vault, key))).snapshots();
    } catch (err) {
      problems.push(
        `backup vault ${vault.name}: its repository ${keyId} cannot be opened to describe ${ids.length} snapshot(s) without a record: ${errorText(err)}`,
      );
    }
    for (const id of ids) {
      const snapshot = snapshots.find((s) => s.id === id);
      const made = snapshot?.coffer;
      unrecorded.push({
        ...base,
        snapshotId: id,
        ...(snapshot === undefined ? {} : { time: snapshot.time, hostname: snapshot.hostname, paths: snapshot.paths, tags: snapshot.tags ?? [] }),
        ...(made?.['recovery-point-arn'] === undefined ? {} : { recoveryPointArn: made['recovery-point-arn'] }),
        ...(made?.['resource-arn'] === undefined ? {} : { resourceArn: made['resource-arn'] }),
        ...(made?.['resource-type'] === undefined ? {} : { resourceType: made['resource-type'] }),
      });
    }
  }
}

/** The KMS key (in its own account and region) with its aliases, and the repository password. True when the password row was added. */
async function recoverKey(deps: RecoverDeps, vault: StoredVault, scope: CatalogScope, key: KeyFile): Promise<boolean> {
  const { catalog } = deps;
  passwordFromKeyFile(deps.rootKey, vault, key); // refuses a record the root key does not open, before anything is written
  if (key.kmsKey !== undefined) {
    const { accountId, region, aliases, ...record } = key.kmsKey;
    const keyScope = { accountId, region };
    if ((await catalog.kmsKeys.get(keyScope, record.keyId)) === undefined) await catalog.kmsKeys.insert(keyScope, record);
    for (const alias of aliases) {
      if ((await catalog.kmsAliases.get(keyScope, alias)) === undefined) await catalog.kmsAliases.create(keyScope, alias, record.keyId, deps.now());
    }
  }
  if ((await catalog.repositoryKeys.get(scope, vault.name, key.keyId)) !== undefined) return false;
  await catalog.repositoryKeys.putIfAbsent(scope, vault.name, key.keyId, key.storedPassword, deps.now());
  return true;
}

async function recoverPoint(deps: RecoverDeps, vault: StoredVault, scope: CatalogScope, file: PointFile): Promise<boolean> {
  const { catalog } = deps;
  const p = file.point;
  if ((await catalog.recoveryPoints.get(scope, p.arn)) !== undefined) return false;
  if (p.snapshotId !== undefined && p.repositoryKeyId !== undefined) {
    const store = vault.repositoryStore(p.repositoryKeyId, p.storageLocation);
    if ((await store.stat(`snapshots/${p.snapshotId}`)) === undefined)
      throw new Error(`its snapshot ${p.snapshotId.slice(0, 8)} is not in ${store.location}; not added`);
  }
  const opt = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [k in K]: V }));
  await deps.ledger.recoverPoint(
    scope,
    {
      arn: p.arn,
      id: p.id,
      vaultName: vault.name,
      vaultArn: vault.arn,
      resourceArn: p.resourceArn,
      resourceType: p.resourceType,
      state: p.state,
      storageClass: p.storageClass,
      createdAt: p.createdAt,
      calculatedLifecycle: p.calculatedLifecycle,
      ...opt('resourceName', p.resourceName),
      ...opt('lifecycle', p.lifecycle),
      ...opt('encryptionKeyArn', p.encryptionKeyArn),
      ...opt('sourceRecoveryPointArn', p.sourceRecoveryPointArn),
      ...opt('sourceVaultArn', p.sourceVaultArn),
      ...opt('jobId', p.jobId),
      ...opt('createdBy', p.createdBy),
      ...opt('iamRoleArn', p.iamRoleArn),
    },
    {
      updatedAt: p.updatedAt,
      statusMessage: p.statusMessage ?? null,
      completedAt: p.completedAt ?? null,
      backupSizeBytes: p.backupSizeBytes ?? null,
      snapshotId: p.snapshotId ?? null,
      repositoryKeyId: p.repositoryKeyId ?? null,
      restoreMetadata: p.restoreMetadata ?? null,
      lastRestoreAt: p.lastRestoreAt ?? null,
      storageLocation: p.storageLocation ?? null,
      warmSnapshotId: p.warmSnapshotId ?? null,
    },
  );
  if (Object.keys(file.tags).length > 0) await catalog.tags.tag(scope, p.arn, file.tags);
  return true;
}
