/**
 * The AWS managed policies Coffer knows, by ARN: those an AWS Backup setup attaches to its service
 * role (backup and restore, S3 backup and restore), the Backup console's access policies and
 * AdministratorAccess. They exist in every account, read-only, as on AWS. Their documents are
 * Coffer's own statement of what each grants for the resources Coffer backs up (the actions its
 * job checks ask for), not copies of AWS's text.
 */
import type { IamManagedPolicy } from './iam-records.js';

const PUBLISHED = new Date('2019-01-01T00:00:00Z');

interface Definition {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly description: string;
  readonly actions: readonly string[];
}

const BACKUP_ACTIONS = [
  'backup:DescribeBackupVault',
  'backup:CopyIntoBackupVault',
  'tag:GetResources',
  'dynamodb:DescribeTable',
  'dynamodb:CreateBackup',
  'dynamodb:DescribeBackup',
  'dynamodb:DeleteBackup',
  'dynamodb:ListTagsOfResource',
  'dynamodb:Scan',
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusters',
  'rds:CreateDBSnapshot',
  'rds:CreateDBClusterSnapshot',
  'rds:DescribeDBSnapshots',
  'rds:CopyDBSnapshot',
  'rds:DeleteDBSnapshot',
  'rds:AddTagsToResource',
  'rds:ListTagsForResource',
  'elasticfilesystem:Backup',
  'elasticfilesystem:DescribeTags',
  'elasticfilesystem:DescribeFileSystems',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
];
const RESTORE_ACTIONS = [
  'backup:DescribeBackupVault',
  'dynamodb:RestoreTableFromBackup',
  'dynamodb:DescribeTable',
  'dynamodb:CreateTable',
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'rds:RestoreDBInstanceFromDBSnapshot',
  'rds:RestoreDBClusterFromSnapshot',
  'rds:CreateDBInstance',
  'rds:DescribeDBInstances',
  'rds:DescribeDBSnapshots',
  'rds:AddTagsToResource',
  'elasticfilesystem:Restore',
  'elasticfilesystem:CreateFilesystem',
  'elasticfilesystem:DescribeFilesystems',
  'kms:DescribeKey',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
  'kms:ReEncrypt*',
];
const S3_BACKUP_ACTIONS = [
  's3:GetBucketTagging',
  's3:GetInventoryConfiguration',
  's3:ListBucketVersions',
  's3:ListBucket',
  's3:GetBucketVersioning',
  's3:GetBucketLocation',
  's3:GetBucketAcl',
  's3:GetObject',
  's3:GetObjectAcl',
  's3:GetObjectVersion',
  's3:GetObjectTagging',
  's3:GetObjectVersionTagging',
  's3:ListAllMyBuckets',
  'kms:Decrypt',
  'kms:DescribeKey',
  'events:PutRule',
  'events:DescribeRule',
  'cloudwatch:GetMetricData',
];
const S3_RESTORE_ACTIONS = [
  's3:CreateBucket',
  's3:ListBucketVersions',
  's3:ListBucket',
  's3:GetBucketVersioning',
  's3:GetBucketLocation',
  's3:PutBucketVersioning',
  's3:GetObject',
  's3:PutObject',
  's3:PutObjectAcl',
  's3:PutObjectTagging',
  's3:PutObjectVersionAcl',
  's3:PutObjectVersionTagging',
  's3:DeleteObject',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:GenerateDataKey',
];

const DEFINITIONS: readonly Definition[] = [
  {
    name: 'AWSBackupServiceRolePolicyForBackup',
    path: '/service-role/',
    id: 'ANPAJ2CO5ZF5SAFE3HYSA',
    description: 'Provides AWS Backup permission to create backups of supported resource types on your behalf.',
    actions: BACKUP_ACTIONS,
  },
  {
    name: 'AWSBackupServiceRolePolicyForRestores',
    path: '/service-role/',
    id: 'ANPAJBZNVPPBHDLMLRHDE',
    description: 'Provides AWS Backup permission to perform restores of supported resource types on your behalf.',
    actions: RESTORE_ACTIONS,
  },
  {
    name: 'AWSBackupServiceRolePolicyForS3Backup',
    path: '/',
    id: 'ANPAZKAPJZG4KMXA7HAXO',
    description: 'Policy containing permissions necessary for AWS Backup to back up your S3 buckets.',
    actions: S3_BACKUP_ACTIONS,
  },
  {
    name: 'AWSBackupServiceRolePolicyForS3Restore',
    path: '/',
    id: 'ANPAZKAPJZG4K4NGNCZEF',
    description: 'Policy containing permissions necessary for AWS Backup to restore S3 backups into buckets.',
    actions: S3_RESTORE_ACTIONS,
  },
  {
    name: 'AWSBackupFullAccess',
    path: '/',
    id: 'ANPAJQBE6WXKOTR6ZLZIE',
    description: 'Full access to AWS Backup and the permissions its console needs.',
    actions: [
      'backup:*',
      'backup-storage:*',
      'kms:ListKeys',
      'kms:DescribeKey',
      'kms:ListAliases',
      'kms:CreateGrant',
      'iam:ListRoles',
      'iam:PassRole',
      'iam:GetRole',
      'tag:GetResources',
    ],
  },
  {
    name: 'AWSBackupOperatorAccess',
    path: '/',
    id: 'ANPAJ7BHZJSDQE3QSNIXD',
    description: 'Lets its holder run backups and restores in AWS Backup and see what exists, without changing plans or vaults.',
    actions: [
      'backup:Get*',
      'backup:List*',
      'backup:Describe*',
      'backup:StartBackupJob',
      'backup:StartRestoreJob',
      'backup:StartCopyJob',
      'backup:StopBackupJob',
      'backup:TagResource',
      'iam:ListRoles',
      'iam:PassRole',
      'kms:ListKeys',
      'kms:DescribeKey',
      'kms:ListAliases',
    ],
  },
  { name: 'AdministratorAccess', path: '/', id: 'ANPAIWMBCKSKIEE64ZLYK', description: 'Provides full access to AWS services and resources.', actions: ['*'] },
];

function documentOf(actions: readonly string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
}

function policyOf(d: Definition): IamManagedPolicy {
  return {
    PolicyName: d.name,
    PolicyId: d.id,
    Arn: `arn:aws:iam::aws:policy${d.path}${d.name}`,
    Path: d.path,
    Description: d.description,
    CreateDate: PUBLISHED,
    UpdateDate: PUBLISHED,
    DefaultVersionId: 'v1',
    Versions: [{ VersionId: 'v1', Document: documentOf(d.actions), CreateDate: PUBLISHED }],
    Tags: [],
    awsManaged: true,
  };
}

export const AWS_MANAGED_POLICIES: readonly IamManagedPolicy[] = DEFINITIONS.map(policyOf);

const BY_ARN = new Map(AWS_MANAGED_POLICIES.map((p) => [p.Arn, p]));

export function awsManagedPolicy(arn: string): IamManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith('arn:aws:iam::aws:policy/');
}
