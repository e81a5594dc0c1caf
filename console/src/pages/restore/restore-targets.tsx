/**
 * What a restore creates, per resource type, as the restore metadata keys Coffer reads
 * (docs/restore-metadata.md): a new directory, database, table or bucket. Each form edits the
 * metadata map GetRecoveryPointRestoreMetadata recorded; what it does not show stays as recorded.
 */
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/fields';

export type Metadata = Record<string, string>;

interface TargetProps {
  readonly metadata: Metadata;
  readonly onChange: (m: Metadata) => void;
}

const set = (m: Metadata, key: string, value: string | undefined): Metadata => {
  const out = { ...m };
  if (value === undefined || value === '') delete out[key];
  else out[key] = value;
  return out;
};

/** ItemsToRestore as one path per line, kept as the JSON list the API takes. */
function ItemsField({ metadata, onChange, hint }: TargetProps & { hint: string }) {
  const lines = (() => {
    try {
      return (JSON.parse(metadata['ItemsToRestore'] ?? '[]') as string[]).join('\n');
    } catch {
      return '';
    }
  })();
  return (
    <TextAreaField
      label="Only these items (one per line; empty restores everything)"
      value={lines}
      rows={3}
      hint={hint}
      onChange={(v) => {
        const items = v
          .split('\n')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        onChange(set(metadata, 'ItemsToRestore', items.length === 0 ? undefined : JSON.stringify(items)));
      }}
    />
  );
}

function DirectoryTarget({ metadata, onChange }: TargetProps) {
  const path = metadata['RestorePath'] ?? '';
  return (
    <>
      <TextField
        label="Restore into directory"
        value={path}
        mono
        onChange={(v) => onChange(set(metadata, 'RestorePath', v))}
        required
        hint="An absolute path on the Coffer server that does not exist yet (or is empty): a restore never writes over files."
        error={path !== '' && !path.startsWith('/') ? 'An absolute path, starting with /.' : undefined}
      />
      <ItemsField metadata={metadata} onChange={onChange} hint="Paths inside the backed-up directory, each starting with /, e.g. /reports/2024" />
    </>
  );
}

function DatabaseTarget({ metadata, onChange }: TargetProps) {
  return (
    <>
      <TextField
        label="New database (DBInstanceIdentifier)"
        value={metadata['DBInstanceIdentifier'] ?? ''}
        mono
        onChange={(v) => onChange(set(metadata, 'DBInstanceIdentifier', v))}
        required
        hint={`Created on the source's ${metadata['Engine'] === 'mariadb' ? 'MariaDB' : 'PostgreSQL'} server; a database of that name must not exist.`}
      />
      <TextField label="Database name, if different (DBName)" value={metadata['DBName'] ?? ''} mono onChange={(v) => onChange(set(metadata, 'DBName', v))} />
    </>
  );
}

function TableTarget({ metadata, onChange }: TargetProps) {
  const kms = metadata['encryptionType'] === 'KMS';
  return (
    <>
      <TextField
        label="New table name"
        value={metadata['targetTableName'] ?? ''}
        mono
        onChange={(v) => onChange(set(metadata, 'targetTableName', v))}
        required
        hint="Created with the saved schema; an existing table is never written to."
      />
      <SelectField
        label="Encryption"
        value={kms ? 'KMS' : 'Default'}
        onChange={(v) => onChange(set(set(metadata, 'encryptionType', v), 'kmsMasterKeyArn', v === 'KMS' ? metadata['kmsMasterKeyArn'] : undefined))}
        options={[
          { value: 'Default', label: "The endpoint's own key" },
          { value: 'KMS', label: 'A KMS key' },
        ]}
      />
      {kms && (
        <TextField
          label="KMS key ARN"
          value={metadata['kmsMasterKeyArn'] ?? ''}
          mono
          onChange={(v) => onChange(set(metadata, 'kmsMasterKeyArn', v))}
          required
        />
      )}
    </>
  );
}

function BucketTarget({ metadata, onChange }: TargetProps) {
  const newBucket = metadata['NewBucket'] !== 'false';
  return (
    <>
      <CheckboxField
        label="Create a new bucket"
        checked={newBucket}
        onChange={(on) => onChange(set(metadata, 'NewBucket', on ? 'true' : 'false'))}
        hint="Off: restore into an existing bucket."
      />
      <TextField
        label={newBucket ? 'New bucket name' : 'Existing bucket name'}
        value={metadata['DestinationBucketName'] ?? ''}
        mono
        onChange={(v) => onChange(set(metadata, 'DestinationBucketName', v))}
        required
      />
      <TextField label="Below prefix" value={metadata['DestinationPrefix'] ?? ''} mono onChange={(v) => onChange({ ...metadata, DestinationPrefix: v })} />
      {!newBucket && (
        <CheckboxField
          label="Overwrite objects that exist"
          checked={metadata['OverwriteExistingObjects'] === 'true'}
          onChange={(on) => onChange(set(metadata, 'OverwriteExistingObjects', on ? 'true' : 'false'))}
        />
      )}
      <ItemsField metadata={metadata} onChange={onChange} hint="Keys or key prefixes of the source, e.g. reports/2024/" />
    </>
  );
}

export function RestoreTarget({ type, metadata, onChange }: { type: string | undefined } & TargetProps) {
  switch (type) {
    case 'EFS':
      return <DirectoryTarget metadata={metadata} onChange={onChange} />;
    case 'RDS':
      return <DatabaseTarget metadata={metadata} onChange={onChange} />;
    case 'DynamoDB':
      return <TableTarget metadata={metadata} onChange={onChange} />;
    case 'S3':
      return <BucketTarget metadata={metadata} onChange={onChange} />;
    default:
      return <p className="hint">Edit the restore metadata below.</p>;
  }
}

export const TARGET_WORDS: Readonly<Record<string, string>> = { EFS: 'a new directory', RDS: 'a new database', DynamoDB: 'a new table', S3: 'a bucket' };
