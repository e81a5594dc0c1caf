/**
 * Coffer's root key (32 bytes): it seals KMS key material and repository passwords, in the
 * catalog and in each vault's storage. Sourced, first match wins:
 *   1. env `COFFER_ROOT_KEY`: the standard base64 of exactly 32 bytes (44 characters,
 *      `openssl rand -base64 32`);
 *   2. config `rootKeyFile`: a file holding those 44 characters (trailing newline allowed) or the
 *      32 raw bytes; it must exist (a missing configured key is never replaced by a new one);
 *   3. `<dataDir>/root.key` (32 raw bytes, mode 0600), made at first start when absent.
 * Many nodes (scale-out) and `coffer recover` need the same key on every host: use 1 or 2.
 * The key is never printed; messages name where it came from and what is wrong with it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT_KEY_ENV = 'COFFER_ROOT_KEY';
export const ROOT_KEY_FILE_NAME = 'root.key';
const KEY_BYTES = 32;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

export interface RootKeySource {
  readonly dataDir: string;
  /** Absolute path from the config's `rootKeyFile`, if any. */
  readonly rootKeyFile?: string | undefined;
}

export interface LoadedRootKey {
  readonly key: Buffer;
  /** Where it came from, for the banner: `COFFER_ROOT_KEY`, or a file path. Never the key. */
  readonly from: string;
  /** True when this start made a new key in the data dir. */
  readonly created: boolean;
}

/** A root key that cannot be used; the message says where it came from and how to fix it. */
export class RootKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootKeyError';
  }
}

/** The 32 bytes of a base64 key text, or a reason (that never quotes the text). */
export function decodeBase64Key(text: string): Buffer | string {
  const trimmed = text.trim();
  if (!BASE64_KEY.test(trimmed)) {
    return `must be the standard base64 of exactly ${KEY_BYTES} bytes (44 characters ending in "=", e.g. from \`openssl rand -base64 32\`); it is ${trimmed.length} characters${trimmed.length === 44 ? ' with characters outside base64' : ''}`;
  }
  return Buffer.from(trimmed, 'base64');
}

/** `create: false` (offline commands): a missing data dir key is an error rather than made. */
export async function loadRootKey(
  source: RootKeySource,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly create?: boolean } = {},
): Promise<LoadedRootKey> {
  const fromEnv = env[ROOT_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = decodeBase64Key(fromEnv);
    if (typeof key === 'string') throw new RootKeyError(`${ROOT_KEY_ENV} ${key}`);
    return { key, from: ROOT_KEY_ENV, created: false };
  }
  if (source.rootKeyFile !== undefined) return { key: await readKeyFile(source.rootKeyFile, 'rootKeyFile'), from: source.rootKeyFile, created: false };
  return dataDirKey(source.dataDir, options.create ?? true);
}

async function readKeyFile(file: string, what: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const hint =
      code === 'ENOENT'
        ? `; restore it from your offline copy, or make a new one with \`openssl rand -base64 32 > ${file}\` (only for a new installation: vaults sealed under another key will not open)`
        : '';
    throw new RootKeyError(`the root key file ${file} (${what}) cannot be read: ${code}${hint}`);
  }
  if (raw.length === KEY_BYTES) return raw;
  const key = decodeBase64Key(raw.toString('latin1'));
  if (typeof key === 'string')
    throw new RootKeyError(
      `the root key file ${file} (${what}) must hold ${KEY_BYTES} raw bytes or their base64; it holds ${raw.length} bytes that are neither (base64 ${key})`,
    );
  return key;
}

async function dataDirKey(dataDir: string, create: boolean): Promise<LoadedRootKey> {
  const file = join(dataDir, ROOT_KEY_FILE_NAME);
  try {
    const key = await readFile(file);
    if (key.length !== KEY_BYTES)
      throw new RootKeyError(`${file} must hold exactly ${KEY_BYTES} bytes; it holds ${key.length}: restore it from your offline copy`);
    return { key, from: file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!create) {
    throw new RootKeyError(
      `no root key: ${ROOT_KEY_ENV} is not set, the config gives no rootKeyFile, and ${file} does not exist. Give the root key you kept offline (${ROOT_KEY_ENV}=<base64> or rootKeyFile).`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    await writeFile(file, key, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return dataDirKey(dataDir, create);
    throw err;
  }
  await chmod(file, 0o600);
  return { key, from: file, created: true };
}
