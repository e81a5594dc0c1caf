/** KMS keys with their aliases, for pickers and the keys page. */
import { DescribeKeyCommand, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import type { KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import { allPages } from './all-pages';

export interface KeyView {
  readonly metadata: KeyMetadata;
  readonly aliases: readonly string[];
}

export async function listKeys(kms: KMSClient): Promise<KeyView[]> {
  const [keys, aliases] = await Promise.all([
    allPages(async (Marker) => {
      const out = await kms.send(new ListKeysCommand({ Marker, Limit: 100 }));
      return { items: out.Keys, next: out.Truncated === true ? out.NextMarker : undefined };
    }),
    allPages(async (Marker) => {
      const out = await kms.send(new ListAliasesCommand({ Marker, Limit: 100 }));
      return { items: out.Aliases, next: out.Truncated === true ? out.NextMarker : undefined };
    }),
  ]);
  const described = await Promise.all(keys.map(async (k) => (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId! }))).KeyMetadata!));
  return described.map((metadata) => ({ metadata, aliases: aliases.filter((a) => a.TargetKeyId === metadata.KeyId).map((a) => a.AliasName!) }));
}

export const keyLabel = (k: KeyView): string => `${k.aliases[0] ?? k.metadata.KeyId} (${k.metadata.KeyManager === 'AWS' ? 'AWS managed' : 'customer managed'})`;
