/**
 * IAM's wire conventions shared by its handlers: tags as `{Key, Value}` lists, policy documents
 * URL-encoded in every answer (as IAM sends them; the SDKs and Terraform decode them), Marker and
 * MaxItems paging with IsTruncated.
 */
import { pageOf } from '../../../iam/identity/iam-names.js';
import type { IamTag } from '../../../iam/identity/iam-records.js';
import { optionalInteger, optionalString, wrongType } from '../../wire-members.js';
import type { WireInput } from '../../wire-members.js';

export function tagsOf(input: WireInput, member = 'Tags'): IamTag[] | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw wrongType(member, 'a list of tags');
  return value.map((t: { Key?: unknown; Value?: unknown }) => ({ Key: String(t.Key ?? ''), Value: String(t.Value ?? '') }));
}

/** IAM answers policy documents URL-encoded (RFC 3986). */
export function encodedPolicy(text: string): string {
  return encodeURIComponent(text);
}

/** One page of `items` under `member`, with IsTruncated and the next Marker. */
export function listOutput<T>(member: string, items: readonly T[], input: WireInput): Record<string, unknown> {
  const page = pageOf(items, optionalString(input, 'Marker'), optionalInteger(input, 'MaxItems'));
  return { [member]: page.items, IsTruncated: page.marker !== undefined, ...(page.marker !== undefined && { Marker: page.marker }) };
}
