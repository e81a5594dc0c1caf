/**
 * IAM as the HTTP handler serves it (query protocol, signing name `iam`, global): the model plus
 * the operation handlers, each wrapped so that domain errors answer as IAM's error codes. The
 * operations are exactly those in operations.ts (a test checks).
 */
import type { IamIdentity } from '../../iam/identity/iam-identity.js';
import type { OperationHandler, ServiceBinding } from '../http-handler.js';
import { IAM_MODEL } from '../service-model.js';
import { withIamErrorMap } from './error-map.js';
import { entityPolicyHandlers } from './handlers/entity-policies.js';
import { policyHandlers } from './handlers/policies.js';
import { roleHandlers } from './handlers/roles.js';
import { userHandlers } from './handlers/users.js';

export function iamHandlers(iam: IamIdentity): Readonly<Record<string, OperationHandler>> {
  const all = { ...roleHandlers(iam), ...userHandlers(iam), ...policyHandlers(iam), ...entityPolicyHandlers(iam) };
  return Object.fromEntries(Object.entries(all).map(([name, handler]) => [name, withIamErrorMap(handler)]));
}

export function createIamBinding(iam: IamIdentity): ServiceBinding {
  return { model: IAM_MODEL, handlers: iamHandlers(iam), global: true };
}
