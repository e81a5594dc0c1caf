/**
 * Settings: per account and region (resource type opt-in, resource type management preference)
 * and per account (global settings such as isCrossAccountBackupEnabled, a name-to-string map).
 * Puts merge: the names given change, the others stay, as AWS's Update*Settings do.
 */
import type { Selectable } from 'kysely';
import type { RegionSettingsTable } from './database.js';
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import { fromJsonText, toJsonText } from './json-text.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export type ResourceTypeFlags = Readonly<Record<string, boolean>>;

export interface RegionSettingsRecord {
  /** ResourceTypeOptInPreference, e.g. { EFS: true, RDS: false }; only types ever set. */
  readonly resourceTypeOptIn: ResourceTypeFlags;
  /** ResourceTypeManagementPreference, e.g. { DynamoDB: true }; only types ever set. */
  readonly resourceTypeManagement: ResourceTypeFlags;
  readonly updatedAt: EpochMillis;
}

export interface RegionSettingsUpdate {
  readonly resourceTypeOptIn?: ResourceTypeFlags;
  readonly resourceTypeManagement?: ResourceTypeFlags;
}

export interface GlobalSettingsRecord {
  readonly values: Readonly<Record<string, string>>;
  readonly updatedAt: EpochMillis;
}

export interface SettingsStore {
  /** Undefined when the scope never changed a setting (the domain applies AWS's defaults). */
  getRegionSettings(scope: CatalogScope): Promise<RegionSettingsRecord | undefined>;
  updateRegionSettings(scope: CatalogScope, update: RegionSettingsUpdate, at: EpochMillis): Promise<RegionSettingsRecord>;
  getGlobalSettings(accountId: string): Promise<GlobalSettingsRecord | undefined>;
  updateGlobalSettings(accountId: string, values: Readonly<Record<string, string>>, at: EpochMillis): Promise<GlobalSettingsRecord>;
}

export function createSettingsStore({ db }: StoreContext): SettingsStore {
  const readRegion = async (d: typeof db, scope: CatalogScope) => {
    const row = await d
      .selectFrom('region_settings')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toRegionSettings(row);
  };
  const readGlobal = async (d: typeof db, accountId: string) => {
    const rows = await d.selectFrom('global_settings').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
    if (rows.length === 0) return undefined;
    return { values: Object.fromEntries(rows.map((r) => [r.name, r.value])), updatedAt: Math.max(...rows.map((r) => r.updated_at)) };
  };

  return {
    getRegionSettings: (scope) => readRegion(db, scope),
    updateRegionSettings: (scope, update, at) =>
      inTransaction(db, async (trx) => {
        const current = await readRegion(trx, scope);
        const optIn = { ...current?.resourceTypeOptIn, ...update.resourceTypeOptIn };
        const management = { ...current?.resourceTypeManagement, ...update.resourceTypeManagement };
        const values = { resource_type_opt_in: toJsonText(optIn), resource_type_management: toJsonText(management), updated_at: at };
        await trx
          .insertInto('region_settings')
          .values({ account_id: scope.accountId, region: scope.region, ...values })
          .onConflict((oc) => oc.columns(['account_id', 'region']).doUpdateSet(values))
          .execute();
        return { resourceTypeOptIn: optIn, resourceTypeManagement: management, updatedAt: at };
      }),
    getGlobalSettings: (accountId) => readGlobal(db, accountId),
    updateGlobalSettings: (accountId, values, at) =>
      inTransaction(db, async (trx) => {
        for (const [name, value] of Object.entries(values)) {
          await trx
            .insertInto('global_settings')
            .values({ account_id: accountId, name, value, updated_at: at })
            .onConflict((oc) => oc.columns(['account_id', 'name']).doUpdateSet({ value, updated_at: at }))
            .execute();
        }
        return (await readGlobal(trx, accountId)) ?? { values: {}, updatedAt: at };
      }),
  };
}

function toRegionSettings(row: Selectable<RegionSettingsTable>): RegionSettingsRecord {
  return {
    resourceTypeOptIn: fromJsonText<{ [key: string]: boolean }>(row.resource_type_opt_in) ?? {},
    resourceTypeManagement: fromJsonText<{ [key: string]: boolean }>(row.resource_type_management) ?? {},
    updatedAt: row.updated_at,
  };
}
