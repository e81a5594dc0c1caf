/** IAM users: create, describe, list by path, tag, delete (only when no policy is left on them). */
import type { IamEntityRow, IamEntityStore } from '../../catalog/iam-entities.js';
import { IamError, noSuchEntity } from './iam-error.js';
import { checkName, checkPath, checkTags, iamArn, mergeTags, newIamId, withoutTags } from './iam-names.js';
import type { IamTag, IamUser } from './iam-records.js';

export interface CreateUserInput {
  readonly UserName: string;
  readonly Path?: string;
  readonly PermissionsBoundary?: string;
  readonly Tags?: readonly IamTag[];
}

interface UserDocument {
  readonly tags: readonly IamTag[];
  readonly permissionsBoundary?: string;
}

export function userOf(row: IamEntityRow): IamUser {
  const doc = row.document as unknown as UserDocument;
  return {
    UserName: row.name,
    UserId: row.id,
    Arn: row.arn,
    Path: row.path,
    CreateDate: new Date(row.createdAt),
    Tags: doc.tags,
    ...(doc.permissionsBoundary !== undefined && { PermissionsBoundary: doc.permissionsBoundary }),
  };
}

export interface UserService {
  create(accountId: string, input: CreateUserInput): Promise<IamUser>;
  get(accountId: string, name: string): Promise<IamUser>;
  list(accountId: string, pathPrefix?: string): Promise<IamUser[]>;
  /** A new name or path; tags merged. */
  update(accountId: string, name: string, change: { readonly NewPath?: string; readonly Tags?: readonly IamTag[] }): Promise<void>;
  untag(accountId: string, name: string, keys: readonly string[]): Promise<void>;
  delete(accountId: string, name: string): Promise<void>;
}

export function createUserService(store: IamEntityStore, now: () => Date): UserService {
  const get = async (accountId: string, name: string): Promise<IamUser> => {
    const row = await store.get(accountId, 'user', name);
    if (row === undefined) throw noSuchEntity('user', name);
    return userOf(row);
  };
  const save = (accountId: string, user: IamUser): Promise<void> => {
    const document: UserDocument = { tags: user.Tags, ...(user.PermissionsBoundary !== undefined && { permissionsBoundary: user.PermissionsBoundary }) };
    return store.update(accountId, 'user', user.UserName, document as unknown as Record<string, unknown>, now().getTime());
  };
  return {
    get,
    async create(accountId, input) {
      checkName('userName', input.UserName, 64);
      const path = checkPath(input.Path);
      const at = now().getTime();
      const document: UserDocument = {
        tags: checkTags(input.Tags),
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
      };
      try {
        await store.create(accountId, {
          kind: 'user',
          name: input.UserName,
          arn: iamArn(accountId, 'user', path, input.UserName),
          id: newIamId('AIDA'),
          path,
          document: document as unknown as Record<string, unknown>,
          createdAt: at,
          updatedAt: at,
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'Conflict') throw new IamError('EntityAlreadyExists', `User with name ${input.UserName} already exists.`);
        throw err;
      }
      return get(accountId, input.UserName);
    },
    async list(accountId, pathPrefix) {
      const rows = await store.list(accountId, 'user');
      return rows.filter((r) => r.path.startsWith(pathPrefix ?? '/')).map(userOf);
    },
    async update(accountId, name, change) {
      const user = await get(accountId, name);
      await save(accountId, { ...user, ...(change.Tags !== undefined && { Tags: mergeTags(user.Tags, change.Tags) }) });
    },
    async untag(accountId, name, keys) {
      const user = await get(accountId, name);
      await save(accountId, { ...user, Tags: withoutTags(user.Tags, keys) });
    },
    async delete(accountId, name) {
      const user = await get(accountId, name);
      const [inline, attached] = await Promise.all([store.listInline(accountId, 'user', name), store.attached(accountId, 'user', name)]);
      if (inline.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      if (attached.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      await store.delete(accountId, 'user', user.UserName);
    },
  };
}
