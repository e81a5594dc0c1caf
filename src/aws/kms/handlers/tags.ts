/** TagResource, UntagResource, ListResourceTags: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsListRequestOf, kmsScopeOf, listOutput, requiredString, stringList, tagList } from './wire-input.js';

export function tagHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async TagResource(ctx, input) {
      await kms.tags.tag(kmsScopeOf(ctx), requiredString(input, 'KeyId'), tagList(input, 'Tags'));
    },

    async UntagResource(ctx, input) {
      await kms.tags.untag(kmsScopeOf(ctx), requiredString(input, 'KeyId'), stringList(input, 'TagKeys'));
    },

    async ListResourceTags(ctx, input) {
      const page = await kms.tags.list(kmsScopeOf(ctx), requiredString(input, 'KeyId'), kmsListRequestOf(input));
      return listOutput('Tags', { ...page, items: page.items.map((t) => ({ TagKey: t.key, TagValue: t.value })) });
    },
  };
}
