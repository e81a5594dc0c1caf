/**
 * Content identifiers: every blob and every repository file is named by the SHA-256 of its
 * bytes, written as 64 lowercase hex digits (restic's storage and blob IDs).
 */
import { createHash } from 'node:crypto';

/** 64 lowercase hex digits. Kept as a string so it can key a Map directly. */
export type Id = string;

export function hashOf(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function idOf(data: Uint8Array): Id {
  return createHash('sha256').update(data).digest('hex');
}

const ID_PATTERN = /^[0-9a-f]{64}$/;

export function isId(value: unknown): value is Id {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function shortId(id: Id): string {
  return id.slice(0, 8);
}
