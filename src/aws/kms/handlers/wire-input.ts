/**
 * Reading KMS inputs (already validated against the model): the caller's scope, blobs, tag
 * lists, Limit/Marker, encryption contexts. The generic readers are Backup's; these only add
 * KMS's shapes. A member of the wrong type is a handler/model mismatch, not a caller's mistake.
 */
import type { RequestContext } from '../../http-handler.js';
import type { KmsListRequest } from '../../../kms/kms-page.js';
import type { KmsScope } from '../../../kms/kms-scope.js';
import type { KmsTag } from '../../../kms/kms-tags.js';
import { optionalInteger, optionalString, optionalStringMap } from '../../backup/handlers/wire-input.js';
import type { WireInput } from '../../backup/handlers/wire-input.js';

export { optionalBoolean, optionalInteger, optionalString, optionalStringMap, requiredString, stringList } from '../../backup/handlers/wire-input.js';
export type { WireInput } from '../../backup/handlers/wire-input.js';

export function kmsScopeOf(ctx: RequestContext): KmsScope {
  return { accountId: ctx.accountId, region: ctx.region, principal: ctx.principal, requestId: ctx.requestId };
}

function wrongType(member: string, expected: string): Error {
  return new Error(`input member ${member} is not ${expected}: the handler does not match the model`);
}

export function optionalBlob(input: WireInput, member: string): Buffer | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw wrongType(member, 'binary');
}

export function requiredBlob(input: WireInput, member: string): Buffer {
  const value = optionalBlob(input, member);
  if (value === undefined) throw wrongType(member, 'present');
  return value;
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
