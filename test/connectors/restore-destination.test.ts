/**
 * Where a restore goes: the restoring account's and region's restoreTargets entry (RDS: of the
 * point's engine), the resource's own server only at home, else a refusal naming the missing
 * entry; `Endpoint` set by the caller picks a place by name. What the restore creates is named
 * in the restoring account and region.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseResourceConfig } from '../../src/config/resource-config.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ConnectorError } from '../../src/connectors/connector.js';
import { restoreDestination } from '../../src/connectors/restore-destination.js';
import type { RestoreDestinationInput } from '../../src/connectors/restore-destination.js';

const PROD = '111111111111';
const BACKUP = '222222222222';
const DB_ARN = `arn:aws:rds:eu-central-1:${PROD}:db:orders`;
const TABLE_ARN = `arn:aws:dynamodb:eu-central-1:${PROD}:table/Orders`;

const config = parseConfig(
  `
accounts:
  - { id: "${PROD}", name: production }
  - { id: "${BACKUP}", name: backup }
regions: [{ name: eu-central-1 }, { name: eu-west-1 }]
restoreTargets:
  - { account: "${BACKUP}", region: eu-west-1, resourceType: RDS, url: "postgres://restorer@10.0.0.5:5433", passwordEnv: RESTORE_PG }
  - { account: "${BACKUP}", region: eu-west-1, resourceType: RDS, url: "postgres://restorer@10.0.0.6:5432" }
  - { account: "${BACKUP}", region: eu-west-1, resourceType: RDS, url: "mysql://root@10.0.0.7" }
  - { account: "${BACKUP}", region: eu-west-1, resourceType: DynamoDB, endpoint: "http://10.0.0.8:8000/" }
  - { account: "${BACKUP}", region: eu-west-1, resourceType: EFS, path: /srv/restores }
`,
  { baseDir: '/etc/coffer', env: { RESTORE_PG: 'pw' } },
);

const source: DatabaseResourceConfig = {
  type: 'RDS',
  arn: DB_ARN,
  accountId: PROD,
  region: 'eu-central-1',
  name: 'orders',
  tags: {},
  engine: 'postgres',
  host: '10.1.0.1',
  port: 5432,
  user: 'postgres',
  database: 'orders',
  password: undefined,
  kmsKeyId: undefined,
};
const recorded = { Engine: 'postgres', DBInstanceIdentifier: 'orders-restore-1', SourceDBName: 'orders', Endpoint: '10.1.0.1:5432' };

function input(over: Partial<RestoreDestinationInput>): RestoreDestinationInput {
  return {
    scope: { accountId: BACKUP, region: 'eu-west-1' },
    resourceType: 'RDS',
    resourceArn: DB_ARN,
    source,
    targets: config.restoreTargets,
    metadata: recorded,
    recorded,
    ...over,
  };
}

test('restoreTargets are read with their secrets and places', () => {
  assert.deepEqual(
    config.restoreTargets.map((t) => [t.type, t.at, t.type === 'RDS' ? `${t.engine} ${t.host}:${t.port}` : t.type === 'EFS' ? t.path : t.endpoint]),
    [
      ['RDS', 'restoreTargets[0]', 'postgres 10.0.0.5:5433'],
      ['RDS', 'restoreTargets[1]', 'postgres 10.0.0.6:5432'],
      ['RDS', 'restoreTargets[2]', 'mariadb 10.0.0.7:3306'],
      ['DynamoDB', 'restoreTargets[3]', 'http://10.0.0.8:8000'],
      ['EFS', 'restoreTargets[4]', '/srv/restores'],
    ],
  );
  const first = config.restoreTargets[0];
  assert.equal(first?.type === 'RDS' ? first.password?.secret.reveal() : undefined, 'pw');
});

test('a restore in the backup account and region goes to its first target of the engine, named there', () => {
  const to = restoreDestination(input({}));
  assert.equal(to.resource?.type, 'RDS');
  const db = to.resource as DatabaseResourceConfig;
  assert.deepEqual([db.host, db.port, db.user, db.accountId, db.region, db.database], ['10.0.0.5', 5433, 'restorer', BACKUP, 'eu-west-1', 'orders']);
  assert.equal(db.password?.secret.reveal(), 'pw');
  const maria = restoreDestination(input({ metadata: { ...recorded, Engine: 'mariadb' }, recorded: { ...recorded, Engine: 'mariadb' }, source: undefined }));
  assert.equal((maria.resource as DatabaseResourceConfig).host, '10.0.0.7');
});

test('Endpoint set by the caller picks a target; one that is not a target is refused naming the choices', () => {
  const to = restoreDestination(input({ metadata: { ...recorded, Endpoint: '10.0.0.6:5432' } }));
  assert.equal((to.resource as DatabaseResourceConfig).host, '10.0.0.6');
  assert.throws(
    () => restoreDestination(input({ metadata: { ...recorded, Endpoint: '10.9.9.9:5432' } })),
    (err: Error) => {
      assert.ok(err instanceof ConnectorError);
      assert.match(
        err.message,
        /^Metadata Endpoint 10\.9\.9\.9:5432 is not a restore target of account 222222222222 in eu-west-1 for RDS \(postgres\); use one of: 10\.0\.0\.5:5433 \(restoreTargets\[0\]\), 10\.0\.0\.6:5432 \(restoreTargets\[1\]\)/,
      );
      return true;
    },
  );
});

test("without a target: the own server at home, never another account's or region's", () => {
  const home = restoreDestination(input({ scope: { accountId: PROD, region: 'eu-central-1' } }));
  assert.equal(home.resource, source);
  for (const scope of [
    { accountId: PROD, region: 'eu-west-1' },
    { accountId: BACKUP, region: 'eu-central-1' },
  ]) {
    assert.throws(
      () => restoreDestination(input({ scope })),
      (err: Error) => {
        assert.match(
          err.message,
          new RegExp(
            `^No restore target for RDS \\(postgres\\) in account ${scope.accountId}, region ${scope.region}: the resource is in account ${PROD}, eu-central-1, and a restore never goes to another account's or region's server\\. Add one to the config \\(restoreTargets: - \\{ account: "${scope.accountId}", region: ${scope.region}, resourceType: RDS, url: "postgres://user@host:port" \\}\\)`,
          ),
        );
        return true;
      },
    );
  }
  assert.throws(
    () => restoreDestination(input({ scope: { accountId: PROD, region: 'eu-central-1' }, source: undefined })),
    /the source resource .* is no longer in the config/,
  );
});

test('DynamoDB goes to the endpoint target as a table of the restoring account', () => {
  const meta = { targetTableName: 'Orders-restore-1', sourceTableName: 'Orders' };
  const to = restoreDestination(input({ resourceType: 'DynamoDB', resourceArn: TABLE_ARN, source: undefined, metadata: meta, recorded: meta }));
  assert.deepEqual(to.resource?.type === 'DynamoDB' ? [to.resource.endpoint, to.resource.endpointRegion, to.resource.accountId, to.resource.table] : [], [
    'http://10.0.0.8:8000',
    'eu-west-1',
    BACKUP,
    'Orders',
  ]);
});

test('directories: below the target path; a chosen RestorePath anywhere the rules allow; the recorded one only at home', () => {
  const arn = `arn:aws:elasticfilesystem:eu-central-1:${PROD}:file-system/fs-1`;
  const meta = { RestorePath: '/srv/uploads-restore-1', SourcePath: '/srv/uploads' };
  const to = restoreDestination(input({ resourceType: 'EFS', resourceArn: arn, source: undefined, metadata: meta, recorded: meta }));
  assert.equal(to.metadata['RestorePath'], '/srv/restores/uploads-restore-1');
  assert.equal(to.root, '/srv/restores');
  const elsewhere = { accountId: PROD, region: 'eu-west-1' };
  assert.throws(
    () => restoreDestination(input({ scope: elsewhere, resourceType: 'EFS', resourceArn: arn, source: undefined, metadata: meta, recorded: meta })),
    /No restore target for EFS .*path: \/srv\/restores/,
  );
  const chosen = restoreDestination(
    input({ scope: elsewhere, resourceType: 'EFS', resourceArn: arn, source: undefined, metadata: { ...meta, RestorePath: '/data/x' }, recorded: meta }),
  );
  assert.equal(chosen.metadata['RestorePath'], '/data/x');
  assert.equal(
    restoreDestination(
      input({ scope: { accountId: PROD, region: 'eu-central-1' }, resourceType: 'EFS', resourceArn: arn, source: undefined, metadata: meta, recorded: meta }),
    ).metadata['RestorePath'],
    meta.RestorePath,
  );
});

test('bad restoreTargets entries are refused by path', () => {
  const head = `accounts: [{ id: "${PROD}", name: p }]\nregions: [{ name: eu-west-1 }]\n`;
  const problems = (entries: string): string => {
    try {
      parseConfig(`${head}restoreTargets:\n${entries}`, { baseDir: '/etc/coffer', env: {} });
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };
  assert.match(
    problems(`  - { account: "${PROD}", region: eu-west-1, resourceType: EC2 }\n`),
    /restoreTargets\[0\]\.resourceType: must be one of RDS, DynamoDB, S3, EFS/,
  );
  assert.match(
    problems(`  - { account: "${PROD}", region: eu-west-1, resourceType: RDS, endpoint: "http://x" }\n`),
    /restoreTargets\[0\]\.endpoint: is not a field of a RDS restore target/,
  );
  assert.match(problems(`  - { account: "333333333333", region: eu-west-1, resourceType: EFS, path: /srv/r }\n`), /account 333333333333 is not configured/);
  assert.match(problems(`  - { account: "${PROD}", region: eu-west-1, resourceType: RDS, url: "postgres://u:secretpw@h" }\n`), /must not hold a password/);
  assert.doesNotMatch(problems(`  - { account: "${PROD}", region: eu-west-1, resourceType: RDS, url: "postgres://u:secretpw@h" }\n`), /secretpw/);
  assert.match(
    problems(
      `  - { account: "${PROD}", region: eu-west-1, resourceType: EFS, path: /srv/r }\n  - { account: "${PROD}", region: eu-west-1, resourceType: EFS, path: /srv/r }\n`,
    ),
    /restoreTargets\[1\]: is the same target as restoreTargets\[0\]/,
  );
});
