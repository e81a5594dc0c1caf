/**
 * Who is calling KMS, first argument of every domain call, and the two things injected beside
 * the catalog: the clock and the source of ids and random bytes (tests predict them). Declared
 * here, structurally, so that kms/ depends on no other domain.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface KmsScope {
  readonly accountId: string;
  readonly region: string;
  /** The caller as an IAM principal ARN (the account root until Coffer has IAM users). */
  readonly principal: string;
  readonly requestId: string;
  /**
   * Set when an AWS service acts for the account (Coffer's own Backup: `backup`). The key
   * policy then sees `kms:ViaService = <service>.<region>.amazonaws.com` and the principal's
   * service `<service>.amazonaws.com`, as AWS's managed-key policies expect.
   */
  readonly viaService?: 'backup' | 'rds' | undefined;
}

export interface KmsClock {
  now(): Date;
}

export interface KmsRandom {
  uuid(): string;
  bytes(length: number): Buffer;
}

export const cryptoRandom: KmsRandom = { uuid: () => randomUUID(), bytes: (length) => randomBytes(length) };
