/**
 * The encryption operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext),
 * GenerateDataKeyPair(WithoutPlaintext) and GenerateRandom, with AWS's order of checks: find the
 * key, authorize the caller (policy, then grants), then the key's state (Disabled,
 * PendingDeletion, PendingImport) and usage. A symmetric key's ciphertexts name their key and
 * material (ciphertext-blob.ts), so Decrypt needs no KeyId and a rotated key still opens what its
 * earlier materials sealed; given a KeyId that differs, it is IncorrectKey. An RSA encryption
 * key's ciphertexts are plain RSAES-OAEP, as AWS's: Decrypt then needs the KeyId and algorithm.
 */
import { parseArn } from '../iam/arn.js';
import { newKeyPair, oaepLimit, rsaDecrypt, rsaEncrypt } from './asymmetric-material.js';
import { blobKeyArn, blobMaterialId, invalidCiphertext, openBlob, sealBlob } from './ciphertext-blob.js';
import type { EncryptionContext } from './encryption-context.js';
import type { KmsOperation } from './key-access.js';
import { isKeyId } from './key-reference.js';
import { dataKeyPairSpec, KEY_SPECS } from './key-specs.js';
import { createKeyUse } from './key-use.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { customKeyStoreNotFound, dryRun, KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';
import type { StoredKey } from './stored-key.js';

export const MAX_PLAINTEXT_BYTES = 4096;
export const MAX_DATA_KEY_BYTES = 1024;
const DATA_KEY_SPECS: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

export interface CryptoOptions {
  readonly context?: EncryptionContext | undefined;
  /** SYMMETRIC_DEFAULT (the default) for symmetric keys; RSAES_OAEP_SHA_1 or _256 for RSA keys. */
  readonly algorithm?: string | undefined;
  /** Check everything, then answer DryRun instead of doing it. */
  readonly dryRun?: boolean | undefined;
}

export interface DecryptOptions extends CryptoOptions {
  readonly keyRef?: string | undefined;
}

export interface ReEncryptOptions {
  readonly sourceContext?: EncryptionContext | undefined;
  readonly sourceKeyRef?: string | undefined;
  readonly sourceAlgorithm?: string | undefined;
  readonly destinationContext?: EncryptionContext | undefined;
  readonly destinationAlgorithm?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

export interface DataKeyPair {
  readonly keyArn: string;
  readonly keyPairSpec: string;
  readonly publicKey: Buffer;
  readonly privateKeyCiphertext: Buffer;
  readonly privateKeyPlaintext: Buffer;
}

/** Exactly one of the two, as AWS asks. */
export interface DataKeySize {
  readonly keySpec?: string | undefined;
  readonly numberOfBytes?: number | undefined;
}

export interface Encrypted {
  readonly keyArn: string;
  readonly ciphertext: Buffer;
  readonly algorithm?: string;
}

export interface Decrypted {
  readonly keyArn: string;
  readonly plaintext: Buffer;
  readonly algorithm?: string;
}

export interface DataKey extends Encrypted {
  readonly plaintext: Buffer;
}

export interface ReEncrypted extends Encrypted {
  readonly sourceKeyArn: string;
  readonly sourceAlgorithm: string;
}

export interface KmsCrypto {
  encrypt(scope: KmsScope, keyRef: string, plaintext: Buffer, options?: CryptoOptions): Promise<Encrypted>;
  decrypt(scope: KmsScope, ciphertext: Buffer, options?: DecryptOptions): Promise<Decrypted>;
  reEncrypt(scope: KmsScope, ciphertext: Buffer, destinationKeyRef: string, options?: ReEncryptOptions): Promise<ReEncrypted>;
  generateDataKey(scope: KmsScope, keyRef: string, size: DataKeySize, options?: CryptoOptions): Promise<DataKey>;
  generateDataKeyWithoutPlaintext(scope: KmsScope, keyRef: string, size: DataKeySize, options?: CryptoOptions): Promise<Encrypted>;
  /** A new key pair of `keyPairSpec` whose private key is encrypted under the symmetric key `keyRef`. */
  generateDataKeyPair(scope: KmsScope, keyRef: string, keyPairSpec: string, options?: CryptoOptions, withPlaintext?: boolean): Promise<DataKeyPair>;
  /** GenerateRandom: Coffer has no custom key stores, so a CustomKeyStoreId is never found. */
  generateRandom(numberOfBytes: number | undefined, customKeyStoreId?: string): Buffer;
}

/** Whether a blob's key ARN is a key ARN of this region (else the blob is not one Coffer made here). */
function namesKeyHere(scope: KmsScope, keyArn: string): boolean {
  const arn = parseArn(keyArn);
  return (
    arn?.service === 'kms'
    && arn.region === scope.region
    && arn.accountId !== ''
    && isKeyId(arn.resource.slice('key/'.length))
    && arn.resource.startsWith('key/')
  );
}

/** AWS's answer for a ciphertext whose key is gone (or never was). */
function unknownCiphertextKey(): KmsError {
  return new KmsError(
    'AccessDenied',
    'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
  );
}

/** The encryption algorithm for `key`: checked against its usage and spec, as AWS does. */
function encryptionAlgorithm(key: KmsKey, operation: string, algorithm: string | undefined): string {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new KmsError('InvalidKeyUsage', `${key.arn} cannot be used for ${operation}: its KeyUsage is ${key.keyUsage}, not ENCRYPT_DECRYPT.`);
  }
  const allowed = KEY_SPECS[key.keySpec]?.encryption ?? [];
  const chosen = algorithm ?? 'SYMMETRIC_DEFAULT';
  if (!allowed.includes(chosen)) {
    throw new KmsError('InvalidKeyUsage', `EncryptionAlgorithm ${chosen} is not valid for ${key.arn} (KeySpec ${key.keySpec}); use ${allowed.join(' or ')}.`);
  }
  return chosen;
}

