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
export function matchSelection<R extends SelectableResource>(
  selection: SelectionDocument,
  resources: readonly R[] | ResourceIndex<R>,
  optIn: OptInPreference,
): R[] {
  const picks = compileSelection(selection);
  const index = 'all' in resources ? resources : indexResources(resources);
  return candidatesOf(selection, index).filter((resource) => picks(resource, optIn));
}

/**
 * A registry indexed for selections, built once per account and region and tick: by exact ARN,
 * by tag, and sorted by ARN (a wildcard is only ever a trailing `*`, so it names a range). A
 * selection by tag or ARN then looks at its few candidates, not at every resource.
 */
export interface ResourceIndex<R extends SelectableResource> {
  readonly all: readonly R[];
  readonly byArn: ReadonlyMap<string, R>;
  readonly byTag: ReadonlyMap<string, readonly R[]>;
  readonly sorted: readonly R[];
}

export function indexResources<R extends SelectableResource>(resources: readonly R[]): ResourceIndex<R> {
  const byArn = new Map<string, R>();
  const byTag = new Map<string, R[]>();
  for (const r of resources) {
    byArn.set(r.arn, r);
    for (const [key, value] of Object.entries(r.tags)) {
      const k = `${key}\u0000${value}`;
      const list = byTag.get(k);
      if (list === undefined) byTag.set(k, [r]);
      else list.push(r);
    }
  }
  const sorted = [...resources].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return { all: resources, byArn, byTag, sorted };
}

/** The resources a selection could pick, in registry order: its named, prefixed and tagged ones, or all. */
function candidatesOf<R extends SelectableResource>(selection: SelectionDocument, index: ResourceIndex<R>): readonly R[] {
  const patterns = selection.Resources ?? [];
  const tags = selection.ListOfTags ?? [];
  if ((patterns.length === 0 && tags.length === 0) || patterns.some((p) => p === '*' || (p.indexOf('*') !== p.length - 1 && p.includes('*')))) return index.all;
  const found = new Set<R>();
  for (const p of patterns) {
    if (!p.endsWith('*')) {
      const r = index.byArn.get(p);
      if (r !== undefined) found.add(r);
      continue;
    }
    const prefix = p.slice(0, -1);
    let lo = 0;
    let hi = index.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.sorted[mid]!.arn < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < index.sorted.length && index.sorted[i]!.arn.startsWith(prefix); i += 1) found.add(index.sorted[i]!);
  }
  for (const t of tags) for (const r of index.byTag.get(`${tagKey(t.ConditionKey)}\u0000${t.ConditionValue}`) ?? []) found.add(r);
  return found.size === index.all.length ? index.all : index.all.filter((r) => found.has(r));
}

/** The selection as one predicate, its patterns compiled once (the scheduler tests thousands of resources). */
export function compileSelection(selection: SelectionDocument): (resource: SelectableResource, optIn: OptInPreference) => boolean {
  const named = new Set(selection.Resources?.filter((p) => !p.includes('*')) ?? []);
  const patterns = (selection.Resources ?? []).map(arnMatcher);
  const excluded = (selection.NotResources ?? []).map(arnMatcher);
  const tagPicks = (selection.ListOfTags ?? []).map((t) => ({ key: tagKey(t.ConditionKey), value: t.ConditionValue }));
  const fromEverything = patterns.length === 0 && tagPicks.length === 0;
  const c = selection.Conditions ?? {};
  const equals = (c.StringEquals ?? []).map((p) => ({ key: tagKey(p.ConditionKey), value: p.ConditionValue }));
  const notEquals = (c.StringNotEquals ?? []).map((p) => ({ key: tagKey(p.ConditionKey), value: p.ConditionValue }));
  const like = (c.StringLike ?? []).map((p) => ({ key: tagKey(p.ConditionKey), re: likePattern(p.ConditionValue, true) }));
  const notLike = (c.StringNotLike ?? []).map((p) => ({ key: tagKey(p.ConditionKey), re: likePattern(p.ConditionValue, true) }));
  return (resource, optIn) => {
    const tags = resource.tags;
    if (!fromEverything && !patterns.some((m) => m(resource.arn)) && !tagPicks.some((t) => tags[t.key] === t.value)) return false;
    if (!equals.every((p) => tags[p.key] === p.value)) return false;
    if (!notEquals.every((p) => tags[p.key] !== p.value)) return false;
    if (
      !like.every((p) => {
        const v = tags[p.key];
        return v !== undefined && p.re.test(v);
      })
    )
      return false;
    if (
      !notLike.every((p) => {
        const v = tags[p.key];
        return v === undefined || !p.re.test(v);
      })
    )
      return false;
    if (excluded.some((m) => m(resource.arn))) return false;
    return named.has(resource.arn) || optIn[resource.type] !== false;
  };
}

function tagKey(conditionKey: string): string {
  return conditionKey.startsWith(TAG_PREFIX) ? conditionKey.slice(TAG_PREFIX.length) : conditionKey;
}

/** `*` alone matches everything; otherwise `*` matches any run of characters (ARNs are case-sensitive). */
export function arnMatches(pattern: string, arn: string): boolean {
  return arnMatcher(pattern)(arn);
}

function arnMatcher(pattern: string): (arn: string) => boolean {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*')) return (arn) => arn === pattern;
  const re = likePattern(pattern, false);
  return (arn) => re.test(arn);
}

/** IAM's StringLike: `*` any run, `?` one character (when `questionMark`). */
export function likeMatches(pattern: string, text: string, questionMark = true): boolean {
  return likePattern(pattern, questionMark).test(text);
}

function likePattern(pattern: string, questionMark: boolean): RegExp {
  const source = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' && questionMark ? '.' : ch.replace(/[.+^${}()|[\]\\?]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}
