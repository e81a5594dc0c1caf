/**
 * Jobs: creation and lookup per kind, scoped lists with filters and pages, guarded updates, and
 * the worker lease: claim order, due times, expiry and resumption, and that two claimers (two
 * catalogs on one file, in one process and in two processes) never get the same job.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/catalog/catalog.js';
import { CatalogConflictError } from '../../src/catalog/catalog-error.js';
import type { NewBackupJob } from '../../src/catalog/job-records.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { CatalogScope } from '../../src/catalog/scope.js';
import { allPages, MINUTE, OTHER_ACCOUNT, SCOPE, T0, test, vaultArn, withCatalog, withCatalogDir, withCatalogLocation } from './dialect-fixture.js';

const RESOURCE = 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-uploads';

function backupJob(id: string, overrides: Partial<NewBackupJob> = {}): NewBackupJob {
  return {
    id,
    state: 'CREATED',
    createdAt: T0,
    resourceArn: RESOURCE,
    resourceType: 'EFS',
    vaultName: 'daily',
    vaultArn: vaultArn(SCOPE, 'daily'),
    ...overrides,
  };
}

/** Jobs `<prefix>-000`, `<prefix>-001`, ... created a millisecond apart from T0. Job ids are global, like AWS's. */
function createBackupJobs(catalog: Catalog, count: number, scope: CatalogScope = SCOPE, prefix = 'job') {
  return Promise.all(
    Array.from({ length: count }, (_, i) => catalog.jobs.createBackupJob(scope, backupJob(`${prefix}-${String(i).padStart(3, '0')}`, { createdAt: T0 + i }))),
  );
}

test('creates each kind of job and reads it back within its scope only', () =>
  withCatalog(async (catalog) => {
    const origin = {
      planId: 'p1',
      planArn: 'arn:plan',
      planVersion: 'v1',
      planName: 'plan',
      ruleId: 'r1',
      ruleName: 'daily',
      ruleCron: 'cron(0 5 ? * * *)',
      ruleTimezone: 'Etc/UTC',
    };
    const backup = await catalog.jobs.createBackupJob(
      SCOPE,
      backupJob('b1', {
        createdBy: origin,
        lifecycle: { deleteAfterDays: 7 },
        recoveryPointTags: { team: 'a' },
        startBy: T0 + 60 * MINUTE,
        idempotencyToken: 'tok',
      }),
    );
    assert.equal(backup.kind, 'backup');
    assert.equal(backup.state, 'CREATED');
    assert.equal(backup.notBefore, T0);
    assert.equal(backup.attempts, 0);
    assert.deepEqual(backup.createdBy, origin);
    assert.deepEqual(backup.lifecycle, { deleteAfterDays: 7 });
    assert.deepEqual(backup.recoveryPointTags, { team: 'a' });
    assert.equal(backup.idempotencyToken, 'tok');
    assert.deepEqual(await catalog.jobs.get('backup', SCOPE, 'b1'), backup);
    assert.equal(await catalog.jobs.get('backup', OTHER_ACCOUNT, 'b1'), undefined);
    assert.equal(await catalog.jobs.get('copy', SCOPE, 'b1'), undefined);

    const restore = await catalog.jobs.createRestoreJob(SCOPE, {
      id: 'r1',
      state: 'PENDING',
      createdAt: T0,
      resourceArn: RESOURCE,
      resourceType: 'EFS',
      recoveryPointArn: 'arn:rp',
      vaultName: 'daily',
      metadata: { RestorePath: '/tmp/x', newFileSystem: 'true' },
    });
    assert.deepEqual(restore.metadata, { RestorePath: '/tmp/x', newFileSystem: 'true' });
    const copy = await catalog.jobs.createCopyJob(SCOPE, {
      id: 'c1',
      state: 'CREATED',
      createdAt: T0,
      resourceArn: RESOURCE,
      resourceType: 'EFS',
      parentJobId: 'b1',
      sourceRecoveryPointArn: 'arn:rp',
      sourceVaultArn: vaultArn(SCOPE, 'daily'),
      destinationVaultArn: vaultArn(OTHER_ACCOUNT, 'vault'),
      lifecycle: { deleteAfterDays: 35 },
    });
    assert.equal(copy.parentJobId, 'b1');
    assert.deepEqual(await catalog.jobs.get('copy', SCOPE, 'c1'), copy);
    await assert.rejects(catalog.jobs.createBackupJob(SCOPE, backupJob('b1')), CatalogConflictError);
  }));

