/**
 * STS AssumeRole and GetCallerIdentity. A role is assumed when its trust policy allows the caller
 * `sts:AssumeRole` (an account named in Principal trusts its own principals; `sts:ExternalId` is
 * a condition key); the session then acts in the role's account as
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`. A missing role and a trust policy that
 * says no answer the same AccessDenied, as on AWS, so the answer tells nothing of another account.
 */
import { parseArn } from '../arn.js';
import type { PrincipalContext } from '../authorization-request.js';
import { evaluatePolicy } from '../policy-evaluator.js';
import { IamError } from './iam-error.js';
import type { RoleService } from './roles.js';
import { checkTrustPolicy } from './identity-policy-text.js';
import type { SessionCredentials, SessionIssuer } from './session-credentials.js';

export interface AssumeRoleInput {
  readonly RoleArn: string;
  readonly RoleSessionName: string;
  readonly DurationSeconds?: number;
  readonly ExternalId?: string;
}

export interface AssumedRole {
  readonly Credentials: SessionCredentials;
  readonly AssumedRoleUser: { readonly AssumedRoleId: string; readonly Arn: string };
}

export interface CallerIdentity {
  readonly UserId: string;
  readonly Account: string;
  readonly Arn: string;
}

/** The role a principal ARN acts as: `arn:aws:iam::A:role/R` for an assumed-role session of R; undefined for others. */
export function roleNameOfSession(principalArn: string): string | undefined {
  const match = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(principalArn);
  return match?.[1];
}

export function callerIdentityOf(principal: PrincipalContext, userId: string | undefined): CallerIdentity {
  return { UserId: userId ?? principal.accountId, Account: principal.accountId, Arn: principal.arn };
}

export async function assumeRole(
  roles: RoleService,
  sessions: SessionIssuer,
  caller: PrincipalContext,
  input: AssumeRoleInput,
  now: Date,
): Promise<AssumedRole> {
  const denied = new IamError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
  const arn = parseArn(input.RoleArn);
  if (arn === undefined || arn.service !== 'iam' || !arn.resource.startsWith('role/'))
    throw new IamError('InvalidInput', `${input.RoleArn} is not a role ARN (arn:aws:iam::<account>:role/<name>).`);
  if (!/^[\w+=,.@-]{2,64}$/.test(input.RoleSessionName)) {
    throw new IamError('InvalidInput', `RoleSessionName ${input.RoleSessionName} is invalid: use 2 to 64 characters of letters, digits and +=,.@_-.`);
  }
  const role = await roles.find(arn.accountId, arn.resource.slice(arn.resource.lastIndexOf('/') + 1));
  if (role === undefined || role.Arn !== input.RoleArn) throw denied;
  const context = input.ExternalId === undefined ? {} : { 'sts:ExternalId': input.ExternalId };
  const decision = evaluatePolicy(checkTrustPolicy(role.AssumeRolePolicyDocument), {
    principal: caller,
    action: 'sts:AssumeRole',
    resource: role.Arn,
    context,
  });
  if (decision !== 'Allow') throw denied;
  const duration = input.DurationSeconds ?? 3600;
  if (duration < 900 || duration > role.MaxSessionDuration) {
    throw new IamError(
      'InvalidInput',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role: ${duration} is not between 900 and ${role.MaxSessionDuration} seconds.`,
    );
  }
  const sessionArn = `arn:aws:sts::${arn.accountId}:assumed-role/${role.RoleName}/${input.RoleSessionName}`;
  const userId = `${role.RoleId}:${input.RoleSessionName}`;
  const credentials = sessions.issue({
    accountId: arn.accountId,
    principalArn: sessionArn,
    userId,
    roleArn: role.Arn,
    expiresAt: now.getTime() + duration * 1000,
  });
  return { Credentials: credentials, AssumedRoleUser: { AssumedRoleId: userId, Arn: sessionArn } };
}
