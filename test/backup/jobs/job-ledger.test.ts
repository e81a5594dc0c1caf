/**
 * The ledger on a real SQLite catalog: a job's life through a worker's claim, stops and
 * take-overs fenced by the guards, the scheduler's bulk window checks, recovery points, and the
 * events: heard after commit, written by a durable sink in the change's own transaction (a sink
 * that fails takes the change back with it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackupJobDraft } from '../../../src/backup/jobs/job.js';
import type { JobEvent } from '../../../src/backup/jobs/job-events.js';
import { createJobLedger } from '../../../src/backup/jobs/job-ledger.js';
import type { JobLedger } from '../../../src/backup/jobs/job-ledger.js';
import { stopBackupJob } from '../../../src/backup/jobs/job-transitions.js';
import { COMPLETION_WINDOW_MESSAGE, START_WINDOW_MESSAGE } from '../../../src/backup/jobs/job-windows.js';
import type { Catalog } from '../../../src/catalog/catalog.js';
import { ManualClock } from '../../../src/scheduler/manual-clock.js';
import { createVault, MINUTE, SCOPE, T0, vaultArn, withCatalog } from '../../catalog/catalog-fixture.js';

const HOUR = 60 * MINUTE;
const RESOURCE = 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1';

function draft(id: string, overrides: Partial<BackupJobDraft> = {}): BackupJobDraft {
  return {
    id,
    state: 'CREATED',
    createdAt: new Date(T0),
    resourceArn: RESOURCE,
    resourceType: 'EFS',
    vaultName: 'daily',
    vaultArn: vaultArn(SCOPE, 'daily'),
    recoveryPointArn: `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:rp-${id}`,
    startBy: new Date(T0 + 8 * HOUR),
    ...overrides,
  };
}

function withLedger(body: (ledger: JobLedger, catalog: Catalog, clock: ManualClock, heard: JobEvent[]) => Promise<void>): Promise<void> {
  return withCatalog(async (catalog) => {
    const clock = new ManualClock(new Date(T0));
    const ledger = createJobLedger({ catalog, clock });
    const heard: JobEvent[] = [];
    ledger.events.subscribe((e) => heard.push(e));
    await body(ledger, catalog, clock, heard);
  });
}

const steps = (events: readonly JobEvent[]) => events.map((e) => `${e.step}:${e.from ?? '-'}>${e.to}`);

test("a job's life under a worker's claim: each step written, heard, and followed by the claim", () =>
  withLedger(async (ledger, _catalog, clock, heard) => {
    await ledger.createBackupJob(SCOPE, draft('J1'));
    const claim = (await ledger.claim('backup', 'w1', 60_000))!;
    assert.equal(claim.job.attempts, 1);
    clock.set(new Date(T0 + MINUTE));
    const running = await ledger.step(claim, { type: 'start' });
    assert.equal(running?.state, 'RUNNING');
    assert.deepEqual(running?.startedAt, new Date(T0 + MINUTE));
    assert.equal(claim.job.state, 'RUNNING', 'the claim follows the job');
    await ledger.step(claim, { type: 'progress', bytesTransferred: 10, percentDone: 50 });
    const done = await ledger.step(claim, { type: 'complete', bytesTransferred: 20, backupSizeBytes: 40 });
    assert.equal(done?.state, 'COMPLETED');
    assert.equal(done?.percentDone, 100);
    assert.equal(await ledger.step(claim, { type: 'fail', statusMessage: 'x' }), undefined, 'a finished job takes no more steps');
    assert.deepEqual(steps(heard), ['create:->CREATED', 'start:CREATED>RUNNING', 'progress:RUNNING>RUNNING', 'complete:RUNNING>COMPLETED']);
    assert.equal(await ledger.claim('backup', 'w2', 60_000), undefined, 'a completed job is not claimed again');
  }));

test('a worker whose lease ran out is fenced out by the one that took the job over', () =>
  withLedger(async (ledger, _catalog, clock) => {
    await ledger.createBackupJob(SCOPE, draft('J1'));
    const first = (await ledger.claim('backup', 'w1', 1000))!;
    await ledger.step(first, { type: 'start' });
    clock.set(new Date(T0 + 2000));
    const second = (await ledger.claim('backup', 'w2', 60_000))!;
    assert.equal(second.job.state, 'RUNNING');
    assert.equal(second.job.attempts, 2);
    assert.equal(await ledger.renew(first, 1000), false);
    assert.equal(await ledger.step(first, { type: 'complete', bytesTransferred: 1 }), undefined);
    assert.equal((await ledger.step(second, { type: 'fail', statusMessage: 'Coffer restarted.' }))?.state, 'FAILED');
  }));

test('StopBackupJob: a waiting job ends at once; a running one is asked, cannot complete, and is aborted by its worker', () =>
  withLedger(async (ledger) => {
    await ledger.createBackupJob(SCOPE, draft('WAIT'));
    await ledger.createBackupJob(SCOPE, draft('RUN', { createdAt: new Date(T0 - 1) }));
    const claim = (await ledger.claim('backup', 'w1', 60_000))!;
    assert.equal(claim.job.id, 'RUN');
    await ledger.step(claim, { type: 'start' });
    assert.equal((await ledger.change('backup', SCOPE, 'WAIT', stopBackupJob))?.state, 'ABORTED');
    assert.equal((await ledger.change('backup', SCOPE, 'RUN', stopBackupJob))?.state, 'ABORTING');
    assert.equal((await ledger.step(claim, { type: 'progress', bytesTransferred: 5 }))?.state, 'ABORTING', 'progress still counts while it stops');
    assert.equal(await ledger.step(claim, { type: 'complete', bytesTransferred: 5 }), undefined, 'a job asked to stop does not complete');
    assert.equal((await ledger.refresh(claim))?.state, 'ABORTING');
    const aborted = await ledger.step(claim, { type: 'abort', statusMessage: 'Stopped by StopBackupJob.' });
    assert.equal(aborted?.state, 'ABORTED');
    assert.throws(() => stopBackupJob(aborted!, new Date(T0)), /cannot be stopped|can be stopped/);
    await assert.rejects(ledger.change('backup', SCOPE, 'RUN', stopBackupJob), /only jobs in CREATED, PENDING, RUNNING can be stopped/);
    assert.equal(await ledger.change('backup', SCOPE, 'NONE', stopBackupJob), undefined);
  }));

test("the scheduler's window checks, in bulk: waiting jobs expire (not one a worker holds), overdue ones are asked to stop", () =>
  withLedger(async (ledger, _catalog, clock, heard) => {
    const drafts = Array.from({ length: 1200 }, (_, i) =>
      draft(`E${String(i).padStart(4, '0')}`, i % 2 === 0 ? {} : { statusMessage: `Attempt 1 failed: busy ${i % 3}.` }),
    );
    assert.equal(await ledger.createBackupJobs(SCOPE, drafts), 1200);
    await ledger.createBackupJob(SCOPE, draft('HELD', { createdAt: new Date(T0 - 2) }));
    await ledger.createBackupJob(SCOPE, draft('LATE', { createdAt: new Date(T0 - 1), completeBy: new Date(T0 + HOUR) }));
    const held = (await ledger.claim('backup', 'w1', 100 * HOUR))!;
    const late = (await ledger.claim('backup', 'w1', 100 * HOUR))!;
    assert.deepEqual([held.job.id, late.job.id], ['HELD', 'LATE']);
    await ledger.step(late, { type: 'start' });
    heard.length = 0;
    clock.set(new Date(T0 + 8 * HOUR));
    assert.equal(await ledger.expireUnstarted(), 1200);
    assert.equal(await ledger.stopOverdue(), 1);
    assert.equal(heard.length, 1201);
    assert.equal((await ledger.job('backup', SCOPE, 'E0000'))?.statusMessage, START_WINDOW_MESSAGE);
    assert.equal((await ledger.job('backup', SCOPE, 'E0001'))?.statusMessage, `${START_WINDOW_MESSAGE} Attempt 1 failed: busy 1.`);
    assert.equal((await ledger.job('backup', SCOPE, 'HELD'))?.state, 'CREATED', "the job a worker holds is its worker's to expire");
    assert.equal((await ledger.job('backup', SCOPE, 'LATE'))?.statusMessage, COMPLETION_WINDOW_MESSAGE);
    assert.equal(await ledger.expireUnstarted(), 0);
  }));

test("a durable sink writes in the change's transaction: when it fails, the change does not happen and nobody hears of it", () =>
  withCatalog(async (catalog) => {
    const clock = new ManualClock(new Date(T0));
    const sunk: JobEvent[] = [];
    let failing = false;
    const ledger = createJobLedger({
      catalog,
      clock,
      outbox: async (events, stores) => {
        // Proof that the sink runs inside the transaction: what it reads is the uncommitted change.
        for (const e of events) if (e.type === 'job') assert.equal((await stores.jobs.get(e.kind, e, e.jobId))?.state, e.to);
        if (failing) throw new Error('outbox full');
        sunk.push(...events);
      },
    });
    const heard: JobEvent[] = [];
    ledger.events.subscribe((e) => heard.push(e));
    await ledger.createBackupJob(SCOPE, draft('J1'));
    failing = true;
    await assert.rejects(ledger.change('backup', SCOPE, 'J1', stopBackupJob), /outbox full/);
    assert.equal((await ledger.job('backup', SCOPE, 'J1'))?.state, 'CREATED');
    failing = false;
    await ledger.change('backup', SCOPE, 'J1', stopBackupJob);
    assert.deepEqual(steps(sunk), ['create:->CREATED', 'abort:CREATED>ABORTED']);
    assert.deepEqual(steps(heard), steps(sunk));
  }));

test('a ledger transaction commits its writes together, and a failed one leaves nothing, not even events', () =>
  withLedger(async (ledger, catalog, _clock, heard) => {
    await createVault(catalog, SCOPE, 'daily');
    await assert.rejects(
      ledger.transaction(async (tx) => {
        await tx.createBackupJob(SCOPE, draft('J1'));
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.equal(await ledger.job('backup', SCOPE, 'J1'), undefined);
    assert.equal(heard.length, 0);
    await ledger.transaction(async (tx) => {
      await tx.createBackupJob(SCOPE, draft('J2'));
      assert.equal(heard.length, 0, 'heard only after commit');
    });
    assert.equal(heard.length, 1);
  }));

test('recovery points: created, completed, deleted and erased with their tags; a stale step does not apply', () =>
  withLedger(async (ledger, catalog, _clock, heard) => {
    await createVault(catalog, SCOPE, 'daily');
    const arn = `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:rp-1`;
    const made = await ledger.createPoint(SCOPE, {
      arn,
      id: 'rp-1',
      vaultName: 'daily',
      vaultArn: vaultArn(SCOPE, 'daily'),
      resourceArn: RESOURCE,
      resourceType: 'EFS',
      createdAt: new Date(T0),
    });
    assert.equal(made.state, 'CREATING');
    const done = await ledger.stepPoint(SCOPE, made, { type: 'complete', snapshotId: 's-1', repositoryKeyId: 'k-1', backupSizeBytes: 9 });
    assert.equal(done?.state, 'COMPLETED');
    assert.equal(await ledger.removePoint(SCOPE, made, 'discard'), false, 'decided on a stale record: guarded out');
    await catalog.tags.tag(SCOPE, arn, { team: 'a' });
    const deleting = (await ledger.stepPoint(SCOPE, done!, { type: 'delete' }))!;
    assert.equal(deleting.state, 'DELETING');
    assert.ok(await ledger.removePoint(SCOPE, deleting, 'erase'));
    assert.equal(await ledger.point(SCOPE, arn), undefined);
    assert.equal((await catalog.tags.list(SCOPE, arn)).items.length, 0);
    assert.deepEqual(
      heard.map((e) => `${e.step}:${e.from ?? '-'}>${e.to}`),
      ['create:->CREATING', 'complete:CREATING>COMPLETED', 'delete:COMPLETED>DELETING', 'erase:DELETING>GONE'],
    );
  }));
