/**
 * STS as the HTTP handler serves it (query protocol, signing name `sts`, any region):
 * GetCallerIdentity, AssumeRole, GetSessionToken and GetAccessKeyInfo. Sessions are stateless
 * tokens (iam/identity/session-credentials.ts), timed by the wall clock as SigV4 is.
 */
import { assumeRole, callerIdentityOf } from '../../iam/identity/assume-role.js';
import type { IamIdentity } from '../../iam/identity/iam-identity.js';
import type { PrincipalContext } from '../../iam/authorization-request.js';
import { withIamErrorMap } from '../iam/error-map.js';
import type { OperationHandler, RequestContext, ServiceBinding } from '../http-handler.js';
import { STS_MODEL } from '../service-model.js';
import { optionalInteger, optionalString, requiredString } from '../wire-members.js';
import { AwsError } from '../errors.js';

export interface StsDeps {
  readonly iam: IamIdentity;
  readonly clock: { now(): Date };
  readonly organizationOf: (accountId: string) => string | undefined;
  /** The account a configured access key belongs to (GetAccessKeyInfo). */
  readonly accountOfKey: (accessKeyId: string) => string | undefined;
}

export function stsHandlers(deps: StsDeps): Readonly<Record<string, OperationHandler>> {
  const principalOf = (ctx: RequestContext): PrincipalContext => {
    const orgId = deps.organizationOf(ctx.accountId);
    return { accountId: ctx.accountId, arn: ctx.principal, ...(orgId !== undefined && { orgId }) };
  };
  const all: Record<string, OperationHandler> = {
    GetCallerIdentity(ctx) {
      return { ...callerIdentityOf(principalOf(ctx), ctx.userId) };
    },
    async AssumeRole(ctx, input) {
      const duration = optionalInteger(input, 'DurationSeconds');
      const externalId = optionalString(input, 'ExternalId');
      const assumed = await assumeRole(
        deps.iam.roles,
        deps.iam.sessions,
        principalOf(ctx),
        {
          RoleArn: requiredString(input, 'RoleArn'),
          RoleSessionName: requiredString(input, 'RoleSessionName'),
          ...(duration !== undefined && { DurationSeconds: duration }),
          ...(externalId !== undefined && { ExternalId: externalId }),
        },
        deps.clock.now(),
      );
      return { ...assumed };
    },
    GetSessionToken(ctx, input) {
      if (ctx.userId !== undefined) throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', { status: 403 });
      const duration = optionalInteger(input, 'DurationSeconds') ?? 43200;
      if (duration < 900 || duration > 129600) throw new AwsError('ValidationError', `DurationSeconds ${duration} is not between 900 and 129600.`);
      const credentials = deps.iam.sessions.issue({
        accountId: ctx.accountId,
        principalArn: ctx.principal,
        userId: ctx.accountId,
        roleArn: '',
        expiresAt: deps.clock.now().getTime() + duration * 1000,
      });
      return { Credentials: credentials };
    },
    GetAccessKeyInfo(ctx, input) {
      const key = requiredString(input, 'AccessKeyId');
      const account = key === ctx.accessKeyId ? ctx.accountId : deps.accountOfKey(key);
      if (account === undefined) throw new AwsError('InvalidParameterValue', `The access key ${key} is not one Coffer knows.`);
      return { Account: account };
    },
  };
  return Object.fromEntries(Object.entries(all).map(([name, handler]) => [name, withIamErrorMap(handler)]));
}

export function createStsBinding(deps: StsDeps): ServiceBinding {
  return { model: STS_MODEL, handlers: stsHandlers(deps), global: true };
}
