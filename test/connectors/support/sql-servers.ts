/**
 * The local PostgreSQL (127.0.0.1:5432, trust, user postgres) and MariaDB (127.0.0.1:3306, root,
 * empty password) the RDS connector tests use: run SQL, make unique database names, and build
 * resource configs for them. Tests create and drop their own databases.
 */
// test-needs: postgres, mariadb
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { DatabaseEngine, DatabaseResourceConfig } from '../../../src/config/resource-config.js';
import type { Secret } from '../../../src/config/secret.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Runs SQL on the local PostgreSQL and returns the unaligned, tuples-only output. */
export function pg(sql: string, database = 'postgres'): string {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-f', '-'], {
    input: sql,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

/** Runs SQL on the local MariaDB and returns the batch output without column names. */
export function maria(sql: string, database?: string): string {
  const r = spawnSync(
    'mariadb',
    [
      '--no-defaults',
      '--protocol=TCP',
      '-h',
      '127.0.0.1',
      '-P',
      '3306',
      '-u',
      'root',
      '--batch',
      '--skip-column-names',
      ...(database === undefined ? [] : [`--database=${database}`]),
    ],
    { input: sql, maxBuffer: 512 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`mariadb failed: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

export function dbResource(
  engine: DatabaseEngine,
  database: string,
  options: { port?: number; password?: Secret; name?: string } = {},
): DatabaseResourceConfig {
  const name = options.name ?? database.replace(/_/g, '-');
  return {
    type: 'RDS',
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${name}`,
    accountId: ACCOUNT,
    region: REGION,
    name,
    tags: {},
    engine,
    host: '127.0.0.1',
    port: options.port ?? (engine === 'postgres' ? 5432 : 3306),
    user: engine === 'postgres' ? 'postgres' : 'root',
    database,
    password: options.password === undefined ? undefined : { secret: options.password, source: { kind: 'env', name: 'TEST_DB_PASSWORD' } },
    kmsKeyId: undefined,
  };
}
