/**
 * backup/: the AWS Backup domain. It knows AWS Backup's rules (names, idempotency, what may be
 * deleted when, what is whose) and speaks to the catalog through typed stores; it knows nothing
 * of HTTP, wire shapes or SQL, and reads the time only from an injected Clock.
 *
 * This file: who is calling, first argument of every domain call. The account and region pick
 * the catalog rows; the principal will be checked against policies; the request ID goes into
 * records and logs so that a caller's request can be traced.
 */

export interface CallScope {
  readonly accountId: string;
  readonly region: string;
  /** The caller as an IAM principal ARN (the account root until Coffer has IAM users). */
  readonly principal: string;
  readonly requestId: string;
}
