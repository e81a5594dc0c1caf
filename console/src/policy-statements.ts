/**
 * The policy statements cross-account copies need, as Coffer's copy checks and preflight name
 * them (src/backup/copy-checks.ts: copyIntoStatement, keyUseStatement), so that what the console
 * offers is word for word what a failed copy asks for. Plus the usual protection of a backup
 * account's vault.
 */
export type Statement = Record<string, unknown>;

export const accountRoot = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

/** On the destination vault: lets `sourceAccountId` copy recovery points into it. */
export const copyIntoStatement = (sourceAccountId: string): Statement => ({
  Sid: `AllowCopyFrom${sourceAccountId}`,
  Effect: 'Allow',
  Action: 'backup:CopyIntoBackupVault',
  Resource: '*',
  Principal: { AWS: accountRoot(sourceAccountId) },
});

/** On the destination vault: lets every account of the organization copy into it. */
export const copyIntoFromOrganizationStatement = (organizationId: string): Statement => ({
  Sid: 'AllowCopyFromOrganization',
  Effect: 'Allow',
  Action: 'backup:CopyIntoBackupVault',
  Resource: '*',
  Principal: '*',
  Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
});

/** On a backup account's vault: nobody deletes recovery points or shortens their lifecycle (a compromised account included). */
export const denyDeleteStatement = (): Statement => ({
  Sid: 'DenyRecoveryPointDeletion',
  Effect: 'Deny',
  Principal: '*',
  Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
  Resource: '*',
});

/** On the source vault's KMS key: lets `accountId` use the key, as a copy into its vault must. */
export const keyUseStatement = (accountId: string): Statement => ({
  Sid: `AllowBackupAccount${accountId}`,
  Effect: 'Allow',
  Principal: { AWS: accountRoot(accountId) },
  Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
  Resource: '*',
});

/** The default key policy: the account itself may do everything with its key. */
export const ownerStatement = (accountId: string): Statement => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: accountRoot(accountId) },
  Action: 'kms:*',
  Resource: '*',
});

/** `document` (JSON text or empty) with `statement` added, replacing one with the same Sid. */
export function withStatement(document: string, statement: Statement): string {
  const base =
    document.trim() === '' ? { Version: '2012-10-17', Statement: [] } : (JSON.parse(document) as { Version?: string; Statement?: Statement | Statement[] });
  const list = base.Statement === undefined ? [] : Array.isArray(base.Statement) ? base.Statement : [base.Statement];
  const kept = list.filter((s) => s['Sid'] === undefined || s['Sid'] !== statement['Sid']);
  return JSON.stringify({ Version: base.Version ?? '2012-10-17', ...base, Statement: [...kept, statement] }, null, 2);
}
