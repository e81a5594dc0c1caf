/**
 * What the domain needs to know of a resource it may back up (from the deployment config's
 * registry), and the checks of a resource ARN and an IAM role ARN given by a caller.
 */
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';

export interface DirectoryResource {
  readonly arn: string;
  readonly type: 'EFS';
  /** The resource's own id, e.g. `fs-uploads`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The local directory behind it. */
  readonly path: string;
}

export type ResourceLookup = (arn: string) => DirectoryResource | undefined;

/** The configured resource `arn` names in the caller's account and region. */
export function requireResource(lookup: ResourceLookup, scope: CallScope, arn: string): DirectoryResource {
  const parsed = parseArn(arn);
  if (parsed === undefined) throw new BackupError('InvalidParameter', `ResourceArn ${JSON.stringify(arn)} is not an ARN.`, { context: arn });
  if (parsed.accountId !== scope.accountId || parsed.region !== scope.region) {
    throw new BackupError('InvalidParameter', `ResourceArn ${arn} is not in account ${scope.accountId}, region ${scope.region}; back a resource up from its own account and region.`, { context: arn });
  }
  const resource = lookup(arn);
  if (resource === undefined) {
    throw new BackupError('ResourceNotFound', `Resource ${arn} is not known to this Coffer: add it under resources in the config.`, { context: arn });
  }
  return resource;
}

export function checkIamRoleArn(arn: string): void {
  const parsed = parseArn(arn);
  if (parsed === undefined || parsed.service !== 'iam' || !/^\d{12}$/.test(parsed.accountId) || !parsed.resource.startsWith('role/')) {
    throw new BackupError('InvalidParameter', `IamRoleArn ${JSON.stringify(arn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`, { context: arn });
  }
}
