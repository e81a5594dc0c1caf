/**
 * The materials that rotations gave a KMS key (the original stays on the key's row). A rotation
 * adds its material and makes it the key's current one in one transaction, so a crash leaves
 * either the old current material or the new, never a current id without its material.
 */
import type { Selectable } from 'kysely';
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import { keyChangeColumns } from './kms-keys.js';
import type { KmsKeyChanges } from './kms-keys.js';
import type { KmsKeyMaterialsTable } from './kms-tables.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface KmsKeyMaterialRecord {
  readonly materialId: string;
  /** Sealed under the root key; opaque here. */
  readonly wrappedMaterial: string;
  readonly rotationType: string;
  readonly createdAt: EpochMillis;
}

export interface KmsKeyMaterialStore {
  /**
   * Adds `material` to the key and applies `keyChanges` (its new current material id, next
   * rotation) atomically. With `expectedNextRotationAt`, only while the key's next rotation is
   * still that (two nodes never both rotate a key for one due date); returns whether it rotated.
   */
  rotate(scope: CatalogScope, keyId: string, material: KmsKeyMaterialRecord, keyChanges: KmsKeyChanges, expectedNextRotationAt?: EpochMillis): Promise<boolean>;
  get(scope: CatalogScope, keyId: string, materialId: string): Promise<KmsKeyMaterialRecord | undefined>;
  /** Oldest first. */
  list(scope: CatalogScope, keyId: string, page?: PageRequest): Promise<Page<KmsKeyMaterialRecord>>;
  /** How many rotations of `rotationType` the key has had. */
  count(scope: CatalogScope, keyId: string, rotationType: string): Promise<number>;
}

function toRecord(row: Selectable<KmsKeyMaterialsTable>): KmsKeyMaterialRecord {
  return { materialId: row.material_id, wrappedMaterial: row.wrapped_material, rotationType: row.rotation_type, createdAt: row.created_at };
}

export function createKmsKeyMaterialStore({ db }: StoreContext): KmsKeyMaterialStore {
  const ofKey = (scope: CatalogScope, keyId: string) =>
    db.selectFrom('kms_key_materials').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('key_id', '=', keyId);
  return {
    rotate: (scope, keyId, material, keyChanges, expectedNextRotationAt) =>
      inTransaction(db, async (trx) => {
        const updated = await trx
          .updateTable('kms_keys')
          .set(keyChangeColumns(keyChanges))
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('key_id', '=', keyId)
          .$if(expectedNextRotationAt !== undefined, (q) => q.where('next_rotation_at', '=', expectedNextRotationAt!))
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return false;
        await trx
          .insertInto('kms_key_materials')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            key_id: keyId,
            material_id: material.materialId,
            wrapped_material: material.wrappedMaterial,
            rotation_type: material.rotationType,
            created_at: material.createdAt,
          })
          .execute();
        return true;
      }),
    async get(scope, keyId, materialId) {
      const row = await ofKey(scope, keyId).where('material_id', '=', materialId).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async list(scope, keyId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('kms_key_materials', page, 2);
      const rows = await ofKey(scope, keyId)
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'material_id'], after!, 'asc')))
        .orderBy('created_at')
        .orderBy('material_id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'kms_key_materials', (r) => [r.created_at, r.material_id], toRecord);
    },
    async count(scope, keyId, rotationType) {
      const row = await db
        .selectFrom('kms_key_materials')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('key_id', '=', keyId)
        .where('rotation_type', '=', rotationType)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
