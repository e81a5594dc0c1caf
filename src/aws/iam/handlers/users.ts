/** CreateUser, GetUser (the caller's own without a name), ListUsers, DeleteUser, user tags, and the lists Terraform reads before deleting a user. */
import { AwsError } from '../../errors.js';
import type { IamIdentity } from '../../../iam/identity/iam-identity.js';
import type { IamUser } from '../../../iam/identity/iam-records.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalString, requiredString, stringList } from '../../wire-members.js';
import { listOutput, tagsOf } from './wire-input.js';

/** When Coffer's account roots came to be, as far as IAM's answers go. */
const ROOT_CREATED = new Date('2019-01-01T00:00:00Z');

export function userWire(user: IamUser, full = true): Record<string, unknown> {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: user.CreateDate,
    ...(full && {
      Tags: user.Tags.length > 0 ? user.Tags : undefined,
      ...(user.PermissionsBoundary !== undefined && {
        PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: user.PermissionsBoundary },
      }),
    }),
  };
}

export function userHandlers(iam: IamIdentity): Readonly<Record<string, OperationHandler>> {
  const users = iam.users;
  return {
    async CreateUser(ctx, input) {
      const tags = tagsOf(input);
      const path = optionalString(input, 'Path');
      const boundary = optionalString(input, 'PermissionsBoundary');
      const user = await users.create(ctx.accountId, {
        UserName: requiredString(input, 'UserName'),
        ...(path !== undefined && { Path: path }),
        ...(boundary !== undefined && { PermissionsBoundary: boundary }),
        ...(tags !== undefined && { Tags: tags }),
      });
      return { User: userWire(user) };
    },
    async GetUser(ctx, input) {
      const name = optionalString(input, 'UserName');
      if (name !== undefined) return { User: userWire(await users.get(ctx.accountId, name)) };
      if (!ctx.principal.endsWith(':root')) throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials');
      return { User: { UserId: ctx.accountId, Arn: ctx.principal, CreateDate: ROOT_CREATED } };
    },
    async ListUsers(ctx, input) {
      const list = await users.list(ctx.accountId, optionalString(input, 'PathPrefix'));
      return listOutput(
        'Users',
        list.map((u) => userWire(u, false)),
        input,
      );
    },
    async DeleteUser(ctx, input) {
      await users.delete(ctx.accountId, requiredString(input, 'UserName'));
    },
    async TagUser(ctx, input) {
      await users.update(ctx.accountId, requiredString(input, 'UserName'), { Tags: tagsOf(input) ?? [] });
    },
    async UntagUser(ctx, input) {
      await users.untag(ctx.accountId, requiredString(input, 'UserName'), stringList(input, 'TagKeys'));
    },
    async ListUserTags(ctx, input) {
      const user = await users.get(ctx.accountId, requiredString(input, 'UserName'));
      return listOutput('Tags', user.Tags, input);
    },
    async ListGroupsForUser(ctx, input) {
      await users.get(ctx.accountId, requiredString(input, 'UserName'));
      return { Groups: [], IsTruncated: false };
    },
    async ListAccessKeys(ctx, input) {
      const name = optionalString(input, 'UserName');
      if (name !== undefined) await users.get(ctx.accountId, name);
      return { AccessKeyMetadata: [], IsTruncated: false };
    },
    async ListAccountAliases() {
      return { AccountAliases: [], IsTruncated: false };
    },
  };
}
