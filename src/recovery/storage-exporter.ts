/**
 * Keeps each vault's records in its storage current (vault-records.ts): a recovery point's file
 * whenever the ledger changes it (removed when it is gone) or its tags change, the vault's file
 * with it, on every change of its settings (access policy, lock, notifications, tags:
 * exporting-domain.ts) and at start, and a repository's key file when the repository is opened
 * and its file is missing (made on create, and written once for repositories older than this).
 * Plans with their selections go to every region's storage root (plan-records.ts) on each
 * change and at start. Writes of one vault (or plan) are serialized; a failed write is reported
 * through `warn` and retried by the next change: the catalog stays the fast index, storage the
 * copy that survives it.
 */
import type { JobEvents } from '../backup/jobs/job-events.js';
import { parseStoredPassword, storedKeyArn } from '../backup/repository-passwords.js';
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { parseArn } from '../iam/arn.js';
import type { BlobStore } from '../storage/blob-store.js';
import { PlanRecords } from './plan-records.js';
import { VaultRecords } from './vault-records.js';

export interface StorageExporterDeps {
  readonly catalog: Catalog;
  readonly rootKey: Buffer;
  /**
   * The store rooted at a vault's directory (undefined: the vault has no storage location, or,
   * unless `create`, its directory is not there yet).
   */
  readonly vaultStore: (vault: Pick<VaultRecord, 'name' | 'storageLocation'>, create?: boolean) => BlobStore | undefined;
  /** The stores rooted at every configured region's storage root (where plan records go). */
  readonly regionStores?: () => readonly BlobStore[];
  readonly warn: (line: string) => void;
}

export interface StorageExporter {
  /** Writes the vault's file (and its repositories' key files when missing). */
  exportVault(scope: CatalogScope, vaultName: string): Promise<void>;
  /** Writes the key file of the vault's repository under `keyId` unless it is there. */
  exportKey(scope: CatalogScope, vault: Pick<VaultRecord, 'name' | 'arn' | 'storageLocation'>, keyId: string): Promise<void>;
  /** Writes (or, when it is gone, removes) a recovery point's file. */
  exportPoint(scope: CatalogScope, vaultName: string, arn: string): Promise<void>;
  /** Writes a plan's file (with its selections and tags) to every region's storage; removes it when the plan is deleted or gone. */
  exportPlan(scope: CatalogScope, planId: string): Promise<void>;
  /** Every vault and live plan of these scopes, now (serve start). */
  exportAll(scopes: readonly CatalogScope[]): Promise<void>;
  /** Follows the ledger's recovery point changes; returns the unsubscribe. */
  follow(events: JobEvents): () => void;
  /** Stops starting new sweeps; resolves once every write queued so far has ended (before the catalog closes). */
  idle(): Promise<void>;
}