test('lists newest first with filters and stable pages', () =>
  withCatalog(async (catalog) => {
    await createBackupJobs(catalog, 10);
    await createBackupJobs(catalog, 2, OTHER_ACCOUNT, 'other');
    await catalog.jobs.update('backup', 'job-003', { updatedAt: T0 + 5, state: 'COMPLETED', completedAt: T0 + 1000 });
    const pages = await allPages(4, (page) => catalog.jobs.list('backup', SCOPE, {}, page));
    assert.deepEqual(
      pages.map((p) => p.length),
      [4, 4, 2],
    );
    assert.deepEqual(
      pages.flat().map((j) => j.id),
      Array.from({ length: 10 }, (_, i) => `job-${String(9 - i).padStart(3, '0')}`),
    );
    const completed = await catalog.jobs.list('backup', SCOPE, { state: 'COMPLETED' });
    assert.deepEqual(
      completed.items.map((j) => j.id),
      ['job-003'],
    );
    const window = await catalog.jobs.list('backup', SCOPE, { createdAfter: T0 + 2, createdBefore: T0 + 6 });
    assert.deepEqual(
      window.items.map((j) => j.id),
      ['job-005', 'job-004', 'job-003'],
    );
    assert.equal((await catalog.jobs.list('backup', SCOPE, { vaultName: 'other' })).items.length, 0);
    assert.equal((await catalog.jobs.list('backup', SCOPE, { completedAfter: T0 })).items.length, 1);
    assert.equal((await catalog.jobs.list('backup', SCOPE, { resourceType: 'RDS' })).items.length, 0);
  }));

test('claims the job due longest first, and none before its time', () =>
  withCatalog(async (catalog) => {
    await catalog.jobs.createBackupJob(SCOPE, backupJob('later', { notBefore: T0 + 10 * MINUTE }));
    await catalog.jobs.createBackupJob(SCOPE, backupJob('sooner', { createdAt: T0 + 1, notBefore: T0 + 5 * MINUTE }));
    await catalog.jobs.createBackupJob(SCOPE, backupJob('done', { state: 'COMPLETED' }));
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0), undefined);
    const first = await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0 + 20 * MINUTE);
    assert.equal(first?.id, 'sooner');
    assert.equal(first?.leaseOwner, 'w1');
    assert.equal(first?.leaseExpiresAt, T0 + 21 * MINUTE);
    assert.equal(first?.attempts, 1);
    assert.equal((await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0 + 20 * MINUTE))?.id, 'later');
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0 + 20 * MINUTE), undefined);
    assert.equal(await catalog.jobs.claimNextJob('copy', 'w1', MINUTE, T0 + 20 * MINUTE), undefined);
  }));

