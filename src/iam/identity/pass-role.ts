/**
 * `iam:PassRole`: whether the caller of a Backup operation that names an IamRoleArn (a backup
 * selection, StartBackupJob, StartCopyJob, StartRestoreJob) may hand that role to AWS Backup.
 * The rule, where AWS's own is "the caller's identity policies must allow iam:PassRole on the role":
 * - the account root (Coffer's configured access keys) may pass every role of its own account, as
 *   AWS's root user may;
 * - an assumed-role session is its role: the role's identity policies (inline and attached) must
 *   allow `iam:PassRole` on the role ARN, with `iam:PassedToService = backup.amazonaws.com` in the
 *   request context, and no statement deny it (AWSBackupFullAccess and AWSBackupOperatorAccess
 *   allow it, as on AWS);
 * - nobody passes a role of another account.
 * The answer is the problem in AWS's words (AccessDenied), or undefined when the role may be passed.
 */
import type { IamEntityStore } from '../../catalog/iam-entities.js';
import { arns, parseArn } from '../arn.js';
import { evaluateIdentityPolicy } from '../policy-evaluator.js';
import { roleNameOfSession } from './assume-role.js';
import { createEntityPolicyService } from './entity-policies.js';
import { createPolicyService } from './managed-policies.js';

export interface PassRoleRequest {
  readonly accountId: string;
  /** The caller as a principal ARN: the account root, or an STS assumed-role session. */
  readonly principal: string;
  readonly roleArn: string;
}

const SERVICE = 'backup.amazonaws.com';

export async function passRoleProblem(store: IamEntityStore, request: PassRoleRequest, now: () => Date): Promise<string | undefined> {
  const { accountId, principal, roleArn } = request;
  const denied = (why: string): string => `User: ${principal} is not authorized to perform: iam:PassRole on resource: ${roleArn} ${why}`;
  const role = parseArn(roleArn);
  if (role !== undefined && role.accountId !== accountId) {
    return denied(`because the role belongs to account ${role.accountId}: AWS Backup runs jobs of account ${accountId} only with a role of that account.`);
  }
  if (principal === arns.accountRoot(accountId)) return undefined;
  const sessionRole = roleNameOfSession(principal);
  if (sessionRole === undefined) return denied('because no identity-based policy allows the iam:PassRole action');
  const policies = createEntityPolicyService(store, createPolicyService(store, now), now);
  const documents = (await policies.documentsOf(accountId, 'role', sessionRole)) ?? [];
  const callerArn = `arn:aws:iam::${accountId}:role/${sessionRole}`;
  const decisions = documents.map((d) =>
    evaluateIdentityPolicy(d, {
      principal: { accountId, arn: principal },
      action: 'iam:PassRole',
      resource: roleArn,
      context: { 'iam:PassedToService': SERVICE, 'aws:PrincipalArn': callerArn, 'aws:PrincipalAccount': accountId },
    }),
  );
  if (decisions.includes('Deny')) return denied('with an explicit deny in an identity-based policy');
  if (!decisions.includes('Allow')) {
    return denied(
      `because no identity-based policy allows the iam:PassRole action. Allow it to role ${sessionRole}: {"Effect":"Allow","Action":"iam:PassRole","Resource":"${roleArn}","Condition":{"StringEquals":{"iam:PassedToService":"${SERVICE}"}}} (aws iam put-role-policy), or attach arn:aws:iam::aws:policy/AWSBackupFullAccess.`,
    );
  }
  return undefined;
}
