/**
 * The committed model tables: generated from botocore's models as installed (so CI notices
 * when botocore moves), and internally consistent (every shape referenced exists, every pattern
 * compiles as a JavaScript regular expression, HTTP bindings are complete).
 */
// test-needs: botocore
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BACKUP_MODEL, IAM_MODEL, KMS_MODEL, STS_MODEL } from '../../src/aws/service-model.js';
import type { MemberRef, ServiceModel } from '../../src/aws/service-model.js';

const GENERATOR = fileURLToPath(new URL('../../scripts/gen-aws-operations.mjs', import.meta.url));

test("src/aws/models/*.json match botocore's models (node scripts/gen-aws-operations.mjs --check)", () => {
  const run = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stderr}${run.error ? String(run.error) : ''}\n(botocore comes with the AWS CLI: pip install awscli)`);
});

function refsOf(model: ServiceModel): MemberRef[] {
  return Object.values(model.shapes).flatMap((shape) => {
    if (shape.type === 'structure') return Object.values(shape.members);
    if (shape.type === 'list') return [shape.member];
    if (shape.type === 'map') return [shape.key, shape.value];
    return [];
  });
}

for (const model of [BACKUP_MODEL, KMS_MODEL, STS_MODEL, IAM_MODEL]) {
  test(`${model.signingName}: every referenced shape exists, every pattern compiles, bindings are complete`, () => {
    const names = [
      ...refsOf(model).map((r) => r.shape),
      ...Object.values(model.operations).flatMap((op) => [op.input, op.output, ...op.errors].filter((n): n is string => n !== undefined)),
    ];
    assert.deepEqual(
      names.filter((n) => model.shapes[n] === undefined),
      [],
    );
    for (const shape of Object.values(model.shapes)) {
      if (shape.type === 'string' && shape.pattern !== undefined) assert.doesNotThrow(() => new RegExp(shape.pattern ?? ''), shape.pattern);
    }
    for (const op of Object.values(model.operations)) {
      assert.match(op.method, /^(GET|PUT|POST|DELETE|HEAD|PATCH)$/, op.name);
      assert.match(op.requestUri, /^\//, op.name);
      assert.ok(op.successCode >= 200 && op.successCode < 300, op.name);
    }
  });
}

test('the models hold what the codecs rely on', () => {
  assert.equal(BACKUP_MODEL.protocol, 'rest-json');
  assert.equal(KMS_MODEL.protocol, 'json');
  assert.equal(KMS_MODEL.targetPrefix, 'TrentService');
  assert.equal(Object.keys(BACKUP_MODEL.operations).length, 108);
  const create = BACKUP_MODEL.shapes['CreateBackupVaultInput'];
  assert.ok(create?.type === 'structure');
  assert.deepEqual(create.members['BackupVaultName'], { shape: 'BackupVaultName', location: 'uri', locationName: 'backupVaultName', required: true });
  assert.deepEqual(create.members['CreatorRequestId'], { shape: 'string', idempotencyToken: true });
  assert.ok(!JSON.stringify(BACKUP_MODEL).includes('documentation'));
  assert.equal(STS_MODEL.protocol, 'query');
  assert.equal(IAM_MODEL.xmlNamespace, 'https://iam.amazonaws.com/doc/2010-05-08/');
  assert.equal(IAM_MODEL.operations['GetRole']?.resultWrapper, 'GetRoleResult');
  const noSuch = IAM_MODEL.shapes['NoSuchEntityException'];
  assert.ok(noSuch?.type === 'structure');
  assert.deepEqual(noSuch.error, { code: 'NoSuchEntity', httpStatusCode: 404 });
});
