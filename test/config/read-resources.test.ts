/**
 * `resources` entries of every type (EFS directories, RDS databases, DynamoDB tables, S3
 * buckets) and `discover` entries: what they load to, and the problems they report, with
 * secrets read from files or the environment and never shown.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parseConfig } from '../../src/config/load-config.js';
import { ACCOUNT, assertOneProblem, problems, withTempDir } from './config-fixture.js';

const REGION = 'regions: [{ name: eu-central-1 }]\n';
const res = (...entries: string[]) => `${ACCOUNT}${REGION}resources:\n${entries.map((e) => `  - ${e}\n`).join('')}`;
const DB = 'arn:aws:rds:eu-central-1:111111111111:db:orders-db';
const PASSWORD = 'db-password-0123456789';

describe('resources of every type', () => {
  test('an RDS database: url, engine from the scheme, password from a file or the environment', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'pw'), `${PASSWORD}\n`);
      const config = parseConfig(
        res(
          `{ arn: "${DB}", url: "postgres://backup@db.internal:6543/orders", passwordFile: pw, kmsKeyId: "arn:aws:kms:eu-central-1:111111111111:key/k1", tags: { backup: daily } }`,
          '{ arn: "arn:aws:rds:eu-central-1:111111111111:db:shop", url: "mysql://127.0.0.1/shop", engine: mariadb, passwordEnv: SHOP_PW }',
        ),
        { baseDir: dir, env: { SHOP_PW: 'from-env' } },
      );
      const [orders, shop] = config.resources;
      assert.ok(orders?.type === 'RDS' && shop?.type === 'RDS');
      assert.deepEqual(
        { ...orders, password: undefined },
        {
          type: 'RDS',
          arn: DB,
          name: 'orders-db',
          accountId: '111111111111',
          region: 'eu-central-1',
          tags: { backup: 'daily' },
          engine: 'postgres',
          host: 'db.internal',
          port: 6543,
          user: 'backup',
          database: 'orders',
          password: undefined,
          kmsKeyId: 'arn:aws:kms:eu-central-1:111111111111:key/k1',
        },
      );
      assert.equal(orders.password?.secret.reveal(), PASSWORD);
      assert.deepEqual(orders.password?.source, { kind: 'file', path: join(dir, 'pw') });
      assert.deepEqual(
        [shop.engine, shop.host, shop.port, shop.user, shop.database, shop.password?.secret.reveal()],
        ['mariadb', '127.0.0.1', 3306, 'root', 'shop', 'from-env'],
      );
      assert.ok(!inspect(config, { depth: 10 }).includes(PASSWORD) && !JSON.stringify(config).includes(PASSWORD));
    }));

  test('RDS problems name the field and never quote a URL', () => {
    assertOneProblem(
      res(`{ arn: "${DB}", url: "postgres://u:${PASSWORD}@h/db" }`),
      /^resources\[0\]\.url: must not hold a password; give it with passwordFile or passwordEnv$/,
    );
    assert.ok(
      !problems(res(`{ arn: "${DB}", url: "postgres://u:${PASSWORD}@h/db" }`))
        .join()
        .includes(PASSWORD),
    );
    assertOneProblem(res(`{ arn: "${DB}", url: "postgres://h" }`), /^resources\[0\]\.url: must name the database/);
    assertOneProblem(res(`{ arn: "${DB}", url: "oracle://h/db" }`), /^resources\[0\]\.url: must start with postgres:\/\//);
    assertOneProblem(
      res(`{ arn: "${DB}", url: "postgres://h/db", engine: mariadb }`),
      /^resources\[0\]\.engine: is mariadb but the url's scheme says postgres$/,
    );
    assertOneProblem(res(`{ arn: "${DB}", url: "postgres://h/db", password: x }`), /^resources\[0\]\.password: unknown field/);
    assertOneProblem(res(`{ arn: "${DB}", url: "postgres://h/db", passwordEnv: NOPE }`), /^resources\[0\]\.passwordEnv: environment variable NOPE is not set$/);
    assertOneProblem(res(`{ arn: "${DB}", url: "postgres://h/db", passwordEnv: A, passwordFile: b }`), /^resources\[0\]: password is given more than once/);
    assertOneProblem(
      res('{ arn: "arn:aws:rds:eu-central-1:111111111111:db:1bad", url: "postgres://h/db" }'),
      /^resources\[0\]\.arn: an RDS ARN must end in db:<id>/,
    );
  });

  test('DynamoDB tables and S3 buckets: endpoint, credentials, account and region for S3', () => {
    const config = parseConfig(
      res(
        '{ arn: "arn:aws:dynamodb:eu-central-1:111111111111:table/Orders", endpoint: "http://127.0.0.1:8000/", accessKeyId: AKIDEXAMPLE, secretAccessKeyEnv: DDB_SECRET }',
        '{ arn: "arn:aws:s3:::my-bucket", account: "111111111111", region: eu-central-1, endpoint: "http://127.0.0.1:9000", prefix: "photos/", tags: { team: web } }',
      ),
      { baseDir: '/', env: { DDB_SECRET: 'ddb-secret' } },
    );
    const [table, bucket] = config.resources;
    assert.ok(table?.type === 'DynamoDB' && bucket?.type === 'S3');
    assert.deepEqual(
      [table.table, table.endpoint, table.endpointRegion, table.credentials?.accessKeyId, table.credentials?.secretAccessKey.secret.reveal()],
      ['Orders', 'http://127.0.0.1:8000', 'eu-central-1', 'AKIDEXAMPLE', 'ddb-secret'],
    );
    assert.deepEqual(
      [bucket.bucket, bucket.prefix, bucket.accountId, bucket.region, bucket.forcePathStyle, bucket.credentials, bucket.tags],
      ['my-bucket', 'photos/', '111111111111', 'eu-central-1', true, undefined, { team: 'web' }],
    );
    assertOneProblem(
      res('{ arn: "arn:aws:s3:::my-bucket", endpoint: "http://h" }').replace('endpoint', 'account: "111111111111", endpoint'),
      /^resources\[0\]\.region: is required$/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:s3:eu-central-1::b", account: "111111111111", region: eu-central-1, endpoint: "http://h" }'),
      /^resources\[0\]\.arn: an S3 ARN names no region or account/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:dynamodb:eu-central-1:111111111111:table/Orders", endpoint: "http://h", accessKeyId: AKID }'),
      /^resources\[0\]: give both accessKeyId and one of secretAccessKey/,
    );
  });

  test('discover entries: a whole server, its name prefixing every ARN found', () => {
    const config = parseConfig(
      res(
        '{ discover: { name: pg-main, url: "postgres://postgres@127.0.0.1:5432", account: "111111111111", region: eu-central-1, tags: { backup: nightly } } }',
        '{ discover: { type: S3, name: minio, endpoint: "http://127.0.0.1:9000", account: "111111111111", region: eu-central-1 } }',
      ),
      { baseDir: '/', env: {} },
    );
    assert.deepEqual(config.resources, []);
    assert.deepEqual(
      config.discoveries.map((d) => [d.type, d.name, d.accountId, d.region, d.tags]),
      [
        ['RDS', 'pg-main', '111111111111', 'eu-central-1', { backup: 'nightly' }],
        ['S3', 'minio', '111111111111', 'eu-central-1', {}],
      ],
    );
    assertOneProblem(
      res('{ discover: { name: Bad_Name, url: "postgres://h", account: "111111111111", region: eu-central-1 } }'),
      /^resources\[0\]\.discover\.name: must be 1 to 31 lower-case letters/,
    );
    assertOneProblem(
      res('{ discover: { name: x, endpoint: "http://h", account: "111111111111", region: eu-central-1 } }'),
      /^resources\[0\]\.discover\.type: is required unless url names a database server/,
    );
    assertOneProblem(
      res('{ discover: { name: x, url: "postgres://h", account: "999999999999", region: eu-central-1 } }'),
      /^resources\[0\]\.discover\.account: account 999999999999 is not configured/,
    );
    assertOneProblem(
      res(
        '{ discover: { name: x, url: "postgres://h", account: "111111111111", region: eu-central-1 } }',
        '{ discover: { name: x, url: "mysql://h", account: "111111111111", region: eu-central-1 } }',
      ),
      /^resources\[1\]\.discover\.name: discovery x is already configured by resources\[0\]$/,
    );
  });
});
