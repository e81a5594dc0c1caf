/**
 * restic's authenticated encryption: AES-256-CTR, then Poly1305-AES over the ciphertext, stored
 * as IV(16) || ciphertext || MAC(16). Poly1305 comes from libsodium (sodium-native) because the
 * MAC runs over every stored byte and a JS version is several times slower.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import sodium from 'sodium-native';

export const IV_SIZE = 16;
export const MAC_SIZE = 16;
/** Bytes that sealing adds to a plaintext. */
export const CRYPTO_OVERHEAD = IV_SIZE + MAC_SIZE;
/** Bytes encrypted per cipher update in `seal`. */
const SEAL_PIECE = 64 * 1024;

/** The master key of a repository (or a key derived from a password for key files). */
export interface MasterKey {
  /** 32-byte AES-256 key for CTR mode. */
  readonly encrypt: Buffer;
  /** 16-byte AES-128 key `k` of Poly1305-AES. */
  readonly macK: Buffer;
  /** 16-byte Poly1305 key `r` (clamped when used). */
  readonly macR: Buffer;
}

export class AuthenticationError extends Error {
  constructor(message = 'ciphertext verification failed: wrong key or damaged data') {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export function randomMasterKey(): MasterKey {
  const bytes = randomBytes(64);
  return { encrypt: bytes.subarray(0, 32), macK: bytes.subarray(32, 48), macR: bytes.subarray(48, 64) };
}

/** Splits 64 derived bytes (scrypt output) into a key as restic does: encrypt || k || r. */
export function keyFromBytes(bytes: Uint8Array): MasterKey {
  if (bytes.length !== 64) throw new Error(`a key needs 64 bytes, got ${bytes.length}`);
  const b = Buffer.from(bytes);
  return { encrypt: b.subarray(0, 32), macK: b.subarray(32, 48), macR: b.subarray(48, 64) };
}

function polyKey(key: MasterKey, iv: Uint8Array): Buffer {
  const aes = createCipheriv('aes-128-ecb', key.macK, null);
  aes.setAutoPadding(false);
  const s = aes.update(iv);
  const out = Buffer.allocUnsafe(32);
  key.macR.copy(out, 0);
  clampR(out);
  s.copy(out, 16);
  return out;
}

/** Poly1305's clamping of r; libsodium clamps too, doing it here keeps the key explicit. */
function clampR(k: Buffer): void {
  k[3]! &= 15;
  k[7]! &= 15;
  k[11]! &= 15;
  k[15]! &= 15;
  k[4]! &= 252;
  k[8]! &= 252;
  k[12]! &= 252;
}

/** Encrypts and authenticates `plaintext` under a fresh random IV. */
export function seal(key: MasterKey, plaintext: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + CRYPTO_OVERHEAD);
  sealInto(key, plaintext, out);
  return out;
}

/**
 * `seal` into memory the caller owns: `out` must hold `plaintext.length + CRYPTO_OVERHEAD`
 * bytes (batches of small files are sealed side by side into one reused slab). Returns the length.
 */
export function sealInto(key: MasterKey, plaintext: Uint8Array, out: Buffer): number {
  const length = plaintext.length + CRYPTO_OVERHEAD;
  if (out.length < length) throw new RangeError(`sealInto needs ${length} bytes, got ${out.length}`);
  randomBytes(IV_SIZE).copy(out, 0);
  const iv = out.subarray(0, IV_SIZE);
  const cipher = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const body = out.subarray(IV_SIZE, IV_SIZE + plaintext.length);
  // In pieces: one update of a whole ~1 MiB blob returns a fresh buffer as large, and its page
  // faults cost more than the encryption; 64 KiB pieces reuse the same few cached allocations.
  let n = 0;
  for (let at = 0; at < plaintext.length; at += SEAL_PIECE) {
    const piece = cipher.update(plaintext.subarray(at, at + SEAL_PIECE));
    piece.copy(body, n);
    n += piece.length;
  }
  const rest = cipher.final();
  rest.copy(body, n);
  sodium.crypto_onetimeauth(out.subarray(IV_SIZE + plaintext.length, length), body, polyKey(key, iv));
  return length;
}

/** Verifies and decrypts data produced by `seal`. Throws AuthenticationError on any mismatch. */
export function open(key: MasterKey, sealed: Uint8Array): Buffer {
  if (sealed.length < CRYPTO_OVERHEAD) throw new AuthenticationError('ciphertext too short');
  const iv = sealed.subarray(0, IV_SIZE);
  const body = sealed.subarray(IV_SIZE, sealed.length - MAC_SIZE);
  const mac = sealed.subarray(sealed.length - MAC_SIZE);
  const expected = Buffer.allocUnsafe(MAC_SIZE);
  sodium.crypto_onetimeauth(expected, body, polyKey(key, iv));
  if (!timingSafeEqual(expected, mac)) throw new AuthenticationError();
  const decipher = createDecipheriv('aes-256-ctr', key.encrypt, iv);
  const head = decipher.update(body);
  const tail = decipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}

/**
 * `open` in place: verifies, then decrypts the ciphertext over itself (in pieces), so that a
 * restore needs no memory per blob. `sealed` is overwritten; returns the view of it that holds
 * the plaintext.
 */
export function openInPlace(key: MasterKey, sealed: Buffer): Buffer {
  if (sealed.length < CRYPTO_OVERHEAD) throw new AuthenticationError('ciphertext too short');
  const iv = sealed.subarray(0, IV_SIZE);
  const body = sealed.subarray(IV_SIZE, sealed.length - MAC_SIZE);
  const mac = sealed.subarray(sealed.length - MAC_SIZE);
  const expected = Buffer.allocUnsafe(MAC_SIZE);
  sodium.crypto_onetimeauth(expected, body, polyKey(key, iv));
  if (!timingSafeEqual(expected, mac)) throw new AuthenticationError();
  const decipher = createDecipheriv('aes-256-ctr', key.encrypt, iv);
  let n = 0;
  for (let at = 0; at < body.length; at += SEAL_PIECE) n += decipher.update(body.subarray(at, at + SEAL_PIECE)).copy(body, n);
  n += decipher.final().copy(body, n);
  return body.subarray(0, n);
}

/** The JSON form restic uses for a master key inside a key file. */
export interface MasterKeyJson {
  mac: { k: string; r: string };
  encrypt: string;
}

export function masterKeyToJson(key: MasterKey): MasterKeyJson {
  return { mac: { k: key.macK.toString('base64'), r: key.macR.toString('base64') }, encrypt: key.encrypt.toString('base64') };
}

export function masterKeyFromJson(json: MasterKeyJson): MasterKey {
  const encrypt = Buffer.from(json.encrypt, 'base64');
  const macK = Buffer.from(json.mac.k, 'base64');
  const macR = Buffer.from(json.mac.r, 'base64');
  if (encrypt.length !== 32 || macK.length !== 16 || macR.length !== 16) throw new Error('master key has invalid lengths');
  return { encrypt, macK, macR };
}
