/**
 * Material of asymmetric and HMAC keys with node:crypto: a private key is kept as PKCS #8 DER
 * (sealed under the root key like any material), its public key given out as X.509
 * SubjectPublicKeyInfo DER, as GetPublicKey does. Signing algorithms follow AWS's names (PSS with
 * a salt as long as the digest; ECDSA signatures in DER), over the message (RAW) or over a digest
 * the caller computed (DIGEST, ecdsa-digest.ts and rsa-digest-signature.ts).
 */
import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPair,
  privateDecrypt,
  publicEncrypt,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { signDigest, verifyDigest } from './ecdsa-digest.js';
import type { KeySpecInfo } from './key-specs.js';
import { KmsError } from './kms-error.js';
import type { KmsRandom } from './kms-scope.js';
import { signPkcs1Digest, signPssDigest, verifyPkcs1Digest, verifyPssDigest } from './rsa-digest-signature.js';
import type { RsaHash } from './rsa-digest-signature.js';

const generate = promisify(generateKeyPair) as unknown as (
  type: 'rsa' | 'ec',
  options: Record<string, unknown>,
) => Promise<{ publicKey: Buffer; privateKey: Buffer }>;

/** New material for a key of `spec`: 32 random bytes (symmetric), the HMAC key, or a PKCS #8 private key. */
export async function newMaterialFor(info: KeySpecInfo, random: KmsRandom): Promise<Buffer> {
  if (info.family === 'symmetric') return random.bytes(32);
  if (info.family === 'hmac') return random.bytes(info.hmacBytes!);
  return (await newKeyPair(info)).privateKey;
}

export async function newKeyPair(info: KeySpecInfo): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  const encoding = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } };
  const pair =
    info.family === 'rsa'
      ? await generate('rsa', { modulusLength: info.rsaBits!, publicExponent: 0x10001, ...encoding })
      : await generate('ec', { namedCurve: info.curve!, ...encoding });
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export function privateKeyOf(material: Buffer): KeyObject {
  return createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
}

export function publicKeyDer(material: Buffer): Buffer {
  return createPublicKey(privateKeyOf(material)).export({ type: 'spki', format: 'der' });
}

/** A caller's SubjectPublicKeyInfo (DER), or a ValidationException naming the member. */
export function parsePublicKey(der: Buffer, member: string): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new KmsError('InvalidParameter', `${member} is not a DER-encoded X.509 SubjectPublicKeyInfo.`);
  }
}

const HASHES: Readonly<Record<string, RsaHash>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

function hashOf(algorithm: string): RsaHash {
  return HASHES[algorithm.slice(-3)]!;
}

const DIGEST_BYTES: Readonly<Record<RsaHash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

function checkDigest(algorithm: string, digest: Buffer): void {
  const want = DIGEST_BYTES[hashOf(algorithm)];
  if (digest.length !== want) {
    throw new KmsError(
      'InvalidParameter',
      `Digest is invalid length for algorithm ${algorithm}: ${algorithm} takes a ${want}-byte digest, not ${digest.length} bytes.`,
    );
  }
}

export type MessageType = 'RAW' | 'DIGEST';

export function signMessage(material: Buffer, algorithm: string, message: Buffer, type: MessageType): Buffer {
  const key = privateKeyOf(material);
  const hash = hashOf(algorithm);
  const pss = algorithm.startsWith('RSASSA_PSS');
  if (type === 'DIGEST') {
    checkDigest(algorithm, message);
    if (algorithm.startsWith('ECDSA')) return signDigest(key, message);
    return pss ? signPssDigest(key, hash, message) : signPkcs1Digest(key, hash, message);
  }
  if (pss) return sign(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] });
  return sign(hash, message, key);
}

export function verifyMessage(material: Buffer, algorithm: string, message: Buffer, type: MessageType, signature: Buffer): boolean {
  const key = createPublicKey(privateKeyOf(material));
  const hash = hashOf(algorithm);
  const pss = algorithm.startsWith('RSASSA_PSS');
  if (type === 'DIGEST') {
    checkDigest(algorithm, message);
    if (algorithm.startsWith('ECDSA')) return verifyDigest(key, message, signature);
    return pss ? verifyPssDigest(key, hash, message, signature) : verifyPkcs1Digest(key, hash, message, signature);
  }
  try {
    if (pss) return verify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] }, signature);
    return verify(hash, message, key, signature);
  } catch {
    return false;
  }
}

const OAEP_HASH: Readonly<Record<string, string>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

/** The largest plaintext RSAES-OAEP takes for this key: k - 2 hLen - 2 bytes. */
export function oaepLimit(info: KeySpecInfo, algorithm: string): number {
  const hLen = algorithm === 'RSAES_OAEP_SHA_1' ? 20 : 32;
  return info.rsaBits! / 8 - 2 * hLen - 2;
}

export function rsaEncrypt(material: Buffer, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt({ key: createPublicKey(privateKeyOf(material)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]! }, plaintext);
}

/** Undefined when the ciphertext does not open (another key, algorithm or altered bytes). */
export function rsaDecrypt(material: Buffer, algorithm: string, ciphertext: Buffer): Buffer | undefined {
  try {
    return privateDecrypt({ key: privateKeyOf(material), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]! }, ciphertext);
  } catch {
    return undefined;
  }
}

/** ECDH: the raw shared secret (the x coordinate), as DeriveSharedSecret answers it. */
export function sharedSecret(material: Buffer, peer: KeyObject): Buffer {
  const privateKey = privateKeyOf(material);
  if (peer.asymmetricKeyType !== 'ec' || peer.asymmetricKeyDetails?.namedCurve !== privateKey.asymmetricKeyDetails?.namedCurve) {
    throw new KmsError('InvalidParameter', `PublicKey must be a key on the KMS key's curve (${String(privateKey.asymmetricKeyDetails?.namedCurve)}).`);
  }
  return diffieHellman({ privateKey, publicKey: peer });
}

const MAC_HASH: Readonly<Record<string, string>> = { HMAC_SHA_224: 'sha224', HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512' };

export function mac(material: Buffer, algorithm: string, message: Buffer): Buffer {
  return createHmac(MAC_HASH[algorithm]!, material).update(message).digest();
}

export function macMatches(material: Buffer, algorithm: string, message: Buffer, given: Buffer): boolean {
  const expected = mac(material, algorithm, message);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
