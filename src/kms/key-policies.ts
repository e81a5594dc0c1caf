/**
 * The key policies Coffer writes itself: AWS's default policy for a new customer managed key
 * (the account root may do everything, which delegates to the account's own permissions), and
 * the fixed policies of the AWS managed keys `aws/backup` and `aws/rds`, which let principals of
 * the owning account use the key only through that service (`kms:ViaService`,
 * `kms:CallerAccount`) and read its metadata directly. No other account appears in them, which
 * is why an AWS managed key can never be shared.
 */
import { arns } from '../iam/arn.js';
import type { ArnScope } from '../iam/arn.js';

export const DEFAULT_POLICY_NAME = 'default';

export type ManagedKeyService = 'backup' | 'rds';

export const MANAGED_KEY_SERVICES: readonly ManagedKeyService[] = ['backup', 'rds'];

export function managedAliasName(service: ManagedKeyService): string {
  return `alias/aws/${service}`;
}

export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: arns.accountRoot(accountId) },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

const VIA_SERVICE: Readonly<Record<ManagedKeyService, { readonly id: string; readonly sid: string; readonly actions: readonly string[] }>> = {
  backup: {
    id: 'auto-backup-1',
    sid: 'Allow access through Backup for all principals in the account that are authorized to use Backup Storage',
    actions: ['kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey*'],
  },
  rds: {
    id: 'auto-rds-2',
    sid: 'Allow access through RDS for all principals in the account that are authorized to use RDS',
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:DescribeKey'],
  },
};

export const MANAGED_KEY_DESCRIPTIONS: Readonly<Record<ManagedKeyService, string>> = {
  backup: 'Default key that protects my Backup vaults when no other key is defined',
  rds: 'Default key that protects my RDS database volumes when no other key is defined',
};

export function managedKeyPolicy(scope: ArnScope, service: ManagedKeyService): string {
  const via = VIA_SERVICE[service];
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: via.id,
      Statement: [
        {
          Sid: via.sid,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: via.actions,
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': `${service}.${scope.region}.amazonaws.com`, 'kms:CallerAccount': scope.accountId } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: arns.accountRoot(scope.accountId) },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}
