/** Idempotency tokens: first response wins, scoped by operation and account, expiry and purge. */
import assert from 'node:assert/strict';
import type { IdempotencyRecord } from '../../src/catalog/idempotency.js';
import { DAY, OTHER_ACCOUNT, SCOPE, T0, test, withCatalog } from './dialect-fixture.js';

function entry(token: string, response: IdempotencyRecord['response'], createdAt = T0, operation = 'StartBackupJob'): IdempotencyRecord {
  return { operation, token, requestHash: `hash-of-${JSON.stringify(response)}`, response, createdAt, expiresAt: createdAt + DAY };
}

test('the first response for a token is kept and returned to later callers', () =>
  withCatalog(async (catalog) => {
    const first = await catalog.idempotency.remember(SCOPE, entry('tok', { BackupJobId: 'job-1' }));
    assert.deepEqual(first.response, { BackupJobId: 'job-1' });
    const second = await catalog.idempotency.remember(SCOPE, entry('tok', { BackupJobId: 'job-2' }, T0 + 1000));
    assert.deepEqual(second, first);
    assert.deepEqual(await catalog.idempotency.find(SCOPE, 'StartBackupJob', 'tok', T0 + 1000), first);
  }));

test('tokens are separate per operation and per scope', () =>
  withCatalog(async (catalog) => {
    await catalog.idempotency.remember(SCOPE, entry('tok', { a: 1 }));
    assert.equal(await catalog.idempotency.find(SCOPE, 'StartRestoreJob', 'tok', T0), undefined);
    assert.equal(await catalog.idempotency.find(OTHER_ACCOUNT, 'StartBackupJob', 'tok', T0), undefined);
    const other = await catalog.idempotency.remember(OTHER_ACCOUNT, entry('tok', { b: 2 }));
    assert.deepEqual(other.response, { b: 2 });
  }));

test('an expired token counts as absent, can be used again, and is purged', () =>
  withCatalog(async (catalog) => {
    await catalog.idempotency.remember(SCOPE, entry('old', { n: 1 }));
    await catalog.idempotency.remember(SCOPE, entry('young', { n: 2 }, T0 + DAY / 2));
    assert.equal(await catalog.idempotency.find(SCOPE, 'StartBackupJob', 'old', T0 + DAY), undefined);
    const reused = await catalog.idempotency.remember(SCOPE, entry('old', { n: 3 }, T0 + DAY));
    assert.deepEqual(reused.response, { n: 3 });
    assert.equal(await catalog.idempotency.purgeExpired(T0 + 1.6 * DAY), 1, 'young expired at 1.5 days');
    assert.equal(await catalog.idempotency.find(SCOPE, 'StartBackupJob', 'young', T0), undefined);
    assert.deepEqual((await catalog.idempotency.find(SCOPE, 'StartBackupJob', 'old', T0 + 1.6 * DAY))?.response, { n: 3 });
    assert.equal(await catalog.idempotency.purgeExpired(T0 + 2 * DAY), 1);
  }));
