/**
 * What a caller's `KeyId` names: a key id (`1234abcd-...`), a key ARN, an alias name
 * (`alias/name`) or an alias ARN. Ids and alias names are always in the caller's own account
 * and region; only an ARN reaches another account, as in AWS. An ARN of another region is
 * refused naming the region to call.
 */
import { arns, parseArn } from '../iam/arn.js';
import type { ArnScope } from '../iam/arn.js';
import { KmsError } from './kms-error.js';

export type KeyReference =
  | { readonly kind: 'key'; readonly owner: ArnScope; readonly keyId: string }
  | { readonly kind: 'alias'; readonly owner: ArnScope; readonly name: string };

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isKeyId(text: string): boolean {
  return KEY_ID.test(text);
}

export function parseKeyReference(caller: ArnScope, text: string): KeyReference {
  if (text.startsWith('alias/')) return { kind: 'alias', owner: caller, name: text };
  if (!text.startsWith('arn:')) {
    if (!isKeyId(text)) throw new KmsError('NotFound', `Invalid keyId '${text}'`);
    return { kind: 'key', owner: caller, keyId: text };
  }
  const arn = parseArn(text);
  if (arn === undefined || arn.service !== 'kms' || arn.accountId === '' || arn.region === '') {
    throw new KmsError('InvalidArn', `${text} is not a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id> or ...:alias/<name>).`);
  }
  if (arn.region !== caller.region) {
    throw new KmsError('InvalidArn', `${text} is in region ${arn.region}; call the ${arn.region} endpoint for it, this call is in ${caller.region}.`);
  }
  const owner = { accountId: arn.accountId, region: arn.region };
  if (arn.resource.startsWith('alias/')) return { kind: 'alias', owner, name: arn.resource };
  const keyId = arn.resource.startsWith('key/') ? arn.resource.slice('key/'.length) : '';
  if (!isKeyId(keyId)) throw new KmsError('NotFound', `Invalid keyId '${text}'`);
  return { kind: 'key', owner, keyId };
}

export function aliasArn(owner: ArnScope, name: string): string {
  return arns.kmsAlias(owner, name.slice('alias/'.length));
}
