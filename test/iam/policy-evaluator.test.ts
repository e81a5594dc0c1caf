/** The policy evaluator on realistic vault access and key policies: each case checks the decision and the deciding statements. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy, explainPolicy, type AuthorizationRequest, type PrincipalContext } from '../../src/iam/policy-evaluator.js';
import type { PolicyDocument } from '../../src/iam/policy-document.js';

const SOURCE = '111111111111';
const VAULT_OWNER = '222222222222';
const OUTSIDER = '333333333333';
const ORG = 'o-a1b2c3d4e5';
const VAULT = `arn:aws:backup:us-east-1:${VAULT_OWNER}:backup-vault:central`;
const RECOVERY_POINT = `arn:aws:backup:us-east-1:${VAULT_OWNER}:recovery-point:0f1e2d3c`;
const KEY = `arn:aws:kms:us-east-1:${VAULT_OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const root = (accountId: string, extra: Partial<PrincipalContext> = {}): PrincipalContext => ({ accountId, arn: `arn:aws:iam::${accountId}:root`, ...extra });
const ask = (principal: PrincipalContext, action: string, resource: string, context?: AuthorizationRequest['context']): AuthorizationRequest => ({
  principal,
  action,
  resource,
  ...(context && { context }),
});
const policy = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: Statement as unknown as PolicyDocument['Statement'],
});

const crossAccountCopy = policy({
  Sid: 'AllowCopyFromSourceAccount',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${SOURCE}:root` },
  Action: 'backup:CopyIntoBackupVault',
  Resource: '*',
});
const orgCopy = policy({
  Sid: 'AllowCopiesFromOrganization',
  Effect: 'Allow',
  Principal: '*',
  Action: 'backup:CopyIntoBackupVault',
  Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalOrgID': [ORG] } },
});
const denyDeletes = policy(
  { Sid: 'AllowCopyFromSourceAccount', Effect: 'Allow', Principal: { AWS: SOURCE }, Action: 'backup:CopyIntoBackupVault' },
  {
    Sid: 'DenyDeletingRecoveryPoints',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
    Resource: '*',
  },
);
const keyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${VAULT_OWNER}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow use of the key by the backup account',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${OUTSIDER}:root`] },
      Action: ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': ['backup.us-east-1.amazonaws.com', 'backup.eu-west-1.amazonaws.com'], 'kms:CallerAccount': OUTSIDER } },
    },
    {
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: { AWS: OUTSIDER },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringLike: { 'kms:ViaService': 'backup.*.amazonaws.com' } },
    },
  ],
};
const onlyAdmins = policy(
  { Sid: 'AllowCopyFromSourceAccount', Effect: 'Allow', Principal: { AWS: SOURCE }, Action: 'backup:*' },
  {
    Sid: 'DenyAllButBackupAdmin',
    Effect: 'Deny',
    NotPrincipal: { AWS: [`arn:aws:iam::${VAULT_OWNER}:root`, `arn:aws:iam::${VAULT_OWNER}:role/BackupAdmin`] },
    NotAction: ['backup:Describe*', 'backup:List*', 'backup:Get*'],
    Resource: '*',
  },
);
const sourceGuard = policy({
  Sid: 'AllowOrgFromKnownSources',
  Effect: 'Allow',
  Principal: '*',
  Action: 'backup:CopyIntoBackupVault',
  Condition: { StringEquals: { 'AWS:principalorgid': ORG }, StringEqualsIfExists: { 'aws:SourceAccount': [SOURCE, VAULT_OWNER] } },
});
const tagRules = policy(
  {
    Sid: 'DenyConfidentialTags',
    Effect: 'Deny',
    Principal: '*',
    Action: 'backup:TagResource',
    Resource: '*',
    Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['confidential*', 'secret?'] } },
  },
  {
    Sid: 'AllowKnownTags',
    Effect: 'Allow',
    Principal: { AWS: SOURCE },
    Action: 'backup:TagResource',
    Resource: '*',
    Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
  },
);
const ownVaults = policy({
  Sid: 'OwnAccountVaults',
  Effect: 'Allow',
  Principal: '*',
  Action: 'backup:StartBackupJob',
  Resource: 'arn:aws:backup:*:${aws:PrincipalAccount}:backup-vault:*',
});
const typed = policy(
  {
    Sid: 'SmallAndRecent',
    Effect: 'Allow',
    Principal: '*',
    Action: 'backup:StartCopyJob',
    Resource: VAULT,
    Condition: {
      NumericLessThanEquals: { 'backup:RetentionDays': 35 },
      DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
      IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
    },
  },
  { Sid: 'NeedSourceArn', Effect: 'Deny', Principal: '*', Action: 'backup:StartCopyJob', Condition: { Null: { 'aws:SourceArn': 'true' } } },
  {
    Sid: 'OnlyOwnVaults',
    Effect: 'Deny',
    Principal: '*',
    Action: 'backup:StartCopyJob',
    Condition: { ArnNotLike: { 'aws:SourceArn': `arn:aws:backup:*:${VAULT_OWNER}:backup-vault:*` } },
  },
);

type Case = readonly [name: string, policy: PolicyDocument, request: AuthorizationRequest, decision: string, statements: string[]];
const cases: readonly Case[] = [
  [
    'cross-account copy: the source account may copy in',
    crossAccountCopy,
    ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT),
    'Allow',
    ['AllowCopyFromSourceAccount'],
  ],
  [
    'cross-account copy: a role of the source account is covered by its root',
    crossAccountCopy,
    ask({ accountId: SOURCE, arn: `arn:aws:iam::${SOURCE}:role/Backup` }, 'backup:CopyIntoBackupVault', VAULT),
    'Allow',
    ['AllowCopyFromSourceAccount'],
  ],
  ['cross-account copy: another account is not named', crossAccountCopy, ask(root(OUTSIDER), 'backup:CopyIntoBackupVault', VAULT), 'NotApplicable', []],
  ['cross-account copy: other actions are not allowed', crossAccountCopy, ask(root(SOURCE), 'backup:DeleteRecoveryPoint', RECOVERY_POINT), 'NotApplicable', []],
  ['actions compare without case', crossAccountCopy, ask(root(SOURCE), 'Backup:copyIntoBackupVAULT', VAULT), 'Allow', ['AllowCopyFromSourceAccount']],
  [
    'organization copy: a member account may copy in',
    orgCopy,
    ask(root(OUTSIDER, { orgId: ORG }), 'backup:CopyIntoBackupVault', VAULT),
    'Allow',
    ['AllowCopiesFromOrganization'],
  ],
  [
    'organization copy: another organization may not',
    orgCopy,
    ask(root(OUTSIDER, { orgId: 'o-zzzzzzzzzz' }), 'backup:CopyIntoBackupVault', VAULT),
    'NotApplicable',
    [],
  ],
  ['organization copy: an account outside any organization may not', orgCopy, ask(root(OUTSIDER), 'backup:CopyIntoBackupVault', VAULT), 'NotApplicable', []],
  [
    'organization copy: the context cannot claim an organization',
    orgCopy,
    ask(root(OUTSIDER), 'backup:CopyIntoBackupVault', VAULT, { 'aws:PrincipalOrgID': ORG }),
    'NotApplicable',
    [],
  ],
  [
    'deny deletes: even the owner is denied',
    denyDeletes,
    ask(root(VAULT_OWNER), 'backup:DeleteRecoveryPoint', RECOVERY_POINT),
    'Deny',
    ['DenyDeletingRecoveryPoints'],
  ],
  [
    'deny deletes: lifecycle changes too',
    denyDeletes,
    ask(root(SOURCE), 'backup:UpdateRecoveryPointLifecycle', RECOVERY_POINT),
    'Deny',
    ['DenyDeletingRecoveryPoints'],
  ],
  ['deny deletes: copies still allowed', denyDeletes, ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT), 'Allow', ['AllowCopyFromSourceAccount']],
  ['key policy: the key owner may use the key', keyPolicy, ask(root(VAULT_OWNER), 'kms:Decrypt', KEY), 'Allow', ['Enable IAM User Permissions']],
  [
    'key policy: the backup account decrypts through AWS Backup',
    keyPolicy,
    ask(root(OUTSIDER, { service: 'backup.amazonaws.com' }), 'kms:Decrypt', KEY, { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' }),
    'Allow',
    ['Allow use of the key by the backup account'],
  ],
  [
    'key policy: ReEncrypt* covers ReEncryptFrom',
    keyPolicy,
    ask(root(OUTSIDER), 'kms:ReEncryptFrom', KEY, { 'kms:ViaService': 'backup.eu-west-1.amazonaws.com' }),
    'Allow',
    ['Allow use of the key by the backup account'],
  ],
  ['key policy: not through AWS Backup, no use', keyPolicy, ask(root(OUTSIDER), 'kms:Decrypt', KEY), 'NotApplicable', []],
  [
    'key policy: through another service, no use',
    keyPolicy,
    ask(root(OUTSIDER), 'kms:GenerateDataKeyWithoutPlaintext', KEY, { 'kms:ViaService': 'rds.us-east-1.amazonaws.com' }),
    'NotApplicable',
    [],
  ],
  [
    'key policy: kms:CallerAccount comes from the caller, not the context',
    keyPolicy,
    ask(root(SOURCE), 'kms:Decrypt', KEY, { 'kms:ViaService': 'backup.us-east-1.amazonaws.com', 'kms:CallerAccount': OUTSIDER }),
    'NotApplicable',
    [],
  ],
  [
    'key policy: grants for AWS resources',
    keyPolicy,
    ask(root(OUTSIDER), 'kms:CreateGrant', KEY, { 'kms:GrantIsForAWSResource': true, 'kms:ViaService': 'backup.ap-south-1.amazonaws.com' }),
    'Allow',
    ['Allow attachment of persistent resources'],
  ],
  [
    'key policy: no grant for anything else',
    keyPolicy,
    ask(root(OUTSIDER), 'kms:CreateGrant', KEY, { 'kms:GrantIsForAWSResource': false, 'kms:ViaService': 'backup.ap-south-1.amazonaws.com' }),
    'NotApplicable',
    [],
  ],
  [
    'key policy: the outsider may not manage the key',
    keyPolicy,
    ask(root(OUTSIDER), 'kms:ScheduleKeyDeletion', KEY, { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' }),
    'NotApplicable',
    [],
  ],
  [
    'NotPrincipal deny: the source account is denied all but reads',
    onlyAdmins,
    ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT),
    'Deny',
    ['DenyAllButBackupAdmin'],
  ],
  ['NotPrincipal deny: reads pass NotAction', onlyAdmins, ask(root(SOURCE), 'backup:DescribeBackupVault', VAULT), 'Allow', ['AllowCopyFromSourceAccount']],
  ['NotPrincipal deny: the owner account is excluded', onlyAdmins, ask(root(VAULT_OWNER), 'backup:DeleteBackupVault', VAULT), 'NotApplicable', []],
  [
    'IfExists: no aws:SourceAccount, the condition holds',
    sourceGuard,
    ask(root(OUTSIDER, { orgId: ORG }), 'backup:CopyIntoBackupVault', VAULT),
    'Allow',
    ['AllowOrgFromKnownSources'],
  ],
  [
    'IfExists: a listed source account passes',
    sourceGuard,
    ask(root(OUTSIDER, { orgId: ORG }), 'backup:CopyIntoBackupVault', VAULT, { 'aws:SourceAccount': SOURCE }),
    'Allow',
    ['AllowOrgFromKnownSources'],
  ],
  [
    'IfExists: another source account fails',
    sourceGuard,
    ask(root(OUTSIDER, { orgId: ORG }), 'backup:CopyIntoBackupVault', VAULT, { 'aws:SourceAccount': OUTSIDER }),
    'NotApplicable',
    [],
  ],
  [
    'condition key names compare without case, organization still required',
    sourceGuard,
    ask(root(OUTSIDER), 'backup:CopyIntoBackupVault', VAULT),
    'NotApplicable',
    [],
  ],
  [
    'ForAnyValue: one confidential tag is enough to deny',
    tagRules,
    ask(root(SOURCE), 'backup:TagResource', VAULT, { 'aws:TagKeys': ['team', 'confidential-data'] }),
    'Deny',
    ['DenyConfidentialTags'],
  ],
  ['ForAnyValue: ? is exactly one character', tagRules, ask(root(SOURCE), 'backup:TagResource', VAULT, { 'aws:TagKeys': ['secret12'] }), 'NotApplicable', []],
  [
    'ForAllValues: every tag key listed',
    tagRules,
    ask(root(SOURCE), 'backup:TagResource', VAULT, { 'aws:TagKeys': ['team', 'env'] }),
    'Allow',
    ['AllowKnownTags'],
  ],
  [
    'ForAllValues: one unlisted tag key fails',
    tagRules,
    ask(root(SOURCE), 'backup:TagResource', VAULT, { 'aws:TagKeys': ['team', 'owner'] }),
    'NotApplicable',
    [],
  ],
  ['ForAllValues: no tag keys at all holds, ForAnyValue does not', tagRules, ask(root(SOURCE), 'backup:TagResource', VAULT), 'Allow', ['AllowKnownTags']],
  ["policy variable: vaults of the caller's own account", ownVaults, ask(root(VAULT_OWNER), 'backup:StartBackupJob', VAULT), 'Allow', ['OwnAccountVaults']],
  ["policy variable: not another account's vaults", ownVaults, ask(root(SOURCE), 'backup:StartBackupJob', VAULT), 'NotApplicable', []],
  [
    'resources compare with case',
    policy({ Sid: 'Exact', Effect: 'Allow', Principal: '*', Action: '*', Resource: VAULT.toUpperCase() }),
    ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT),
    'NotApplicable',
    [],
  ],
  [
    'numbers, dates, IP blocks, Null and ArnNotLike together',
    typed,
    ask(root(SOURCE), 'backup:StartCopyJob', VAULT, {
      'backup:RetentionDays': 30,
      'aws:CurrentTime': '2026-11-29T20:00:00Z',
      'aws:SourceIp': '10.1.2.3',
      'aws:SourceArn': `arn:aws:backup:eu-west-1:${VAULT_OWNER}:backup-vault:src`,
    }),
    'Allow',
    ['SmallAndRecent'],
  ],
  [
    'too long a retention fails the numeric condition',
    typed,
    ask(root(SOURCE), 'backup:StartCopyJob', VAULT, {
      'backup:RetentionDays': 90,
      'aws:CurrentTime': '2026-11-29T20:00:00Z',
      'aws:SourceIp': '2001:db8:1::7',
      'aws:SourceArn': `arn:aws:backup:eu-west-1:${VAULT_OWNER}:backup-vault:src`,
    }),
    'NotApplicable',
    [],
  ],
  [
    'a missing aws:SourceArn meets Null and the negated ArnNotLike',
    typed,
    ask(root(SOURCE), 'backup:StartCopyJob', VAULT, { 'backup:RetentionDays': 1, 'aws:CurrentTime': '2026-11-29T20:00:00Z', 'aws:SourceIp': '10.0.0.1' }),
    'Deny',
    ['NeedSourceArn', 'OnlyOwnVaults'],
  ],
  [
    'ArnNotLike matches part by part',
    typed,
    ask(root(SOURCE), 'backup:StartCopyJob', VAULT, {
      'backup:RetentionDays': 1,
      'aws:CurrentTime': '2026-11-29T20:00:00Z',
      'aws:SourceIp': '192.168.0.1',
      'aws:SourceArn': `arn:aws:backup:eu-west-1:${OUTSIDER}:backup-vault:${VAULT_OWNER}`,
    }),
    'Deny',
    ['OnlyOwnVaults'],
  ],
];

for (const [name, document, request, decision, statements] of cases) {
  test(name, () => {
    assert.equal(evaluatePolicy(document, request), decision);
    assert.deepEqual(explainPolicy(document, request), { decision, statements });
  });
}

test('service principals, unnamed statements and Version 2008-10-17', () => {
  const document: PolicyDocument = {
    Version: '2008-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' },
      { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: 'arn:aws:kms:*:${aws:PrincipalAccount}:key/*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { StringEquals: { 'aws:PrincipalServiceName': 'rds.amazonaws.com' } } },
    ],
  };
  assert.deepEqual(explainPolicy(document, ask(root(OUTSIDER, { service: 'Backup.amazonaws.com' }), 'kms:Decrypt', KEY)), {
    decision: 'Allow',
    statements: ['Statement[0]'],
  });
  assert.equal(evaluatePolicy(document, ask(root(OUTSIDER), 'kms:Decrypt', KEY)), 'NotApplicable');
  assert.equal(evaluatePolicy(document, ask(root(VAULT_OWNER), 'kms:Encrypt', KEY)), 'NotApplicable', 'no policy variables before 2012-10-17');
  assert.deepEqual(explainPolicy(document, ask(root(OUTSIDER, { service: 'rds.amazonaws.com' }), 'kms:Decrypt', KEY)), {
    decision: 'Deny',
    statements: ['Statement[2]'],
  });
});

test('a statement without Principal names nobody, a missing Resource is the resource itself', () => {
  const document = policy({ Sid: 'NoPrincipal', Effect: 'Deny', Action: '*' }, { Sid: 'AnyResource', Effect: 'Allow', Principal: '*', Action: 'backup:*' });
  assert.deepEqual(explainPolicy(document, ask(root(SOURCE), 'backup:DeleteRecoveryPoint', RECOVERY_POINT)), {
    decision: 'Allow',
    statements: ['AnyResource'],
  });
});

test('policy variables with a fallback, and unresolved ones matching nothing', () => {
  const document = policy(
    {
      Sid: 'Fallback',
      Effect: 'Allow',
      Principal: '*',
      Action: 'backup:StartRestoreJob',
      Condition: { StringEquals: { 'aws:SourceAccount': "${aws:PrincipalOrgID, 'none'}" } },
    },
    {
      Sid: 'Unresolved',
      Effect: 'Allow',
      Principal: '*',
      Action: 'backup:StartRestoreJob',
      Condition: { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalOrgID}' } },
    },
  );
  assert.deepEqual(explainPolicy(document, ask(root(SOURCE), 'backup:StartRestoreJob', RECOVERY_POINT, { 'aws:SourceAccount': 'none' })), {
    decision: 'Allow',
    statements: ['Fallback'],
  });
  assert.deepEqual(explainPolicy(document, ask(root(SOURCE, { orgId: ORG }), 'backup:StartRestoreJob', RECOVERY_POINT, { 'aws:SourceAccount': ORG })), {
    decision: 'Allow',
    statements: ['Fallback', 'Unresolved'],
  });
});

test('negated operators: absent key holds, present key must match none of the values', () => {
  const document = policy({
    Sid: 'NotTheseAccounts',
    Effect: 'Deny',
    Principal: '*',
    Action: '*',
    Condition: { StringNotEqualsIgnoreCase: { 'aws:SourceAccount': [SOURCE, VAULT_OWNER] }, StringNotLike: { 'aws:SourceArn': 'arn:aws:backup:*' } },
  });
  assert.equal(evaluatePolicy(document, ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT)), 'Deny');
  assert.equal(evaluatePolicy(document, ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT, { 'aws:SourceAccount': SOURCE })), 'NotApplicable');
  assert.equal(
    evaluatePolicy(
      document,
      ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT, {
        'aws:SourceAccount': OUTSIDER,
        'aws:SourceArn': 'arn:aws:backup:us-east-1:333333333333:backup-vault:x',
      }),
    ),
    'NotApplicable',
    'keys AND together',
  );
  const ifExists = policy({
    Sid: 'DenyForeignSource',
    Effect: 'Deny',
    Principal: '*',
    Action: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:SourceAccount': SOURCE } },
  });
  assert.equal(evaluatePolicy(ifExists, ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT)), 'Deny', 'IfExists: an absent key makes the condition true');
  assert.equal(evaluatePolicy(ifExists, ask(root(SOURCE), 'backup:CopyIntoBackupVault', VAULT, { 'aws:SourceAccount': SOURCE })), 'NotApplicable');
});
