/**
 * Tags on Backup resources (vaults now; plans and recovery points as they land): add, remove,
 * list, by resource ARN. Every call first resolves the ARN in the caller's scope.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CallScope } from './call-scope.js';
import { listPage } from './list-page.js';
import type { ListRequest } from './list-page.js';
import { checkTagCount, checkTags } from './tag-rules.js';
import type { Tags } from './tag-rules.js';
import { resolveTaggable } from './taggable-resource.js';

export interface TagPage {
  readonly tags: Tags;
  readonly nextToken: string | undefined;
}

export interface ResourceTagService {
  tag(scope: CallScope, resourceArn: string, tags: Tags): Promise<void>;
  /** Keys the resource does not have are ignored. */
  untag(scope: CallScope, resourceArn: string, keys: readonly string[]): Promise<void>;
  list(scope: CallScope, resourceArn: string, request: ListRequest): Promise<TagPage>;
}

export function createResourceTagService({ catalog }: { readonly catalog: Catalog }): ResourceTagService {
  return {
    tag: (scope, resourceArn, tags) =>
      catalog.transaction(async (tx) => {
        checkTags(tags, 'Tags');
        const resource = await resolveTaggable(tx, scope, resourceArn);
        const current = await tx.tags.get(scope, resource.arn);
        checkTagCount(new Set([...Object.keys(current), ...Object.keys(tags)]).size, 'Tags');
        await tx.tags.tag(scope, resource.arn, tags);
      }),

    async untag(scope, resourceArn, keys) {
      const resource = await resolveTaggable(catalog, scope, resourceArn);
      await catalog.tags.untag(scope, resource.arn, keys);
    },

    async list(scope, resourceArn, request) {
      const resource = await resolveTaggable(catalog, scope, resourceArn);
      const page = await listPage(request, (p) => catalog.tags.list(scope, resource.arn, p));
      return { tags: Object.fromEntries(page.items.map((t) => [t.key, t.value])), nextToken: page.nextToken };
    },
  };
}
