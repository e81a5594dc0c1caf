/**
 * Reading KMS inputs (already validated against the model): the caller's scope, blobs, tag
 * lists, Limit/Marker, encryption contexts, on top of the generic member readers of
 * aws/wire-members.ts (re-exported here for the handlers). A member of the wrong type is a
 * handler/model mismatch, not a caller's mistake.
 */
import type { RequestContext } from '../../http-handler.js';
import type { KmsListRequest } from '../../../kms/kms-page.js';
import type { KmsScope } from '../../../kms/kms-scope.js';
import type { KmsTag } from '../../../kms/kms-tags.js';
import { optionalInteger, optionalString, optionalStringMap, wrongType } from '../../wire-members.js';
import type { WireInput } from '../../wire-members.js';

export {
  optionalBlob,
  optionalBoolean,
  optionalInteger,
  optionalString,
  optionalStringMap,
  requiredBlob,
  requiredString,
  stringList,
} from '../../wire-members.js';
export type { WireInput } from '../../wire-members.js';

export function kmsScopeOf(ctx: RequestContext): KmsScope {
  return { accountId: ctx.accountId, region: ctx.region, principal: ctx.principal, requestId: ctx.requestId };
}

export function tagList(input: WireInput, member: string): readonly KmsTag[] {
  const value = input[member] ?? [];
  if (!Array.isArray(value)) throw wrongType(member, 'a tag list');
  return value.map((t: unknown) => {
    const tag = t as { TagKey?: unknown; TagValue?: unknown };
    if (typeof tag.TagKey !== 'string' || typeof tag.TagValue !== 'string') throw wrongType(member, 'a tag list');
    return { key: tag.TagKey, value: tag.TagValue };
  });
}

export function kmsListRequestOf(input: WireInput): KmsListRequest {
  return { limit: optionalInteger(input, 'Limit'), marker: optionalString(input, 'Marker') };
}

export function contextOf(input: WireInput, member = 'EncryptionContext'): Readonly<Record<string, string>> | undefined {
  return optionalStringMap(input, member);
}

/** The KMS list envelope: the items under `member`, NextMarker and Truncated. */
export function listOutput<T>(member: string, page: { readonly items: readonly T[]; readonly nextMarker: string | undefined }): Record<string, unknown> {
  return { [member]: page.items, NextMarker: page.nextMarker, Truncated: page.nextMarker !== undefined };
}
