/**
 * One JSON record in storage, sealed under the root key (AES-256-GCM, kms/root-envelope.ts) with
 * associated data naming what it is (so a file moved, renamed or altered does not open), in a
 * versioned envelope `{ version, body }`. The records of recovery/ (vault-records.ts,
 * plan-records.ts) are all written and read through here; writes are the BlobStore's (atomic).
 */
import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.js';
import { NotFoundError } from '../storage/blob-store.js';
import { openUnderRoot, sealUnderRoot } from '../kms/root-envelope.js';

const VERSION = 1;
const random = { bytes: (n: number): Buffer => randomBytes(n) };

export async function writeSealed(store: BlobStore, rootKey: Buffer, name: string, aad: Buffer, body: unknown): Promise<void> {
  const text = sealUnderRoot(rootKey, Buffer.from(JSON.stringify({ version: VERSION, body }), 'utf8'), aad, random);
  await store.write(name, Buffer.from(`${text}\n`, 'utf8'));
}

/** The record's body, or undefined when there is no such file; throws when it does not open. */
export async function readSealed<T>(store: BlobStore, rootKey: Buffer, name: string, aad: Buffer): Promise<T | undefined> {
  let raw: Buffer;
  try {
    raw = await store.read(name);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  const what = `${name} in ${store.location}`;
  const opened = JSON.parse(openUnderRoot(rootKey, raw.toString('utf8').trim(), aad, what).toString('utf8')) as { version?: unknown; body?: T };
  if (opened.version !== VERSION || opened.body === undefined) throw new Error(`${what} has an unknown format version ${String(opened.version)}`);
  return opened.body;
}
