/** TagResource, UntagResource, ListTags: wire shapes to the domain's resource tags. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalStringMap, requiredString, scopeOf, stringList } from './wire-input.js';

export function tagHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async TagResource(ctx, input) {
      await domain.tags.tag(scopeOf(ctx), requiredString(input, 'ResourceArn'), optionalStringMap(input, 'Tags') ?? {});
    },

    async UntagResource(ctx, input) {
      await domain.tags.untag(scopeOf(ctx), requiredString(input, 'ResourceArn'), stringList(input, 'TagKeyList'));
    },

    async ListTags(ctx, input) {
      const page = await domain.tags.list(scopeOf(ctx), requiredString(input, 'ResourceArn'), listRequestOf(input));
      return { Tags: page.tags, NextToken: page.nextToken };
    },
  };
}
