/**
 * IAM's naming rules and identifiers: entity names and paths as IAM checks them, the ARNs of
 * users, roles and policies (the path is part of the ARN), the unique IDs with their kind's
 * prefix (AIDA users, AROA roles, ANPA policies, ASIA session keys), and tag lists.
 */
import { randomBytes } from 'node:crypto';
import { IamError } from './iam-error.js';
import type { IamTag } from './iam-records.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A prefix and 17 random characters, as AWS's unique IDs are 21. */
export function newIamId(prefix: 'AIDA' | 'AROA' | 'ANPA' | 'ASIA', random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(17);
  return prefix + [...bytes].map((b) => ID_ALPHABET[b % 32]).join('');
}

export function iamArn(accountId: string, kind: 'user' | 'role' | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export function checkName(what: string, name: string, max: number): void {
  if (name.length < 1 || name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    throw new IamError(
      'InvalidInput',
      `The specified value for ${what} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_- and be 1 to ${max} characters long.`,
    );
  }
}

export function checkPath(path: string | undefined): string {
  const value = path ?? '/';
  if (value.length > 512 || !/^\/([\x21-\x7e]*\/)?$/.test(value)) {
    throw new IamError(
      'InvalidInput',
      `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
    );
  }
  return value;
}

export function checkTags(tags: readonly IamTag[] | undefined): IamTag[] {
  const list = [...(tags ?? [])];
  if (list.length > 50) throw new IamError('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50.');
  const keys = new Set<string>();
  for (const tag of list) {
    if (keys.has(tag.Key.toLowerCase()))
      throw new IamError('InvalidInput', `Duplicate tag keys found. Please note that Tag keys are case insensitive: ${tag.Key}.`);
    keys.add(tag.Key.toLowerCase());
  }
  return list;
}

/** `tags` merged into `current`: a key given again (in any case) takes the new value. */
export function mergeTags(current: readonly IamTag[], tags: readonly IamTag[]): IamTag[] {
  const given = checkTags(tags);
  const replaced = new Set(given.map((t) => t.Key.toLowerCase()));
  return checkTags([...current.filter((t) => !replaced.has(t.Key.toLowerCase())), ...given]);
}

export function withoutTags(current: readonly IamTag[], keys: readonly string[]): IamTag[] {
  const gone = new Set(keys.map((k) => k.toLowerCase()));
  return current.filter((t) => !gone.has(t.Key.toLowerCase()));
}

export interface IamPage<T> {
  readonly items: T[];
  readonly marker?: string;
}

/** IAM's Marker/MaxItems paging over a list already in order; the marker is the next item's index. */
export function pageOf<T>(items: readonly T[], marker: string | undefined, maxItems: number | undefined): IamPage<T> {
  const start = marker === undefined ? 0 : Number.parseInt(Buffer.from(marker, 'base64').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new IamError('InvalidInput', 'Invalid Marker: start again without it.');
  const size = maxItems ?? 100;
  const end = start + size;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, marker: Buffer.from(String(end)).toString('base64') } : { items: page };
}
