/**
 * RDS-type resources: one database on a PostgreSQL or MariaDB server. Backup stores the engine's
 * dump files as files of one snapshot (`/<db>.pg_dump` + `/globals.sql`, or `/<db>.sql`), so a
 * plain `restic restore` gives files `pg_restore` or `mariadb` load by hand. Restore creates a
 * new database named by DBName or DBInstanceIdentifier on the source's server, never an existing
 * one, and drops it again when loading fails. Discovery lists a server's databases, each an ARN
 * `arn:aws:rds:<region>:<account>:db:<entry name>-<database>`.
 */
import { backupEntries, loadTreeNodes, readFile } from '../../vault/virtual-tree.js';
import { ConnectorError } from '../connector.js';
import type { Connector } from '../connector.js';
import type { DatabaseEngine, DatabaseResourceConfig } from '../../config/resource-config.js';
import { mariadbEngine } from '../mariadb/mariadb-engine.js';
import { postgresEngine } from '../postgres/postgres-engine.js';
import { checkRestoredPostgres } from '../postgres/restored-database.js';
import { describeTarget } from './database-engine.js';
import type { DatabaseEngineDriver } from './database-engine.js';
import { checkDatabaseMetadata, newDatabaseName } from './database-metadata.js';

const ENGINES: Readonly<Record<DatabaseEngine, DatabaseEngineDriver>> = { postgres: postgresEngine, mariadb: mariadbEngine };

/** A database name as an RDS-style id part: letters, digits and single hyphens. */
export function databaseIdPart(database: string): string {
  return database.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'db';
}

function instanceId(prefix: string, database: string): string {
  return `${prefix}-${databaseIdPart(database)}`.slice(0, 63).replace(/-+$/, '');
}

function marker(jobId: string): string {
  return `coffer: restore job ${jobId} in progress`;
}

function dbArn(resource: Pick<DatabaseResourceConfig, 'region' | 'accountId'>, id: string): string {
  return `arn:aws:rds:${resource.region}:${resource.accountId}:db:${id}`;
}

export const databaseConnector: Connector<'RDS'> = {
  type: 'RDS',

  async discover(source, signal) {
    const databases = await ENGINES[source.engine].listDatabases(source, signal);
    const byId = new Map<string, DatabaseResourceConfig>();
    for (const database of databases) {
      const name = instanceId(source.name, database);
      if (byId.has(name)) continue; // two names that differ only in punctuation: the first wins
      byId.set(name, {
        type: 'RDS',
        arn: dbArn(source, name),
        accountId: source.accountId,
        region: source.region,
        name,
        tags: source.tags,
        discoveredBy: source.name,
        engine: source.engine,
        host: source.host,
        port: source.port,
        user: source.user,
        database,
        password: source.password,
        kmsKeyId: source.kmsKeyId,
      });
    }
    return [...byId.values()];
  },

  async backup(resource, ctx) {
    const driver = ENGINES[resource.engine];
    const before = ctx.progress.bytes;
    const files = driver.dumpFiles(resource, resource.database, ctx.signal);
    const result = await backupEntries(
      ctx.repo,
      files.map((f) => ({ path: f.name, type: 'file' as const, open: f.open })),
      {
        ...ctx.snapshot,
        progress: ctx.progress,
        signal: ctx.signal,
        paths: ['/'],
        ...(ctx.parent === undefined ? {} : { parent: ctx.parent }),
      },
    );
    const point = { arn: ctx.recoveryPointArn, id: ctx.recoveryPointArn.split(':').pop() ?? '', createdAt: ctx.snapshot.time };
    return {
      snapshotId: result.snapshotId,
      sizeBytes: ctx.progress.bytes - before,
      storedBytes: result.stats.storedBytes,
      warnings: [],
      restoreMetadata: this.restoreMetadataDefaults(resource, point),
    };
  },

  restoreMetadataDefaults(resource, point) {
    const suffix = `-restore-${point.id
      .replace(/^recovery-point:/, '')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 8)
      .toLowerCase()}`;
    return {
      Engine: resource.engine,
      DBInstanceIdentifier: `${resource.name.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`,
      SourceDBInstanceIdentifier: resource.name,
      SourceDBName: resource.database,
      Endpoint: `${resource.host}:${resource.port}`,
    };
  },

  validateRestoreMetadata(metadata) {
    checkDatabaseMetadata(metadata);
  },

  async restore(ctx) {
    const resource = ctx.resource;
    if (resource === undefined) {
      throw new ConnectorError(
        'Refused',
        `the source database ${ctx.resourceArn} is no longer in the config, so Coffer does not know which server to restore to; add it (or its discovery entry) back.`,
      );
    }
    const engine = ctx.metadata['Engine'] ?? resource.engine;
    if (engine !== resource.engine)
      throw new ConnectorError('Refused', `Metadata Engine is ${engine}, but the source database runs ${resource.engine}; a restore keeps the engine.`);
    const driver = ENGINES[resource.engine];
    const database = newDatabaseName(ctx.metadata);
    const target = describeTarget(resource, database);
    const files = new Map<string, () => AsyncIterable<Uint8Array>>();
    for (const node of await loadTreeNodes(ctx.repo, ctx.snapshot.tree)) {
      if (node.type !== 'file') continue;
      files.set(node.name, () => counted(readFile(ctx.repo, node), ctx.progress));
    }
    await driver.createDatabase(resource, database, marker(ctx.jobId), ctx.signal);
    try {
      const { warnings } = await driver.load(resource, database, files, ctx.signal);
      return { bytes: ctx.progress.bytes, resultArn: dbArn(resource, ctx.metadata['DBInstanceIdentifier'] ?? database), warnings };
    } catch (err) {
      const dropped = await driver.dropDatabase(resource, database, undefined).then(
        () => 'the new database was dropped',
        (e: unknown) => `dropping the new database failed too (${e instanceof Error ? e.message : String(e)}); drop it by hand`,
      );
      const cause = err instanceof Error ? err.message : String(err);
      throw new ConnectorError(
        err instanceof ConnectorError ? err.kind : 'Failed',
        `Restore of ${ctx.resourceArn} into ${target} failed: ${cause}; ${dropped}.`,
        { cause: err },
      );
    }
  },

  // Restore testing: PostgreSQL row counts table by table; MariaDB's are not compared yet.
  async checkRestored(restored) {
    if (restored.resource?.engine === 'postgres') return checkRestoredPostgres(restored);
    return { ok: true, message: `${newDatabaseName(restored.metadata)} was restored; MariaDB row counts are not compared yet.` };
  },

  // Restore testing: a completed restore's database is dropped (no marker is left on it by then).
  async deleteRestored({ metadata, resource }) {
    if (resource === undefined) throw new ConnectorError('NotFound', 'the server the database was restored to is no longer configured');
    const database = newDatabaseName(metadata);
    await ENGINES[resource.engine].dropDatabase(resource, database, undefined);
    return `Database ${database} on ${describeTarget(resource)} was dropped.`;
  },

  async cleanUpInterruptedRestore({ metadata, resource, jobId }) {
    if (resource === undefined) return undefined;
    const database = newDatabaseName(metadata);
    const dropped = await ENGINES[resource.engine].dropDatabase(resource, database, marker(jobId));
    return dropped ? `The half-restored ${describeTarget(resource, database)} was dropped.` : undefined;
  },
};

async function* counted(source: AsyncIterable<Buffer>, progress: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const data of source) {
    progress.bytes += data.length;
    yield data;
  }
}
