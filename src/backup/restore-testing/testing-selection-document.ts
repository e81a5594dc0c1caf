/**
 * A restore testing selection as the caller writes it: the protected resources of one type to
 * test (by ARN, or `*` narrowed by tag conditions on `aws:ResourceTag/<key>`), the restore
 * metadata to override, and how long the restored resource is kept for validation. Checked
 * against AWS's rules; kept with defaults filled in (ProtectedResourceArns `["*"]` when only
 * conditions are given, ValidationWindowHours 0). Pure.
 */
import { parseArn } from '../../iam/arn.js';
import { checkIamRoleArn } from '../protected-resource.js';
import { SUPPORTED_RESOURCE_TYPES } from '../resource-types.js';
import { checkTestingName, integerIn, invalidMember } from './testing-plan-document.js';

export type KeyValue = { readonly Key: string; readonly Value: string };
export type ResourceConditions = { readonly StringEquals?: readonly KeyValue[]; readonly StringNotEquals?: readonly KeyValue[] };

export type TestingSelectionDocument = {
  readonly ProtectedResourceType: string;
  readonly IamRoleArn: string;
  readonly ProtectedResourceArns: readonly string[];
  readonly ProtectedResourceConditions?: ResourceConditions;
  readonly RestoreMetadataOverrides?: Readonly<Record<string, string>>;
  readonly ValidationWindowHours: number;
};

type Fields = Readonly<Record<string, unknown>>;

const TAG_KEY = /^aws:ResourceTag\/.{1,128}$/;
/** The ARN service of each resource type's resources. */
const ARN_SERVICE: Readonly<Record<string, string>> = { EFS: 'elasticfilesystem', RDS: 'rds', DynamoDB: 'dynamodb', S3: 's3' };

function checkConditions(value: Fields | undefined, path: string): ResourceConditions | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, KeyValue[]> = {};
  for (const op of ['StringEquals', 'StringNotEquals'] as const) {
    const list = value[op] as readonly KeyValue[] | undefined;
    if (list === undefined) continue;
    for (const [i, kv] of list.entries()) {
      if (!TAG_KEY.test(kv.Key))
        throw invalidMember(`${path}.${op}[${i}].Key`, `is ${JSON.stringify(kv.Key)}; conditions test tags: give aws:ResourceTag/<tag key>`);
    }
    out[op] = list.map((kv) => ({ Key: kv.Key, Value: kv.Value }));
  }
  return out;
}

function checkResourceArns(arns: readonly string[], type: string, path: string): void {
  if (arns.includes('*')) {
    if (arns.length > 1) throw invalidMember(path, 'holds "*" and specific ARNs; give either ["*"] or a list of ARNs');
    return;
  }
  for (const text of arns) {
    const arn = parseArn(text);
    if (arn === undefined || arn.service !== ARN_SERVICE[type]) {
      throw invalidMember(path, `holds ${JSON.stringify(text)}, which is not the ARN of a ${type} resource`);
    }
  }
}

function checkOverrides(value: unknown, path: string): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  for (const [key, v] of Object.entries(value as Fields)) {
    if (key.trim() === '' || typeof v !== 'string') throw invalidMember(`${path}.${key}`, 'must be a non-empty key with a string value');
  }
  return value as Readonly<Record<string, string>>;
}

/** CreateRestoreTestingSelection's RestoreTestingSelection (name checked apart). */
export function checkTestingSelection(selection: Fields, path = 'RestoreTestingSelection'): TestingSelectionDocument & { readonly name: string } {
  const name = checkTestingName(String(selection['RestoreTestingSelectionName'] ?? ''), `${path}.RestoreTestingSelectionName`);
  const type = String(selection['ProtectedResourceType'] ?? '');
  if (!SUPPORTED_RESOURCE_TYPES.includes(type)) {
    throw invalidMember(`${path}.ProtectedResourceType`, `is ${JSON.stringify(type)}; Coffer restores ${SUPPORTED_RESOURCE_TYPES.join(', ')}`);
  }
  const document = completeSelection(type, selection, undefined, path);
  return { name, ...document };
}

/** UpdateRestoreTestingSelection: the members given replace the selection's. */
export function updatedTestingSelection(current: TestingSelectionDocument, update: Fields, path = 'RestoreTestingSelection'): TestingSelectionDocument {
  return completeSelection(current.ProtectedResourceType, update, current, path);
}

function completeSelection(type: string, given: Fields, current: TestingSelectionDocument | undefined, path: string): TestingSelectionDocument {
  const role = (given['IamRoleArn'] as string | undefined) ?? current?.IamRoleArn;
  if (role === undefined) throw invalidMember(`${path}.IamRoleArn`, 'is missing');
  checkIamRoleArn(role);
  const conditions =
    given['ProtectedResourceConditions'] === undefined
      ? current?.ProtectedResourceConditions
      : checkConditions(given['ProtectedResourceConditions'] as Fields, `${path}.ProtectedResourceConditions`);
  const givenArns = given['ProtectedResourceArns'] as readonly string[] | undefined;
  const arns = givenArns ?? current?.ProtectedResourceArns ?? (conditions === undefined ? [] : ['*']);
  if (arns.length === 0)
    throw invalidMember(
      `${path}.ProtectedResourceArns`,
      'is missing: give the ARNs of the resources to test, or ["*"] (with ProtectedResourceConditions to narrow it)',
    );
  checkResourceArns(arns, type, `${path}.ProtectedResourceArns`);
  const hasConditions = (conditions?.StringEquals?.length ?? 0) + (conditions?.StringNotEquals?.length ?? 0) > 0;
  if (hasConditions && !arns.includes('*')) {
    throw invalidMember(`${path}.ProtectedResourceConditions`, 'narrows ProtectedResourceArns ["*"] only; with specific ARNs, leave the conditions out');
  }
  const overrides =
    given['RestoreMetadataOverrides'] === undefined
      ? current?.RestoreMetadataOverrides
      : checkOverrides(given['RestoreMetadataOverrides'], `${path}.RestoreMetadataOverrides`);
  const window = integerIn(given['ValidationWindowHours'], `${path}.ValidationWindowHours`, 0, 168) ?? current?.ValidationWindowHours ?? 0;
  return {
    ProtectedResourceType: type,
    IamRoleArn: role,
    ProtectedResourceArns: arns,
    ...(conditions === undefined ? {} : { ProtectedResourceConditions: conditions }),
    ...(overrides === undefined ? {} : { RestoreMetadataOverrides: overrides }),
    ValidationWindowHours: window,
  };
}

/** Whether a resource's tags satisfy the selection's conditions (every one must hold). */
export function conditionsHold(conditions: ResourceConditions | undefined, tags: Readonly<Record<string, string>>): boolean {
  const tag = (key: string) => tags[key.slice('aws:ResourceTag/'.length)];
  return (
    (conditions?.StringEquals ?? []).every((kv) => tag(kv.Key) === kv.Value) && (conditions?.StringNotEquals ?? []).every((kv) => tag(kv.Key) !== kv.Value)
  );
}
