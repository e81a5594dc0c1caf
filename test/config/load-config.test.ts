/**
 * The deployment config: the documented example loads as documented, every field has its
 * default, secrets come from files and the environment and never show in messages, and each
 * kind of invalid field is refused with its path and the reason.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/config/config-error.js';
import { EMBEDDED_DEFAULT_YAML } from '../../src/config/defaults.js';
import { loadConfig, parseConfig } from '../../src/config/load-config.js';
import { ACCOUNT, assertOneProblem, problems, withTempDir } from './config-fixture.js';

const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';

const EXAMPLE = `
listen: 127.0.0.1:4100
dataDir: ./data
catalog: sqlite
organization: { managementAccount: "111111111111" }
accounts:
  - id: "111111111111"
    name: production
    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: ${SECRET} }]
  - id: "222222222222"
    name: backup
    accessKeys:
      - { id: AKIABACKUP0000000001, secretFile: secrets/backup-key }
      - { id: AKIABACKUP0000000002, secretEnv: COFFER_BACKUP_SECRET }
regions:
  - { name: eu-central-1, storage: "file:./data/vaults/eu-central-1" }
  - { name: eu-west-1,    storage: "file:/mnt/other-disk/vaults" }
resources:
  - arn: arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-uploads
    path: /srv/uploads
    tags: { backup: daily }
  - arn: arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-reports
    path: reports
`;

describe('a valid config', () => {
  test("loads the documented example with paths resolved against the file's directory", () =>
    withTempDir(async (dir) => {
      await mkdir(join(dir, 'secrets'));
      await writeFile(join(dir, 'secrets', 'backup-key'), 'fileSecret0123456789abcdefghijklmnopqrs\n');
      await writeFile(join(dir, 'coffer.yaml'), EXAMPLE);
      const config = await loadConfig('coffer.yaml', { cwd: dir, env: { COFFER_BACKUP_SECRET: 'envSecret0123456789abcdefghijklmnopqrst' } });
      assert.equal(config.source, join(dir, 'coffer.yaml'));
      assert.deepEqual(config.listen, { host: '127.0.0.1', port: 4100 });
      assert.equal(config.dataDir, join(dir, 'data'));
      assert.deepEqual(config.catalog, { kind: 'sqlite', file: join(dir, 'data', 'catalog.sqlite') });
      assert.equal(config.organization?.managementAccount, '111111111111');
      assert.match(config.organization?.id ?? '', /^o-[a-z0-9]{10}$/);
      assert.deepEqual(
        config.accounts.map((a) => [a.id, a.name, a.accessKeys.map((k) => k.id)]),
        [
          ['111111111111', 'production', ['AKIAIOSFODNN7EXAMPLE']],
          ['222222222222', 'backup', ['AKIABACKUP0000000001', 'AKIABACKUP0000000002']],
        ],
      );
      const [inline, fromFile, fromEnv] = config.accounts.flatMap((a) => a.accessKeys);
      assert.equal(inline?.secret.reveal(), SECRET);
      assert.deepEqual(inline?.source, { kind: 'inline' });
      assert.equal(fromFile?.secret.reveal(), 'fileSecret0123456789abcdefghijklmnopqrs', 'the trailing newline is not part of the secret');
      assert.deepEqual(fromFile?.source, { kind: 'file', path: join(dir, 'secrets', 'backup-key') });
      assert.equal(fromEnv?.secret.reveal(), 'envSecret0123456789abcdefghijklmnopqrst');
      assert.deepEqual(fromEnv?.source, { kind: 'env', name: 'COFFER_BACKUP_SECRET' });
      assert.deepEqual(config.regions, [
        { name: 'eu-central-1', storage: { kind: 'file', path: join(dir, 'data', 'vaults', 'eu-central-1') } },
        { name: 'eu-west-1', storage: { kind: 'file', path: '/mnt/other-disk/vaults' } },
      ]);
      assert.deepEqual(config.resources, [
        {
          type: 'EFS',
          arn: 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-uploads',
          accountId: '111111111111',
          region: 'eu-central-1',
          name: 'fs-uploads',
          path: '/srv/uploads',
          tags: { backup: 'daily' },
        },
        {
          type: 'EFS',
          arn: 'arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-reports',
          accountId: '222222222222',
          region: 'eu-west-1',
          name: 'fs-reports',
          path: join(dir, 'reports'),
          tags: {},
        },
      ]);
    }));

  test('secrets print as [secret] however the config is logged', () => {
    const config = parseConfig(ACCOUNT, { baseDir: '/etc/coffer', env: {} });
    assert.ok(!inspect(config, { depth: 10 }).includes(SECRET));
    assert.ok(!JSON.stringify(config).includes(SECRET));
    assert.ok(!String(config.accounts[0]!.accessKeys[0]!.secret).includes(SECRET));
    assert.match(JSON.stringify(config), /"secret":"\[secret\]"/);
  });

  test('accepts IPv6 listen addresses, port 0, file:// URLs and sqlite:<file>', () => {
    const config = parseConfig(
      `listen: "[::1]:0"\ncatalog: sqlite:/var/lib/coffer/db.sqlite\nregions: [{ name: us-gov-west-1, storage: "file:///srv/vaults" }]\n`,
      { baseDir: '/etc/coffer', env: {} },
    );
    assert.deepEqual(config.listen, { host: '::1', port: 0 });
    assert.deepEqual(config.catalog, { kind: 'sqlite', file: '/var/lib/coffer/db.sqlite' });
    assert.deepEqual(config.regions, [{ name: 'us-gov-west-1', storage: { kind: 'file', path: '/srv/vaults' } }]);
  });
});

describe('defaults', () => {
  test('no config file gives the embedded default, relative to the working directory', async () => {
    const config = await loadConfig(undefined, { cwd: '/opt/coffer', env: {} });
    assert.deepEqual(config, {
      source: undefined,
      listen: { host: '127.0.0.1', port: 4100 },
      dataDir: '/opt/coffer/data',
      catalog: { kind: 'sqlite', file: '/opt/coffer/data/catalog.sqlite' },
      organization: undefined,
      accounts: [{ id: '000000000000', name: 'default', accessKeys: [] }],
      regions: [{ name: 'us-east-1', storage: { kind: 'file', path: '/opt/coffer/data/vaults/us-east-1' } }],
      resources: [],
      discoveries: [],
      restoreRoots: [],
      restoreTargets: [],
      rootKeyFile: undefined,
      notifications: { topics: [], smtp: undefined, retry: { maxAttempts: 12, firstRetrySeconds: 5, maxRetrySeconds: 1800 } },
      metrics: { public: false, token: undefined },
      log: { format: 'auto', level: 'info' },
      reports: { location: { kind: 'file', path: '/opt/coffer/data/reports' }, buckets: [] },
    });
  });

  test('the embedded default YAML, an empty file and a file of empty lists all mean the same', async () => {
    const none = await loadConfig(undefined, { cwd: '/etc/coffer', env: {} });
    for (const text of [EMBEDDED_DEFAULT_YAML, '', '# nothing\n', 'accounts: []\nregions: []\nresources: []\n']) {
      assert.deepEqual(parseConfig(text, { baseDir: '/etc/coffer', env: {} }), none, JSON.stringify(text));
    }
  });

  test('each field left out takes its default: dataDir moves the catalog and vaults along', () => {
    const config = parseConfig('dataDir: /var/lib/coffer\nregions: [{ name: eu-west-1 }]\naccounts: [{ id: "123456789012" }]\n', {
      baseDir: '/etc/coffer',
      env: {},
    });
    assert.deepEqual(config.catalog, { kind: 'sqlite', file: '/var/lib/coffer/catalog.sqlite' });
    assert.deepEqual(config.regions, [{ name: 'eu-west-1', storage: { kind: 'file', path: '/var/lib/coffer/vaults/eu-west-1' } }]);
    assert.deepEqual(config.accounts, [{ id: '123456789012', name: 'account-123456789012', accessKeys: [] }]);
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 4100 });
  });
});

describe("invalid config is refused with the field's path and why", () => {
  test('the message names the file and every problem at once', () => {
    assert.throws(
      () => parseConfig('listen: nope\ndataDir: ""\n', { baseDir: '/etc/coffer', source: '/etc/coffer/coffer.yaml', env: {} }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /^invalid config \/etc\/coffer\/coffer\.yaml \(2 problems\):\n {2}listen: must be host:port/);
        assert.match(err.message, /\n {2}dataDir: must name a directory$/);
        return true;
      },
    );
  });

  test('a config file that cannot be read', () =>
    withTempDir(async (dir) => {
      await assert.rejects(loadConfig(join(dir, 'missing.yaml')), /cannot read .*missing\.yaml: ENOENT/);
    }));

  test('YAML syntax errors and duplicate keys, with their line', () => {
    assertOneProblem('listen: 127.0.0.1:4100\nregions: [\n', /^YAML syntax error at line \d+, column \d+/);
    assertOneProblem('listen: 127.0.0.1:4100\nlisten: 127.0.0.1:4101\n', /^YAML syntax error at line 2, column 1: Map keys must be unique/);
    assertOneProblem('- a\n- b\n', /^the config must be a mapping, got a list$/);
  });

  test('unknown fields, with a suggestion', () => {
    assertOneProblem('dataDIr: ./data\n', /^dataDIr: unknown field \(did you mean dataDir\?\)$/);
    assertOneProblem('regions: [{ name: eu-west-1, storag: "file:x" }]\n', /^regions\[0\]\.storag: unknown field \(did you mean storage\?\)$/);
    assertOneProblem(
      'organization: { managementAccount: "000000000000", extra: 1 }\n',
      /^organization\.extra: unknown field \(known fields: id, managementAccount\)$/,
    );
  });

  test('listen', () => {
    assertOneProblem('listen: 4100\n', /^listen: must be a string, got number 4100; put it in quotes$/);
    assertOneProblem('listen: localhost\n', /^listen: must be host:port/);
    assertOneProblem('listen: 127.0.0.1:70000\n', /^listen: port must be a number from 0 to 65535, got "70000"$/);
    assertOneProblem('listen: "bad host!:4100"\n', /^listen: host "bad host!" is not an IP address or host name$/);
    assertOneProblem('listen: "::1:4100"\n', /^listen: must be host:port/);
    assertOneProblem('listen: 999.1.1.1:4100\n', /^listen: host "999.1.1.1" is not an IP address/);
  });

  test('catalog, without quoting a database URL that may hold a password (more in catalog-config.test.ts)', () => {
    const found = problems('catalog: postgres://coffer:hunter2@db\n');
    assert.deepEqual(found, ['catalog: must name a database: postgres://USER@HOST:PORT/DB']);
  });

  test('accounts: ids, names and uniqueness', () => {
    assertOneProblem('accounts: [{ id: 111111111111 }]\n', /^accounts\[0\]\.id: must be a string, got number 111111111111; put it in quotes$/);
    assertOneProblem('accounts: [{ id: "12345" }]\n', /^accounts\[0\]\.id: must be 12 digits, got "12345"$/);
    assertOneProblem('accounts: [{ name: x }]\n', /^accounts\[0\]\.id: is required$/);
    assertOneProblem('accounts: [{ id: "111111111111", name: "has space" }]\n', /^accounts\[0\]\.name: must be 1 to 64 letters/);
    assertOneProblem(
      'accounts: [{ id: "111111111111" }, { id: "111111111111", name: b }]\n',
      /^accounts\[1\]\.id: account id "111111111111" is already used by accounts\[0\]\.id$/,
    );
    assertOneProblem(
      'accounts: [{ id: "111111111111", name: a }, { id: "222222222222", name: a }]\n',
      /^accounts\[1\]\.name: account name "a" is already used by accounts\[0\]\.name$/,
    );
    assertOneProblem('accounts: { id: "111111111111" }\n', /^accounts: must be a list, got a mapping$/);
  });

  test('access keys: id, exactly one secret, unique across accounts', () => {
    const key = (k: string) => `accounts:\n  - id: "111111111111"\n    accessKeys: [${k}]\n`;
    assertOneProblem(
      key(`{ id: akia, secret: ${SECRET} }`),
      /^accounts\[0\]\.accessKeys\[0\]\.id: must be 16 to 128 upper-case letters or digits .*got "akia"$/,
    );
    assertOneProblem(
      key('{ id: AKIAIOSFODNN7EXAMPLE }'),
      /^accounts\[0\]\.accessKeys\[0\]: the secret is missing: give exactly one of secret, secretFile, secretEnv$/,
    );
    assertOneProblem(
      key(`{ id: AKIAIOSFODNN7EXAMPLE, secret: ${SECRET}, secretEnv: X }`),
      /^accounts\[0\]\.accessKeys\[0\]: the secret is given more than once \(secret, secretEnv\)/,
    );
    assertOneProblem(
      key('{ id: AKIAIOSFODNN7EXAMPLE, secret: 1234567890123456789 }'),
      /^accounts\[0\]\.accessKeys\[0\]\.secret: must be a string, got a number; put it in quotes$/,
    );
    const twice = `accounts:\n  - { id: "111111111111", accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: ${SECRET} }] }\n  - { id: "222222222222", accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: ${SECRET} }] }\n`;
    assertOneProblem(twice, /^accounts\[1\]\.accessKeys\[0\]\.id: access key id "AKIAIOSFODNN7EXAMPLE" is already used by accounts\[0\]\.accessKeys\[0\]\.id$/);
  });

  test('secretFile and secretEnv that cannot be read', () =>
    withTempDir(async (dir) => {
      const key = (k: string) => `accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, ${k} }]\n`;
      assertOneProblem(key('secretFile: /x'), /^accounts\[0\]\.accessKeys\[0\]\.secretFile: cannot read \/x: ENOENT$/);
      assert.deepEqual(problems(key('secretFile: keys/k'), {}, dir), [`accounts[0].accessKeys[0].secretFile: cannot read ${join(dir, 'keys/k')}: ENOENT`]);
      assert.deepEqual(problems(key(`secretFile: ${dir}`), {}, dir), [`accounts[0].accessKeys[0].secretFile: cannot read ${dir}: EISDIR`]);
      assertOneProblem(key('secretEnv: COFFER_NOT_SET'), /^accounts\[0\]\.accessKeys\[0\]\.secretEnv: environment variable COFFER_NOT_SET is not set$/);
      assertOneProblem(key('secretEnv: "not a name"'), /^accounts\[0\]\.accessKeys\[0\]\.secretEnv: must be an environment variable name/);
      await writeFile(join(dir, 'short'), 'tooShort\n');
      assert.deepEqual(problems(key('secretFile: short'), {}, dir), [
        `accounts[0].accessKeys[0].secretFile: the secret (in ${join(dir, 'short')}) must be 16 to 128 printable characters without spaces (AWS secrets have 40)`,
      ]);
      assertOneProblem(key('secretEnv: K'), /secretEnv: the secret \(in \$K\) must be 16 to 128 printable/, { K: 'short' });
    }));

  test('secret values never appear in any message', () => {
    const leaky = [
      `accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: bad, secret: "${SECRET} with spaces" }]\n`,
      `accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: "${SECRET}\n`,
      `accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: [${SECRET}] }]\n`,
      `accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secretEnv: K, secret: ${SECRET} }]\n`,
    ];
    for (const yaml of leaky) {
      const found = problems(yaml, { K: SECRET });
      assert.ok(found.length > 0);
      assert.ok(
        found.every((p) => !p.includes(SECRET) && !p.includes('wJalrXUtnFEMI')),
        found.join('\n'),
      );
    }
    assertOneProblem('accounts:\n  - id: "111111111111"\n    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secretEnv: K }]\n', /the secret \(in \$K\) must be/, {
      K: 'has a space in it, so no',
    });
  });

  test("regions: names like AWS's, unique, each with its own storage", () => {
    assertOneProblem('regions: [{ name: Frankfurt }]\n', /^regions\[0\]\.name: must be an AWS-style region name such as eu-central-1, got "Frankfurt"$/);
    assertOneProblem('regions: [{ storage: "file:x" }]\n', /^regions\[0\]\.name: is required$/);
    assertOneProblem(
      'regions: [{ name: eu-west-1 }, { name: eu-west-1, storage: "file:y" }]\n',
      /^regions\[1\]\.name: region eu-west-1 is already configured by regions\[0\]$/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "file:a" }, { name: eu-west-2, storage: "file:./a" }]\n',
      /^regions\[1\]\.storage: same location as regions\[0\]; each region needs its own$/,
    );
    assertOneProblem('regions:\n  - "eu-west-1"\n', /^regions\[0\]: must be a mapping, got string "eu-west-1"$/);
  });

  test("restoreRoots: directories, resolved against the file, none of them / or Coffer's own", () => {
    const config = parseConfig('restoreRoots: [/srv/restores, restores]\n', { baseDir: '/etc/coffer', env: {} });
    assert.deepEqual(config.restoreRoots, ['/srv/restores', '/etc/coffer/restores']);
    assertOneProblem('restoreRoots: /srv/restores\n', /^restoreRoots: must be a list, got string/);
    assertOneProblem('restoreRoots: [/srv/../etc]\n', /^restoreRoots\[0\]: must not contain "\.\.": name the directory itself \(\/etc\)$/);
    assertOneProblem('restoreRoots: [/]\n', /^restoreRoots\[0\]: must not be \//);
    assertOneProblem('restoreRoots: [""]\n', /^restoreRoots\[0\]: must name a directory/);
    assertOneProblem(
      'dataDir: /var/lib/coffer\nrestoreRoots: [/var/lib/coffer/restores]\n',
      /^restoreRoots\[0\]: \/var\/lib\/coffer\/restores overlaps Coffer's data directory \(\/var\/lib\/coffer\); restores never go there/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "file:/srv/vaults" }]\nrestoreRoots: [/srv]\n',
      /^restoreRoots\[0\]: \/srv overlaps the vault storage of region eu-west-1/,
    );
  });

  test("storage URLs: file: or restic's s3: forms, nothing quoted back", () => {
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "s3://AKIA:secret@bucket/vaults" }]\n',
      /^regions\[0\]\.storage: uses the AWS CLI's s3:\/\/BUCKET form; use restic's form s3:https:\/\/HOST\/BUCKET\/PREFIX or s3:s3\.amazonaws\.com\/BUCKET\/PREFIX$/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "s3:http://AKIA:secret@127.0.0.1:9000/bucket" }]\n',
      /^regions\[0\]\.storage: must not carry credentials; put them in storageCredentials/,
    );
    assertOneProblem('regions: [{ name: eu-west-1, storage: "s3:http://127.0.0.1:9000" }]\n', /^regions\[0\]\.storage: names no bucket/);
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "/srv/vaults" }]\n',
      /^regions\[0\]\.storage: must be a file: URL such as file:\.\/data\/vaults, or an S3 URL in restic's form/,
    );
    assertOneProblem('regions: [{ name: eu-west-1, storage: "file:" }]\n', /^regions\[0\]\.storage: names no directory/);
    assertOneProblem('regions: [{ name: eu-west-1, storage: "file://host/x" }]\n', /^regions\[0\]\.storage: is not a valid file:\/\/ URL/);
  });

  test('resources: ARNs that parse, in configured accounts and regions, with a path and string tags', () => {
    const res = (r: string) => `${ACCOUNT}regions: [{ name: eu-central-1 }]\nresources:\n  - ${r}\n`;
    const fs = 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1';
    assertOneProblem(
      res('{ arn: "not-an-arn", path: /srv }'),
      /^resources\[0\]\.arn: must be an ARN: arn:aws:<service>:<region>:<account>:<resource>, got "not-an-arn"$/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:ec2:eu-central-1:111111111111:volume/vol-1", path: /srv }'),
      /^resources\[0\]\.arn: resource type EC2 is not supported yet/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:elasticfilesystem:eu-central-1:111111111111:volume/x", path: /srv }'),
      /^resources\[0\]\.arn: an EFS ARN must end in file-system\/<id>/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:elasticfilesystem:eu-central-1:999999999999:file-system/fs-1", path: /srv }'),
      /^resources\[0\]\.arn: account 999999999999 is not configured \(add it under accounts\)$/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws:elasticfilesystem:eu-west-3:111111111111:file-system/fs-1", path: /srv }'),
      /^resources\[0\]\.arn: region "eu-west-3" is not configured \(add it under regions\)$/,
    );
    assertOneProblem(
      res('{ arn: "arn:aws-cn:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1", path: /srv }'),
      /^resources\[0\]\.arn: partition must be "aws"/,
    );
    assertOneProblem(res(`{ arn: "${fs}" }`), /^resources\[0\]\.path: is required$/);
    assertOneProblem(
      res(`{ arn: "${fs}", path: /srv, tags: { retain: 7 } }`),
      /^resources\[0\]\.tags\.retain: tag values must be strings, got 7; put it in quotes$/,
    );
    assertOneProblem(
      res(`{ arn: "${fs}", path: /srv, tags: { "aws:backup": x } }`),
      /^resources\[0\]\.tags\.aws:backup: tag keys starting with aws: are reserved$/,
    );
    assertOneProblem(res(`{ arn: "${fs}", path: /srv, tags: [backup] }`), /^resources\[0\]\.tags: must be a mapping of tag keys to values/);
    assertOneProblem(
      `${res(`{ arn: "${fs}", path: /a }`)}  - { arn: "${fs}", path: /b }\n`,
      /^resources\[1\]\.arn: resource arn:aws:elasticfilesystem:.* is already configured by resources\[0\]$/,
    );
  });

  test('organization: a configured management account and a well-formed id', () => {
    assertOneProblem(
      `${ACCOUNT}organization: { managementAccount: "222222222222" }\n`,
      /^organization\.managementAccount: account "222222222222" is not configured/,
    );
    assertOneProblem(
      `${ACCOUNT}organization: { managementAccount: "111111111111", id: org-1 }\n`,
      /^organization\.id: must be o- and 10 to 32 lower-case letters or digits, got "org-1"$/,
    );
    assertOneProblem(`${ACCOUNT}organization: { id: o-abcdefghij }\n`, /^organization\.managementAccount: is required$/);
    const config = parseConfig(`${ACCOUNT}organization: { managementAccount: "111111111111", id: o-abcdefghij }\n`, { baseDir: '/', env: {} });
    assert.deepEqual(config.organization, { id: 'o-abcdefghij', managementAccount: '111111111111' });
  });
});

describe('reports', () => {
  test('location and buckets as storage locations; bad bucket names and URLs named', () => {
    const config = parseConfig(
      'reports:\n  location: file:./r\n  buckets:\n    - { name: audit-reports, location: "s3:http://127.0.0.1:9000/reports-bucket/p" }\n',
      { baseDir: '/etc/coffer' },
    );
    assert.deepEqual(config.reports, {
      location: { kind: 'file', path: '/etc/coffer/r' },
      buckets: [{ name: 'audit-reports', location: { kind: 's3', url: 's3:http://127.0.0.1:9000/reports-bucket/p' } }],
    });
    assert.throws(
      () =>
        parseConfig('reports:\n  buckets:\n    - { name: Bad_Name, location: "file:./x" }\n    - { name: ok-name, location: "nope:x" }\n', {
          baseDir: '/etc/coffer',
        }),
      (err: Error) => /reports\.buckets\[0\]\.name: must be an S3 bucket name/.test(err.message) && /reports\.buckets\[1\]\.location/.test(err.message),
    );
  });
});
