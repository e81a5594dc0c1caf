/**
 * MariaDB / MySQL: `mariadb-dump --single-transaction` (one consistent snapshot of InnoDB
 * tables) with routines, triggers and events, as `<db>.sql` without a CREATE DATABASE or USE,
 * so it loads into a database of any name. Restore: CREATE DATABASE (refused when it exists),
 * then the dump piped into `mariadb --database=<new>`. `--no-defaults` keeps local option files
 * out; the password goes through MYSQL_PWD. `mysqldump` / `mysql` are used when the MariaDB
 * names are not installed.
 */
import { ConnectorError } from '../connector.js';
import { describeTarget } from '../database/database-engine.js';
import type { DatabaseEngineDriver, DatabaseServer, DumpFile } from '../database/database-engine.js';
import { toolInput, toolOutput, toolStream } from '../database/run-tool.js';
import type { ToolRun } from '../database/run-tool.js';

const SYSTEM_SCHEMAS = new Set(['information_schema', 'performance_schema', 'mysql', 'sys']);

function connection(server: DatabaseServer): string[] {
  return ['--no-defaults', '--protocol=TCP', `--host=${server.host}`, `--port=${server.port}`, `--user=${server.user}`, '--default-character-set=utf8mb4'];
}

function env(server: DatabaseServer): Record<string, string> {
  return server.password === undefined ? {} : { MYSQL_PWD: server.password.secret.reveal() };
}

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Runs `run` with the MariaDB tool name, then the MySQL one if the first is not installed. */
async function withFallback<T>(names: readonly [string, string], run: (tool: string) => Promise<T>): Promise<T> {
  try {
    return await run(names[0]);
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'ToolMissing') return run(names[1]);
    throw err;
  }
}

async function sql(server: DatabaseServer, text: string, what: string, signal?: AbortSignal, database?: string): Promise<string> {
  const args = [...connection(server), '--batch', '--skip-column-names', ...(database === undefined ? [] : [`--database=${database}`])];
  return withFallback(['mariadb', 'mysql'], (tool) => toolOutput({ tool, args, env: env(server), what, signal }, text));
}

async function* dumpStream(run: Omit<ToolRun, 'tool'>): AsyncGenerator<Buffer> {
  let started = false;
  try {
    for await (const chunk of toolStream({ ...run, tool: 'mariadb-dump' })) {
      started = true;
      yield chunk;
    }
  } catch (err) {
    if (started || !(err instanceof ConnectorError && err.kind === 'ToolMissing')) throw err;
    yield* toolStream({ ...run, tool: 'mysqldump' });
  }
}

export const mariadbEngine: DatabaseEngineDriver = {
  engine: 'mariadb',

  async listDatabases(server, signal) {
    const out = await sql(server, 'SHOW DATABASES;', `listing the databases of ${describeTarget(server)}`, signal);
    return out
      .split('\n')
      .filter((l) => l !== '' && !SYSTEM_SCHEMAS.has(l))
      .sort();
  },

  dumpName(database) {
    return `${database}.sql`;
  },

  dumpFiles(server, database, signal): readonly DumpFile[] {
    if (database.startsWith('-')) throw new ConnectorError('Failed', `database name ${JSON.stringify(database)} cannot be dumped (it starts with -)`);
    const args = [
      ...connection(server),
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      '--skip-dump-date',
      '--no-tablespaces',
      database,
    ];
    return [
      {
        name: this.dumpName(database),
        open: () => dumpStream({ args, env: env(server), what: `mariadb-dump of ${describeTarget(server, database)}`, signal }),
      },
    ];
  },

  async createDatabase(server, database, marker, signal) {
    const what = `creating ${describeTarget(server, database)}`;
    const refused = new ConnectorError(
      'Refused',
      `${describeTarget(server, database)} already exists; Coffer never restores over an existing database. Choose another DBInstanceIdentifier (or DBName).`,
    );
    const exists = await sql(server, `SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${quoteLiteral(database)};`, what, signal);
    if (exists.trim() !== '') throw refused;
    try {
      await sql(server, `CREATE DATABASE ${quoteIdent(database)} CHARACTER SET utf8mb4 COMMENT ${quoteLiteral(marker)};`, what, signal);
    } catch (err) {
      throw err instanceof ConnectorError && err.kind === 'Refused' ? refused : err;
    }
  },

  async load(server, database, files, signal) {
    const target = describeTarget(server, database);
    const dump = [...files.entries()].find(([name]) => name.endsWith('.sql'))?.[1];
    if (dump === undefined) throw new ConnectorError('Failed', `the recovery point holds no .sql dump to restore into ${target}`);
    const args = [...connection(server), `--database=${database}`, '--binary-mode'];
    await withFallback(['mariadb', 'mysql'], (tool) => toolInput({ tool, args, env: env(server), what: `loading the dump into ${target}`, signal }, dump()));
    await sql(server, `ALTER DATABASE ${quoteIdent(database)} COMMENT '';`, `finishing ${target}`, signal);
    return { warnings: [] };
  },

  async dropDatabase(server, database, marker) {
    const what = `dropping ${describeTarget(server, database)}`;
    if (marker !== undefined) {
      const comment = await sql(server, `SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${quoteLiteral(database)};`, what);
      if (comment.trim() !== marker) return false;
    }
    await sql(server, `DROP DATABASE IF EXISTS ${quoteIdent(database)};`, what);
    return true;
  },
};
