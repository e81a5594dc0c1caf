/**
 * docs/api-coverage.md is generated from the code (model, tiers, operation table): it must be
 * current and list every operation of the model; the operation table must name real operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderApiCoverage } from '../../src/aws/api-coverage.js';
import type { OperationTier } from '../../src/aws/api-coverage.js';
import { IMPLEMENTED, NOT_YET } from '../../src/aws/backup/operations.js';
import tiersJson from '../../src/aws/backup/operation-tiers.json' with { type: 'json' };
import { BACKUP_MODEL } from '../../src/aws/service-model.js';

const tiers: Readonly<Record<string, OperationTier>> = tiersJson;
const committed = readFileSync(new URL('../../docs/api-coverage.md', import.meta.url), 'utf8');

test('docs/api-coverage.md is what the generator makes of the code today', () => {
  assert.ok(committed === renderApiCoverage(BACKUP_MODEL, tiers, IMPLEMENTED, NOT_YET), 'docs/api-coverage.md is stale: run node scripts/gen-api-coverage.mjs');
});

test('every operation of the model has a row in the table', () => {
  const rows = new Set(
    committed
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) => l.split('|')[2]?.trim()),
  );
  const missing = Object.keys(BACKUP_MODEL.operations).filter((op) => !rows.has(op));
  assert.deepEqual(missing, [], `operations missing from docs/api-coverage.md: ${missing.join(', ')}`);
});

test('the operation table names only operations of the model', () => {
  const unknown = Object.keys(IMPLEMENTED).filter((op) => BACKUP_MODEL.operations[op] === undefined);
  assert.deepEqual(unknown, [], `src/aws/backup/operations.ts names operations the model lacks: ${unknown.join(', ')}`);
});

test('every core40 and core+ operation of the tier table is in the model', () => {
  const planned = Object.entries(tiers)
    .filter(([, t]) => t.tier !== '')
    .map(([op]) => op);
  assert.equal(planned.length, 48);
  assert.deepEqual(
    planned.filter((op) => BACKUP_MODEL.operations[op] === undefined),
    [],
  );
});

test('every operation still answering 501 says why (NOT_YET), and none that is served does', () => {
  const missing = Object.keys(BACKUP_MODEL.operations).filter((op) => IMPLEMENTED[op] === undefined);
  assert.deepEqual(
    missing.filter((op) => NOT_YET[op] === undefined),
    [],
    'add a reason to NOT_YET in src/aws/backup/operations.ts',
  );
  assert.deepEqual(
    Object.keys(NOT_YET).filter((op) => IMPLEMENTED[op] !== undefined),
    [],
    'remove served operations from NOT_YET',
  );
});
