/**
 * ARNs: the one place that builds them, and the parser that reads them back. Every ARN Coffer
 * hands out (vaults, plans, recovery points, KMS keys and aliases, account principals) comes from
 * `arns` below, so their shapes cannot drift apart. Knows the ARN syntax, nothing of HTTP,
 * storage or what the resources are.
 */

export const PARTITION = 'aws';

export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global services (IAM, S3). */
  readonly region: string;
  /** Empty for S3 buckets. */
  readonly accountId: string;
  /** Everything after the fifth colon, e.g. `backup-vault:daily` or `key/1234...`. */
  readonly resource: string;
}

/** An account and region, as in every call scope. */
export interface ArnScope {
  readonly accountId: string;
  readonly region: string;
}

/** The ARN in `text`, or undefined when it is not one (`arn:partition:service:region:account:resource`). */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return undefined;
  if (accountId !== '' && !/^\d{12}$/.test(accountId)) return undefined;
  return { partition, service, region, accountId, resource };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${arn.resource}`;
}

function scoped(service: string, scope: ArnScope, resource: string): string {
  return formatArn({ partition: PARTITION, service, region: scope.region, accountId: scope.accountId, resource });
}

/** Builders for every ARN Coffer hands out. */
export const arns = {
  backupVault: (scope: ArnScope, name: string): string => scoped('backup', scope, `backup-vault:${name}`),
  backupPlan: (scope: ArnScope, planId: string): string => scoped('backup', scope, `backup-plan:${planId}`),
  recoveryPoint: (scope: ArnScope, id: string): string => scoped('backup', scope, `recovery-point:${id}`),
  kmsKey: (scope: ArnScope, keyId: string): string => scoped('kms', scope, `key/${keyId}`),
  kmsAlias: (scope: ArnScope, alias: string): string => scoped('kms', scope, `alias/${alias}`),
  /** The account itself as a principal: the caller until Coffer has IAM users and roles. */
  accountRoot: (accountId: string): string => formatArn({ partition: PARTITION, service: 'iam', region: '', accountId, resource: 'root' }),
} as const;
