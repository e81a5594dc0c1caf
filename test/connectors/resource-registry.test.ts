/**
 * The resource registry: configured resources plus what discovery entries find on the local
 * PostgreSQL; a database created later is found on lookup; a server that cannot be listed is
 * reported once and does not hide the configured resources.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseDiscoveryConfig } from '../../src/config/resource-config.js';
import { createResourceRegistry } from '../../src/connectors/resource-registry.js';
import { ACCOUNT, dbResource, pg, REGION, uniqueName } from './support/sql-servers.js';

const discovery = (name: string, port = 5432): DatabaseDiscoveryConfig => ({
  type: 'RDS',
  name,
  accountId: ACCOUNT,
  region: REGION,
  tags: { found: 'yes' },
  engine: 'postgres',
  host: '127.0.0.1',
  port,
  user: 'postgres',
  password: undefined,
  kmsKeyId: undefined,
});

describe('resource registry', () => {
  const later = uniqueName('coffer_reg');
  after(() => pg(`DROP DATABASE IF EXISTS ${later}`));

  test('configured and discovered resources; new databases are found on lookup; failures warn once', async () => {
    const warnings: string[] = [];
    const fixed = dbResource('postgres', 'postgres', { name: 'pg-postgres' });
    const registry = createResourceRegistry(
      [{ ...fixed, arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:pg-postgres`, tags: { mine: 'yes' } }],
      [discovery('pg'), discovery('down', 1)],
      { warn: (l) => warnings.push(l), refreshMs: 60_000 },
    );
    await registry.refresh();
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /^coffer: discovery down failed, keeping what it found before: listing the databases of server 127\.0\.0\.1:1: the server cannot be reached/,
    );
    const listed = await registry.list({ accountId: ACCOUNT, region: REGION });
    assert.deepEqual(listed.find((r) => r.arn.endsWith(':db:pg-postgres'))?.tags, { mine: 'yes' }, 'the configured resource wins over the discovered one');
    assert.deepEqual(await registry.list({ accountId: '999999999999', region: REGION }), []);

    pg(`CREATE DATABASE ${later}`);
    const arn = `arn:aws:rds:${REGION}:${ACCOUNT}:db:pg-${later.replace(/_/g, '-')}`;
    const found = await registry.get(arn);
    assert.ok(found?.type === 'RDS');
    assert.equal(found.database, later);
    assert.deepEqual(found.tags, { found: 'yes' });
    assert.equal(await registry.get(`arn:aws:rds:${REGION}:${ACCOUNT}:db:pg-nothing`), undefined);
    assert.equal(warnings.length, 1, 'a failing server is reported once, not on every refresh');
  });
});
