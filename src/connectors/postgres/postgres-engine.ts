/**
 * PostgreSQL: `pg_dump --format=custom --compress=0` (one consistent snapshot; uncompressed so
 * the vault's chunking dedups unchanged rows across backups) as `<db>.pg_dump`, plus
 * `pg_dumpall --globals-only --no-role-passwords` as `globals.sql` (the roles that own objects
 * and hold grants). Restore: CREATE DATABASE (refused when it exists), the roles the server
 * lacks (existing roles are never altered; new ones have no password), then `pg_restore
 * --single-transaction --exit-on-error` reading the dump from a pipe.
 * Connection settings go through PG* environment variables, the password as PGPASSWORD.
 */
import { ConnectorError } from '../connector.js';
import { describeTarget } from '../database/database-engine.js';
import type { DatabaseEngineDriver, DatabaseServer, DumpFile } from '../database/database-engine.js';
import { toolInput, toolOutput, toolStream } from '../database/run-tool.js';
import { missingRoleStatements } from './globals-script.js';

const GLOBALS = 'globals.sql';
const MAINTENANCE_DB = 'postgres';

/** The libpq environment of a psql / pg_dump / pg_restore run against `database` (the password only here). */
export function env(server: DatabaseServer, database: string): Record<string, string> {
  return {
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGDATABASE: database,
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: 'coffer',
    ...(server.password === undefined ? {} : { PGPASSWORD: server.password.secret.reveal() }),
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Runs SQL on `database` with psql; returns the unaligned, tuples-only output. */
export async function psql(server: DatabaseServer, database: string, sql: string, what: string, signal?: AbortSignal): Promise<string> {
  return toolOutput({ tool: 'psql', args: ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-f', '-'], env: env(server, database), what, signal }, sql);
}

export const postgresEngine: DatabaseEngineDriver = {
  engine: 'postgres',

  async listDatabases(server, signal) {
    const out = await psql(
      server,
      MAINTENANCE_DB,
      'SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname;',
      `listing the databases of ${describeTarget(server)}`,
      signal,
    );
    return out.split('\n').filter((l) => l !== '');
  },

  dumpName(database) {
    return `${database}.pg_dump`;
  },

  dumpFiles(server, database, signal): readonly DumpFile[] {
    const what = `pg_dump of ${describeTarget(server, database)}`;
    return [
      {
        name: this.dumpName(database),
        open: () => toolStream({ tool: 'pg_dump', args: ['--format=custom', '--compress=0', '--no-password'], env: env(server, database), what, signal }),
      },
      {
        name: GLOBALS,
        open: () =>
          toolStream({
            tool: 'pg_dumpall',
            args: ['--globals-only', '--no-role-passwords', '--no-password'],
            env: env(server, MAINTENANCE_DB),
            what: `pg_dumpall of the roles of ${describeTarget(server)}`,
            signal,
          }),
      },
    ];
  },

  async createDatabase(server, database, marker, signal) {
    const what = `creating ${describeTarget(server, database)}`;
    const exists = await psql(server, MAINTENANCE_DB, `SELECT 1 FROM pg_database WHERE datname = ${quoteLiteral(database)};`, what, signal);
    if (exists.trim() !== '')
      throw new ConnectorError(
        'Refused',
        `${describeTarget(server, database)} already exists; Coffer never restores over an existing database. Choose another DBInstanceIdentifier (or DBName).`,
      );
    try {
      await psql(
        server,
        MAINTENANCE_DB,
        `CREATE DATABASE ${quoteIdent(database)} TEMPLATE template0;\nCOMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(marker)};\n`,
        what,
        signal,
      );
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'Refused') {
        throw new ConnectorError(
          'Refused',
          `${describeTarget(server, database)} already exists; Coffer never restores over an existing database. Choose another DBInstanceIdentifier (or DBName).`,
        );
      }
      throw err;
    }
  },

  async load(server, database, files, signal) {
    const target = describeTarget(server, database);
    const warnings: string[] = [];
    const globals = files.get(GLOBALS);
    if (globals !== undefined) {
      let script = '';
      for await (const data of globals()) script += Buffer.from(data).toString('utf8');
      const existing = new Set(
        (await psql(server, MAINTENANCE_DB, 'SELECT rolname FROM pg_roles;', `reading the roles of ${describeTarget(server)}`, signal))
          .split('\n')
          .filter((l) => l !== ''),
      );
      const { sql, created } = missingRoleStatements(script, existing);
      if (sql !== '') {
        await psql(server, MAINTENANCE_DB, sql, `creating roles on ${describeTarget(server)}`, signal);
        warnings.push(`Created ${created.length} missing roles without passwords (${created.join(', ')}); set their passwords before they log in.`);
      }
    }
    const dump = [...files.entries()].find(([name]) => name.endsWith('.pg_dump'))?.[1];
    if (dump === undefined) throw new ConnectorError('Failed', `the recovery point holds no .pg_dump file to restore into ${target}`);
    await toolInput(
      {
        tool: 'pg_restore',
        args: ['--dbname', database, '--single-transaction', '--exit-on-error', '--no-tablespaces', '--no-password'],
        env: env(server, database),
        what: `pg_restore into ${target}`,
        signal,
      },
      dump(),
    );
    await psql(server, MAINTENANCE_DB, `COMMENT ON DATABASE ${quoteIdent(database)} IS NULL;`, `finishing ${target}`, signal);
    return { warnings };
  },

  async dropDatabase(server, database, marker) {
    const what = `dropping ${describeTarget(server, database)}`;
    if (marker !== undefined) {
      const comment = await psql(
        server,
        MAINTENANCE_DB,
        `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ${quoteLiteral(database)};`,
        what,
      );
      if (comment.trim() !== marker) return false;
    }
    await psql(server, MAINTENANCE_DB, `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE);`, what);
    return true;
  },
};
