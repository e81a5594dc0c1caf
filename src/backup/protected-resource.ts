/**
 * What the domain needs to know of a resource it may back up (from the deployment config's
 * registry, including resources found by discovery), and the checks of a resource ARN and an
 * IAM role ARN given by a caller.
 */
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';

export interface ProtectedResource {
  readonly arn: string;
  /** The AWS Backup resource type: `EFS`, `RDS`, `DynamoDB`, `S3`. */
  readonly type: string;
  /** The resource's own id, e.g. `fs-uploads`, `pg-main-orders`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The resource an ARN names; discovery may run first, hence a promise. */
export type ResourceLookup = (arn: string) => Promise<ProtectedResource | undefined>;

/** Every resource of one account and region (for selections by wildcard or tag). */
export type ResourceLister = (scope: { readonly accountId: string; readonly region: string }) => Promise<readonly ProtectedResource[]>;

/** The configured resource `arn` names in the caller's account and region. */
export async function requireResource(lookup: ResourceLookup, scope: CallScope, arn: string): Promise<ProtectedResource> {
  const parsed = parseArn(arn);
  if (parsed === undefined) throw new BackupError('InvalidParameter', `ResourceArn ${JSON.stringify(arn)} is not an ARN.`, { context: arn });
  // S3 ARNs carry no account or region: the config's entry says them.
  if (parsed.service !== 's3' && (parsed.accountId !== scope.accountId || parsed.region !== scope.region)) {
    throw new BackupError(
      'InvalidParameter',
      `ResourceArn ${arn} is not in account ${scope.accountId}, region ${scope.region}; back a resource up from its own account and region.`,
      { context: arn },
    );
  }
  const resource = await lookup(arn);
  if (resource === undefined || resource.accountId !== scope.accountId || resource.region !== scope.region) {
    throw new BackupError('ResourceNotFound', `Resource ${arn} is not known to this Coffer: add it under resources in the config.`, { context: arn });
  }
  return resource;
}

export function checkIamRoleArn(arn: string): void {
  const parsed = parseArn(arn);
  if (parsed === undefined || parsed.service !== 'iam' || !/^\d{12}$/.test(parsed.accountId) || !parsed.resource.startsWith('role/')) {
    throw new BackupError('InvalidParameter', `IamRoleArn ${JSON.stringify(arn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`, {
      context: arn,
    });
  }
}
