/**
 * The pure parts of restore testing: vault selectors (IncludeVaults / ExcludeVaults with `*`),
 * scratch targets (names, length limits, overrides), tag conditions, and plan updates keeping
 * what they do not name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scratchMetadata } from '../../src/backup/restore-testing/scratch-target.js';
import { checkTestingPlan, updatedTestingPlan } from '../../src/backup/restore-testing/testing-plan-document.js';
import { conditionsHold } from '../../src/backup/restore-testing/testing-selection-document.js';
import { vaultEligible } from '../../src/backup/restore-testing/vault-selectors.js';

const vault = (name: string, region = 'us-east-1') => `arn:aws:backup:${region}:111111111111:backup-vault:${name}`;

test('vaults: included by * or a pattern, excluded by a pattern', () => {
  assert.equal(vaultEligible(vault('prod'), ['*'], []), true);
  assert.equal(vaultEligible(vault('prod'), ['arn:aws:backup:*:111111111111:backup-vault:prod-*'], []), false);
  assert.equal(vaultEligible(vault('prod-eu', 'eu-west-1'), ['arn:aws:backup:*:111111111111:backup-vault:prod-*'], []), true);
  assert.equal(vaultEligible(vault('scratch'), ['*'], [vault('scratch')]), false);
  assert.equal(vaultEligible(vault('a.b'), [vault('a*b')], []), true, 'a dot in a name is no pattern');
  assert.equal(vaultEligible(vault('axb'), [vault('a.b')], []), false);
});

test('scratch targets keep the source name, mark it, fit the type and take overrides', () => {
  const efs = scratchMetadata('EFS', { RestorePath: '/srv/docs-restore-0a1b2c3d', SourcePath: '/srv/docs' }, undefined, 'ABCDEF12');
  assert.equal(efs['RestorePath'], '/srv/docs-restore-test-abcdef12');
  assert.equal(efs['SourcePath'], '/srv/docs');
  const rds = scratchMetadata('RDS', { DBInstanceIdentifier: `${'x'.repeat(60)}-restore-0a1b2c3d` }, undefined, 'abcdef12');
  assert.equal(rds['DBInstanceIdentifier']!.length, 63);
  assert.match(rds['DBInstanceIdentifier']!, /^x+-restore-test-abcdef12$/);
  const s3 = scratchMetadata('S3', { DestinationBucketName: 'photos-restore-0a1b2c3d', NewBucket: 'false' }, { DestinationPrefix: 'check/' }, 'abcdef12');
  assert.deepEqual(s3, { DestinationBucketName: 'photos-restore-test-abcdef12', NewBucket: 'true', DestinationPrefix: 'check/' });
  const overridden = scratchMetadata('DynamoDB', { targetTableName: 'orders-restore-0a1b2c3d' }, { targetTableName: 'mine' }, 'abcdef12');
  assert.equal(overridden['targetTableName'], 'mine', 'RestoreMetadataOverrides win');
});

test('tag conditions: every StringEquals and StringNotEquals must hold', () => {
  const conditions = { StringEquals: [{ Key: 'aws:ResourceTag/tier', Value: 'gold' }], StringNotEquals: [{ Key: 'aws:ResourceTag/stage', Value: 'test' }] };
  assert.equal(conditionsHold(conditions, { tier: 'gold' }), true, 'a Not condition on a missing tag holds');
  assert.equal(conditionsHold(conditions, { tier: 'gold', stage: 'test' }), false);
  assert.equal(conditionsHold(conditions, { tier: 'silver' }), false);
  assert.equal(conditionsHold(undefined, {}), true);
});

test('a plan update replaces what it names and keeps the rest', () => {
  const plan = checkTestingPlan({
    ScheduleExpression: 'cron(0 3 ? * * *)',
    RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT', 'SNAPSHOT'] },
  });
  assert.deepEqual(plan.RecoveryPointSelection.RecoveryPointTypes, ['SNAPSHOT']);
  const updated = updatedTestingPlan(plan, { StartWindowHours: 1 });
  assert.equal(updated.StartWindowHours, 1);
  assert.equal(updated.ScheduleExpression, 'cron(0 3 ? * * *)');
  assert.deepEqual(updated.RecoveryPointSelection, plan.RecoveryPointSelection);
  assert.throws(() => updatedTestingPlan(plan, { ScheduleExpression: 'cron(* * ? * * *)' }), /runs more than once an hour/);
});
