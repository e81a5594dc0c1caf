/** Inline and attached policies of roles and users (Put/Get/List/Delete{Role,User}Policy, Attach/Detach/ListAttached{Role,User}Policies). */
import type { PolicyHolder } from '../../../iam/identity/entity-policies.js';
import type { IamIdentity } from '../../../iam/identity/iam-identity.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalString, requiredString } from '../../wire-members.js';
import { encodedPolicy, listOutput } from './wire-input.js';

function handlersFor(iam: IamIdentity, kind: PolicyHolder, noun: 'Role' | 'User'): Record<string, OperationHandler> {
  const policies = iam.entityPolicies;
  const owner = `${noun}Name`;
  return {
    async [`Put${noun}Policy`](ctx, input) {
      await policies.putInline(ctx.accountId, kind, requiredString(input, owner), requiredString(input, 'PolicyName'), requiredString(input, 'PolicyDocument'));
    },
    async [`Get${noun}Policy`](ctx, input) {
      const name = requiredString(input, owner);
      const policyName = requiredString(input, 'PolicyName');
      const document = await policies.getInline(ctx.accountId, kind, name, policyName);
      return { [owner]: name, PolicyName: policyName, PolicyDocument: encodedPolicy(document) };
    },
    async [`List${noun}Policies`](ctx, input) {
      return listOutput('PolicyNames', await policies.listInline(ctx.accountId, kind, requiredString(input, owner)), input);
    },
    async [`Delete${noun}Policy`](ctx, input) {
      await policies.deleteInline(ctx.accountId, kind, requiredString(input, owner), requiredString(input, 'PolicyName'));
    },
    async [`Attach${noun}Policy`](ctx, input) {
      await policies.attach(ctx.accountId, kind, requiredString(input, owner), requiredString(input, 'PolicyArn'));
    },
    async [`Detach${noun}Policy`](ctx, input) {
      await policies.detach(ctx.accountId, kind, requiredString(input, owner), requiredString(input, 'PolicyArn'));
    },
    async [`ListAttached${noun}Policies`](ctx, input) {
      const prefix = optionalString(input, 'PathPrefix') ?? '/';
      const attached = (await policies.attached(ctx.accountId, kind, requiredString(input, owner))).filter((p) => p.Path.startsWith(prefix));
      return listOutput(
        'AttachedPolicies',
        attached.map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.Arn })),
        input,
      );
    },
  };
}

export function entityPolicyHandlers(iam: IamIdentity): Readonly<Record<string, OperationHandler>> {
  return { ...handlersFor(iam, 'role', 'Role'), ...handlersFor(iam, 'user', 'User') };
}
