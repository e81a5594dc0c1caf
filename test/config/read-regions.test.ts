/**
 * A region's `coldStorage`: the same URL forms as `storage`, no default, and a location of its
 * own (not another region's storage, not its own region's storage, not another cold location).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load-config.js';
import { assertOneProblem } from './config-fixture.js';

const parse = (yaml: string) => parseConfig(yaml, { baseDir: '/etc/coffer', env: {}, source: '/etc/coffer/coffer.yaml' });

describe('regions[].coldStorage', () => {
  test('absent by default; file: URLs, relative to the config file, as storage', () => {
    const config = parse(
      'regions:\n  - { name: eu-west-1, storage: "file:/srv/vaults", coldStorage: "file:/mnt/cold/vaults" }\n  - { name: eu-central-1, coldStorage: "file://localhost/mnt/cold2" }\n  - { name: us-east-1 }\n',
    );
    assert.deepEqual(config.regions[0], {
      name: 'eu-west-1',
      storage: { kind: 'file', path: '/srv/vaults' },
      coldStorage: { kind: 'file', path: '/mnt/cold/vaults' },
    });
    assert.deepEqual(config.regions[1]?.coldStorage, { kind: 'file', path: '/mnt/cold2' });
    assert.equal('coldStorage' in config.regions[2]!, false);
    assert.deepEqual(parse('regions: [{ name: eu-west-1, coldStorage: "file:cold" }]\n').regions[0]?.coldStorage, { kind: 'file', path: '/etc/coffer/cold' });
  });

  test('checked like storage, nothing quoted back', () => {
    assertOneProblem(
      'regions: [{ name: eu-west-1, coldStorage: "s3://AKIA:secret@bucket/cold" }]\n',
      /^regions\[0\]\.coldStorage: uses the AWS CLI's s3:\/\/BUCKET form; use restic's form/,
    );
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "/mnt/cold" }]\n', /^regions\[0\]\.coldStorage: must be a file: URL/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "file:" }]\n', /^regions\[0\]\.coldStorage: names no directory/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorge: "file:x" }]\n', /^regions\[0\]\.coldStorge: unknown field \(did you mean coldStorage\?\)$/);
  });

  test('a location of its own', () => {
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "file:/a", coldStorage: "file:/a" }]\n',
      /^regions\[0\]\.coldStorage: same location as regions\[0\]; cold storage needs a location of its own$/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, coldStorage: "file:/c" }, { name: eu-west-2, coldStorage: "file:/c" }]\n',
      /^regions\[1\]\.coldStorage: same location as regions\[0\]\.coldStorage; cold storage needs a location of its own$/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, coldStorage: "file:/c" }, { name: eu-west-2, storage: "file:/c" }]\n',
      /^regions\[1\]\.storage: same location as regions\[0\]\.coldStorage; cold storage needs a location of its own$/,
    );
  });
});

describe('regions[] on S3-compatible storage', () => {
  test("restic's s3: URLs for storage and coldStorage, with storageCredentials from env or file", () => {
    const config = parseConfig(
      'regions:\n  - name: eu-west-1\n    storage: "s3:http://127.0.0.1:9000/vaults/eu-west-1/"\n    coldStorage: "s3:s3.amazonaws.com/cold-bucket/eu"\n    storageCredentials: { accessKeyId: AKIASTORAGE, secretAccessKeyEnv: STORAGE_SECRET }\n',
      { baseDir: '/etc/coffer', env: { STORAGE_SECRET: 'storage-secret-value' }, source: '/etc/coffer/coffer.yaml' },
    );
    const region = config.regions[0]!;
    assert.deepEqual(region.storage, { kind: 's3', url: 's3:http://127.0.0.1:9000/vaults/eu-west-1' });
    assert.deepEqual(region.coldStorage, { kind: 's3', url: 's3:s3.amazonaws.com/cold-bucket/eu' });
    assert.equal(region.storageCredentials?.accessKeyId, 'AKIASTORAGE');
    assert.equal(region.storageCredentials?.secretAccessKey.secret.reveal(), 'storage-secret-value');
    assert.ok(!JSON.stringify(config).includes('storage-secret-value'), 'the secret never prints');
  });

  test('storageCredentials problems name the field, never the secret', () => {
    const s3 = 'storage: "s3:http://127.0.0.1:9000/vaults"';
    assertOneProblem(
      `regions: [{ name: eu-west-1, ${s3}, storageCredentials: { accessKeyId: AKIA1 } }]\n`,
      /^regions\[0\]\.storageCredentials: give both accessKeyId and one of secretAccessKey, secretAccessKeyFile, secretAccessKeyEnv/,
    );
    assertOneProblem(
      `regions: [{ name: eu-west-1, ${s3}, storageCredentials: { secretAccessKeyEnv: X } }]\n`,
      /^regions\[0\]\.storageCredentials: give both accessKeyId/,
      { X: 'a-storage-secret' },
    );
    assertOneProblem(
      `regions: [{ name: eu-west-1, ${s3}, storageCredentials: { accessKeyId: AKIA1, secretAccessKeyEnv: NOT_SET_ANYWHERE } }]\n`,
      /^regions\[0\]\.storageCredentials\.secretAccessKeyEnv: environment variable NOT_SET_ANYWHERE is not set$/,
    );
    assertOneProblem(
      `regions: [{ name: eu-west-1, ${s3}, storageCredentials: { accessKeyId: AKIA1, secretAccessKey: abcdefabcdef, secretKey: x } }]\n`,
      /^regions\[0\]\.storageCredentials\.secretKey: unknown field/,
    );
    assertOneProblem(
      'regions: [{ name: eu-west-1, storage: "file:/srv/v", storageCredentials: { accessKeyId: AKIA1, secretAccessKey: hunter2hunter2 } }]\n',
      /^regions\[0\]\.storageCredentials: applies to s3: storage only/,
    );
    assertOneProblem(
      `regions: [{ name: eu-west-1, ${s3} }, { name: eu-west-2, ${s3} }]\n`,
      /^regions\[1\]\.storage: same location as regions\[0\]; each region needs its own$/,
    );
  });
});
