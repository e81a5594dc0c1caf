/**
 * Raw query strings as AWS reads them: pairs in arrival order, percent-decoded as UTF-8, `+`
 * kept literal (AWS signers encode a space as `%20`; a `+` on the wire means `+`).
 */

export type QueryPairs = readonly (readonly [string, string])[];

/** `a=1&b=&c&a=2` -> [[a,1],[b,''],[c,''],[a,2]]; empty pieces are skipped. */
export function parseQuery(rawQuery: string): QueryPairs {
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    pairs.push([percentDecode(key), percentDecode(value)]);
  }
  return pairs;
}

/** Every value of one query parameter, in order. */
export function queryValues(pairs: QueryPairs, name: string): readonly string[] {
  return pairs.filter(([key]) => key === name).map(([, value]) => value);
}

/**
 * Decodes `%XY` sequences as UTF-8 bytes. A `%` not followed by two hex digits stays as it is,
 * so a sloppy client's string survives instead of failing the whole request.
 */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
