/** Coffer's combination rules: vault access policies against the owner and other accounts, key policies as the only word on a key; with the reasons given. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyPolicyAllows, resourcePolicyAllows } from '../../src/iam/resource-access.js';
import type { AuthorizationRequest } from '../../src/iam/policy-evaluator.js';
import type { PolicyDocument } from '../../src/iam/policy-document.js';

const SOURCE = '111111111111';
const OWNER = '222222222222';
const VAULT = `arn:aws:backup:us-east-1:${OWNER}:backup-vault:central`;
const RECOVERY_POINT = `arn:aws:backup:us-east-1:${OWNER}:recovery-point:0f1e2d3c`;
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd`;

const ask = (accountId: string, action: string, resource: string, context?: AuthorizationRequest['context']): AuthorizationRequest => ({
  principal: { accountId, arn: `arn:aws:iam::${accountId}:root` },
  action,
  resource,
  ...(context && { context }),
});

const vaultPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowCopyFromSourceAccount',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SOURCE}:root` },
      Action: 'backup:CopyIntoBackupVault',
      Resource: '*',
    },
    { Sid: 'DenyDeletingRecoveryPoints', Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' },
  ],
};

test('vault access policy: the owner is allowed unless denied', () => {
  const own = resourcePolicyAllows(vaultPolicy, ask(OWNER, 'backup:StartBackupJob', VAULT), OWNER);
  assert.deepEqual(own, {
    allowed: true,
    reason: `backup vault central belongs to account ${OWNER} and the vault access policy of backup vault central does not deny backup:StartBackupJob`,
  });
  const deleting = resourcePolicyAllows(vaultPolicy, ask(OWNER, 'backup:DeleteRecoveryPoint', RECOVERY_POINT), OWNER);
  assert.equal(deleting.allowed, false);
  assert.equal(
    deleting.reason,
    `the vault access policy covering recovery point ${RECOVERY_POINT} explicitly denies account ${OWNER} backup:DeleteRecoveryPoint (statement "DenyDeletingRecoveryPoints")`,
  );
});

test('vault access policy: another account needs an Allow', () => {
  assert.deepEqual(resourcePolicyAllows(vaultPolicy, ask(SOURCE, 'backup:CopyIntoBackupVault', VAULT), OWNER), {
    allowed: true,
    reason: `the vault access policy of backup vault central allows account ${SOURCE} backup:CopyIntoBackupVault (statement "AllowCopyFromSourceAccount")`,
  });
  assert.deepEqual(resourcePolicyAllows(vaultPolicy, ask('333333333333', 'backup:CopyIntoBackupVault', VAULT), OWNER), {
    allowed: false,
    reason: 'the vault access policy of backup vault central has no statement allowing account 333333333333 backup:CopyIntoBackupVault',
  });
});

test('no resource policy: the owning account only', () => {
  assert.deepEqual(resourcePolicyAllows(undefined, ask(OWNER, 'backup:CopyIntoBackupVault', VAULT), OWNER), {
    allowed: true,
    reason: `backup vault central belongs to account ${OWNER} and has no resource policy restricting backup:CopyIntoBackupVault`,
  });
  assert.deepEqual(resourcePolicyAllows(undefined, ask(SOURCE, 'backup:CopyIntoBackupVault', VAULT), OWNER), {
    allowed: false,
    reason: `backup vault central belongs to account ${OWNER} and has no resource policy, so account ${SOURCE} may not backup:CopyIntoBackupVault on it`,
  });
});

const keyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow use of the key by the backup account',
      Effect: 'Allow',
      Principal: { AWS: SOURCE },
      Action: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
      Resource: '*',
      Condition: { StringLike: { 'kms:ViaService': 'backup.*.amazonaws.com' } },
    },
    { Sid: 'Nobody deletes it', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
  ],
};

test('key policy: the account root statement covers the owner', () => {
  assert.deepEqual(keyPolicyAllows(keyPolicy, ask(OWNER, 'kms:Decrypt', KEY)), {
    allowed: true,
    reason: `the key policy of KMS key ${KEY} allows account ${OWNER} kms:Decrypt (statement "Enable IAM User Permissions")`,
  });
  const role = keyPolicyAllows(keyPolicy, {
    principal: { accountId: OWNER, arn: `arn:aws:iam::${OWNER}:role/Admin`, service: 'backup.amazonaws.com' },
    action: 'kms:Encrypt',
    resource: KEY,
  });
  assert.equal(role.allowed, true);
  assert.match(role.reason, /allows arn:aws:iam::222222222222:role\/Admin \(account 222222222222\) through backup.amazonaws.com kms:Encrypt/);
});

test('key policy: even the owner is refused without an Allow, and Deny wins', () => {
  const withoutRoot: PolicyDocument = { Version: '2012-10-17', Statement: keyPolicy.Statement.slice(1) };
  assert.deepEqual(keyPolicyAllows(withoutRoot, ask(OWNER, 'kms:Decrypt', KEY)), {
    allowed: false,
    reason: `the key policy of KMS key ${KEY} has no statement allowing account ${OWNER} kms:Decrypt`,
  });
  assert.deepEqual(keyPolicyAllows(keyPolicy, ask(OWNER, 'kms:ScheduleKeyDeletion', KEY)), {
    allowed: false,
    reason: `the key policy of KMS key ${KEY} explicitly denies account ${OWNER} kms:ScheduleKeyDeletion (statement "Nobody deletes it")`,
  });
});

test('key policy: another account through AWS Backup only', () => {
  assert.equal(keyPolicyAllows(keyPolicy, ask(SOURCE, 'kms:CreateGrant', KEY, { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' })).allowed, true);
  assert.deepEqual(keyPolicyAllows(keyPolicy, ask(SOURCE, 'kms:Decrypt', KEY)), {
    allowed: false,
    reason: `the key policy of KMS key ${KEY} has no statement allowing account ${SOURCE} kms:Decrypt`,
  });
});
