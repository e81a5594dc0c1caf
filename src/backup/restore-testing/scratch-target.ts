/**
 * Where a restore test restores to: the recovery point's recorded restore metadata with the
 * target renamed to a scratch name that says what it is, `<source>-restore-test-<suffix>`, next
 * to where an ordinary restore of the point would go (so restoreTargets and restoreRoots route
 * it the same way), then the selection's RestoreMetadataOverrides on top. GetRestoreTestingInferredMetadata
 * answers the same map (with a suffix of its own). Pure.
 */

/** The metadata key naming each resource type's new resource. */
const TARGET_KEY: Readonly<Record<string, string>> = {
  EFS: 'RestorePath',
  RDS: 'DBInstanceIdentifier',
  DynamoDB: 'targetTableName',
  S3: 'DestinationBucketName',
};

/** The scratch marker in every name restore testing makes. */
export const SCRATCH_MARK = '-restore-test-';

/** Longest names each type allows (RDS identifiers and S3 buckets: 63). */
const MAX_LENGTH: Readonly<Record<string, number>> = { RDS: 63, S3: 63, DynamoDB: 255, EFS: 4096 };

function scratchName(type: string, recorded: string, suffix: string): string {
  // The recorded default is `<source>-restore-<8 chars>`: keep the source part.
  const cut = recorded.lastIndexOf('-restore-');
  const base = cut > 0 ? recorded.slice(0, cut) : recorded;
  const tail = `${SCRATCH_MARK}${suffix}`;
  const max = MAX_LENGTH[type] ?? 63;
  if (type === 'EFS') return `${base}${tail}`;
  const head = base.slice(0, Math.max(1, max - tail.length)).replace(/[-.]+$/, '');
  return `${head}${tail}`;
}

export function scratchMetadata(
  type: string,
  recorded: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> | undefined,
  suffix: string,
): Record<string, string> {
  const key = TARGET_KEY[type];
  const out: Record<string, string> = { ...recorded };
  if (key !== undefined && recorded[key] !== undefined) out[key] = scratchName(type, recorded[key], suffix.toLowerCase());
  if (type === 'S3') out['NewBucket'] = 'true';
  return { ...out, ...(overrides ?? {}) };
}
