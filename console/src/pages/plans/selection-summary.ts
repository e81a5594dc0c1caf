/** A resource assignment (BackupSelection) in words, one line per part. */
import type { BackupSelection } from '@aws-sdk/client-backup';

export function describeSelection(s: BackupSelection): string[] {
  const lines: string[] = [];
  const resources = s.Resources ?? [];
  if (resources.length > 0) lines.push(`Resources: ${resources.join(', ')}`);
  if ((s.NotResources ?? []).length > 0) lines.push(`Except: ${s.NotResources!.join(', ')}`);
  if ((s.ListOfTags ?? []).length > 0) lines.push(`Tagged (any of): ${s.ListOfTags!.map((t) => `${t.ConditionKey} = ${t.ConditionValue}`).join(' or ')}`);
  const c = s.Conditions;
  const conditions = [
    ...(c?.StringEquals ?? []).map((x) => `${x.ConditionKey} = ${x.ConditionValue}`),
    ...(c?.StringNotEquals ?? []).map((x) => `${x.ConditionKey} ≠ ${x.ConditionValue}`),
    ...(c?.StringLike ?? []).map((x) => `${x.ConditionKey} like ${x.ConditionValue}`),
    ...(c?.StringNotLike ?? []).map((x) => `${x.ConditionKey} not like ${x.ConditionValue}`),
  ];
  if (conditions.length > 0) lines.push(`Only if (all of): ${conditions.join(' and ')}`);
  return lines.length === 0 ? ['(nothing)'] : lines;
}