test('an expired lease lets another worker resume the job; the first one is fenced out', () =>
  withCatalog(async (catalog) => {
    await catalog.jobs.createBackupJob(SCOPE, backupJob('j1'));
    const claimed = await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0);
    await catalog.jobs.update('backup', 'j1', { updatedAt: T0, state: 'RUNNING', startedAt: T0 }, { leaseOwner: 'w1' });
    assert.equal(claimed?.id, 'j1');
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w2', MINUTE, T0 + 30_000), undefined);
    assert.equal(await catalog.jobs.renewLease('backup', 'j1', 'w1', MINUTE, T0 + 30_000), true);
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w2', MINUTE, T0 + 80_000), undefined);
    const resumed = await catalog.jobs.claimNextJob('backup', 'w2', MINUTE, T0 + 91_000);
    assert.equal(resumed?.state, 'RUNNING');
    assert.equal(resumed?.leaseOwner, 'w2');
    assert.equal(resumed?.attempts, 2);
    assert.equal(await catalog.jobs.renewLease('backup', 'j1', 'w1', MINUTE, T0 + 92_000), false);
    const stale = await catalog.jobs.update('backup', 'j1', { updatedAt: T0, percentDone: 50 }, { leaseOwner: 'w1' });
    assert.equal(stale, undefined);
    const done = await catalog.jobs.update(
      'backup',
      'j1',
      {
        updatedAt: T0 + 100_000,
        state: 'COMPLETED',
        percentDone: 100,
        bytesTransferred: 1234,
        backupSizeBytes: 4096,
        completedAt: T0 + 100_000,
        resultArn: 'arn:rp-1',
        releaseLease: true,
      },
      { leaseOwner: 'w2', states: ['RUNNING'] },
    );
    assert.equal(done?.state, 'COMPLETED');
    assert.equal(done?.recoveryPointArn, 'arn:rp-1');
    assert.equal(done?.leaseOwner, undefined);
    assert.equal(done?.bytesTransferred, 1234);
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w3', MINUTE, T0 + 10 * MINUTE), undefined);
  }));

test('guards compare the state: a stop only applies to a job still active', () =>
  withCatalog(async (catalog) => {
    await catalog.jobs.createBackupJob(SCOPE, backupJob('j1'));
    const stopping = await catalog.jobs.update('backup', 'j1', { updatedAt: T0, state: 'ABORTING' }, { states: ['CREATED', 'PENDING', 'RUNNING'] });
    assert.equal(stopping?.state, 'ABORTING');
    const again = await catalog.jobs.update('backup', 'j1', { updatedAt: T0, state: 'ABORTING' }, { states: ['CREATED', 'PENDING', 'RUNNING'] });
    assert.equal(again, undefined);
    const cleared = await catalog.jobs.update('backup', 'j1', { updatedAt: T0, statusMessage: 'x' });
    assert.equal(cleared?.statusMessage, 'x');
    assert.equal((await catalog.jobs.update('backup', 'j1', { updatedAt: T0, statusMessage: null }))?.statusMessage, undefined);
    assert.equal((await catalog.jobs.claimNextJob('backup', 'w', MINUTE, T0))?.state, 'ABORTING');
  }));

test("releasing a worker's leases makes its jobs claimable at once", () =>
  withCatalog(async (catalog) => {
    await createBackupJobs(catalog, 2);
    await catalog.jobs.createRestoreJob(SCOPE, {
      id: 'r1',
      state: 'PENDING',
      createdAt: T0,
      resourceArn: RESOURCE,
      resourceType: 'EFS',
      recoveryPointArn: 'arn:rp',
      vaultName: 'daily',
      metadata: {},
    });
    await catalog.jobs.claimNextJob('backup', 'w1', MINUTE, T0 + 1);
    await catalog.jobs.claimNextJob('restore', 'w1', MINUTE, T0 + 1);
    await catalog.jobs.claimNextJob('backup', 'w2', MINUTE, T0 + 1);
    assert.equal(await catalog.jobs.releaseLeasesOf('w1'), 2);
    assert.equal((await catalog.jobs.claimNextJob('restore', 'w3', MINUTE, T0))?.id, 'r1');
    assert.equal((await catalog.jobs.claimNextJob('backup', 'w3', MINUTE, T0 + 1))?.id, 'job-000');
    assert.equal(await catalog.jobs.claimNextJob('backup', 'w3', MINUTE, T0 + 1), undefined);
  }));

