/**
 * What a job's IamRoleArn must be for AWS Backup to run the job with it: a role of the job's own
 * account that exists, whose trust policy lets backup.amazonaws.com assume it, and whose identity
 * policies allow the action the job performs on its resource (dynamodb:CreateBackup for a DynamoDB
 * backup, s3:PutObject for an S3 restore, backup:CopyIntoBackupVault for a copy, ...). Answers the
 * problem in AWS's words with the fix, or undefined. Every account has AWS Backup's default role
 * (service-role/AWSBackupDefaultServiceRole, as AWS creates it on first use) with AWS's backup and
 * restore policies attached, unless the account defines its own role of that name.
 */
import type { IamEntityStore } from '../../catalog/iam-entities.js';
import { parseArn } from '../arn.js';
import type { PolicyDocument } from '../policy-document.js';
import { evaluateIdentityPolicy, evaluatePolicy } from '../policy-evaluator.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.js';
import { createEntityPolicyService } from './entity-policies.js';
import { checkIdentityPolicy, checkTrustPolicy } from './identity-policy-text.js';
import { createPolicyService } from './managed-policies.js';
import { roleOf } from './roles.js';

export type JobKind = 'backup' | 'restore' | 'copy';

export interface JobRoleRequest {
  readonly kind: JobKind;
  readonly accountId: string;
  readonly roleArn: string;
  readonly resourceType: string | undefined;
  /** What the job acts on: the resource (backup, restore) or the destination vault (copy). */
  readonly resourceArn: string;
}

export const DEFAULT_ROLE_PATH = '/service-role/';
export const DEFAULT_ROLE_NAME = 'AWSBackupDefaultServiceRole';
const SERVICE = 'backup.amazonaws.com';

const BACKUP_ACTION: Readonly<Record<string, string>> = {
  DynamoDB: 'dynamodb:CreateBackup',
  RDS: 'rds:CreateDBSnapshot',
  Aurora: 'rds:CreateDBClusterSnapshot',
  EFS: 'elasticfilesystem:Backup',
  S3: 's3:GetObject',
};
const RESTORE_ACTION: Readonly<Record<string, string>> = {
  DynamoDB: 'dynamodb:RestoreTableFromBackup',
  RDS: 'rds:RestoreDBInstanceFromDBSnapshot',
  Aurora: 'rds:RestoreDBClusterFromSnapshot',
  EFS: 'elasticfilesystem:Restore',
  S3: 's3:PutObject',
};

/** The IAM action a job performs with its role; undefined for resource types Coffer has no rule for. */
export function jobAction(kind: JobKind, resourceType: string | undefined): string | undefined {
  if (kind === 'copy') return 'backup:CopyIntoBackupVault';
  return resourceType === undefined ? undefined : (kind === 'backup' ? BACKUP_ACTION : RESTORE_ACTION)[resourceType];
}

const FIX_POLICY: Readonly<Record<JobKind, string>> = {
  backup: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
  copy: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
  restore: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
};

function defaultRoleDocuments(): PolicyDocument[] {
  const names = [
    'AWSBackupServiceRolePolicyForBackup',
    'AWSBackupServiceRolePolicyForRestores',
    'AWSBackupServiceRolePolicyForS3Backup',
    'AWSBackupServiceRolePolicyForS3Restore',
  ];
  return AWS_MANAGED_POLICIES.filter((p) => names.includes(p.PolicyName)).map((p) => checkIdentityPolicy(p.Versions[0]?.Document ?? ''));
}

function s3Fix(kind: JobKind, resourceType: string | undefined): string {
  if (resourceType !== 'S3' || kind === 'copy') return FIX_POLICY[kind];
  return kind === 'backup' ? 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' : 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore';
}

export async function jobRoleProblem(store: IamEntityStore, request: JobRoleRequest, now: () => Date): Promise<string | undefined> {
  const { roleArn, accountId } = request;
  const arn = parseArn(roleArn);
  if (arn === undefined || arn.service !== 'iam' || !arn.resource.startsWith('role/')) {
    return `IamRoleArn ${roleArn} is not an IAM role ARN (arn:aws:iam::${accountId}:role/<name>).`;
  }
  if (arn.accountId !== accountId) {
    return `IAM role ${roleArn} belongs to account ${arn.accountId}: AWS Backup runs a job of account ${accountId} only with a role of that account.`;
  }
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  const row = await store.get(accountId, 'role', name);
  const isDefault = arn.resource === `role${DEFAULT_ROLE_PATH}${DEFAULT_ROLE_NAME}`;
  let documents: PolicyDocument[];
  if (row === undefined || row.arn !== roleArn) {
    if (!isDefault || row !== undefined) {
      return `IAM role ${roleArn} does not exist in account ${accountId}. Create it with a trust policy that lets ${SERVICE} assume it and attach ${FIX_POLICY[request.kind]} (aws iam create-role, aws iam attach-role-policy), or use an existing role.`;
    }
    documents = defaultRoleDocuments();
  } else {
    const trust = checkTrustPolicy(roleOf(row).AssumeRolePolicyDocument);
    const assumable = evaluatePolicy(trust, { principal: { accountId: '', arn: SERVICE, service: SERVICE }, action: 'sts:AssumeRole', resource: roleArn });
    if (assumable !== 'Allow') {
      return `AWS Backup cannot assume IAM role ${roleArn}: its trust policy does not allow the service principal ${SERVICE} to perform sts:AssumeRole. Add {"Effect":"Allow","Principal":{"Service":"${SERVICE}"},"Action":"sts:AssumeRole"} (aws iam update-assume-role-policy --role-name ${name}).`;
    }
    const policies = createEntityPolicyService(store, createPolicyService(store, now), now);
    documents = (await policies.documentsOf(accountId, 'role', name)) ?? [];
  }
  const action = jobAction(request.kind, request.resourceType);
  if (action === undefined) return undefined;
  const decisions = documents.map((d) => evaluateIdentityPolicy(d, { principal: { accountId, arn: roleArn }, action, resource: request.resourceArn }));
  if (decisions.includes('Deny') || !decisions.includes('Allow')) {
    const why = decisions.includes('Deny') ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the action';
    return `IAM role ${roleArn} is not authorized to perform: ${action} on resource: ${request.resourceArn} ${why}. Attach ${s3Fix(request.kind, request.resourceType)} to the role (aws iam attach-role-policy --role-name ${name} --policy-arn ${s3Fix(request.kind, request.resourceType)}).`;
  }
  return undefined;
}
