/**
 * RSA signatures over a digest the caller already computed (MessageType DIGEST): node:crypto
 * hashes every message it signs, so the encodings are built here (RFC 8017: EMSA-PKCS1-v1_5's
 * DigestInfo, EMSA-PSS with MGF1 and a salt as long as the digest, as AWS KMS uses) and only the
 * raw RSA operation is node:crypto's. The signatures are the same bytes node:crypto's own would
 * verify, so RAW and DIGEST signatures of one message check against each other.
 */
import { constants, createHash, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type RsaHash = 'sha256' | 'sha384' | 'sha512';

const DIGEST_INFO: Readonly<Record<RsaHash, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function mgf1(hash: RsaHash, seed: Buffer, length: number): Buffer {
  const parts: Buffer[] = [];
  for (let counter = 0; parts.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    parts.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(parts).subarray(0, length);
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new Error('not an RSA key');
  return bits;
}

function pssBlock(hash: RsaHash, digest: Buffer, salt: Buffer, emBits: number): { prefix: Buffer; h: Buffer; emLen: number } {
  const emLen = Math.ceil(emBits / 8);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return { prefix: Buffer.alloc(emLen - salt.length - h.length - 2), h, emLen };
}

export function signPkcs1Digest(privateKey: KeyObject, hash: RsaHash, digest: Buffer): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest]));
}

export function verifyPkcs1Digest(publicKey: KeyObject, hash: RsaHash, digest: Buffer, signature: Buffer): boolean {
  try {
    const expected = Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest]);
    const got = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    return got.length === expected.length && timingSafeEqual(got, expected);
  } catch {
    return false;
  }
}

export function signPssDigest(privateKey: KeyObject, hash: RsaHash, digest: Buffer): Buffer {
  const bits = modulusBits(privateKey);
  const emBits = bits - 1;
  const salt = randomBytes(digest.length);
  const { prefix, h, emLen } = pssBlock(hash, digest, salt, emBits);
  const db = Buffer.concat([prefix, Buffer.from([0x01]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(bits / 8);
  return privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(k - emLen), em]));
}

export function verifyPssDigest(publicKey: KeyObject, hash: RsaHash, digest: Buffer, signature: Buffer): boolean {
  const bits = modulusBits(publicKey);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  let raw: Buffer;
  try {
    raw = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (raw.subarray(0, k - emLen).some((b) => b !== 0)) return false;
  const em = raw.subarray(k - emLen);
  const hLen = digest.length;
  if (em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((db[0]! & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const saltStart = db.length - hLen;
  if (db.subarray(0, saltStart - 1).some((b) => b !== 0) || db[saltStart - 1] !== 0x01) return false;
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(db.subarray(saltStart)).digest();
  return timingSafeEqual(expected, h);
}
