/**
 * MessageCategory: the category each way a job ends gets (with Coffer's own failure messages),
 * and how a ByMessageCategory filter is read (AWS's spellings, ANY / AGGREGATE_ALL).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCESS_DENIED_MESSAGE, KEY_NOT_ACCESSIBLE_MESSAGE, ORGANIZATION_MESSAGE } from '../../../src/backup/copy-checks.js';
import { transitionJob } from '../../../src/backup/jobs/job-transitions.js';
import { COMPLETION_WINDOW_MESSAGE, START_WINDOW_MESSAGE } from '../../../src/backup/jobs/job-windows.js';
import { categoryFilter, messageCategoryOf } from '../../../src/backup/jobs/message-category.js';

test('the category of each end: by state, then by what the status message says', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['COMPLETED', undefined, 'SUCCESS'],
    ['COMPLETED', 'Completed on attempt 2; the earlier attempts failed for a passing reason.', 'SUCCESS'],
    ['COMPLETED', '/data/locked.db: permission denied', 'COMPLETED_WITH_ISSUES'],
    ['ABORTED', COMPLETION_WINDOW_MESSAGE, 'ABORTED'],
    ['EXPIRED', START_WINDOW_MESSAGE, 'EXPIRED'],
    ['FAILED', ACCESS_DENIED_MESSAGE, 'ACCESS_DENIED'],
    ['FAILED', KEY_NOT_ACCESSIBLE_MESSAGE, 'ACCESS_DENIED'],
    ['FAILED', ORGANIZATION_MESSAGE, 'ACCESS_DENIED'],
    ['FAILED', 'Copy job failed. IAM role arn:aws:iam::1:role/r is not authorized to perform: backup:CopyIntoBackupVault', 'ACCESS_DENIED'],
    ['FAILED', 'Backup vault daily of rule r does not exist in 111111111111/us-east-1; create it.', 'RESOURCE_NOT_FOUND'],
    ['FAILED', 'Copy job failed. Source recovery point arn:x no longer exists.', 'RESOURCE_NOT_FOUND'],
    ['FAILED', 'The retention of 3 days is outside the vault lock of vault v (7 to 30 days).', 'INVALID_PARAMETERS'],
    ['FAILED', 'Backup of arn:aws:rds:... failed: pg_dump exited with code 1', 'RESOURCE_ERROR'],
    ['FAILED', undefined, 'RESOURCE_ERROR'],
    ['RUNNING', undefined, undefined],
    ['CREATED', 'Attempt 1 failed: busy.', undefined],
  ];
  for (const [state, message, category] of cases) assert.equal(messageCategoryOf(state as 'FAILED', message), category, `${state}: ${message}`);
});

test('a transition that ends a job sets its category; one that does not leaves it', () => {
  const job = { kind: 'backup' as const, state: 'RUNNING' as const, statusMessage: undefined, attempts: 1, startBy: new Date(Date.UTC(2030, 0, 1)) };
  const now = new Date(Date.UTC(2029, 0, 1));
  assert.equal(transitionJob(job, { type: 'complete', bytesTransferred: 1 }, 'worker', now).change.messageCategory, 'SUCCESS');
  assert.equal(transitionJob(job, { type: 'fail', statusMessage: ACCESS_DENIED_MESSAGE }, 'worker', now).change.messageCategory, 'ACCESS_DENIED');
  assert.equal(transitionJob(job, { type: 'progress', percentDone: 5 }, 'worker', now).change.messageCategory, undefined);
  assert.equal(transitionJob(job, { type: 'retry', failure: 'busy.' }, 'worker', now).change.messageCategory, undefined);
});

test('ByMessageCategory: any case and underscores; ANY, * and AGGREGATE_ALL mean every category', () => {
  for (const spelling of ['AccessDenied', 'ACCESS_DENIED', 'accessdenied', 'Access_Denied']) assert.equal(categoryFilter(spelling), 'ACCESS_DENIED');
  for (const spelling of ['InvalidParameters', 'INVALIDPARAMETERS', 'INVALID_PARAMETERS']) assert.equal(categoryFilter(spelling), 'INVALID_PARAMETERS');
  assert.equal(categoryFilter('Success'), 'SUCCESS');
  for (const all of ['ANY', 'any', '*', 'AGGREGATE_ALL', undefined]) assert.equal(categoryFilter(all), undefined);
  assert.equal(categoryFilter('NoSuchCategory'), 'NoSuchCategory', 'an unknown category matches no job (kept as written)');
});
