/**
 * Policy variables: `${aws:PrincipalAccount}` in a Resource or a condition value stands for that
 * key's value in the request; `${key, 'fallback'}` gives a value for when the key is absent.
 * Only documents of Version 2012-10-17 have variables; in 2008-10-17 `${...}` is plain text.
 */
import type { ConditionKeys } from './request-context.js';

const VARIABLE = /\$\{([^}]*)\}/g;
const REFERENCE = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/;
/** `${*}`, `${?}`, `${$}` write the character itself (within Like patterns it still acts as a wildcard). */
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** `text` with its variables replaced, or undefined when one names an absent (or multi-valued) key and has no fallback: such a value matches nothing. */
export function substituteVariables(text: string, keys: ConditionKeys): string | undefined {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const result = text.replace(VARIABLE, (whole, inner: string) => {
    const escaped = ESCAPES[inner];
    if (escaped !== undefined) return escaped;
    const reference = REFERENCE.exec(inner);
    if (reference === null) return whole;
    const values = keys.get((reference[1] ?? '').toLowerCase());
    if (values?.length === 1) return values[0] ?? '';
    if (reference[2] !== undefined) return reference[2];
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : result;
}
