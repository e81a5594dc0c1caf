/** The KMS binding registers exactly the operations its table marks served, all of the model; domain errors map to AWS exceptions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KMS_ERROR_MAP, toAwsError } from '../../src/aws/kms/error-map.js';
import { kmsHandlers } from '../../src/aws/kms/kms-binding.js';
import { KMS_IMPLEMENTED } from '../../src/aws/kms/operations.js';
import { KMS_MODEL } from '../../src/aws/service-model.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { createKmsDomain } from '../../src/kms/kms-domain.js';
import { KmsError } from '../../src/kms/kms-error.js';

test('the handlers are exactly the operations marked served, and all are KMS operations', () => {
  const kms = createKmsDomain({ catalog: {} as Catalog, clock: { now: () => new Date() }, rootKey: randomBytes(32) });
  assert.deepEqual(Object.keys(kmsHandlers(kms)).sort(), Object.keys(KMS_IMPLEMENTED).sort());
  assert.deepEqual(
    Object.keys(KMS_IMPLEMENTED).filter((op) => KMS_MODEL.operations[op] === undefined),
    [],
  );
});

test('every mapped exception but AccessDenied/Validation is one the model declares; all answer 400', () => {
  const declared = new Set(
    Object.entries(KMS_MODEL.shapes)
      .filter(([, s]) => s.type === 'structure' && s.exception === true)
      .map(([n]) => n),
  );
  const undeclared = Object.values(KMS_ERROR_MAP).filter((name) => !declared.has(name));
  assert.deepEqual(undeclared.sort(), ['AccessDeniedException', 'ValidationException']);
  const error = toAwsError(new KmsError('Disabled', 'arn:aws:kms:us-east-1:111111111111:key/x is disabled.'));
  assert.equal(error.code, 'DisabledException');
  assert.equal(error.status, 400);
});
