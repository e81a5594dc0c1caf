/**
 * A backup selection document (SelectionName, IamRoleArn, Resources, NotResources, ListOfTags,
 * Conditions) and what AWS requires of it: an IAM role ARN; resources that are ARNs, with `*`
 * allowed alone, as a suffix or in any part of a full ARN; tag conditions on `aws:ResourceTag/<key>`; and something to
 * select. Problems are InvalidBackupSelection naming the member.
 */
import { parseArn } from '../iam/arn.js';
import { fieldError, optionalList, optionalObject, optionalString, requiredString } from './document-fields.js';
import type { Fields } from './document-fields.js';

export interface TagCondition {
  readonly ConditionType: 'STRINGEQUALS';
  readonly ConditionKey: string;
  readonly ConditionValue: string;
}

export interface ConditionParameter {
  readonly ConditionKey: string;
  readonly ConditionValue: string;
}

export type ConditionOperator = 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'StringNotLike';
export type SelectionConditions = Readonly<Partial<Record<ConditionOperator, readonly ConditionParameter[]>>>;

export interface SelectionDocument {
  readonly SelectionName: string;
  readonly IamRoleArn: string;
  readonly Resources?: readonly string[];
  readonly NotResources?: readonly string[];
  readonly ListOfTags?: readonly TagCondition[];
  readonly Conditions?: SelectionConditions;
}

const SELECTION_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const MAX_RESOURCES = 500;
const OPERATORS: readonly ConditionOperator[] = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'];
const RESOURCE_TAG_KEY = /^aws:ResourceTag\/.{1,128}$/;

const invalid = (path: string, problem: string) => fieldError(path, problem, 'InvalidBackupSelection');

export function checkSelectionDocument(value: Fields, path = 'BackupSelection'): SelectionDocument {
  const name = requiredString(value, 'SelectionName', path);
  if (!SELECTION_NAME.test(name))
    throw invalid(`${path}.SelectionName`, `is ${JSON.stringify(name)}; use 1 to 50 letters, digits, hyphens, underscores or periods`);
  const role = requiredString(value, 'IamRoleArn', path);
  const arn = parseArn(role);
  if (arn === undefined || arn.service !== 'iam' || arn.accountId === '' || !/^role\/./.test(arn.resource)) {
    throw invalid(`${path}.IamRoleArn`, `${JSON.stringify(role)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }
  const resources = resourceList(value, 'Resources', path);
  const notResources = resourceList(value, 'NotResources', path);
  const tags = optionalList(value, 'ListOfTags', path)?.map((t, i) => tagCondition(t, `${path}.ListOfTags[${i}]`));
  const conditions = optionalObject(value, 'Conditions', path);
  const checkedConditions = conditions === undefined ? undefined : checkConditions(conditions, `${path}.Conditions`);
  const selects = (resources?.length ?? 0) + (tags?.length ?? 0) + Object.values(checkedConditions ?? {}).reduce((n, list) => n + list.length, 0);
  if (selects === 0) throw invalid(path, 'selects nothing: give Resources (ARNs or "*"), ListOfTags or Conditions');
  return {
    SelectionName: name,
    IamRoleArn: role,
    ...(resources === undefined ? {} : { Resources: resources }),
    ...(notResources === undefined ? {} : { NotResources: notResources }),
    ...(tags === undefined ? {} : { ListOfTags: tags }),
    ...(checkedConditions === undefined ? {} : { Conditions: checkedConditions }),
  };
}

function resourceList(value: Fields, member: string, path: string): readonly string[] | undefined {
  const list = optionalList(value, member, path);
  if (list === undefined) return undefined;
  if (list.length > MAX_RESOURCES) throw invalid(`${path}.${member}`, `has ${list.length} entries; at most ${MAX_RESOURCES}`);
  return list.map((item, i) => {
    if (typeof item !== 'string' || !isResourcePattern(item)) {
      throw invalid(
        `${path}.${member}[${i}]`,
        `${JSON.stringify(item)} is not a resource ARN: give an ARN, an ARN with "*" wildcards (arn:aws:rds:*:*:db:*), or "*" alone`,
      );
    }
    return item;
  });
}

/**
 * `*`; an ARN; an ARN prefix ending in `*`; or an ARN with wildcards in any of its parts, as AWS's
 * own examples write them (`arn:aws:rds:*:*:db:*`, `arn:aws:dynamodb:*:*:table/*`).
 */
export function isResourcePattern(text: string): boolean {
  if (text === '*') return true;
  if (!text.startsWith('arn:')) return false;
  const body = text.endsWith('*') ? text.slice(0, -1) : text;
  if (body.includes('*')) return text.split(':').length >= 6;
  return text.endsWith('*') ? body.split(':').length >= 3 : parseArn(body) !== undefined;
}

function tagCondition(value: unknown, path: string): TagCondition {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(path, 'must be an object');
  const fields = value as Fields;
  const type = requiredString(fields, 'ConditionType', path);
  if (type !== 'STRINGEQUALS') throw invalid(`${path}.ConditionType`, `is ${JSON.stringify(type)}; the only type is STRINGEQUALS`);
  const key = requiredString(fields, 'ConditionKey', path);
  if (key === '') throw invalid(`${path}.ConditionKey`, 'is empty; give the tag key');
  return { ConditionType: 'STRINGEQUALS', ConditionKey: key, ConditionValue: requiredString(fields, 'ConditionValue', path) };
}

function checkConditions(value: Fields, path: string): SelectionConditions {
  const out: Partial<Record<ConditionOperator, readonly ConditionParameter[]>> = {};
  for (const key of Object.keys(value)) {
    if (!(OPERATORS as readonly string[]).includes(key)) throw invalid(`${path}.${key}`, `is not a condition; use ${OPERATORS.join(', ')}`);
  }
  for (const operator of OPERATORS) {
    const list = optionalList(value, operator, path);
    if (list === undefined) continue;
    out[operator] = list.map((item, i) => {
      const where = `${path}.${operator}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(where, 'must be an object');
      const key = optionalString(item as Fields, 'ConditionKey', where) ?? '';
      if (!RESOURCE_TAG_KEY.test(key)) throw invalid(`${where}.ConditionKey`, `is ${JSON.stringify(key)}; conditions test tags, as aws:ResourceTag/<key>`);
      return { ConditionKey: key, ConditionValue: optionalString(item as Fields, 'ConditionValue', where) ?? '' };
    });
  }
  return out;
}
