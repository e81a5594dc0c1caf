/** CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole, role tags and boundaries: wire shapes to the IAM domain. */
import type { IamIdentity } from '../../../iam/identity/iam-identity.js';
import type { IamRole } from '../../../iam/identity/iam-records.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalInteger, optionalString, requiredString, stringList } from '../../wire-members.js';
import { encodedPolicy, listOutput, tagsOf } from './wire-input.js';

/** The Role shape; ListRoles leaves tags and the boundary out, as IAM does. */
export function roleWire(role: IamRole, full = true): Record<string, unknown> {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodedPolicy(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    ...(full && {
      Tags: role.Tags.length > 0 ? role.Tags : undefined,
      RoleLastUsed: {},
      ...(role.PermissionsBoundary !== undefined && {
        PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.PermissionsBoundary },
      }),
    }),
  };
}

export function roleHandlers(iam: IamIdentity): Readonly<Record<string, OperationHandler>> {
  const roles = iam.roles;
  return {
    async CreateRole(ctx, input) {
      const tags = tagsOf(input);
      const description = optionalString(input, 'Description');
      const duration = optionalInteger(input, 'MaxSessionDuration');
      const path = optionalString(input, 'Path');
      const boundary = optionalString(input, 'PermissionsBoundary');
      const role = await roles.create(ctx.accountId, {
        RoleName: requiredString(input, 'RoleName'),
        AssumeRolePolicyDocument: requiredString(input, 'AssumeRolePolicyDocument'),
        ...(path !== undefined && { Path: path }),
        ...(description !== undefined && { Description: description }),
        ...(duration !== undefined && { MaxSessionDuration: duration }),
        ...(boundary !== undefined && { PermissionsBoundary: boundary }),
        ...(tags !== undefined && { Tags: tags }),
      });
      return { Role: roleWire(role) };
    },
    async GetRole(ctx, input) {
      return { Role: roleWire(await roles.get(ctx.accountId, requiredString(input, 'RoleName'))) };
    },
    async ListRoles(ctx, input) {
      const list = await roles.list(ctx.accountId, optionalString(input, 'PathPrefix'));
      return listOutput(
        'Roles',
        list.map((r) => roleWire(r, false)),
        input,
      );
    },
    async UpdateRole(ctx, input) {
      const description = optionalString(input, 'Description');
      const duration = optionalInteger(input, 'MaxSessionDuration');
      await roles.update(ctx.accountId, requiredString(input, 'RoleName'), {
        ...(description !== undefined && { Description: description }),
        ...(duration !== undefined && { MaxSessionDuration: duration }),
      });
    },
    async UpdateRoleDescription(ctx, input) {
      const role = await roles.update(ctx.accountId, requiredString(input, 'RoleName'), { Description: requiredString(input, 'Description') });
      return { Role: roleWire(role) };
    },
    async UpdateAssumeRolePolicy(ctx, input) {
      await roles.update(ctx.accountId, requiredString(input, 'RoleName'), { AssumeRolePolicyDocument: requiredString(input, 'PolicyDocument') });
    },
    async PutRolePermissionsBoundary(ctx, input) {
      const arn = requiredString(input, 'PermissionsBoundary');
      await iam.policies.get(ctx.accountId, arn);
      await roles.update(ctx.accountId, requiredString(input, 'RoleName'), { PermissionsBoundary: arn });
    },
    async DeleteRolePermissionsBoundary(ctx, input) {
      await roles.update(ctx.accountId, requiredString(input, 'RoleName'), { PermissionsBoundary: null });
    },
    async DeleteRole(ctx, input) {
      await roles.delete(ctx.accountId, requiredString(input, 'RoleName'));
    },
    async TagRole(ctx, input) {
      await roles.update(ctx.accountId, requiredString(input, 'RoleName'), { Tags: tagsOf(input) ?? [] });
    },
    async UntagRole(ctx, input) {
      await roles.untag(ctx.accountId, requiredString(input, 'RoleName'), stringList(input, 'TagKeys'));
    },
    async ListRoleTags(ctx, input) {
      const role = await roles.get(ctx.accountId, requiredString(input, 'RoleName'));
      return listOutput('Tags', role.Tags, input);
    },
    async ListInstanceProfilesForRole(ctx, input) {
      await roles.get(ctx.accountId, requiredString(input, 'RoleName'));
      return { InstanceProfiles: [], IsTruncated: false };
    },
  };
}
