/**
 * The restore metadata of a DynamoDB recovery point (AWS Backup's keys): `targetTableName`
 * (default `<table>-restore-<first 8 of the recovery point id>`), `encryptionType` (`Default` or
 * `KMS`) and `kmsMasterKeyArn` (with `KMS` only). Pure.
 */
import { RestoreMetadataError } from '../connector.js';
import type { RecoveryPointInfo } from '../connector.js';

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export function tableRestoreDefaults(table: string, point: RecoveryPointInfo): Record<string, string> {
  const suffix = `-restore-${point.id.slice(0, 8)}`;
  return { targetTableName: `${table.slice(0, 255 - suffix.length)}${suffix}`, encryptionType: 'Default' };
}

export function validateTableRestore(metadata: Readonly<Record<string, string>>): void {
  const target = metadata['targetTableName'];
  if (target === undefined || !TABLE_NAME.test(target)) {
    throw new RestoreMetadataError('targetTableName', 'targetTableName must be a table name of 3 to 255 letters, digits, _ . or -');
  }
  const encryption = metadata['encryptionType'] ?? 'Default';
  if (encryption !== 'Default' && encryption !== 'KMS') throw new RestoreMetadataError('encryptionType', 'encryptionType must be Default or KMS');
  const key = metadata['kmsMasterKeyArn'];
  if (encryption === 'KMS' && (key === undefined || key === ''))
    throw new RestoreMetadataError('kmsMasterKeyArn', 'kmsMasterKeyArn is required when encryptionType is KMS');
  if (encryption !== 'KMS' && key !== undefined && key !== '')
    throw new RestoreMetadataError('kmsMasterKeyArn', 'kmsMasterKeyArn is only used with encryptionType KMS');
}