function isSymmetric(key: KmsKey): boolean {
  return key.keySpec === 'SYMMETRIC_DEFAULT';
}

/** Encryption contexts bind symmetric ciphertexts only; RSA encryption takes none. */
function checkNoContext(key: KmsKey, context: EncryptionContext | undefined): void {
  if (context !== undefined && Object.keys(context).length > 0) {
    throw new KmsError('InvalidParameter', `EncryptionContext is supported only with symmetric encryption keys; ${key.arn} is ${key.keySpec}.`);
  }
}

function dataKeyBytes(size: DataKeySize): number {
  if (size.keySpec === undefined && size.numberOfBytes === undefined)
    throw new KmsError('InvalidParameter', 'Please specify either number of bytes or key spec.');
  if (size.keySpec !== undefined && size.numberOfBytes !== undefined)
    throw new KmsError('InvalidParameter', 'Please specify either number of bytes or key spec, not both.');
  if (size.keySpec !== undefined) {
    const bytes = DATA_KEY_SPECS[size.keySpec];
    if (bytes === undefined) throw new KmsError('InvalidParameter', `KeySpec ${size.keySpec} is not AES_256 or AES_128.`);
    return bytes;
  }
  const n = size.numberOfBytes!;
  if (!Number.isInteger(n) || n < 1 || n > MAX_DATA_KEY_BYTES)
    throw new KmsError('InvalidParameter', `NumberOfBytes must be between 1 and ${MAX_DATA_KEY_BYTES}, not ${n}.`);
  return n;
}

