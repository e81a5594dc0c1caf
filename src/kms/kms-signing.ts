/**
 * Asymmetric keys' own operations: Sign and Verify (SIGN_VERIFY keys, RAW messages or DIGESTs),
 * GetPublicKey (any asymmetric key), DeriveSharedSecret (KEY_AGREEMENT keys, ECDH) and, for
 * HMAC keys, GenerateMac and VerifyMac. Each checks, in AWS's order, the key, the caller (key
 * policy, then grants, for `kms:<Operation>`), the key's state and then its usage and algorithm.
 * A signature or MAC that does not match is KMSInvalidSignatureException / KMSInvalidMacException,
 * never `false`, as AWS answers.
 */
import { macMatches, mac, parsePublicKey, publicKeyDer, sharedSecret, signMessage, verifyMessage } from './asymmetric-material.js';
import type { MessageType } from './asymmetric-material.js';
import type { KmsOperation } from './key-access.js';
import { algorithmsOf, KEY_SPECS } from './key-specs.js';
import { createKeyUse } from './key-use.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { dryRun, KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';

export interface SignInput {
  readonly message: Buffer;
  readonly messageType?: string | undefined;
  readonly algorithm: string;
  readonly dryRun?: boolean | undefined;
}

export interface PublicKeyInfo {
  readonly keyArn: string;
  readonly publicKey: Buffer;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly encryptionAlgorithms: readonly string[] | undefined;
  readonly signingAlgorithms: readonly string[] | undefined;
  readonly keyAgreementAlgorithms: readonly string[] | undefined;
}

export interface KmsSigning {
  sign(scope: KmsScope, keyRef: string, input: SignInput): Promise<{ keyArn: string; signature: Buffer; algorithm: string }>;
  /** Resolves only when the signature is valid; InvalidSignature otherwise. */
  verify(scope: KmsScope, keyRef: string, input: SignInput & { readonly signature: Buffer }): Promise<{ keyArn: string; algorithm: string }>;
  publicKey(scope: KmsScope, keyRef: string): Promise<PublicKeyInfo>;
  deriveSharedSecret(
    scope: KmsScope,
    keyRef: string,
    algorithm: string,
    peerPublicKey: Buffer,
    isDryRun?: boolean,
  ): Promise<{ keyArn: string; secret: Buffer }>;
  generateMac(scope: KmsScope, keyRef: string, algorithm: string, message: Buffer, isDryRun?: boolean): Promise<{ keyArn: string; mac: Buffer }>;
  /** Resolves only when the MAC matches; InvalidMac otherwise. */
  verifyMac(scope: KmsScope, keyRef: string, algorithm: string, message: Buffer, given: Buffer, isDryRun?: boolean): Promise<{ keyArn: string }>;
}

function checkUsage(key: KmsKey, usage: string, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsage',
      `${key.arn} cannot be used for ${operation}: its KeyUsage is ${key.keyUsage}, and ${operation} needs a ${usage} key.`,
    );
  }
}

function checkAlgorithm(key: KmsKey, algorithm: string, allowed: readonly string[] | undefined, what: string): void {
  if (!(allowed ?? []).includes(algorithm)) {
    throw new KmsError('InvalidKeyUsage', `${what} ${algorithm} is not valid for ${key.arn} (KeySpec ${key.keySpec}); use ${(allowed ?? []).join(' or ')}.`);
  }
}

function messageTypeOf(type: string | undefined): MessageType {
  const t = type ?? 'RAW';
  if (t === 'RAW' || t === 'DIGEST') return t;
  throw new KmsError('InvalidParameter', `MessageType ${t} is not supported by Coffer's keys: use RAW or DIGEST (EXTERNAL_MU is for ML-DSA keys).`);
}

export function createKmsSigning(ctx: KmsContext): KmsSigning {
  const use = createKeyUse(ctx);

  const signingKey = async (scope: KmsScope, keyRef: string, operation: KmsOperation, input: SignInput) => {
    const stored = await use.usable(scope, keyRef, operation);
    checkUsage(stored.key, 'SIGN_VERIFY', operation);
    checkAlgorithm(stored.key, input.algorithm, KEY_SPECS[stored.key.keySpec]?.signing, 'SigningAlgorithm');
    const type = messageTypeOf(input.messageType);
    if (input.dryRun === true) throw dryRun();
    return { stored, type, material: (await use.current(stored)).material };
  };

  const macKey = async (scope: KmsScope, keyRef: string, operation: KmsOperation, algorithm: string, isDryRun: boolean | undefined) => {
    const stored = await use.usable(scope, keyRef, operation);
    checkUsage(stored.key, 'GENERATE_VERIFY_MAC', operation);
    checkAlgorithm(stored.key, algorithm, KEY_SPECS[stored.key.keySpec]?.mac, 'MacAlgorithm');
    if (isDryRun === true) throw dryRun();
    return { stored, material: (await use.current(stored)).material };
  };

  return {
    async sign(scope, keyRef, input) {
      const { stored, type, material } = await signingKey(scope, keyRef, 'Sign', input);
      return { keyArn: stored.key.arn, signature: signMessage(material, input.algorithm, input.message, type), algorithm: input.algorithm };
    },

    async verify(scope, keyRef, input) {
      const { stored, type, material } = await signingKey(scope, keyRef, 'Verify', input);
      if (!verifyMessage(material, input.algorithm, input.message, type, input.signature)) {
        throw new KmsError('InvalidSignature', 'The signature is not valid for this message, key and signing algorithm.');
      }
      return { keyArn: stored.key.arn, algorithm: input.algorithm };
    },

    async publicKey(scope, keyRef) {
      const stored = await use.usable(scope, keyRef, 'GetPublicKey');
      const { key } = stored;
      if (key.keySpec === 'SYMMETRIC_DEFAULT' || key.keyUsage === 'GENERATE_VERIFY_MAC') {
        throw new KmsError('UnsupportedOperation', `${key.arn} is a ${key.keySpec} key: only asymmetric keys have a public key.`);
      }
      const algorithms = algorithmsOf(key.keySpec, key.keyUsage);
      return {
        keyArn: key.arn,
        publicKey: publicKeyDer((await use.current(stored)).material),
        keySpec: key.keySpec,
        keyUsage: key.keyUsage,
        encryptionAlgorithms: algorithms.encryption,
        signingAlgorithms: algorithms.signing,
        keyAgreementAlgorithms: algorithms.agreement,
      };
    },

    async deriveSharedSecret(scope, keyRef, algorithm, peerPublicKey, isDryRun) {
      const stored = await use.usable(scope, keyRef, 'DeriveSharedSecret');
      checkUsage(stored.key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
      checkAlgorithm(stored.key, algorithm, ['ECDH'], 'KeyAgreementAlgorithm');
      const peer = parsePublicKey(peerPublicKey, 'PublicKey');
      if (isDryRun === true) throw dryRun();
      return { keyArn: stored.key.arn, secret: sharedSecret((await use.current(stored)).material, peer) };
    },

    async generateMac(scope, keyRef, algorithm, message, isDryRun) {
      const { stored, material } = await macKey(scope, keyRef, 'GenerateMac', algorithm, isDryRun);
      return { keyArn: stored.key.arn, mac: mac(material, algorithm, message) };
    },

    async verifyMac(scope, keyRef, algorithm, message, given, isDryRun) {
      const { stored, material } = await macKey(scope, keyRef, 'VerifyMac', algorithm, isDryRun);
      if (!macMatches(material, algorithm, message, given)) throw new KmsError('InvalidMac', 'The MAC is not valid for this message, key and MAC algorithm.');
      return { keyArn: stored.key.arn };
    },
  };
}
