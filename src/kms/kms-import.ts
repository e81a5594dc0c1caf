/**
 * Importing key material (Origin EXTERNAL): GetParametersForImport gives an RSA wrapping public
 * key and an import token, valid 24 hours; ImportKeyMaterial takes the material wrapped under
 * that key (RSAES-OAEP, or RSA-AES key wrap: an OAEP-wrapped AES key followed by the material under
 * AES key wrap with padding, RFC 5649) and makes the key usable; DeleteImportedKeyMaterial, or the
 * material's ValidTo passing, puts it back in PendingImport. The wrapping private key and the
 * token are sealed under the root key on the key's row, the material itself like any key's. Only
 * the same material can be imported again into a key (IncorrectKeyMaterialException otherwise),
 * so its earlier ciphertexts stay readable.
 */
import { constants, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPair, privateDecrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { arns } from '../iam/arn.js';
import type { KmsOperation } from './key-access.js';
import { originalMaterialId, unwrapMaterial, wrapMaterial } from './key-material.js';
import { checkNotPendingDeletion } from './kms-key.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';
import { openUnderRoot, sealUnderRoot } from './root-envelope.js';
import { fromRecord } from './stored-key.js';
import type { StoredKey } from './stored-key.js';

const generate = promisify(generateKeyPair) as unknown as (type: 'rsa', options: Record<string, unknown>) => Promise<{ publicKey: Buffer; privateKey: Buffer }>;

export const IMPORT_PARAMETERS_HOURS = 24;
const MAX_VALID_TO_DAYS = 365;
const WRAPPING_SPECS: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const WRAPPING_HASH: Readonly<Record<string, string>> = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
  RSA_AES_KEY_WRAP_SHA_1: 'sha1',
  RSA_AES_KEY_WRAP_SHA_256: 'sha256',
};

export interface ImportParameters {
  readonly keyArn: string;
  readonly importToken: Buffer;
  readonly publicKey: Buffer;
  readonly validTo: Date;
}

export interface ImportInput {
  readonly importToken: Buffer;
  readonly encryptedKeyMaterial: Buffer;
  readonly validTo?: Date | undefined;
  readonly expirationModel?: string | undefined;
}

export interface KmsImport {
  parameters(scope: KmsScope, keyRef: string, wrappingAlgorithm: string, wrappingKeySpec: string): Promise<ImportParameters>;
  importMaterial(scope: KmsScope, keyRef: string, input: ImportInput): Promise<{ keyArn: string; materialId: string }>;
  deleteMaterial(scope: KmsScope, keyRef: string): Promise<{ keyArn: string; materialId: string | undefined }>;
  /** Deletes imported material whose ValidTo has passed (any account); returns the keys' ARNs. */
  expireDue(now: Date): Promise<readonly string[]>;
}

interface SealedParameters {
  readonly token: string;
  readonly algorithm: string;
  readonly privateKey: string;
  readonly validTo: number;
}

const binding = (keyArn: string): Buffer => Buffer.from(`${keyArn}#import`, 'utf8');

function checkExternal(key: KmsKey): void {
  if (key.origin !== 'EXTERNAL') {
    throw new KmsError('UnsupportedOperation', `${key.arn} has Origin ${key.origin}: only keys created with Origin EXTERNAL take imported key material.`);
  }
}

