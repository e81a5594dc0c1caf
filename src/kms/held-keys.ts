/**
 * The key a key or alias ARN names, as Coffer holds it, read without a policy check: for the
 * Backup domain's own questions about a vault's key (can it still encrypt?), never an answer to
 * a caller. A key Coffer does not hold (another service's, or `aws/backup` before its first use)
 * is undefined.
 */
import { parseArn } from '../iam/arn.js';
import type { KmsKey } from './kms-key.js';
import type { KmsStores } from './key-loader.js';
import { fromRecord } from './stored-key.js';

export type HeldKeys = (keyArn: string) => Promise<KmsKey | undefined>;

export function createHeldKeys(stores: Pick<KmsStores, 'kmsKeys' | 'kmsAliases'>): HeldKeys {
  return async (keyArn) => {
    const arn = parseArn(keyArn);
    if (arn === undefined || arn.service !== 'kms') return undefined;
    const owner = { accountId: arn.accountId, region: arn.region };
    const keyId = arn.resource.startsWith('alias/') ? (await stores.kmsAliases.get(owner, arn.resource))?.keyId : arn.resource.replace(/^key\//, '');
    if (keyId === undefined) return undefined;
    const record = await stores.kmsKeys.get(owner, keyId);
    return record === undefined ? undefined : fromRecord(owner, record).key;
  };
}