test('two catalogs on one database claiming concurrently never get the same job', () =>
  withCatalogLocation(async (where) => {
    const [a, b] = [await openCatalog(where), await openCatalog(where)];
    try {
      await createBackupJobs(a, 200);
      const drain = async (catalog: Catalog, owner: string) => {
        const ids: string[] = [];
        const claim = () => catalog.jobs.claimNextJob('backup', owner, MINUTE, T0 + MINUTE);
        for (let job = await claim(); job !== undefined; job = await claim()) {
          ids.push(job.id);
        }
        return ids;
      };
      const [fromA, fromB] = await Promise.all([drain(a, 'a'), drain(b, 'b')]);
      assert.ok(fromA.length > 0 && fromB.length > 0, `both claimers got work (${fromA.length}, ${fromB.length})`);
      assertDisjointAndComplete(fromA, fromB, 200);
    } finally {
      await a.close();
      await b.close();
    }
  }));

test('two processes claiming from one database never get the same job', () =>
  withCatalogLocation(async (where) => {
    const catalog = await openCatalog(where);
    await createBackupJobs(catalog, 500);
    await catalog.close();
    const script = fileURLToPath(new URL('./job-claimer.ts', import.meta.url));
    const [a, b] = await withCatalogDir((markers) => {
      const run = (owner: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', script, JSON.stringify(where), owner, '2', markers]);
      return Promise.all([run('process-a'), run('process-b')]);
    });
    const [fromA, fromB] = [JSON.parse(a.stdout) as string[], JSON.parse(b.stdout) as string[]];
    assert.ok(fromA.length > 0 && fromB.length > 0, `both processes got work (${fromA.length}, ${fromB.length})`);
    assertDisjointAndComplete(fromA, fromB, 500);
  }));

function assertDisjointAndComplete(a: readonly string[], b: readonly string[], total: number): void {
  const inBoth = a.filter((id) => b.includes(id));
  assert.deepEqual(inBoth, [], 'no job was claimed twice');
  assert.equal(new Set([...a, ...b]).size, total, 'every job was claimed');
}

test('many backup jobs at once (the scheduler): all stored with their fields, a taken id refused', () =>
  withCatalog(async (catalog) => {
    const origin = {
      planId: 'p1',
      planArn: 'arn:plan',
      planVersion: 'v1',
      planName: 'plan',
      ruleId: 'r1',
      ruleName: 'daily',
      ruleCron: 'cron(0 5 ? * * *)',
      ruleTimezone: 'Etc/UTC',
    };
    // One job per resource, as a scheduled run makes them (one run has at most one job per resource).
    const jobs = Array.from({ length: 250 }, (_, i) =>
      backupJob(`bulk-${String(i).padStart(3, '0')}`, {
        createdAt: T0 + i,
        createdBy: origin,
        resourceArn: `${RESOURCE}-${i}`,
        recoveryPointArn: `arn:aws:backup:eu-central-1:111111111111:recovery-point:rp-${i}`,
        startBy: T0 + 60 * MINUTE,
        completeBy: T0 + 600 * MINUTE,
        scheduledAt: T0,
        lifecycle: { deleteAfterDays: 7 },
        recoveryPointTags: { rule: 'daily' },
      }),
    );
    await catalog.transaction((stores) => stores.jobs.createBackupJobs(SCOPE, jobs));
    const stored = (await allPages(100, (page) => catalog.jobs.list('backup', SCOPE, {}, page))).flat();
    assert.equal(stored.length, 250);
    const one = await catalog.jobs.get('backup', SCOPE, 'bulk-123');
    assert.equal(one?.recoveryPointArn, 'arn:aws:backup:eu-central-1:111111111111:recovery-point:rp-123');
    assert.deepEqual(one?.createdBy, origin);
    assert.deepEqual(one?.lifecycle, { deleteAfterDays: 7 });
    assert.deepEqual(one?.recoveryPointTags, { rule: 'daily' });
    assert.equal(one?.startBy, T0 + 60 * MINUTE);
    await assert.rejects(catalog.jobs.createBackupJobs(SCOPE, [backupJob('bulk-007')]), CatalogConflictError);
  }));
