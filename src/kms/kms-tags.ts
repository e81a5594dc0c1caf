/** Tags on customer managed keys (TagResource, UntagResource, ListResourceTags), stored with the catalog's other tags by key ARN. */
import { checkNotPendingDeletion } from './kms-key.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';

export const MAX_TAGS = 50;

export interface KmsTag {
  readonly key: string;
  readonly value: string;
}

export interface KmsTags {
  tag(scope: KmsScope, keyRef: string, tags: readonly KmsTag[]): Promise<void>;
  untag(scope: KmsScope, keyRef: string, keys: readonly string[]): Promise<void>;
  list(scope: KmsScope, keyRef: string, request: KmsListRequest): Promise<KmsPage<KmsTag>>;
}

function checkTagKeys(keys: readonly string[]): void {
  const reserved = keys.find((k) => k.startsWith('aws:'));
  if (reserved !== undefined) throw new KmsError('InvalidTag', `Tag key ${reserved} uses the reserved prefix aws:.`);
}

/** No reserved keys, and at most 50 distinct keys on the key afterwards. */
export function checkTags(keys: readonly string[], totalAfter: number, keyArn: string): void {
  checkTagKeys(keys);
  if (totalAfter > MAX_TAGS) throw new KmsError('InvalidTag', `A key can have at most ${MAX_TAGS} tags; ${keyArn} would have ${totalAfter}.`);
}

function customerKey(key: KmsKey): void {
  if (key.keyManager === 'AWS') throw new KmsError('InvalidArn', `${key.arn} is an AWS managed key; only customer managed keys take tags.`);
}

/** Tags given at CreateKey or TagResource: no reserved keys, at most 50 on a key. */
export async function applyTags(ctx: KmsContext, key: KmsKey, tags: readonly KmsTag[]): Promise<void> {
  if (tags.length === 0) return;
  const existing = await ctx.stores.tags.get(key, key.arn);
  checkTags(
    tags.map((t) => t.key),
    new Set([...Object.keys(existing), ...tags.map((t) => t.key)]).size,
    key.arn,
  );
  await ctx.stores.tags.tag(key, key.arn, Object.fromEntries(tags.map((t) => [t.key, t.value])));
}

export function createKmsTags(ctx: KmsContext): KmsTags {
  return {
    async tag(scope, keyRef, tags) {
      const { key } = await ctx.loader.load(scope, keyRef, 'TagResource');
      await ctx.access.authorize(scope, key, 'TagResource');
      customerKey(key);
      checkNotPendingDeletion(key);
      await applyTags(ctx, key, tags);
    },
    async untag(scope, keyRef, keys) {
      const { key } = await ctx.loader.load(scope, keyRef, 'UntagResource');
      await ctx.access.authorize(scope, key, 'UntagResource');
      customerKey(key);
      checkNotPendingDeletion(key);
      checkTagKeys(keys);
      await ctx.stores.tags.untag(key, key.arn, keys);
    },
    async list(scope, keyRef, request) {
      const { key } = await ctx.loader.load(scope, keyRef, 'ListResourceTags');
      await ctx.access.authorize(scope, key, 'ListResourceTags');
      return withMarker(
        request,
        (page) => ctx.stores.tags.list(key, key.arn, page),
        (t) => t,
      );
    },
  };
}
