/** The Connector contract (support/connector-conformance.ts) for directories and both database engines. */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryResourceConfig } from '../../src/config/resource-config.js';
import { databaseConnector } from '../../src/connectors/database/database-connector.js';
import { directoryConnector } from '../../src/connectors/filesystem/directory-connector.js';
import { connectorConformance } from './support/connector-conformance.js';
import { ACCOUNT, dbResource, maria, pg, REGION, uniqueName } from './support/sql-servers.js';

let root: string | undefined;
const dirResource = (path: string): DirectoryResourceConfig => ({ type: 'EFS', arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-conf`, accountId: ACCOUNT, region: REGION, name: 'fs-conf', tags: {}, path });
connectorConformance('EFS directories', {
  connector: directoryConnector,
  async resource() {
    root ??= await mkdtemp(join(tmpdir(), 'coffer-conf-'));
    await mkdir(join(root, 'src/sub'), { recursive: true });
    await writeFile(join(root, 'src/sub/a.txt'), 'hello');
    return dirResource(join(root, 'src'));
  },
  unreadable: () => dirResource('/nonexistent/coffer/dir'),
  newTarget: () => ({ RestorePath: join(root!, uniqueName('restored')) }),
  existingTarget: (r) => ({ RestorePath: r.path }),
  targetExists: async (m) => (await stat(join(m['RestorePath']!, 'sub/a.txt')).catch(() => undefined)) !== undefined,
  cleanUp: async () => { if (root !== undefined) await rm(root, { recursive: true, force: true }); root = undefined; },
});

for (const engine of ['postgres', 'mariadb'] as const) {
  const run = engine === 'postgres' ? (sql: string, db?: string) => pg(sql, db) : (sql: string, db?: string) => maria(sql, db);
  const exists = (name: string) => engine === 'postgres' ? pg(`SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1'
    : maria(`SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`) === '1';
  const made: string[] = [];
  let source: string | undefined;
  connectorConformance(`RDS ${engine}`, {
    connector: databaseConnector,
    async resource() {
      if (source === undefined) {
        source = uniqueName(`coffer_conf_${engine}`);
        made.push(source);
        run(`CREATE DATABASE ${source}`);
        run('CREATE TABLE t (id INT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, \'ä\'), (2, \'b\');', source);
      }
      return dbResource(engine, source);
    },
    unreadable: () => dbResource(engine, 'coffer_conf_missing'),
    newTarget: () => {
      const name = uniqueName('coffer_conf_restored');
      made.push(name);
      return { DBInstanceIdentifier: name.replace(/_/g, '-'), DBName: name };
    },
    existingTarget: (r) => ({ DBName: r.database }),
    targetExists: async (m) => exists(m['DBName']!),
    cleanUp: async () => {
      for (const db of made.splice(0)) run(engine === 'postgres' ? `DROP DATABASE IF EXISTS ${db} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${db}`);
      source = undefined;
    },
  });
}
