/**
 * The cross-account setting the copy and preflight tests share: production (ALPHA, the
 * organization's management account) and backup (BETA) in one organization, two regions, the
 * destination vaults, the production key's policy (with or without the backup account) and the
 * backup vault's policy letting production copy in.
 */
import { accountsYaml, ALPHA, BETA } from './accounts.js';
import type { TestAccount } from './accounts.js';

export const EAST = 'us-east-1';
export const WEST = 'eu-west-1';

export const vaultArn = (account: TestAccount, region: string, name: string): string => `arn:aws:backup:${region}:${account.accountId}:backup-vault:${name}`;
/** The backup account's vault, and production's vault in the other region. */
export const CENTRAL = vaultArn(BETA, EAST, 'central');
export const DR = vaultArn(ALPHA, WEST, 'dr');

export const root = (account: TestAccount): string => `arn:aws:iam::${account.accountId}:root`;

/** The head of a config with both accounts in one organization and both regions; append `resources:`. */
export const ORGANIZATION_CONFIG_HEAD = `listen: 127.0.0.1:0
dataDir: ./data
organization: { managementAccount: "${ALPHA.accountId}" }
${accountsYaml([ALPHA, BETA])}regions:
  - { name: ${EAST}, storage: "file:./data/vaults/${EAST}" }
  - { name: ${WEST}, storage: "file:./data/vaults/${WEST}" }
`;

export const KEY_POLICY = (withBackupAccount: boolean): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root(ALPHA) }, Action: 'kms:*', Resource: '*' },
      ...(withBackupAccount
        ? [
            {
              Sid: 'AllowBackupAccount',
              Effect: 'Allow',
              Principal: { AWS: root(BETA) },
              Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
              Resource: '*',
            },
          ]
        : []),
    ],
  });

export const VAULT_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowProductionCopies', Effect: 'Allow', Principal: { AWS: root(ALPHA) }, Action: 'backup:CopyIntoBackupVault', Resource: '*' }],
});
