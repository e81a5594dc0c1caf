/**
 * Resource types, by the names AWS Backup uses: those AWS knows (accepted in region settings so
 * that existing infrastructure code runs unchanged) and those Coffer can back up now.
 */

/** What GetSupportedResourceTypes answers: types Coffer has a connector for. */
export const SUPPORTED_RESOURCE_TYPES: readonly string[] = ['DynamoDB', 'EFS', 'RDS', 'S3'];

/** AWS Backup's resource type names, accepted in ResourceTypeOptInPreference. */
export const KNOWN_RESOURCE_TYPES: readonly string[] = [
  'Aurora',
  'CloudFormation',
  'DocumentDB',
  'DSQL',
  'DynamoDB',
  'EBS',
  'EC2',
  'EFS',
  'EKS',
  'FSx',
  'Neptune',
  'RDS',
  'Redshift',
  'Redshift Serverless',
  'S3',
  'SAP HANA on Amazon EC2',
  'Storage Gateway',
  'Timestream',
  'VirtualMachine',
];

/** Types whose management (advanced features) can be chosen: ResourceTypeManagementPreference. */
export const MANAGEABLE_RESOURCE_TYPES: readonly string[] = ['DynamoDB', 'EFS'];
