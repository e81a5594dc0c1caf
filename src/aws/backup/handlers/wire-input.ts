/**
 * Reading AWS Backup inputs (already validated against the model): the caller's scope and the
 * paging members, on top of the generic member readers of aws/wire-members.ts (re-exported here
 * for the handlers).
 */
import type { RequestContext } from '../../http-handler.js';
import type { CallScope } from '../../../backup/call-scope.js';
import { optionalInteger, optionalString } from '../../wire-members.js';
import type { WireInput } from '../../wire-members.js';

export type { WireInput } from '../../wire-members.js';
export { optionalBoolean, optionalBooleanMap, optionalInteger, optionalString, optionalStringMap, requiredString, stringList } from '../../wire-members.js';

export function scopeOf(ctx: RequestContext): CallScope {
  return { accountId: ctx.accountId, region: ctx.region, principal: ctx.principal, requestId: ctx.requestId };
}

/** MaxResults and NextToken, the paging members of every List operation. */
export function listRequestOf(input: WireInput): { readonly maxResults: number | undefined; readonly nextToken: string | undefined } {
  return { maxResults: optionalInteger(input, 'MaxResults'), nextToken: optionalString(input, 'NextToken') };
}
