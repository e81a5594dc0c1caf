/**
 * restic key files (`keys/<id>`): plain JSON holding scrypt parameters and the master key sealed
 * under a key derived from a password. A repository may have several; any one opens it.
 */
import { randomBytes, scrypt as scryptCb } from 'node:crypto';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { keyFromBytes, masterKeyFromJson, masterKeyToJson, open, seal, AuthenticationError } from './crypto.js';
import type { MasterKey, MasterKeyJson } from './crypto.js';
import { formatTime } from './time-format.js';
import { safeUsername } from './user-name.js';

const scrypt = promisify(scryptCb) as (pw: Buffer, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 100 ms on these machines; restic reads whatever the file says. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 32768, r: 8, p: 1 };

interface KeyFileJson {
  created: string;
  username: string;
  hostname: string;
  kdf: string;
  N: number;
  r: number;
  p: number;
  salt: string;
  data: string;
}

async function deriveKey(password: Buffer, salt: Buffer, params: ScryptParams): Promise<MasterKey> {
  const maxmem = 256 * params.N * params.r + 16 * 1024 * 1024;
  const bytes = await scrypt(password, salt, 64, { N: params.N, r: params.r, p: params.p, maxmem });
  return keyFromBytes(bytes);
}

export async function createKeyFile(master: MasterKey, password: Buffer, params = DEFAULT_SCRYPT): Promise<Buffer> {
  const salt = randomBytes(64);
  const userKey = await deriveKey(password, salt, params);
  const data = seal(userKey, Buffer.from(JSON.stringify(masterKeyToJson(master))));
  const json: KeyFileJson = {
    created: formatTime(new Date()),
    username: safeUsername(),
    hostname: hostname(),
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    data: data.toString('base64'),
  };
  return Buffer.from(JSON.stringify(json));
}

/** Returns the master key, or undefined when the password does not open this key file. */
export async function openKeyFile(file: Buffer, password: Buffer): Promise<MasterKey | undefined> {
  const json = JSON.parse(file.toString('utf8')) as KeyFileJson;
  if (json.kdf !== 'scrypt') throw new Error(`key file uses unsupported KDF ${JSON.stringify(json.kdf)}`);
  const userKey = await deriveKey(password, Buffer.from(json.salt, 'base64'), json);
  try {
    const plain = open(userKey, Buffer.from(json.data, 'base64'));
    return masterKeyFromJson(JSON.parse(plain.toString('utf8')) as MasterKeyJson);
  } catch (err) {
    if (err instanceof AuthenticationError) return undefined;
    throw err;
  }
}