function unwrapImported(sealed: SealedParameters, wrapped: Buffer): Buffer {
  const privateKey = createPrivateKey({ key: Buffer.from(sealed.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  const oaep = { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: WRAPPING_HASH[sealed.algorithm]! };
  const invalid = () => new KmsError('InvalidCiphertext', `EncryptedKeyMaterial does not open with this import's wrapping key and ${sealed.algorithm}.`);
  try {
    if (!sealed.algorithm.startsWith('RSA_AES_KEY_WRAP')) return privateDecrypt(oaep, wrapped);
    const rsaBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    const aesKey = privateDecrypt(oaep, wrapped.subarray(0, rsaBytes));
    const decipher = createDecipheriv(`id-aes${aesKey.length * 8}-wrap-pad`, aesKey, Buffer.from('a65959a6', 'hex'));
    return Buffer.concat([decipher.update(wrapped.subarray(rsaBytes)), decipher.final()]);
  } catch {
    throw invalid();
  }
}

export function createKmsImport(ctx: KmsContext): KmsImport {
  const { stores, loader, access, clock, random, rootKey } = ctx;

  const authorized = async (scope: KmsScope, keyRef: string, operation: KmsOperation): Promise<StoredKey> => {
    const stored = await loader.load(scope, keyRef, operation);
    await access.authorize(scope, stored.key, operation);
    checkExternal(stored.key);
    return stored;
  };

  const forget = async (key: KmsKey): Promise<void> => {
    await stores.kmsKeys.update(key, key.keyId, {
      wrappedMaterial: '',
      materialValidTo: null,
      ...(key.state === 'PendingDeletion' ? {} : { state: 'PendingImport' }),
    });
  };

  return {
    async parameters(scope, keyRef, wrappingAlgorithm, wrappingKeySpec) {
      const { key } = await authorized(scope, keyRef, 'GetParametersForImport');
      checkNotPendingDeletion(key);
      if (WRAPPING_HASH[wrappingAlgorithm] === undefined) {
        throw new KmsError(
          'UnsupportedOperation',
          `WrappingAlgorithm ${wrappingAlgorithm} is not supported: use RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.`,
        );
      }
      const bits = WRAPPING_SPECS[wrappingKeySpec];
      if (bits === undefined)
        throw new KmsError('UnsupportedOperation', `WrappingKeySpec ${wrappingKeySpec} is not supported: use RSA_2048, RSA_3072 or RSA_4096.`);
      const pair = await generate('rsa', {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      });
      const token = random.bytes(64);
      const validTo = new Date(clock.now().getTime() + IMPORT_PARAMETERS_HOURS * 3_600_000);
      const sealed: SealedParameters = {
        token: token.toString('base64'),
        algorithm: wrappingAlgorithm,
        privateKey: pair.privateKey.toString('base64'),
        validTo: validTo.getTime(),
      };
      await stores.kmsKeys.update(key, key.keyId, {
        importParameters: sealUnderRoot(rootKey, Buffer.from(JSON.stringify(sealed), 'utf8'), binding(key.arn), random),
      });
      return {
        keyArn: key.arn,
        importToken: token,
        publicKey: createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' }),
        validTo,
      };
    },

    async importMaterial(scope, keyRef, input) {
      const stored = await authorized(scope, keyRef, 'ImportKeyMaterial');
      const { key } = stored;
      checkNotPendingDeletion(key);
      const model = input.expirationModel ?? 'KEY_MATERIAL_EXPIRES';
      const now = clock.now().getTime();
      if (model === 'KEY_MATERIAL_EXPIRES') {
        if (input.validTo === undefined)
          throw new KmsError(
            'InvalidParameter',
            'ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default); or set ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE.',
          );
        if (input.validTo.getTime() <= now || input.validTo.getTime() > now + MAX_VALID_TO_DAYS * 86_400_000) {
          throw new KmsError('InvalidParameter', `ValidTo must be in the future and at most ${MAX_VALID_TO_DAYS} days from now.`);
        }
      } else if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
        if (input.validTo !== undefined) throw new KmsError('InvalidParameter', 'ValidTo is not allowed when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
      } else {
        throw new KmsError('InvalidParameter', `ExpirationModel ${model} is not KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE.`);
      }
      if (stored.importParameters === undefined)
        throw new KmsError('InvalidImportToken', `No import is pending for ${key.arn}: call GetParametersForImport first.`);
      const sealed = JSON.parse(
        openUnderRoot(rootKey, stored.importParameters, binding(key.arn), `the import parameters of ${key.arn}`).toString('utf8'),
      ) as SealedParameters;
      const expected = Buffer.from(sealed.token, 'base64');
      if (input.importToken.length !== expected.length || !timingSafeEqual(input.importToken, expected)) {
        throw new KmsError('InvalidImportToken', `The import token is not the one GetParametersForImport last returned for ${key.arn}.`);
      }
      if (sealed.validTo <= now)
        throw new KmsError('ExpiredImportToken', `The import token expired at ${new Date(sealed.validTo).toISOString()}: call GetParametersForImport again.`);
      const material = unwrapImported(sealed, input.encryptedKeyMaterial);
      if (material.length !== 32) {
        throw new KmsError('IncorrectKeyMaterial', `A symmetric encryption key takes 256-bit (32-byte) key material, not ${material.length} bytes.`);
      }
      const materialId = originalMaterialId(key.arn, material);
      if (key.currentMaterialId !== undefined && key.currentMaterialId !== materialId) {
        throw new KmsError(
          'IncorrectKeyMaterial',
          `The key material is not the material imported into ${key.arn} before: a key takes only the same material again.`,
        );
      }
      if (stored.wrappedMaterial !== '' && !unwrapMaterial(rootKey, stored.wrappedMaterial, key.arn).equals(material)) {
        throw new KmsError(
          'IncorrectKeyMaterial',
          `The key material is not the material imported into ${key.arn} before: a key takes only the same material again.`,
        );
      }
      await stores.kmsKeys.update(key, key.keyId, {
        wrappedMaterial: wrapMaterial(rootKey, material, key.arn, random),
        currentMaterialId: materialId,
        importParameters: null,
        materialValidTo: model === 'KEY_MATERIAL_EXPIRES' ? input.validTo!.getTime() : null,
        ...(key.state === 'PendingImport' ? { state: 'Enabled' } : {}),
      });
      return { keyArn: key.arn, materialId };
    },

    async deleteMaterial(scope, keyRef) {
      const stored = await authorized(scope, keyRef, 'DeleteImportedKeyMaterial');
      await forget(stored.key);
      return { keyArn: stored.key.arn, materialId: stored.key.currentMaterialId };
    },

    async expireDue(now) {
      const expired: string[] = [];
      for (const ref of await stores.kmsKeys.dueForExpiry(now.getTime())) {
        const record = await stores.kmsKeys.get(ref, ref.keyId);
        if (record === undefined) continue;
        await forget(fromRecord(ref, record).key);
        expired.push(arns.kmsKey(ref, ref.keyId));
      }
      return expired;
    },
  };
}