export function createStorageExporter(deps: StorageExporterDeps): StorageExporter {
  const { catalog } = deps;
  const queues = new Map<string, Promise<void>>();
  const keysWritten = new Set<string>();
  const sweeps = new Set<Promise<void>>();
  let stopped = false;

  const records = (vault: Pick<VaultRecord, 'name' | 'arn' | 'storageLocation'>, create = false): VaultRecords | undefined => {
    const store = deps.vaultStore(vault, create);
    return store === undefined ? undefined : new VaultRecords(store, vault.arn, deps.rootKey);
  };

  /** Runs `work` after the earlier writes queued under `id`; reports its failure (`what` is being written), never throws. */
  const serially = (id: string, what: string, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(id) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      deps.warn(`coffer: writing ${what} to storage failed; the next change tries again: ${err instanceof Error ? err.message : String(err)}`);
    });
    queues.set(id, next);
    void next.finally(() => {
      if (queues.get(id) === next) queues.delete(id);
    });
    return next;
  };

  /** One vault's writes, in order. */
  const queued = (scope: CatalogScope, vaultName: string, what: string, work: () => Promise<void>): Promise<void> =>
    serially(`${scope.accountId}/${scope.region}/${vaultName}`, `${what} of backup vault ${vaultName} (${scope.accountId}, ${scope.region})`, work);

  /** The vault's file, its directory made if need be (an empty vault comes back too); taken back if the vault was deleted meanwhile. */
  const writeVault = async (scope: CatalogScope, vault: VaultRecord): Promise<void> => {
    const target = records(vault, true);
    if (target === undefined) return;
    await target.writeVault({ vault, tags: await catalog.tags.get(scope, vault.arn) });
    if ((await catalog.vaults.get(scope, vault.name)) === undefined) await target.removeVault();
  };

  const writeKey = async (scope: CatalogScope, vault: Pick<VaultRecord, 'name' | 'arn' | 'storageLocation'>, keyId: string): Promise<void> => {
    const id = `${vault.arn}/${keyId}`;
    if (keysWritten.has(id)) return;
    const target = records(vault);
    if (target === undefined) return;
    if (await target.hasKey(keyId)) {
      keysWritten.add(id);
      return;
    }
    const text = await catalog.repositoryKeys.get(scope, vault.name, keyId);
    if (text === undefined) return;
    const keyArn = storedKeyArn(parseStoredPassword(text));
    const arn = keyArn === undefined ? undefined : parseArn(keyArn);
    let kmsKey;
    if (arn !== undefined && keyArn !== undefined) {
      const keyScope = { accountId: arn.accountId, region: arn.region };
      const keyIdOfArn = arn.resource.replace(/^key\//, '');
      const record = await catalog.kmsKeys.get(keyScope, keyIdOfArn);
      if (record === undefined) throw new Error(`KMS key ${keyArn} of its repository ${keyId} is not in the catalog`);
      const aliases = [];
      for await (const alias of everyItem((page) => catalog.kmsAliases.list(keyScope, keyIdOfArn, page))) aliases.push(alias.name);
      kmsKey = { ...record, ...keyScope, aliases };
    }
    await target.writeKey({ keyId, storedPassword: text, kmsKey });
    keysWritten.add(id);
  };

  const writePoint = async (scope: CatalogScope, vaultName: string, arn: string): Promise<void> => {
    const vault = await catalog.vaults.get(scope, vaultName);
    if (vault === undefined) return;
    const target = records(vault);
    if (target === undefined) return;
    const point = await catalog.recoveryPoints.get(scope, arn);
    if (point === undefined) {
      await target.removePoint(arn.split(':').pop() ?? arn);
      return;
    }
    await target.writePoint({ point, tags: await catalog.tags.get(scope, arn) });
    await writeVault(scope, vault);
    if (point.repositoryKeyId !== undefined) await writeKey(scope, vault, point.repositoryKeyId);
  };

  const writePlan = async (scope: CatalogScope, planId: string): Promise<void> => {
    const stores = (deps.regionStores?.() ?? []).map((store) => new PlanRecords(store, deps.rootKey));
    const plan = await catalog.plans.get(scope, planId);
    const id = { ...scope, planId };
    if (plan === undefined || plan.deletedAt !== undefined) {
      await Promise.all(stores.map((records) => records.remove(id)));
      return;
    }
    const versions = [];
    for await (const version of everyItem((page) => catalog.plans.listVersions(scope, planId, page))) versions.push(version);
    const selections = [];
    for await (const selection of everyItem((page) => catalog.selections.list(scope, planId, page))) selections.push(selection);
    const file = { plan, versions, selections, tags: await catalog.tags.get(scope, plan.arn) };
    const failed: string[] = [];
    await Promise.all(
      stores.map((records) =>
        records.write(file).catch((err: unknown) => void failed.push(`${records.location}: ${err instanceof Error ? err.message : String(err)}`)),
      ),
    );
    if (failed.length > 0) throw new Error(failed.join('; '));
  };

  const queuedPlan = (scope: CatalogScope, planId: string): Promise<void> =>
    serially(`plan:${scope.accountId}/${scope.region}/${planId}`, `backup plan ${planId} (${scope.accountId}, ${scope.region})`, () =>
      writePlan(scope, planId),
    );

  const exportVault = (scope: CatalogScope, vaultName: string): Promise<void> =>
    queued(scope, vaultName, 'the vault record', async () => {
      const vault = await catalog.vaults.get(scope, vaultName);
      if (vault !== undefined) await writeVault(scope, vault);
    });

  return {
    exportVault,
    exportKey: (scope, vault, keyId) => queued(scope, vault.name, `the key record ${keyId}`, () => writeKey(scope, vault, keyId)),
    exportPoint: (scope, vaultName, arn) => queued(scope, vaultName, `recovery point ${arn}`, () => writePoint(scope, vaultName, arn)),
    exportPlan: queuedPlan,
    exportAll(scopes) {
      const run = (async () => {
        for (const scope of scopes) {
          if (stopped) return;
          for await (const vault of everyItem((page) => catalog.vaults.list(scope, undefined, page))) {
            await queued(scope, vault.name, 'the vault record', () => writeVault(scope, vault));
          }
          for await (const plan of everyItem((page) => catalog.plans.list(scope, undefined, page))) await queuedPlan(scope, plan.id);
        }
      })();
      sweeps.add(run);
      void run.catch(() => undefined).finally(() => sweeps.delete(run));
      return run;
    },
    follow(events) {
      return events.subscribe((event) => {
        if (event.type !== 'recovery-point') return;
        // Points in flight (CREATING) have no snapshot yet: their file is written once they have one.
        if (event.to === 'CREATING') return;
        void queued(event, event.vaultName, `recovery point ${event.arn}`, () => writePoint(event, event.vaultName, event.arn));
      });
    },
    async idle() {
      stopped = true;
      await Promise.allSettled([...sweeps]);
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}
