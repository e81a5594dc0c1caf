/**
 * The IAM and STS domain as one object: roles, users, managed policies, the policies on users and
 * roles, and STS sessions. Built once per server from the catalog, a clock and the root key.
 */
import type { IamEntityStore } from '../../catalog/iam-entities.js';
import { createEntityPolicyService } from './entity-policies.js';
import type { EntityPolicyService } from './entity-policies.js';
import { createPolicyService } from './managed-policies.js';
import type { PolicyService } from './managed-policies.js';
import { createRoleService } from './roles.js';
import type { RoleService } from './roles.js';
import { createSessionIssuer } from './session-credentials.js';
import type { SessionIssuer } from './session-credentials.js';
import { createUserService } from './users.js';
import type { UserService } from './users.js';

export interface IamIdentity {
  readonly roles: RoleService;
  readonly users: UserService;
  readonly policies: PolicyService;
  readonly entityPolicies: EntityPolicyService;
  readonly sessions: SessionIssuer;
}

export interface IamIdentityDeps {
  readonly store: IamEntityStore;
  readonly clock: { now(): Date };
  readonly rootKey: Buffer;
}

export function createIamIdentity({ store, clock, rootKey }: IamIdentityDeps): IamIdentity {
  const now = (): Date => clock.now();
  const policies = createPolicyService(store, now);
  return {
    roles: createRoleService(store, now),
    users: createUserService(store, now),
    policies,
    entityPolicies: createEntityPolicyService(store, policies, now),
    sessions: createSessionIssuer(rootKey),
  };
}
