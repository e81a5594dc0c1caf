/**
 * The kinds of KMS key Coffer makes, by KeySpec: which KeyUsage each allows and which algorithms
 * each usage offers, as AWS lists them in KeyMetadata. Symmetric keys encrypt; RSA keys encrypt
 * (OAEP) or sign (PSS, PKCS #1 v1.5); NIST and SECG elliptic-curve keys sign (ECDSA) and the NIST
 * ones also agree keys (ECDH); HMAC keys make and check MACs. SM2 (China regions only), ML-DSA and
 * Edwards-curve keys are AWS's but not Coffer's: CreateKey refuses them naming the reason.
 */
import { KmsError } from './kms-error.js';

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';

export type KeyFamily = 'symmetric' | 'rsa' | 'ec' | 'hmac';

export interface KeySpecInfo {
  readonly family: KeyFamily;
  /** The usages this spec allows, the first being CreateKey's default where it has one. */
  readonly usages: readonly KeyUsage[];
  /** RSA modulus bits, or the curve's name for node:crypto, or the HMAC key's bytes. */
  readonly rsaBits?: number;
  readonly curve?: string;
  readonly hmacBytes?: number;
  readonly signing?: readonly string[];
  readonly encryption?: readonly string[];
  readonly mac?: readonly string[];
}

const RSA_SIGNING = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];
const RSA_ENCRYPTION = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];

const rsa = (bits: number): KeySpecInfo => ({
  family: 'rsa',
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  rsaBits: bits,
  signing: RSA_SIGNING,
  encryption: RSA_ENCRYPTION,
});
const ec = (curve: string, signing: string, agreement: boolean): KeySpecInfo => ({
  family: 'ec',
  usages: agreement ? ['SIGN_VERIFY', 'KEY_AGREEMENT'] : ['SIGN_VERIFY'],
  curve,
  signing: [signing],
});
const hmac = (bits: number): KeySpecInfo => ({ family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], hmacBytes: bits / 8, mac: [`HMAC_SHA_${bits}`] });

export const KEY_SPECS: Readonly<Record<string, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'], encryption: ['SYMMETRIC_DEFAULT'] },
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: ec('P-256', 'ECDSA_SHA_256', true),
  ECC_NIST_P384: ec('P-384', 'ECDSA_SHA_384', true),
  ECC_NIST_P521: ec('P-521', 'ECDSA_SHA_512', true),
  ECC_SECG_P256K1: ec('secp256k1', 'ECDSA_SHA_256', false),
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
};

const NOT_HERE: Readonly<Record<string, string>> = {
  SM2: 'SM2 keys exist only in the AWS China Regions',
  ML_DSA_44: 'ML-DSA keys need a post-quantum signer that Node.js 20 does not have',
  ML_DSA_65: 'ML-DSA keys need a post-quantum signer that Node.js 20 does not have',
  ML_DSA_87: 'ML-DSA keys need a post-quantum signer that Node.js 20 does not have',
  ECC_NIST_EDWARDS25519: 'Ed25519ph (ED25519_PH_SHA_512) is not available in Node.js 20',
};

export function keySpecInfo(spec: string): KeySpecInfo {
  const info = KEY_SPECS[spec];
  if (info !== undefined) return info;
  const why = NOT_HERE[spec];
  if (why !== undefined) throw new KmsError('UnsupportedOperation', `KeySpec ${spec} is not supported by Coffer: ${why}.`);
  throw new KmsError(
    'InvalidParameter',
    `1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(KEY_SPECS).join(', ')}]`,
  );
}

/** The usage a CreateKey asks for, checked against its spec (AWS's default: ENCRYPT_DECRYPT). */
export function checkUsage(spec: string, usage: string | undefined): KeyUsage {
  const info = keySpecInfo(spec);
  const wanted = usage ?? 'ENCRYPT_DECRYPT';
  if (!info.usages.includes(wanted as KeyUsage)) {
    throw new KmsError(
      'InvalidParameter',
      `KeyUsage ${wanted} is not compatible with KeySpec ${spec}; ${spec} allows ${info.usages.join(' or ')}${usage === undefined ? ' (KeyUsage defaults to ENCRYPT_DECRYPT: give it)' : ''}.`,
    );
  }
  return wanted as KeyUsage;
}

/** The algorithm lists of KeyMetadata and GetPublicKey for a key of `spec` and `usage`. */
export function algorithmsOf(
  spec: string,
  usage: string,
): { encryption?: readonly string[]; signing?: readonly string[]; mac?: readonly string[]; agreement?: readonly string[] } {
  const info = KEY_SPECS[spec];
  if (info === undefined) return {};
  if (usage === 'ENCRYPT_DECRYPT') return { encryption: info.encryption ?? [] };
  if (usage === 'SIGN_VERIFY') return { signing: info.signing ?? [] };
  if (usage === 'GENERATE_VERIFY_MAC') return { mac: info.mac ?? [] };
  return { agreement: ['ECDH'] };
}

/** Data key pair specs (GenerateDataKeyPair): the asymmetric key specs. */
export function dataKeyPairSpec(spec: string): KeySpecInfo {
  const info = KEY_SPECS[spec];
  if (info !== undefined && (info.family === 'rsa' || info.family === 'ec')) return info;
  if (NOT_HERE[spec] !== undefined) throw new KmsError('UnsupportedOperation', `KeyPairSpec ${spec} is not supported by Coffer: ${NOT_HERE[spec]}.`);
  throw new KmsError(
    'InvalidParameter',
    `KeyPairSpec ${spec} is not one of RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1.`,
  );
}
