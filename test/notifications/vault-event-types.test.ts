/**
 * Which vault messages a ledger event makes: a job's own event, and for a bucket backup or
 * restore that completed without some objects one S3_*_OBJECT_FAILED message per object, capped
 * per job, each naming the object, the reason and its place among the job's failures.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobChanged } from '../../src/backup/jobs/job-events.js';
import type { RestoreJob } from '../../src/backup/jobs/job.js';
import { jobMessage } from '../../src/notifications/backup-message.js';
import { NEVER_SENT, OBJECT_MESSAGES_PER_JOB, subscribedType, vaultEventsOf } from '../../src/notifications/vault-event-types.js';

const AT = new Date('2026-12-04T10:00:00Z');

function completed(kind: 'backup' | 'restore' | 'copy', failures: number): JobChanged {
  return {
    type: 'job',
    kind,
    step: 'complete',
    by: 'worker',
    accountId: '111111111111',
    region: 'us-east-1',
    jobId: 'job-1',
    resourceArn: 'arn:aws:s3:::photos',
    from: 'RUNNING',
    to: 'COMPLETED',
    at: AT,
    statusMessage: undefined,
    ...(failures === 0 ? {} : { objectFailures: Array.from({ length: failures }, (_, i) => ({ key: `k${i}`, reason: `reason ${i}` })) }),
  };
}

test('a completed backup without objects: its completion, then one S3_BACKUP_OBJECT_FAILED per object', () => {
  const facts = vaultEventsOf(completed('backup', 2));
  assert.deepEqual(
    facts.map((f) => [f.subject, f.state, f.types.join('|')]),
    [
      ['BACKUP_JOB', 'COMPLETED', 'BACKUP_JOB_COMPLETED|BACKUP_JOB_SUCCESSFUL'],
      ['S3_BACKUP_OBJECT', 'FAILED', 'S3_BACKUP_OBJECT_FAILED'],
      ['S3_BACKUP_OBJECT', 'FAILED', 'S3_BACKUP_OBJECT_FAILED'],
    ],
  );
  assert.deepEqual(facts[2]!.object, { key: 'k1', reason: 'reason 1', nth: 2, of: 2 });
  // A vault that asked only for object failures hears those, not the completion.
  const subscribed = new Set(['S3_BACKUP_OBJECT_FAILED']);
  assert.deepEqual(
    facts.map((f) => subscribedType(f, subscribed)),
    [undefined, 'S3_BACKUP_OBJECT_FAILED', 'S3_BACKUP_OBJECT_FAILED'],
  );
  assert.equal(NEVER_SENT.S3_BACKUP_OBJECT_FAILED, undefined);
  assert.equal(NEVER_SENT.S3_RESTORE_OBJECT_FAILED, undefined);
});

test('restores send S3_RESTORE_OBJECT_FAILED; copies and clean jobs send no object messages; the count is capped', () => {
  assert.deepEqual(
    vaultEventsOf(completed('restore', 1)).map((f) => f.types[0]),
    ['RESTORE_JOB_COMPLETED', 'S3_RESTORE_OBJECT_FAILED'],
  );
  assert.equal(vaultEventsOf(completed('backup', 0)).length, 1);
  assert.equal(vaultEventsOf(completed('copy', 3)).length, 1);
  const many = vaultEventsOf(completed('backup', OBJECT_MESSAGES_PER_JOB + 50));
  assert.equal(many.length, 1 + OBJECT_MESSAGES_PER_JOB);
  assert.deepEqual(many.at(-1)!.object?.nth, OBJECT_MESSAGES_PER_JOB);
});

test('an object message names the object, the reason, the job and, at the cap, the ones not sent', () => {
  const facts = vaultEventsOf(completed('restore', OBJECT_MESSAGES_PER_JOB + 5));
  const job = {
    kind: 'restore',
    accountId: '111111111111',
    region: 'us-east-1',
    id: 'job-1',
    resourceArn: 'arn:aws:s3:::photos',
    createdAt: AT,
    startedAt: AT,
  } as unknown as RestoreJob;
  const first = jobMessage(facts[1]!, job);
  assert.equal(
    first.message,
    'An AWS Backup restore job failed to restore an object of an S3 bucket; the job went on with the others. Object key : k0. Reason : reason 0. Resource ARN : arn:aws:s3:::photos. RestoreJob ID : job-1. Failed object 1 of 105',
  );
  assert.deepEqual(first.attributes, { EventType: 'S3_RESTORE_OBJECT', State: 'FAILED', AccountId: '111111111111', Id: 'job-1', StartTime: AT.toISOString() });
  assert.match(
    jobMessage(facts.at(-1)!, job).message,
    /Failed object 100 of 105; the other 5 are not sent one by one \(the job's status message counts them\)$/,
  );
});
