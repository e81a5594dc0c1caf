/**
 * Selections pick exactly the expected resources: by exact ARN, by wildcard, by ListOfTags (OR),
 * filtered by Conditions (AND), minus NotResources; the region's opt-out drops tag and wildcard
 * picks of a type but never a resource named by its exact ARN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchSelection } from '../../src/backup/selection-match.js';
import type { SelectionDocument } from '../../src/backup/selection-document.js';

const A = '111111111111';
const efs = (id: string, tags: Record<string, string> = {}) => ({ arn: `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/${id}`, type: 'EFS', tags });
const rds = (id: string, tags: Record<string, string> = {}) => ({ arn: `arn:aws:rds:us-east-1:${A}:db:${id}`, type: 'RDS', tags });
const REGISTRY = [
  efs('fs-uploads', { backup: 'daily', env: 'prod', team: 'web' }),
  efs('fs-scratch', { backup: 'none', env: 'dev' }),
  efs('fs-logs', { env: 'prod', team: 'ops' }),
  rds('orders', { backup: 'daily', env: 'prod', team: 'shop-eu' }),
  rds('orders-staging', { env: 'staging', team: 'shop-us' }),
  rds('analytics', {}),
];
const ROLE = `arn:aws:iam::${A}:role/backup`;
const pick = (selection: Omit<SelectionDocument, 'SelectionName' | 'IamRoleArn'>, optIn: Record<string, boolean> = {}) =>
  matchSelection({ SelectionName: 's', IamRoleArn: ROLE, ...selection }, REGISTRY, optIn).map((r) => r.arn.split(/[:/]/).pop());

test('by exact ARN and by wildcard', () => {
  assert.deepEqual(pick({ Resources: [efs('fs-logs').arn] }), ['fs-logs']);
  assert.deepEqual(pick({ Resources: [`arn:aws:rds:us-east-1:${A}:db:orders*`] }), ['orders', 'orders-staging']);
  assert.deepEqual(pick({ Resources: ['*'] }).length, REGISTRY.length);
  assert.deepEqual(pick({ Resources: ['arn:aws:elasticfilesystem:*'] }), ['fs-uploads', 'fs-scratch', 'fs-logs']);
  assert.deepEqual(
    pick({ Resources: ['arn:aws:rds:*:*:db:*'] }),
    ['orders', 'orders-staging', 'analytics'],
    "AWS's own wildcard form: any region, any account",
  );
  assert.deepEqual(pick({ Resources: ['arn:aws:rds:*:*:db:orders-*'] }), ['orders-staging']);
});

test('ListOfTags is an OR of tag equalities; a tag key may be written aws:ResourceTag/<key>', () => {
  assert.deepEqual(pick({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }), ['fs-uploads', 'orders']);
  assert.deepEqual(
    pick({
      ListOfTags: [
        { ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' },
        { ConditionType: 'STRINGEQUALS', ConditionKey: 'aws:ResourceTag/team', ConditionValue: 'ops' },
      ],
    }),
    ['fs-uploads', 'fs-logs', 'orders'],
  );
});

test('Resources and ListOfTags together are a union', () => {
  assert.deepEqual(pick({ Resources: [rds('analytics').arn], ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'ops' }] }), [
    'fs-logs',
    'analytics',
  ]);
});

test('NotResources takes resources out, with wildcards', () => {
  assert.deepEqual(pick({ Resources: ['*'], NotResources: [`arn:aws:rds:us-east-1:${A}:db:*`, efs('fs-scratch').arn] }), ['fs-uploads', 'fs-logs']);
});

test('Conditions filter the candidates, all of them ANDed', () => {
  assert.deepEqual(pick({ Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] } }), [
    'fs-uploads',
    'fs-logs',
    'orders',
  ]);
  assert.deepEqual(
    pick({
      Resources: ['*'],
      Conditions: {
        StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }],
        StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: 'ops' }],
      },
    }),
    ['fs-uploads', 'orders'],
  );
  assert.deepEqual(pick({ Resources: ['*'], Conditions: { StringLike: [{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: 'shop-*' }] } }), [
    'orders',
    'orders-staging',
  ]);
  // A Not condition holds for a resource without the tag.
  assert.deepEqual(pick({ Resources: ['*'], Conditions: { StringNotLike: [{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: 'shop-??' }] } }), [
    'fs-uploads',
    'fs-scratch',
    'fs-logs',
    'analytics',
  ]);
  // Conditions alone start from every resource.
  assert.deepEqual(pick({ Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'staging' }] } }), ['orders-staging']);
});

test('opt-out by region setting drops tag and wildcard picks of the type, never ARN picks', () => {
  const optOutRds = { RDS: false };
  assert.deepEqual(pick({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }, optOutRds), ['fs-uploads']);
  assert.deepEqual(pick({ Resources: ['*'] }, optOutRds), ['fs-uploads', 'fs-scratch', 'fs-logs']);
  assert.deepEqual(pick({ Resources: [rds('orders').arn, `arn:aws:rds:us-east-1:${A}:db:ana*`] }, optOutRds), ['orders']);
});
