/** Managed policies (CreatePolicy, GetPolicy, ListPolicies, versions, tags, DeletePolicy, ListEntitiesForPolicy): wire shapes to the IAM domain. */
import type { RequestContext } from '../../http-handler.js';
import { IamError } from '../../../iam/identity/iam-error.js';
import type { IamIdentity } from '../../../iam/identity/iam-identity.js';
import type { IamManagedPolicy, IamPolicyVersion } from '../../../iam/identity/iam-records.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalBoolean, optionalString, requiredString, stringList } from '../../wire-members.js';
import { encodedPolicy, listOutput, tagsOf } from './wire-input.js';

function versionWire(version: IamPolicyVersion, defaultId: string, withDocument: boolean): Record<string, unknown> {
  return {
    VersionId: version.VersionId,
    IsDefaultVersion: version.VersionId === defaultId,
    CreateDate: version.CreateDate,
    ...(withDocument && { Document: encodedPolicy(version.Document) }),
  };
}

export function policyHandlers(iam: IamIdentity): Readonly<Record<string, OperationHandler>> {
  const policies = iam.policies;
  const attachmentCount = async (ctx: RequestContext, arn: string): Promise<number> => (await iam.entityPolicies.entitiesFor(ctx.accountId, arn)).length;
  const policyWire = async (ctx: RequestContext, p: IamManagedPolicy, full = true): Promise<Record<string, unknown>> => ({
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: await attachmentCount(ctx, p.Arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    ...(full && { Description: p.Description, Tags: p.Tags.length > 0 ? p.Tags : undefined }),
  });
  const versionOf = async (ctx: RequestContext, arn: string, versionId: string) => {
    const policy = await policies.get(ctx.accountId, arn);
    const version = policy.Versions.find((v) => v.VersionId === versionId);
    return { policy, version };
  };
  return {
    async CreatePolicy(ctx, input) {
      const path = optionalString(input, 'Path');
      const description = optionalString(input, 'Description');
      const tags = tagsOf(input);
      const policy = await policies.create(ctx.accountId, {
        PolicyName: requiredString(input, 'PolicyName'),
        PolicyDocument: requiredString(input, 'PolicyDocument'),
        ...(path !== undefined && { Path: path }),
        ...(description !== undefined && { Description: description }),
        ...(tags !== undefined && { Tags: tags }),
      });
      return { Policy: await policyWire(ctx, policy) };
    },
    async GetPolicy(ctx, input) {
      return { Policy: await policyWire(ctx, await policies.get(ctx.accountId, requiredString(input, 'PolicyArn'))) };
    },
    async ListPolicies(ctx, input) {
      const scope = (optionalString(input, 'Scope') ?? 'All') as 'All' | 'AWS' | 'Local';
      const prefix = optionalString(input, 'PathPrefix') ?? '/';
      const all = (await policies.list(ctx.accountId, scope)).filter((p) => p.Path.startsWith(prefix));
      const wired = await Promise.all(all.map((p) => policyWire(ctx, p, false)));
      const kept = optionalBoolean(input, 'OnlyAttached') === true ? wired.filter((p) => (p['AttachmentCount'] as number) > 0) : wired;
      return listOutput('Policies', kept, input);
    },
    async DeletePolicy(ctx, input) {
      await policies.delete(ctx.accountId, requiredString(input, 'PolicyArn'));
    },
    async CreatePolicyVersion(ctx, input) {
      const arn = requiredString(input, 'PolicyArn');
      const version = await policies.createVersion(
        ctx.accountId,
        arn,
        requiredString(input, 'PolicyDocument'),
        optionalBoolean(input, 'SetAsDefault') === true,
      );
      const policy = await policies.get(ctx.accountId, arn);
      return { PolicyVersion: versionWire(version, policy.DefaultVersionId, false) };
    },
    async GetPolicyVersion(ctx, input) {
      const arn = requiredString(input, 'PolicyArn');
      const versionId = requiredString(input, 'VersionId');
      const { policy, version } = await versionOf(ctx, arn, versionId);
      if (version === undefined) {
        throw new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      }
      return { PolicyVersion: versionWire(version, policy.DefaultVersionId, true) };
    },
    async ListPolicyVersions(ctx, input) {
      const policy = await policies.get(ctx.accountId, requiredString(input, 'PolicyArn'));
      const newestFirst = [...policy.Versions].reverse();
      return listOutput(
        'Versions',
        newestFirst.map((v) => versionWire(v, policy.DefaultVersionId, false)),
        input,
      );
    },
    async DeletePolicyVersion(ctx, input) {
      await policies.deleteVersion(ctx.accountId, requiredString(input, 'PolicyArn'), requiredString(input, 'VersionId'));
    },
    async SetDefaultPolicyVersion(ctx, input) {
      await policies.setDefaultVersion(ctx.accountId, requiredString(input, 'PolicyArn'), requiredString(input, 'VersionId'));
    },
    async TagPolicy(ctx, input) {
      await policies.tag(ctx.accountId, requiredString(input, 'PolicyArn'), tagsOf(input) ?? []);
    },
    async UntagPolicy(ctx, input) {
      await policies.untag(ctx.accountId, requiredString(input, 'PolicyArn'), stringList(input, 'TagKeys'));
    },
    async ListPolicyTags(ctx, input) {
      const policy = await policies.get(ctx.accountId, requiredString(input, 'PolicyArn'));
      return listOutput('Tags', policy.Tags, input);
    },
    async ListEntitiesForPolicy(ctx, input) {
      const entities = await iam.entityPolicies.entitiesFor(ctx.accountId, requiredString(input, 'PolicyArn'));
      const filter = optionalString(input, 'EntityFilter');
      const roles = filter === undefined || filter === 'Role' ? entities.filter((e) => e.kind === 'role') : [];
      const users = filter === undefined || filter === 'User' ? entities.filter((e) => e.kind === 'user') : [];
      const roleIds = await Promise.all(roles.map(async (r) => ({ RoleName: r.name, RoleId: (await iam.roles.get(ctx.accountId, r.name)).RoleId })));
      const userIds = await Promise.all(users.map(async (u) => ({ UserName: u.name, UserId: (await iam.users.get(ctx.accountId, u.name)).UserId })));
      return { PolicyRoles: roleIds, PolicyUsers: userIds, PolicyGroups: [], IsTruncated: false };
    },
  };
}
