/**
 * The restore metadata of an RDS-type recovery point (docs/restore-metadata.md): which keys a
 * restore reads and what values they may take. AWS's other RDS keys (DBInstanceClass, MultiAZ,
 * Port ...) are accepted and ignored, so scripts written for AWS run; a known key spelled in
 * another case is refused, as it would be silently ignored otherwise.
 */
import { RestoreMetadataError } from '../connector.js';

const INSTANCE_ID = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/;
const DB_NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;
const KEYS = ['Engine', 'DBInstanceIdentifier', 'DBName', 'SourceDBInstanceIdentifier', 'SourceDBName', 'Endpoint'];

export function checkDatabaseMetadata(metadata: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(metadata)) {
    const known = KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (known !== undefined && known !== key) throw new RestoreMetadataError(key, `Metadata key ${key} is not known; did you mean ${known}?`);
  }
  const engine = metadata['Engine'];
  if (engine !== undefined && engine !== 'postgres' && engine !== 'mariadb') {
    throw new RestoreMetadataError('Engine', `Metadata Engine must be postgres or mariadb (the source's engine), got ${JSON.stringify(engine)}.`);
  }
  const id = metadata['DBInstanceIdentifier'];
  if (id === undefined || !INSTANCE_ID.test(id) || id.endsWith('-')) {
    throw new RestoreMetadataError(
      'DBInstanceIdentifier',
      'Metadata DBInstanceIdentifier must name the new database: 1 to 63 letters, digits and single hyphens, starting with a letter and not ending with a hyphen; GetRecoveryPointRestoreMetadata shows the default.',
    );
  }
  const name = metadata['DBName'];
  if (name !== undefined && name !== '' && !DB_NAME.test(name)) {
    throw new RestoreMetadataError('DBName', 'Metadata DBName must be 1 to 63 letters, digits, _, $ or -, starting with a letter or _.');
  }
}

/** The database a restore creates: DBName when given, else DBInstanceIdentifier. */
export function newDatabaseName(metadata: Readonly<Record<string, string>>): string {
  const name = metadata['DBName'];
  return name !== undefined && name !== '' ? name : (metadata['DBInstanceIdentifier'] ?? '');
}
