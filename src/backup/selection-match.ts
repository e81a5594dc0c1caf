/**
 * Which resources a backup selection picks, as AWS Backup decides it:
 * - the candidates are the resources named in `Resources` (an exact ARN, an ARN ending in `*`,
 *   or `*`) together with those carrying one of the `ListOfTags` tags (OR); a selection that
 *   gives neither starts from every resource of its account and region;
 * - `Conditions` then filter the candidates, every condition ANDed (StringEquals,
 *   StringNotEquals, StringLike, StringNotLike on `aws:ResourceTag/<key>`; a Not condition on a
 *   tag the resource lacks holds);
 * - `NotResources` (same patterns) take resources out;
 * - the region's ResourceTypeOptInPreference drops opted-out types, except a resource named by
 *   its exact ARN, which is backed up whatever its type's setting (AWS's rule).
 * Pure: the registry and the settings come in as values.
 */
import type { SelectionDocument } from './selection-document.js';

export interface SelectableResource {
  readonly arn: string;
  /** AWS Backup's type name: EFS, RDS, DynamoDB, S3 ... */
  readonly type: string;
  readonly tags: Readonly<Record<string, string>>;
}

export type OptInPreference = Readonly<Record<string, boolean>>;

const TAG_PREFIX = 'aws:ResourceTag/';

/** The resources `selection` picks from `resources` (all of one account and region), in their order. */
export function matchSelection<R extends SelectableResource>(selection: SelectionDocument, resources: readonly R[], optIn: OptInPreference): R[] {
  const named = new Set(selection.Resources?.filter((p) => !p.includes('*')) ?? []);
  const patterns = selection.Resources ?? [];
  const tagPicks = selection.ListOfTags ?? [];
  const fromEverything = patterns.length === 0 && tagPicks.length === 0;
  return resources.filter((resource) => {
    const byPattern = patterns.some((p) => arnMatches(p, resource.arn));
    const byTag = tagPicks.some((t) => resource.tags[tagKey(t.ConditionKey)] === t.ConditionValue);
    if (!fromEverything && !byPattern && !byTag) return false;
    if (!conditionsHold(selection, resource.tags)) return false;
    if ((selection.NotResources ?? []).some((p) => arnMatches(p, resource.arn))) return false;
    if (named.has(resource.arn)) return true;
    return optIn[resource.type] !== false;
  });
}

function tagKey(conditionKey: string): string {
  return conditionKey.startsWith(TAG_PREFIX) ? conditionKey.slice(TAG_PREFIX.length) : conditionKey;
}

function conditionsHold(selection: SelectionDocument, tags: Readonly<Record<string, string>>): boolean {
  const c = selection.Conditions ?? {};
  const value = (key: string): string | undefined => tags[tagKey(key)];
  return (c.StringEquals ?? []).every((p) => value(p.ConditionKey) === p.ConditionValue)
    && (c.StringNotEquals ?? []).every((p) => value(p.ConditionKey) !== p.ConditionValue)
    && (c.StringLike ?? []).every((p) => { const v = value(p.ConditionKey); return v !== undefined && likeMatches(p.ConditionValue, v); })
    && (c.StringNotLike ?? []).every((p) => { const v = value(p.ConditionKey); return v === undefined || !likeMatches(p.ConditionValue, v); });
}

/** `*` alone matches everything; otherwise `*` matches any run of characters (ARNs are case-sensitive). */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  return likeMatches(pattern, arn, false);
}

/** IAM's StringLike: `*` any run, `?` one character. Compiled patterns are kept: the scheduler tests thousands of resources. */
export function likeMatches(pattern: string, text: string, questionMark = true): boolean {
  const key = `${questionMark ? '?' : '-'}${pattern}`;
  let compiled = compiledPatterns.get(key);
  if (compiled === undefined) {
    const source = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' && questionMark ? '.' : ch.replace(/[.+^${}()|[\]\\?]/g, '\\$&'))).join('');
    compiled = new RegExp(`^${source}$`, 's');
    if (compiledPatterns.size > 10_000) compiledPatterns.clear();
    compiledPatterns.set(key, compiled);
  }
  return compiled.test(text);
}

const compiledPatterns = new Map<string, RegExp>();
