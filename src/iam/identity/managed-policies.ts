/**
 * Managed policies: the customer's own (create, versions up to five, a default version, tags,
 * delete once detached everywhere) and AWS's (awsManagedPolicy; read-only). A policy's ARN
 * holds its path; `arn:aws:iam::aws:policy/...` names AWS's.
 */
import type { IamEntityRow, IamEntityStore } from '../../catalog/iam-entities.js';
import { parseArn } from '../arn.js';
import { AWS_MANAGED_POLICIES, awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import { IamError } from './iam-error.js';
import { checkName, checkPath, checkTags, iamArn, mergeTags, newIamId, withoutTags } from './iam-names.js';
import type { IamManagedPolicy, IamPolicyVersion, IamTag } from './iam-records.js';
import { checkIdentityPolicy } from './identity-policy-text.js';

const MAX_VERSIONS = 5;

interface PolicyDocumentRow {
  readonly description?: string;
  readonly defaultVersionId: string;
  readonly versions: readonly { readonly id: string; readonly document: string; readonly createdAt: number }[];
  readonly tags: readonly IamTag[];
  readonly nextVersion: number;
}

function policyOf(row: IamEntityRow): IamManagedPolicy {
  const doc = row.document as unknown as PolicyDocumentRow;
  return {
    PolicyName: row.name,
    PolicyId: row.id,
    Arn: row.arn,
    Path: row.path,
    CreateDate: new Date(row.createdAt),
    UpdateDate: new Date(row.updatedAt),
    DefaultVersionId: doc.defaultVersionId,
    Versions: doc.versions.map((v) => ({ VersionId: v.id, Document: v.document, CreateDate: new Date(v.createdAt) })),
    Tags: doc.tags,
    awsManaged: false,
    ...(doc.description !== undefined && { Description: doc.description }),
  };
}

function documentOf(p: IamManagedPolicy, nextVersion: number): PolicyDocumentRow {
  return {
    defaultVersionId: p.DefaultVersionId,
    versions: p.Versions.map((v) => ({ id: v.VersionId, document: v.Document, createdAt: v.CreateDate.getTime() })),
    tags: p.Tags,
    nextVersion,
    ...(p.Description !== undefined && { description: p.Description }),
  };
}

function notFound(arn: string): IamError {
  return new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
}

export interface CreatePolicyInput {
  readonly PolicyName: string;
  readonly PolicyDocument: string;
  readonly Path?: string;
  readonly Description?: string;
  readonly Tags?: readonly IamTag[];
}

export interface PolicyService {
  create(accountId: string, input: CreatePolicyInput): Promise<IamManagedPolicy>;
  /** A customer policy of the caller's account or one of AWS's; NoSuchEntity otherwise. */
  get(accountId: string, arn: string): Promise<IamManagedPolicy>;
  /** Every policy the account sees: AWS's and its own. */
  list(accountId: string, scope: 'All' | 'AWS' | 'Local'): Promise<IamManagedPolicy[]>;
  createVersion(accountId: string, arn: string, document: string, setAsDefault: boolean): Promise<IamPolicyVersion>;
  setDefaultVersion(accountId: string, arn: string, versionId: string): Promise<void>;
  deleteVersion(accountId: string, arn: string, versionId: string): Promise<void>;
  tag(accountId: string, arn: string, tags: readonly IamTag[]): Promise<void>;
  untag(accountId: string, arn: string, keys: readonly string[]): Promise<void>;
  delete(accountId: string, arn: string): Promise<void>;
}

export function createPolicyService(store: IamEntityStore, now: () => Date): PolicyService {
  /** The row of a customer policy of the caller's account, by ARN (name and path must both match). */
  const own = async (accountId: string, arn: string): Promise<IamEntityRow> => {
    if (isAwsManagedArn(arn)) throw new IamError('InvalidInput', `Policy ${arn} is an AWS managed policy and cannot be changed.`);
    const parsed = parseArn(arn);
    if (parsed === undefined || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/')) {
      throw new IamError('InvalidInput', `ARN ${arn} is not valid.`);
    }
    if (parsed.accountId !== accountId) throw notFound(arn);
    const name = parsed.resource.slice(parsed.resource.lastIndexOf('/') + 1);
    const row = await store.get(accountId, 'policy', name);
    if (row === undefined || row.arn !== arn) throw notFound(arn);
    return row;
  };
  const save = (accountId: string, policy: IamManagedPolicy, nextVersion: number): Promise<void> =>
    store.update(accountId, 'policy', policy.PolicyName, documentOf(policy, nextVersion) as unknown as Record<string, unknown>, now().getTime());
  const nextOf = (row: IamEntityRow): number => (row.document as unknown as PolicyDocumentRow).nextVersion;
  return {
    async create(accountId, input) {
      checkName('policyName', input.PolicyName, 128);
      checkIdentityPolicy(input.PolicyDocument);
      const path = checkPath(input.Path);
      const at = now();
      const policy: IamManagedPolicy = {
        PolicyName: input.PolicyName,
        PolicyId: newIamId('ANPA'),
        Arn: iamArn(accountId, 'policy', path, input.PolicyName),
        Path: path,
        CreateDate: at,
        UpdateDate: at,
        DefaultVersionId: 'v1',
        Versions: [{ VersionId: 'v1', Document: input.PolicyDocument, CreateDate: at }],
        Tags: checkTags(input.Tags),
        awsManaged: false,
        ...(input.Description !== undefined && { Description: input.Description }),
      };
      try {
        await store.create(accountId, {
          kind: 'policy',
          name: policy.PolicyName,
          arn: policy.Arn,
          id: policy.PolicyId,
          path,
          document: documentOf(policy, 2) as unknown as Record<string, unknown>,
          createdAt: at.getTime(),
          updatedAt: at.getTime(),
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'Conflict')
          throw new IamError('EntityAlreadyExists', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
        throw err;
      }
      return policy;
    },
    async get(accountId, arn) {
      const aws = awsManagedPolicy(arn);
      if (aws !== undefined) return aws;
      if (isAwsManagedArn(arn)) throw notFound(arn);
      return policyOf(await own(accountId, arn));
    },
    async list(accountId, scope) {
      const local = scope === 'AWS' ? [] : (await store.list(accountId, 'policy')).map(policyOf);
      return [...(scope === 'Local' ? [] : AWS_MANAGED_POLICIES), ...local];
    },
    async createVersion(accountId, arn, document, setAsDefault) {
      const row = await own(accountId, arn);
      checkIdentityPolicy(document);
      const policy = policyOf(row);
      if (policy.Versions.length >= MAX_VERSIONS) {
        throw new IamError(
          'LimitExceeded',
          `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      const next = nextOf(row);
      const version: IamPolicyVersion = { VersionId: `v${next}`, Document: document, CreateDate: now() };
      await save(accountId, { ...policy, Versions: [...policy.Versions, version], ...(setAsDefault && { DefaultVersionId: version.VersionId }) }, next + 1);
      return version;
    },
    async setDefaultVersion(accountId, arn, versionId) {
      const row = await own(accountId, arn);
      const policy = policyOf(row);
      if (!policy.Versions.some((v) => v.VersionId === versionId))
        throw new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      await save(accountId, { ...policy, DefaultVersionId: versionId }, nextOf(row));
    },
    async deleteVersion(accountId, arn, versionId) {
      const row = await own(accountId, arn);
      const policy = policyOf(row);
      if (!policy.Versions.some((v) => v.VersionId === versionId))
        throw new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      if (policy.DefaultVersionId === versionId) throw new IamError('DeleteConflict', 'Cannot delete the default version of a policy.');
      await save(accountId, { ...policy, Versions: policy.Versions.filter((v) => v.VersionId !== versionId) }, nextOf(row));
    },
    async tag(accountId, arn, tags) {
      const row = await own(accountId, arn);
      const policy = policyOf(row);
      await save(accountId, { ...policy, Tags: mergeTags(policy.Tags, tags) }, nextOf(row));
    },
    async untag(accountId, arn, keys) {
      const row = await own(accountId, arn);
      const policy = policyOf(row);
      await save(accountId, { ...policy, Tags: withoutTags(policy.Tags, keys) }, nextOf(row));
    },
    async delete(accountId, arn) {
      const row = await own(accountId, arn);
      if ((await store.attachmentsOf(accountId, arn)).length > 0) throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
      await store.delete(accountId, 'policy', row.name);
    },
  };
}
