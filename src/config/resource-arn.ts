/**
 * Parsing the ARN of a configured resource and deriving its AWS Backup resource type. Only the
 * types Coffer can back up are accepted; the others are refused by name.
 * (A general ARN helper belongs to iam/; this one serves the config alone.)
 */
import type { ResourceType } from './resource-config.js';

export interface ResourceArn {
  readonly type: ResourceType;
  /** Empty for S3 (bucket ARNs name no region or account). */
  readonly region: string;
  readonly accountId: string;
  /** The resource's own id, e.g. `fs-uploads`, `orders-db`, `Orders`, `my-bucket`. */
  readonly name: string;
}

/** AWS Backup's names for resource types Coffer does not back up yet, by ARN service. */
const NOT_YET: Readonly<Record<string, string>> = {
  ec2: 'EC2',
  fsx: 'FSx',
  storagegateway: 'Storage Gateway',
  docdb: 'DocumentDB',
  neptune: 'Neptune',
  redshift: 'Redshift',
  timestream: 'Timestream',
  cloudformation: 'CloudFormation',
};

const SUPPORTED = 'elasticfilesystem, rds, dynamodb, s3';

const FORMS: Readonly<Record<string, { readonly type: ResourceType; readonly pattern: RegExp; readonly shape: string }>> = {
  elasticfilesystem: { type: 'EFS', pattern: /^file-system\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$/, shape: 'an EFS ARN must end in file-system/<id>' },
  rds: {
    type: 'RDS',
    pattern: /^db:([A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62})$/,
    shape: 'an RDS ARN must end in db:<id> (letters, digits, single hyphens; starting with a letter; at most 63)',
  },
  dynamodb: {
    type: 'DynamoDB',
    pattern: /^table\/([A-Za-z0-9_.-]{3,255})$/,
    shape: 'a DynamoDB ARN must end in table/<name> (3 to 255 letters, digits, _ . -)',
  },
  s3: { type: 'S3', pattern: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/, shape: 'an S3 ARN is arn:aws:s3:::<bucket> (3 to 63 lower-case letters, digits, . -)' },
};

/** The parsed ARN, or the reason it cannot name a resource Coffer backs up. */
export function parseResourceArn(arn: string): ResourceArn | string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return 'must be an ARN: arn:aws:<service>:<region>:<account>:<resource>';
  }
  const [, partition, service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition !== 'aws') return `partition must be "aws", got ${JSON.stringify(partition)}`;
  const form = FORMS[service];
  if (form === undefined) return unsupportedService(service);
  if (form.type === 'S3') {
    if (region !== '' || accountId !== '') return 'an S3 ARN names no region or account: arn:aws:s3:::<bucket> (say them with account and region)';
  } else if (!/^\d{12}$/.test(accountId)) return `account ${JSON.stringify(accountId)} in the ARN is not 12 digits`;
  const match = form.pattern.exec(resource);
  if (match === null) return form.shape;
  return { type: form.type, region, accountId, name: match[1]! };
}

function unsupportedService(service: string): string {
  const type = NOT_YET[service];
  if (type !== undefined) return `resource type ${type} is not supported yet (supported: ${SUPPORTED})`;
  return `unknown service ${JSON.stringify(service)} (supported: ${SUPPORTED})`;
}
