/**
 * `accounts`: twelve-digit ids, names, access keys. Ids, names and access key ids must be unique
 * (an access key decides the account of a request). No accounts means the default account.
 */
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_ACCOUNT_NAME } from './defaults.js';
import { readAccessKeys } from './read-access-keys.js';
import { readList, readMap, readString, requireString } from './raw-fields.js';
import type { AccountConfig } from './schema.js';

const ACCOUNT_FIELDS = ['id', 'name', 'accessKeys'] as const;
const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const DEFAULT_ACCOUNT: AccountConfig = { id: DEFAULT_ACCOUNT_ID, name: DEFAULT_ACCOUNT_NAME, accessKeys: [] };

export function readAccounts(value: unknown, ctx: ConfigContext): readonly AccountConfig[] {
  const items = readList(value, 'accounts', ctx.issues);
  if (items.length === 0) return [DEFAULT_ACCOUNT];
  const accounts = items.map(([item, path]) => readAccount(item, path, ctx));
  checkUnique(accounts, ctx);
  return accounts.filter((a): a is AccountWithPath => a !== undefined).map(({ path: _path, ...account }) => account);
}

interface AccountWithPath extends AccountConfig {
  readonly path: string;
}

function readAccount(value: unknown, path: string, ctx: ConfigContext): AccountWithPath | undefined {
  const map = readMap(value, path, ACCOUNT_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const id = requireString(map, 'id', path, ctx.issues);
  if (id !== undefined && !ACCOUNT_ID.test(id)) ctx.issues.add(fieldPath(path, 'id'), `must be 12 digits, got ${quote(id)}`);
  const name = readString(map, 'name', path, ctx.issues) ?? defaultName(id);
  if (!ACCOUNT_NAME.test(name)) {
    ctx.issues.add(fieldPath(path, 'name'), `must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, got ${quote(name)}`);
  }
  const accessKeys = readAccessKeys(map['accessKeys'], fieldPath(path, 'accessKeys'), ctx);
  return id === undefined ? undefined : { path, id, name, accessKeys };
}

function defaultName(id: string | undefined): string {
  return id === DEFAULT_ACCOUNT_ID ? DEFAULT_ACCOUNT_NAME : `account-${id ?? ''}`;
}

function checkUnique(accounts: readonly (AccountWithPath | undefined)[], ctx: ConfigContext): void {
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const account of accounts) {
    if (account === undefined) continue;
    once(ids, account.id, fieldPath(account.path, 'id'), 'account id', ctx);
    once(names, account.name, fieldPath(account.path, 'name'), 'account name', ctx);
    account.accessKeys.forEach((key, i) => once(keys, key.id, `${account.path}.accessKeys[${i}].id`, 'access key id', ctx));
  }
}

function once(seen: Map<string, string>, value: string, path: string, what: string, ctx: ConfigContext): void {
  const first = seen.get(value);
  if (first === undefined) seen.set(value, path);
  else ctx.issues.add(path, `${what} ${quote(value)} is already used by ${first}`);
}
