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
    const config = parse('regions:\n  - { name: eu-west-1, storage: "file:/srv/vaults", coldStorage: "file:/mnt/cold/vaults" }\n  - { name: eu-central-1, coldStorage: "file://localhost/mnt/cold2" }\n  - { name: us-east-1 }\n');
    assert.deepEqual(config.regions[0], { name: 'eu-west-1', storage: { kind: 'file', path: '/srv/vaults' }, coldStorage: { kind: 'file', path: '/mnt/cold/vaults' } });
    assert.deepEqual(config.regions[1]?.coldStorage, { kind: 'file', path: '/mnt/cold2' });
    assert.equal('coldStorage' in config.regions[2]!, false);
    assert.deepEqual(parse('regions: [{ name: eu-west-1, coldStorage: "file:cold" }]\n').regions[0]?.coldStorage, { kind: 'file', path: '/etc/coffer/cold' });
  });

  test('checked like storage, nothing quoted back', () => {
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "s3://AKIA:secret@bucket/cold" }]\n', /^regions\[0\]\.coldStorage: s3:\/\/ storage is not supported yet; use file:<directory>$/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "/mnt/cold" }]\n', /^regions\[0\]\.coldStorage: must be a file: URL/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "file:" }]\n', /^regions\[0\]\.coldStorage: names no directory/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorge: "file:x" }]\n', /^regions\[0\]\.coldStorge: unknown field \(did you mean coldStorage\?\)$/);
  });

  test('a location of its own', () => {
    assertOneProblem('regions: [{ name: eu-west-1, storage: "file:/a", coldStorage: "file:/a" }]\n', /^regions\[0\]\.coldStorage: same location as regions\[0\]; cold storage needs a location of its own$/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "file:/c" }, { name: eu-west-2, coldStorage: "file:/c" }]\n', /^regions\[1\]\.coldStorage: same location as regions\[0\]\.coldStorage; cold storage needs a location of its own$/);
    assertOneProblem('regions: [{ name: eu-west-1, coldStorage: "file:/c" }, { name: eu-west-2, storage: "file:/c" }]\n', /^regions\[1\]\.storage: same location as regions\[0\]\.coldStorage; cold storage needs a location of its own$/);
  });
});
