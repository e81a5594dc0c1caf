/**
 * The cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey and
 * GenerateDataKeyWithoutPlaintext, under a key's material, with AWS's order of checks: find
 * the key, authorize the caller (policy, then grants), then the key's state (Disabled,
 * PendingDeletion). Ciphertexts name their key (ciphertext-blob.ts), so Decrypt needs no KeyId;
 * given one that differs, it is IncorrectKey.
 */
import { parseArn } from '../iam/arn.js';
import { blobKeyArn, invalidCiphertext, openBlob, sealBlob } from './ciphertext-blob.js';
import type { EncryptionContext } from './encryption-context.js';
import type { KmsOperation } from './key-access.js';
import { unwrapMaterial } from './key-material.js';
import { isKeyId } from './key-reference.js';
import { checkUsable } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { dryRun, KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';
import type { StoredKey } from './stored-key.js';

export const MAX_PLAINTEXT_BYTES = 4096;
export const MAX_DATA_KEY_BYTES = 1024;
const DATA_KEY_SPECS: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

export interface CryptoOptions {
  readonly context?: EncryptionContext | undefined;
  /** Only SYMMETRIC_DEFAULT exists for Coffer's keys. */
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
  readonly destinationContext?: EncryptionContext | undefined;
  readonly dryRun?: boolean | undefined;
}

/** Exactly one of the two, as AWS asks. */
export interface DataKeySize {
  readonly keySpec?: string | undefined;
  readonly numberOfBytes?: number | undefined;
}

export interface Encrypted {
  readonly keyArn: string;
  readonly ciphertext: Buffer;
}

export interface Decrypted {
  readonly keyArn: string;
  readonly plaintext: Buffer;
}

export interface DataKey extends Encrypted {
  readonly plaintext: Buffer;
}

export interface ReEncrypted extends Encrypted {
  readonly sourceKeyArn: string;
}

export interface KmsCrypto {
  encrypt(scope: KmsScope, keyRef: string, plaintext: Buffer, options?: CryptoOptions): Promise<Encrypted>;
  decrypt(scope: KmsScope, ciphertext: Buffer, options?: DecryptOptions): Promise<Decrypted>;
  reEncrypt(scope: KmsScope, ciphertext: Buffer, destinationKeyRef: string, options?: ReEncryptOptions): Promise<ReEncrypted>;
  generateDataKey(scope: KmsScope, keyRef: string, size: DataKeySize, options?: CryptoOptions): Promise<DataKey>;
  generateDataKeyWithoutPlaintext(scope: KmsScope, keyRef: string, size: DataKeySize, options?: CryptoOptions): Promise<Encrypted>;
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

function checkAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsage', `EncryptionAlgorithm ${algorithm} is not valid for a symmetric encryption key; use SYMMETRIC_DEFAULT.`);
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
  const { loader, access, random, rootKey } = ctx;

  /** The key, allowed for `operation` with `context`, Enabled. */
  const usable = async (scope: KmsScope, keyRef: string, operation: KmsOperation, context: EncryptionContext | undefined): Promise<StoredKey> => {
    const stored = await loader.load(scope, keyRef, operation);
    await access.authorize(scope, stored.key, operation, context);
    checkUsable(stored.key);
    return stored;
  };

  const seal = (stored: StoredKey, plaintext: Buffer, context: EncryptionContext | undefined): Buffer =>
    sealBlob(unwrapMaterial(rootKey, stored.wrappedMaterial, stored.key.arn), stored.key.arn, plaintext, context, random);

  /** Finds, authorizes and opens: shared by Decrypt and ReEncrypt. */
  const open = async (
    scope: KmsScope,
    ciphertext: Buffer,
    operation: KmsOperation,
    keyRef: string | undefined,
    context: EncryptionContext | undefined,
    isDryRun: boolean,
  ): Promise<Decrypted> => {
    const keyArn = blobKeyArn(ciphertext);
    if (!namesKeyHere(scope, keyArn)) throw invalidCiphertext();
    if (keyRef !== undefined) {
      const named = await loader.load(scope, keyRef, operation);
      if (named.key.arn !== keyArn) throw new KmsError('IncorrectKey', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
    const stored = await usable(scope, keyArn, operation, context).catch((err: unknown) => {
      throw err instanceof KmsError && err.code === 'NotFound' ? unknownCiphertextKey() : err;
    });
    if (isDryRun) throw dryRun();
    return { keyArn, plaintext: openBlob(unwrapMaterial(rootKey, stored.wrappedMaterial, keyArn), ciphertext, context) };
  };

  const generate = async (scope: KmsScope, keyRef: string, size: DataKeySize, options: CryptoOptions, operation: KmsOperation): Promise<DataKey> => {
    const bytes = dataKeyBytes(size);
    const stored = await usable(scope, keyRef, operation, options.context);
    if (options.dryRun === true) throw dryRun();
    const plaintext = random.bytes(bytes);
    return { keyArn: stored.key.arn, plaintext, ciphertext: seal(stored, plaintext, options.context) };
  };

  return {
    async encrypt(scope, keyRef, plaintext, options = {}) {
      checkAlgorithm(options.algorithm);
      if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT_BYTES)
        throw new KmsError('InvalidParameter', `Plaintext must be 1 to ${MAX_PLAINTEXT_BYTES} bytes, not ${plaintext.length}.`);
      const stored = await usable(scope, keyRef, 'Encrypt', options.context);
      if (options.dryRun === true) throw dryRun();
      return { keyArn: stored.key.arn, ciphertext: seal(stored, plaintext, options.context) };
    },

    async decrypt(scope, ciphertext, options = {}) {
      checkAlgorithm(options.algorithm);
      return open(scope, ciphertext, 'Decrypt', options.keyRef, options.context, options.dryRun === true);
    },

    async reEncrypt(scope, ciphertext, destinationKeyRef, options = {}) {
      const destination = await usable(scope, destinationKeyRef, 'ReEncryptTo', options.destinationContext);
      const source = await open(scope, ciphertext, 'ReEncryptFrom', options.sourceKeyRef, options.sourceContext, options.dryRun === true);
      return { sourceKeyArn: source.keyArn, keyArn: destination.key.arn, ciphertext: seal(destination, source.plaintext, options.destinationContext) };
    },

    generateDataKey: (scope, keyRef, size, options = {}) => generate(scope, keyRef, size, options, 'GenerateDataKey'),

    async generateDataKeyWithoutPlaintext(scope, keyRef, size, options = {}) {
      const { keyArn, ciphertext } = await generate(scope, keyRef, size, options, 'GenerateDataKeyWithoutPlaintext');
      return { keyArn, ciphertext };
    },
  };
}
