/**
 * The account and region a catalog row belongs to. Every scoped query takes one and filters by
 * both, so one account never reads another's rows by accident. The domain's call scope
 * (`{accountId, region, principal, requestId}`) fits where this is asked for.
 */

export interface CatalogScope {
  readonly accountId: string;
  readonly region: string;
}

/** A time as integer milliseconds since the Unix epoch (UTC), as every catalog time is stored. */
export type EpochMillis = number;
