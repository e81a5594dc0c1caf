/**
 * IAM wildcards: `*` stands for any run of characters (none included) and `?` for exactly one.
 * Actions compare without case, resources and ARNs with it; the caller says which. No regular
 * expressions, so a pattern can never be a catastrophic one.
 */

/** Whether `text` matches the whole of `pattern`. */
export function wildcardMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1; // position of the last `*` seen, to retry from when a later literal fails
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      pi += 1;
      resume = ti;
    } else if (star !== -1) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}

/**
 * ARN wildcards as `ArnLike` reads them: the six colon-separated parts are matched one by one, so
 * a `*` in the region cannot swallow the account. A pattern with fewer parts (`*`, `arn:aws:*`)
 * is matched against the whole text.
 */
export function arnWildcardMatch(pattern: string, arn: string): boolean {
  const patternParts = arnParts(pattern);
  if (patternParts.length < 6) return wildcardMatch(pattern, arn);
  const arnPartList = arnParts(arn);
  if (arnPartList.length < 6) return false;
  return patternParts.every((part, i) => wildcardMatch(part, arnPartList[i] ?? ''));
}

function arnParts(text: string): string[] {
  const parts = text.split(':');
  return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
}
