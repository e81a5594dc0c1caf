/**
 * The policies on a user or role: inline ones (by name, at most one document each) and attached
 * managed ones (AWS's or the account's own; attaching one that does not exist fails as on AWS).
 * Also what a principal may do: every identity policy document that applies to it.
 */
import type { IamEntityKind, IamEntityStore } from '../../catalog/iam-entities.js';
import type { PolicyDocument } from '../policy-document.js';
import { IamError, noSuchEntity } from './iam-error.js';
import { checkName } from './iam-names.js';
import type { IamManagedPolicy } from './iam-records.js';
import { checkIdentityPolicy } from './identity-policy-text.js';
import type { PolicyService } from './managed-policies.js';

export type PolicyHolder = Exclude<IamEntityKind, 'policy'>;

export interface EntityPolicyService {
  putInline(accountId: string, kind: PolicyHolder, owner: string, policyName: string, document: string): Promise<void>;
  getInline(accountId: string, kind: PolicyHolder, owner: string, policyName: string): Promise<string>;
  listInline(accountId: string, kind: PolicyHolder, owner: string): Promise<string[]>;
  deleteInline(accountId: string, kind: PolicyHolder, owner: string, policyName: string): Promise<void>;
  attach(accountId: string, kind: PolicyHolder, owner: string, policyArn: string): Promise<void>;
  detach(accountId: string, kind: PolicyHolder, owner: string, policyArn: string): Promise<void>;
  attached(accountId: string, kind: PolicyHolder, owner: string): Promise<IamManagedPolicy[]>;
  /** Who has the policy attached, and how many. */
  entitiesFor(accountId: string, policyArn: string): Promise<{ readonly kind: PolicyHolder; readonly name: string }[]>;
  /** The identity policy documents of a user or role (inline and the default versions of attached ones); undefined when it does not exist. */
  documentsOf(accountId: string, kind: PolicyHolder, owner: string): Promise<PolicyDocument[] | undefined>;
}

export function createEntityPolicyService(store: IamEntityStore, policies: PolicyService, now: () => Date): EntityPolicyService {
  const holder = async (accountId: string, kind: PolicyHolder, owner: string): Promise<string> => {
    const row = await store.get(accountId, kind, owner);
    if (row === undefined) throw noSuchEntity(kind, owner);
    return row.name;
  };
  return {
    async putInline(accountId, kind, owner, policyName, document) {
      checkName('policyName', policyName, 128);
      checkIdentityPolicy(document);
      await store.putInline(accountId, kind, await holder(accountId, kind, owner), policyName, document);
    },
    async getInline(accountId, kind, owner, policyName) {
      const document = await store.getInline(accountId, kind, await holder(accountId, kind, owner), policyName);
      if (document === undefined) throw new IamError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
      return document;
    },
    async listInline(accountId, kind, owner) {
      return store.listInline(accountId, kind, await holder(accountId, kind, owner));
    },
    async deleteInline(accountId, kind, owner, policyName) {
      const deleted = await store.deleteInline(accountId, kind, await holder(accountId, kind, owner), policyName);
      if (!deleted) throw new IamError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
    },
    async attach(accountId, kind, owner, policyArn) {
      const name = await holder(accountId, kind, owner);
      await policies.get(accountId, policyArn);
      await store.attach(accountId, kind, name, policyArn, now().getTime());
    },
    async detach(accountId, kind, owner, policyArn) {
      const detached = await store.detach(accountId, kind, await holder(accountId, kind, owner), policyArn);
      if (!detached) throw new IamError('NoSuchEntity', `Policy ${policyArn} was not found.`);
    },
    async attached(accountId, kind, owner) {
      const arns = await store.attached(accountId, kind, await holder(accountId, kind, owner));
      const found = await Promise.all(arns.map((arn) => policies.get(accountId, arn).catch(() => undefined)));
      return found.filter((p): p is IamManagedPolicy => p !== undefined);
    },
    async entitiesFor(accountId, policyArn) {
      await policies.get(accountId, policyArn);
      const rows = await store.attachmentsOf(accountId, policyArn);
      return rows.filter((r) => r.kind !== 'policy').map((r) => ({ kind: r.kind as PolicyHolder, name: r.ownerName }));
    },
    async documentsOf(accountId, kind, owner) {
      const row = await store.get(accountId, kind, owner);
      if (row === undefined) return undefined;
      const names = await store.listInline(accountId, kind, row.name);
      const inline = await Promise.all(names.map((n) => store.getInline(accountId, kind, row.name, n)));
      const attached = await this.attached(accountId, kind, row.name);
      const texts = [
        ...inline.filter((t): t is string => t !== undefined),
        ...attached.map((p) => p.Versions.find((v) => v.VersionId === p.DefaultVersionId)?.Document ?? ''),
      ];
      return texts.flatMap((text) => {
        try {
          return [checkIdentityPolicy(text)];
        } catch {
          return [];
        }
      });
    },
  };
}
