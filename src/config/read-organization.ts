/**
 * `organization`: the accounts of the config form one organization whose management account is
 * `managementAccount` (a configured account). Its id (`o-...`) is derived from the management
 * account unless given. Absent means no organization: every account stands alone.
 */
import { createHash } from 'node:crypto';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readMap, readString, requireString } from './raw-fields.js';
import type { OrganizationConfig } from './schema.js';

const ORGANIZATION_FIELDS = ['id', 'managementAccount'] as const;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export function readOrganization(value: unknown, accountIds: ReadonlySet<string>, ctx: ConfigContext): OrganizationConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const map = readMap(value, 'organization', ORGANIZATION_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const management = requireString(map, 'managementAccount', 'organization', ctx.issues);
  if (management !== undefined && !accountIds.has(management)) {
    ctx.issues.add('organization.managementAccount', `account ${quote(management)} is not configured (add it under accounts)`);
  }
  const id = readString(map, 'id', 'organization', ctx.issues);
  if (id !== undefined && !ORGANIZATION_ID.test(id)) {
    ctx.issues.add(fieldPath('organization', 'id'), `must be o- and 10 to 32 lower-case letters or digits, got ${quote(id)}`);
  }
  if (management === undefined) return undefined;
  return { id: id ?? derivedOrganizationId(management), managementAccount: management };
}

/** A stable id for an organization that names none: the same management account, the same id. */
export function derivedOrganizationId(managementAccount: string): string {
  return `o-${createHash('sha256').update(`coffer-organization:${managementAccount}`).digest('hex').slice(0, 10)}`;
}
