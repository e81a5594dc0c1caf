/**
 * A vault's encryption key, fixed when the vault is created. Until Coffer's KMS lands, the
 * default is named by the account's AWS-managed `aws/backup` alias ARN; a key given by the
 * caller must be a KMS key or alias ARN in the vault's region (any account: a customer-managed
 * key may be shared). Whether the key exists and may be used is KMS's check, later.
 */
import { arns, parseArn } from '../iam/arn.js';
import type { ArnScope } from '../iam/arn.js';
import { BackupError } from './backup-error.js';

export const BACKUP_MANAGED_KEY_ALIAS = 'aws/backup';

export function defaultEncryptionKeyArn(scope: ArnScope): string {
  return arns.kmsAlias(scope, BACKUP_MANAGED_KEY_ALIAS);
}

/** The key ARN as given, when it is a usable one; throws InvalidEncryptionKey otherwise. */
export function checkEncryptionKeyArn(scope: ArnScope, text: string): string {
  const arn = parseArn(text);
  const invalid = (why: string): BackupError => new BackupError('InvalidEncryptionKey', `EncryptionKeyArn ${JSON.stringify(text)} ${why}`, { context: text });
  if (arn === undefined || arn.service !== 'kms' || arn.accountId === '' || !/^(key|alias)\/.+/.test(arn.resource)) {
    throw invalid(
      `is not a KMS key ARN: give arn:aws:kms:${scope.region}:<account>:key/<key-id> (or alias/<name>), or leave it out to use ${defaultEncryptionKeyArn(scope)}.`,
    );
  }
  if (arn.region !== scope.region) {
    throw invalid(`is in region ${arn.region || '(none)'}; a vault in ${scope.region} needs a key in ${scope.region}.`);
  }
  return text;
}
