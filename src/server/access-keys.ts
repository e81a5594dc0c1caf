/**
 * The SigV4 key lookup: every configured (or first-start generated) access key, by id, with its
 * secret and account. Secrets leave their Secret wrapper only here, for signature checks.
 */
import type { AccessKeySecret } from '../aws/sigv4.js';
import type { CofferConfig } from '../config/schema.js';

export function accessKeyLookup(config: CofferConfig): (accessKeyId: string) => AccessKeySecret | undefined {
  const keys = new Map<string, AccessKeySecret>();
  for (const account of config.accounts) {
    for (const key of account.accessKeys) keys.set(key.id, { secret: key.secret.reveal(), accountId: account.id });
  }
  return (accessKeyId) => keys.get(accessKeyId);
}
