/** docs/kms-api-coverage.md is generated from the KMS model and operation table and must be current. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderKmsCoverage } from '../../src/aws/kms/kms-coverage.js';
import { KMS_IMPLEMENTED } from '../../src/aws/kms/operations.js';
import { KMS_MODEL } from '../../src/aws/service-model.js';

test('docs/kms-api-coverage.md is what the generator makes of the code today', () => {
  const committed = readFileSync(new URL('../../docs/kms-api-coverage.md', import.meta.url), 'utf8');
  assert.ok(committed === renderKmsCoverage(KMS_MODEL, KMS_IMPLEMENTED), 'docs/kms-api-coverage.md is stale: run node scripts/gen-api-coverage.mjs');
});
