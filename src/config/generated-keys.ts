/**
 * The access keys Coffer generated itself, kept in `<dataDir>/access-keys.json` (mode 0600) so
 * that later starts keep using them. Also how a new key is made: an AKIA-like id and a 40-character
 * secret, from injected randomness.
 */
import { readFile } from 'node:fs/promises';
import { writePrivateFile } from './private-file.js';

export interface GeneratedKey {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly createdAt: string;
}

export type RandomBytes = (size: number) => Uint8Array;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STORE_VERSION = 1;

/** `AKIA` and 16 base32 characters, like an AWS long-term access key id. */
export function newAccessKeyId(random: RandomBytes): string {
  const bytes = random(16);
  return `AKIA${Array.from(bytes, (b) => BASE32[b & 31]).join('')}`;
}

/** 40 characters of base64, like an AWS secret access key (240 random bits). */
export function newSecretAccessKey(random: RandomBytes): string {
  return Buffer.from(random(30)).toString('base64');
}

/** The stored keys; none when the file does not exist. Never quotes the file's content. */
export async function readGeneratedKeys(path: string): Promise<readonly GeneratedKey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const keys = parseStore(text);
  if (keys === undefined) throw new Error(`${path} is damaged; move it away to have new access keys generated`);
  return keys;
}

function parseStore(text: string): readonly GeneratedKey[] | undefined {
  try {
    const data = JSON.parse(text) as { version?: unknown; keys?: unknown };
    if (data.version !== STORE_VERSION || !Array.isArray(data.keys)) return undefined;
    return data.keys.every(isGeneratedKey) ? data.keys : undefined;
  } catch {
    return undefined;
  }
}

function isGeneratedKey(value: unknown): value is GeneratedKey {
  const k = value as Record<string, unknown> | null;
  return typeof k === 'object' && k !== null && ['accountId', 'accessKeyId', 'secretAccessKey', 'createdAt'].every((f) => typeof k[f] === 'string');
}

export async function writeGeneratedKeys(path: string, keys: readonly GeneratedKey[]): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify({ version: STORE_VERSION, keys }, null, 2)}\n`);
}
