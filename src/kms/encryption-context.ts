/**
 * Encryption contexts: the non-secret key-value pairs bound to a ciphertext. Their canonical
 * form (pairs sorted by key, as JSON) is what the cipher authenticates, so the order a caller
 * lists them in never matters, and any added, missing or changed pair fails decryption.
 */

export type EncryptionContext = Readonly<Record<string, string>>;

export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  const pairs = Object.keys(context ?? {})
    .sort()
    .map((key) => [key, context![key]!]);
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

/** Whether every pair of `subset` is in `context` with the same value. */
export function contextIncludes(context: EncryptionContext | undefined, subset: EncryptionContext): boolean {
  return Object.entries(subset).every(([key, value]) => context?.[key] === value);
}

export function contextEquals(context: EncryptionContext | undefined, other: EncryptionContext): boolean {
  return canonicalContext(context).equals(canonicalContext(other));
}
