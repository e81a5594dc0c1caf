/** The vault lock's pure rules: which retentions a lock refuses, and when a compliance lock becomes immutable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLockImmutable, lockRefusal, retentionDaysBetween } from '../../src/backup/vault-lock.js';
import type { VaultLockRecord } from '../../src/backup/vault-lock.js';

const DAY = 86_400_000;
const lock = (min?: number, max?: number, lockDate?: number): VaultLockRecord => ({
  minRetentionDays: min,
  maxRetentionDays: max,
  changeableForDays: lockDate === undefined ? undefined : 3,
  lockDate,
});

test('no lock refuses nothing', () => {
  assert.equal(lockRefusal(undefined, 1, 0), undefined);
  assert.equal(lockRefusal(undefined, undefined, 0), undefined);
});

test('the range is inclusive; kept forever is beyond any MaxRetentionDays but satisfies MinRetentionDays', () => {
  const l = lock(7, 100);
  assert.equal(lockRefusal(l, 7, 0), undefined);
  assert.equal(lockRefusal(l, 100, 0), undefined);
  assert.match(lockRefusal(l, 6, 0) ?? '', /kept 6 days is shorter than MinRetentionDays 7\. Set DeleteAfterDays to at least 7\./);
  assert.match(lockRefusal(l, 101, 0) ?? '', /kept 101 days exceeds MaxRetentionDays 100\. Set DeleteAfterDays to at most 100\./);
  assert.match(lockRefusal(l, undefined, 0) ?? '', /kept indefinitely \(no DeleteAfterDays\) exceeds MaxRetentionDays 100/);
  assert.equal(lockRefusal(lock(7), undefined, 0), undefined);
  assert.equal(lockRefusal(lock(undefined, 30), 1, 0), undefined);
});

test('the wording says when the lock is a compliance lock past its LockDate', () => {
  const l = lock(7, undefined, 10 * DAY);
  assert.match(lockRefusal(l, 1, 9 * DAY) ?? '', /^The backup vault has a vault lock with MinRetentionDays 7:/);
  assert.match(lockRefusal(l, 1, 10 * DAY) ?? '', /^The backup vault has a compliance-mode vault lock with MinRetentionDays 7:/);
});

test('a compliance lock is immutable from its LockDate on; a governance lock never', () => {
  assert.equal(isLockImmutable(lock(1, 2, 5 * DAY), 5 * DAY - 1), false);
  assert.equal(isLockImmutable(lock(1, 2, 5 * DAY), 5 * DAY), true);
  assert.equal(isLockImmutable(lock(1, 2), 1e15), false);
  assert.equal(isLockImmutable(undefined, 0), false);
});

test('retention in whole days, a partial day counting as one', () => {
  assert.equal(retentionDaysBetween(0, 7 * DAY), 7);
  assert.equal(retentionDaysBetween(0, 7 * DAY + 1), 8);
  assert.equal(retentionDaysBetween(0, undefined), undefined);
});
