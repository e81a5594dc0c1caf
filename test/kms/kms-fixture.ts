/** Test helpers: a KMS domain over a fresh SQLite catalog, a clock the test moves, and two accounts' callers. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../../src/catalog/catalog.js';
import { createKmsDomain } from '../../src/kms/kms-domain.js';
import type { KmsDomain } from '../../src/kms/kms-domain.js';
import { KmsError } from '../../src/kms/kms-error.js';
import type { KmsErrorCode } from '../../src/kms/kms-error.js';
import type { KmsScope } from '../../src/kms/kms-scope.js';
import { withCatalog } from '../catalog/catalog-fixture.js';

export const REGION = 'us-east-1';
export const A: KmsScope = { accountId: '111111111111', region: REGION, principal: 'arn:aws:iam::111111111111:root', requestId: 'req-a' };
export const B: KmsScope = { accountId: '222222222222', region: REGION, principal: 'arn:aws:iam::222222222222:root', requestId: 'req-b' };

export class TestClock {
  constructor(private current = new Date('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

export interface KmsFixture {
  readonly kms: KmsDomain;
  readonly catalog: Catalog;
  readonly clock: TestClock;
  readonly rootKey: Buffer;
}

export function withKms(body: (f: KmsFixture) => Promise<void>): Promise<void> {
  return withCatalog(async (catalog) => {
    const clock = new TestClock();
    const rootKey = randomBytes(32);
    const kms = createKmsDomain({ catalog, clock, rootKey, organizationOf: () => 'o-cofferorg01' });
    await body({ kms, catalog, clock, rootKey });
  });
}

/** Asserts that `promise` rejects with a KmsError of `code` (and a message matching `message`, if given). */
export async function rejectsWith(promise: Promise<unknown>, code: KmsErrorCode, message?: RegExp | string): Promise<KmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof KmsError, `expected KmsError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message !== undefined) assert.match(error.message, message);
  return error;
}

export function policyAllowing(owner: string, statement: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Resource: '*', ...statement },
    ],
  });
}