export function createKmsCrypto(ctx: KmsContext): KmsCrypto {
  const { loader, random } = ctx;
  const use = createKeyUse(ctx);

  /** The key, allowed for `operation` with `context`, Enabled, of a usage that encrypts. */
  const usable = async (scope: KmsScope, keyRef: string, operation: KmsOperation, context: EncryptionContext | undefined): Promise<StoredKey> =>
    use.usable(scope, keyRef, operation, context);

  /** Symmetric: a blob under the key's current material; RSA: RSAES-OAEP. */
  const seal = async (stored: StoredKey, plaintext: Buffer, context: EncryptionContext | undefined, algorithm: string): Promise<Buffer> => {
    const { material, materialId } = await use.current(stored);
    if (algorithm === 'SYMMETRIC_DEFAULT') return sealBlob(material, stored.key.arn, plaintext, context, random, materialId);
    const limit = oaepLimit(KEY_SPECS[stored.key.keySpec]!, algorithm);
    if (plaintext.length > limit) {
      throw new KmsError(
        'InvalidParameter',
        `Plaintext must be at most ${limit} bytes for ${algorithm} with KeySpec ${stored.key.keySpec}, not ${plaintext.length}.`,
      );
    }
    return rsaEncrypt(material, algorithm, plaintext);
  };

  const symmetricOnly = (key: KmsKey, operation: string): void => {
    if (!isSymmetric(key) || key.keyUsage !== 'ENCRYPT_DECRYPT') {
      throw new KmsError(
        'InvalidKeyUsage',
        `${key.arn} cannot be used for ${operation}: it is a ${key.keySpec} ${key.keyUsage} key, and ${operation} needs a symmetric encryption key.`,
      );
    }
  };

  /** Finds, authorizes and opens: shared by Decrypt and ReEncrypt. */
  const open = async (
    scope: KmsScope,
    ciphertext: Buffer,
    operation: KmsOperation,
    keyRef: string | undefined,
    context: EncryptionContext | undefined,
    algorithm: string | undefined,
    isDryRun: boolean,
  ): Promise<Decrypted> => {
    const named = keyRef === undefined ? undefined : await loader.load(scope, keyRef, operation);
    if (named !== undefined && !isSymmetric(named.key)) {
      const stored = await usable(scope, named.key.arn, operation, context);
      const chosen = encryptionAlgorithm(stored.key, operation, algorithm);
      checkNoContext(stored.key, context);
      if (isDryRun) throw dryRun();
      const { material } = await use.current(stored);
      const plaintext = rsaDecrypt(material, chosen, ciphertext);
      if (plaintext === undefined) throw invalidCiphertext();
      return { keyArn: stored.key.arn, plaintext, algorithm: chosen };
    }
    if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError('InvalidKeyUsage', `EncryptionAlgorithm ${algorithm} needs the KeyId of the RSA key that encrypted the ciphertext.`);
    }
    const keyArn = blobKeyArn(ciphertext);
    if (!namesKeyHere(scope, keyArn)) throw invalidCiphertext();
    if (named !== undefined && named.key.arn !== keyArn) {
      throw new KmsError('IncorrectKey', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
    const stored = await usable(scope, keyArn, operation, context).catch((err: unknown) => {
      throw err instanceof KmsError && err.code === 'NotFound' ? unknownCiphertextKey() : err;
    });
    if (isDryRun) throw dryRun();
    const material = await use.byId(stored, blobMaterialId(ciphertext));
    return { keyArn, plaintext: openBlob(material, ciphertext, context), algorithm: 'SYMMETRIC_DEFAULT' };
  };

  const generate = async (scope: KmsScope, keyRef: string, size: DataKeySize, options: CryptoOptions, operation: KmsOperation): Promise<DataKey> => {
    const bytes = dataKeyBytes(size);
    const stored = await usable(scope, keyRef, operation, options.context);
    symmetricOnly(stored.key, operation);
    if (options.dryRun === true) throw dryRun();
    const plaintext = random.bytes(bytes);
    return { keyArn: stored.key.arn, plaintext, ciphertext: await seal(stored, plaintext, options.context, 'SYMMETRIC_DEFAULT') };
  };

  return {
    async encrypt(scope, keyRef, plaintext, options = {}) {
      if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES)
        throw new KmsError('InvalidParameter', `Plaintext must be 1 to ${MAX_PLAINTEXT_BYTES} bytes, not ${plaintext.length}.`);
      const stored = await usable(scope, keyRef, 'Encrypt', options.context);
      const algorithm = encryptionAlgorithm(stored.key, 'Encrypt', options.algorithm);
      if (!isSymmetric(stored.key)) checkNoContext(stored.key, options.context);
      if (options.dryRun === true) throw dryRun();
      return { keyArn: stored.key.arn, ciphertext: await seal(stored, plaintext, options.context, algorithm), algorithm };
    },

    async decrypt(scope, ciphertext, options = {}) {
      return open(scope, ciphertext, 'Decrypt', options.keyRef, options.context, options.algorithm, options.dryRun === true);
    },

    async reEncrypt(scope, ciphertext, destinationKeyRef, options = {}) {
      const destination = await usable(scope, destinationKeyRef, 'ReEncryptTo', options.destinationContext);
      const destinationAlgorithm = encryptionAlgorithm(destination.key, 'ReEncrypt', options.destinationAlgorithm);
      if (!isSymmetric(destination.key)) checkNoContext(destination.key, options.destinationContext);
      const source = await open(
        scope,
        ciphertext,
        'ReEncryptFrom',
        options.sourceKeyRef,
        options.sourceContext,
        options.sourceAlgorithm,
        options.dryRun === true,
      );
      return {
        sourceKeyArn: source.keyArn,
        sourceAlgorithm: source.algorithm ?? 'SYMMETRIC_DEFAULT',
        keyArn: destination.key.arn,
        algorithm: destinationAlgorithm,
        ciphertext: await seal(destination, source.plaintext, options.destinationContext, destinationAlgorithm),
      };
    },

    generateDataKey: (scope, keyRef, size, options = {}) => generate(scope, keyRef, size, options, 'GenerateDataKey'),

    async generateDataKeyWithoutPlaintext(scope, keyRef, size, options = {}) {
      const { keyArn, ciphertext } = await generate(scope, keyRef, size, options, 'GenerateDataKeyWithoutPlaintext');
      return { keyArn, ciphertext };
    },

    async generateDataKeyPair(scope, keyRef, keyPairSpec, options = {}, withPlaintext = true) {
      const info = dataKeyPairSpec(keyPairSpec);
      const operation = withPlaintext ? 'GenerateDataKeyPair' : 'GenerateDataKeyPairWithoutPlaintext';
      const stored = await usable(scope, keyRef, operation, options.context);
      symmetricOnly(stored.key, operation);
      if (options.dryRun === true) throw dryRun();
      const pair = await newKeyPair(info);
      return {
        keyArn: stored.key.arn,
        keyPairSpec,
        publicKey: pair.publicKey,
        privateKeyPlaintext: pair.privateKey,
        privateKeyCiphertext: await seal(stored, pair.privateKey, options.context, 'SYMMETRIC_DEFAULT'),
      };
    },

    generateRandom(numberOfBytes, customKeyStoreId) {
      if (customKeyStoreId !== undefined) throw customKeyStoreNotFound(customKeyStoreId);
      if (numberOfBytes === undefined) throw new KmsError('InvalidParameter', 'NumberOfBytes is required: how many random bytes to return (1 to 1024).');
      const n = numberOfBytes;
      if (!Number.isInteger(n) || n < 1 || n > MAX_DATA_KEY_BYTES) {
        throw new KmsError(
          'InvalidParameter',
          `1 validation error detected: Value '${n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and ${MAX_DATA_KEY_BYTES}`,
        );
      }
      return random.bytes(n);
    },
  };
}
