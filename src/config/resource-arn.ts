/**
 * Parsing the ARN of a configured resource and deriving its AWS Backup resource type. Only the
 * types Coffer can back up are accepted; the others are refused by name.
 * (A general ARN helper belongs to iam/; this one serves the config alone.)
 */
import type { ResourceType } from './schema.js';

export interface ResourceArn {
  readonly type: ResourceType;
  readonly region: string;
  readonly accountId: string;
  /** The resource's own id, e.g. `fs-uploads`. */
  readonly name: string;
}

/** AWS Backup's names for resource types Coffer does not back up yet, by ARN service. */
const NOT_YET: Readonly<Record<string, string>> = {
  rds: 'RDS', dynamodb: 'DynamoDB', s3: 'S3', ec2: 'EC2', fsx: 'FSx', storagegateway: 'Storage Gateway',
  docdb: 'DocumentDB', neptune: 'Neptune', redshift: 'Redshift', timestream: 'Timestream', cloudformation: 'CloudFormation',
};

const EFS_RESOURCE = /^file-system\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

/** The parsed ARN, or the reason it cannot name a resource Coffer backs up. */
export function parseResourceArn(arn: string): ResourceArn | string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return 'must be an ARN: arn:aws:<service>:<region>:<account>:<resource>';
  }
  const [, partition, service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition !== 'aws') return `partition must be "aws", got ${JSON.stringify(partition)}`;
  if (service !== 'elasticfilesystem') return unsupportedService(service);
  if (!/^\d{12}$/.test(accountId)) return `account ${JSON.stringify(accountId)} in the ARN is not 12 digits`;
  const match = EFS_RESOURCE.exec(resource);
  if (match === null) return 'an EFS ARN must end in file-system/<id>';
  return { type: 'EFS', region, accountId, name: match[1]! };
}

function unsupportedService(service: string): string {
  const type = NOT_YET[service];
  if (type !== undefined) return `resource type ${type} is not supported yet (supported: EFS, as elasticfilesystem ARNs)`;
  return `unknown service ${JSON.stringify(service)} (supported: elasticfilesystem)`;
}
