/**
 * Backup plans and their selections kept in storage, so that `coffer recover` brings them back
 * (issue 14): one file per plan, in the storage root of every configured region (so that any one
 * region's storage is enough, as for the vaults copied there):
 *
 *   <region storage root>/.coffer/plans/<account>/<plan region>/<plan id>.sealed
 *
 * holding the plan as the catalog knows it (current version, every version, creation, last
 * execution), its selections and its tags; sealed under the root key with the account, region
 * and plan id bound in (sealed-file.ts). A deleted plan's file is removed. Names starting with a
 * dot are never taken for accounts or vaults (stored-vaults.ts), nor seen by restic.
 */
import type { PlanRecord, PlanVersionRecord } from '../catalog/plans.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { SelectionRecord } from '../catalog/selections.js';
import type { BlobStore } from '../storage/blob-store.js';
import { RECORDS_DIR } from './vault-records.js';
import { readSealed, writeSealed } from './sealed-file.js';

export interface PlanFile {
  readonly plan: PlanRecord;
  /** Every version, the current one too. */
  readonly versions: readonly PlanVersionRecord[];
  readonly selections: readonly SelectionRecord[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface StoredPlanId extends CatalogScope {
  readonly planId: string;
}

const PREFIX = `${RECORDS_DIR}/plans/`;
const nameOf = (id: StoredPlanId): string => `${PREFIX}${id.accountId}/${id.region}/${id.planId}.sealed`;
const aad = (id: StoredPlanId): Buffer => Buffer.from(`coffer-plan-record\u0000${id.accountId}\u0000${id.region}\u0000${id.planId}`, 'utf8');

/** The plan records in one region's storage (`store` rooted at the region's storage root). */
export class PlanRecords {
  constructor(
    private readonly store: BlobStore,
    private readonly rootKey: Buffer,
  ) {}

  get location(): string {
    return this.store.location;
  }

  write(file: PlanFile): Promise<void> {
    const { accountId, region, id } = file.plan;
    return writeSealed(this.store, this.rootKey, nameOf({ accountId, region, planId: id }), aad({ accountId, region, planId: id }), file);
  }

  read(id: StoredPlanId): Promise<PlanFile | undefined> {
    return readSealed<PlanFile>(this.store, this.rootKey, nameOf(id), aad(id));
  }

  remove(id: StoredPlanId): Promise<void> {
    return this.store.remove(nameOf(id));
  }

  /** Every plan file kept here. */
  async list(): Promise<readonly StoredPlanId[]> {
    const out: StoredPlanId[] = [];
    for (const blob of await this.store.list(PREFIX)) {
      const [accountId, region, file, ...rest] = blob.name.slice(PREFIX.length).split('/');
      if (accountId === undefined || region === undefined || file === undefined || rest.length > 0 || !file.endsWith('.sealed')) continue;
      out.push({ accountId, region, planId: file.slice(0, -'.sealed'.length) });
    }
    return out;
  }
}
