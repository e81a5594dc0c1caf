/** IAM roles: create with a trust policy, describe, list by path, update, tag, delete (only when no policy is left on it). */
import type { IamEntityRow, IamEntityStore } from '../../catalog/iam-entities.js';
import { IamError, noSuchEntity } from './iam-error.js';
import { checkName, checkPath, checkTags, iamArn, mergeTags, newIamId, withoutTags } from './iam-names.js';
import type { IamRole, IamTag } from './iam-records.js';
import { checkTrustPolicy } from './identity-policy-text.js';

export interface CreateRoleInput {
  readonly RoleName: string;
  readonly AssumeRolePolicyDocument: string;
  readonly Path?: string;
  readonly Description?: string;
  readonly MaxSessionDuration?: number;
  readonly PermissionsBoundary?: string;
  readonly Tags?: readonly IamTag[];
}

export interface RoleUpdate {
  readonly Description?: string;
  readonly MaxSessionDuration?: number;
  readonly AssumeRolePolicyDocument?: string;
  readonly Tags?: readonly IamTag[];
  readonly PermissionsBoundary?: string | null;
}

interface RoleDocument {
  readonly trustPolicy: string;
  readonly description?: string;
  readonly maxSessionDuration: number;
  readonly tags: readonly IamTag[];
  readonly permissionsBoundary?: string;
}

export function roleOf(row: IamEntityRow): IamRole {
  const doc = row.document as unknown as RoleDocument;
  return {
    RoleName: row.name,
    RoleId: row.id,
    Arn: row.arn,
    Path: row.path,
    CreateDate: new Date(row.createdAt),
    AssumeRolePolicyDocument: doc.trustPolicy,
    MaxSessionDuration: doc.maxSessionDuration,
    Tags: doc.tags,
    ...(doc.description !== undefined && { Description: doc.description }),
    ...(doc.permissionsBoundary !== undefined && { PermissionsBoundary: doc.permissionsBoundary }),
  };
}

function checkDuration(seconds: number | undefined): number {
  const value = seconds ?? 3600;
  if (value < 3600 || value > 43200) throw new IamError('InvalidInput', `The requested MaxSessionDuration ${value} is not between 3600 and 43200 seconds.`);
  return value;
}

export interface RoleService {
  create(accountId: string, input: CreateRoleInput): Promise<IamRole>;
  get(accountId: string, name: string): Promise<IamRole>;
  find(accountId: string, name: string): Promise<IamRole | undefined>;
  list(accountId: string, pathPrefix?: string): Promise<IamRole[]>;
  update(accountId: string, name: string, change: RoleUpdate): Promise<IamRole>;
  untag(accountId: string, name: string, keys: readonly string[]): Promise<void>;
  delete(accountId: string, name: string): Promise<void>;
}

export function createRoleService(store: IamEntityStore, now: () => Date): RoleService {
  const find = async (accountId: string, name: string): Promise<IamRole | undefined> => {
    const row = await store.get(accountId, 'role', name);
    return row === undefined ? undefined : roleOf(row);
  };
  const get = async (accountId: string, name: string): Promise<IamRole> => {
    const role = await find(accountId, name);
    if (role === undefined) throw noSuchEntity('role', name);
    return role;
  };
  const save = async (accountId: string, role: IamRole): Promise<void> => {
    const document: RoleDocument = {
      trustPolicy: role.AssumeRolePolicyDocument,
      maxSessionDuration: role.MaxSessionDuration,
      tags: role.Tags,
      ...(role.Description !== undefined && { description: role.Description }),
      ...(role.PermissionsBoundary !== undefined && { permissionsBoundary: role.PermissionsBoundary }),
    };
    await store.update(accountId, 'role', role.RoleName, document as unknown as Record<string, unknown>, now().getTime());
  };
  return {
    find,
    get,
    async create(accountId, input) {
      checkName('roleName', input.RoleName, 64);
      checkTrustPolicy(input.AssumeRolePolicyDocument);
      const path = checkPath(input.Path);
      const at = now().getTime();
      const document: RoleDocument = {
        trustPolicy: input.AssumeRolePolicyDocument,
        maxSessionDuration: checkDuration(input.MaxSessionDuration),
        tags: checkTags(input.Tags),
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
      };
      try {
        await store.create(accountId, {
          kind: 'role',
          name: input.RoleName,
          arn: iamArn(accountId, 'role', path, input.RoleName),
          id: newIamId('AROA'),
          path,
          document: document as unknown as Record<string, unknown>,
          createdAt: at,
          updatedAt: at,
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'Conflict') throw new IamError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`);
        throw err;
      }
      return get(accountId, input.RoleName);
    },
    async list(accountId, pathPrefix) {
      const rows = await store.list(accountId, 'role');
      return rows.filter((r) => r.path.startsWith(pathPrefix ?? '/')).map(roleOf);
    },
    async update(accountId, name, change) {
      const role = await get(accountId, name);
      if (change.AssumeRolePolicyDocument !== undefined) checkTrustPolicy(change.AssumeRolePolicyDocument);
      const { PermissionsBoundary: boundary, ...rest } = role;
      const next: IamRole = {
        ...(change.PermissionsBoundary === null ? rest : role),
        ...(change.Description !== undefined && { Description: change.Description }),
        ...(change.MaxSessionDuration !== undefined && { MaxSessionDuration: checkDuration(change.MaxSessionDuration) }),
        ...(change.AssumeRolePolicyDocument !== undefined && { AssumeRolePolicyDocument: change.AssumeRolePolicyDocument }),
        ...(change.Tags !== undefined && { Tags: mergeTags(role.Tags, change.Tags) }),
        ...(typeof change.PermissionsBoundary === 'string' && { PermissionsBoundary: change.PermissionsBoundary }),
      };
      void boundary;
      await save(accountId, next);
      return next;
    },
    async untag(accountId, name, keys) {
      const role = await get(accountId, name);
      await save(accountId, { ...role, Tags: withoutTags(role.Tags, keys) });
    },
    async delete(accountId, name) {
      const role = await get(accountId, name);
      const [inline, attached] = await Promise.all([store.listInline(accountId, 'role', name), store.attached(accountId, 'role', name)]);
      if (inline.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      if (attached.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      await store.delete(accountId, 'role', role.RoleName);
    },
  };
}
