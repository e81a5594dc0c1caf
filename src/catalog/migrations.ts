/**
 * The catalog's migrations, in code (no files read at run time, so the bundled CLI carries
 * them). Names sort in the order they apply; a released migration is never edited, only
 * followed by a new one.
 */
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initialSchema from './migrations/0001-initial-schema.js';
import * as vaultStorageLocation from './migrations/0002-vault-storage-location.js';
import * as repositoryKeys from './migrations/0003-repository-keys.js';
import * as schedulerState from './migrations/0004-scheduler-state.js';
import * as kms from './migrations/0005-kms.js';
import * as legalHolds from './migrations/0007-legal-holds.js';
import * as coldStorage from './migrations/0008-cold-storage.js';
import * as iam from './migrations/0020-iam.js';
import * as notificationOutbox from './migrations/0030-notification-outbox.js';
import * as recoveryPointIndexes from './migrations/0031-recovery-point-indexes.js';
import * as searchJobs from './migrations/0032-search-jobs.js';
import * as oneJobPerScheduledRun from './migrations/0040-one-job-per-scheduled-run.js';
import * as maintenanceLeases from './migrations/0041-maintenance-leases.js';
import * as audit from './migrations/0080-audit.js';
import * as jobMessageCategory from './migrations/0090-job-message-category.js';
import * as restoreTesting from './migrations/0085-restore-testing.js';
import * as jobAndPointDetails from './migrations/0091-job-and-point-details.js';
import * as kmsKeyMaterials from './migrations/0095-kms-key-materials.js';
import type { Database } from './database.js';
import type { CatalogDialect } from './dialect.js';

const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-vault-storage-location': vaultStorageLocation,
  '0003-repository-keys': repositoryKeys,
  '0005-kms': kms,
  '0004-scheduler-state': schedulerState,
  '0007-legal-holds': legalHolds,
  '0008-cold-storage': coldStorage,
  '0020-iam': iam,
  '0030-notification-outbox': notificationOutbox,
  '0031-recovery-point-indexes': recoveryPointIndexes,
  '0032-search-jobs': searchJobs,
  '0040-one-job-per-scheduled-run': oneJobPerScheduledRun,
  '0041-maintenance-leases': maintenanceLeases,
  '0080-audit': audit,
  '0090-job-message-category': jobMessageCategory,
  '0085-restore-testing': restoreTesting,
  '0091-job-and-point-details': jobAndPointDetails,
  '0095-kms-key-materials': kmsKeyMaterials,
};

/** Every migration's name, in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/** Any constant of this catalog's own: the advisory lock nodes migrate under, one at a time. */
const MIGRATION_LOCK_KEY = 0x636f66666572; // "coffer"

/**
 * Applies every pending migration; throws with the failing migration's name. On PostgreSQL many
 * nodes may start at once: each holds a session advisory lock while it migrates (Kysely's own
 * lock row needs its tables to exist first, and creating those races between nodes).
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: CatalogDialect): Promise<void> {
  if (dialect.name !== 'postgres') return migrate(db);
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await migrate(conn);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'catalog_migrations', migrationLockTableName: 'catalog_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration table';
  throw new Error(`catalog migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
