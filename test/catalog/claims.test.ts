/**
 * What many nodes on one catalog rely on: leases measured on their own clock (real time while
 * the domain's clock is manual), at most one job per scheduled run of a rule for a resource, and
 * the scheduler cursor moved by exactly one of several concurrent dispatchers.
 */
import assert from 'node:assert/strict';
import { CatalogConflictError } from '../../src/catalog/catalog-error.js';
import type { NewBackupJob } from '../../src/catalog/job-records.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { currentDialect, MINUTE, SCOPE, T0, test, vaultArn, withCatalog, withCatalogLocation } from './dialect-fixture.js';

const RESOURCE = 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1';
const ORIGIN = { planId: 'p1', planArn: 'arn:plan', planVersion: 'v1', ruleId: 'r1', ruleName: 'daily' };

function job(id: string, overrides: Partial<NewBackupJob> = {}): NewBackupJob {
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

test('the lease runs on the lease clock: due by the domain clock, live or expired by real time', () =>
  withCatalog(async (catalog) => {
    await catalog.jobs.createBackupJob(SCOPE, job('j1'));
    const WALL = Date.UTC(2030, 5, 1);
    const claimed = await catalog.jobs.claimNextJob('backup', 'node-a', MINUTE, T0, WALL);
    assert.equal(claimed?.leaseExpiresAt, WALL + MINUTE);
    // The domain clock moved a year on; the lease is still live in real time.
    assert.equal(await catalog.jobs.claimNextJob('backup', 'node-b', MINUTE, T0 + 365 * 1440 * MINUTE, WALL + 1000), undefined);
    assert.equal(await catalog.jobs.renewLease('backup', 'j1', 'node-a', MINUTE, WALL + 30_000), true);
    assert.equal(await catalog.jobs.claimNextJob('backup', 'node-b', MINUTE, T0, WALL + MINUTE + 1000), undefined, 'renewed: still live');
    const taken = await catalog.jobs.claimNextJob('backup', 'node-b', MINUTE, T0, WALL + 30_000 + MINUTE);
    assert.equal(taken?.leaseOwner, 'node-b');
    assert.equal(taken?.attempts, 2);
    assert.equal(await catalog.jobs.renewLease('backup', 'j1', 'node-a', MINUTE, WALL + 2 * MINUTE), false, 'the old holder lost it');
  }));

test('one backup job per scheduled run of a rule for a resource; on-demand jobs are not limited', () =>
  withCatalog(async (catalog) => {
    const run = { createdBy: ORIGIN, scheduledAt: T0 };
    await catalog.jobs.createBackupJobs(SCOPE, [job('s1', run)]);
    await assert.rejects(catalog.jobs.createBackupJobs(SCOPE, [job('s2', run)]), CatalogConflictError);
    await assert.rejects(
      catalog.transaction((tx) => tx.jobs.createBackupJobs(SCOPE, [job('s3', { ...run, resourceArn: `${RESOURCE}-other` }), job('s4', run)])),
      CatalogConflictError,
    );
    assert.equal(await catalog.jobs.get('backup', SCOPE, 's3'), undefined, 'the whole dispatch rolled back');
    await catalog.jobs.createBackupJobs(SCOPE, [
      job('s5', { ...run, scheduledAt: T0 + 60 * MINUTE }),
      job('s6', { ...run, createdBy: { ...ORIGIN, ruleId: 'r2' } }),
    ]);
    await catalog.jobs.createBackupJob(SCOPE, job('d1'));
    await catalog.jobs.createBackupJob(SCOPE, job('d2'));
  }));

test('several dispatchers advancing the scheduler cursor at once: exactly one moves it', () =>
  withCatalogLocation(async (where) => {
    // Opened one after another: SQLite's first opener migrates, the others would wait on its lock.
    const nodes = [await openCatalog(where), await openCatalog(where), await openCatalog(where)];
    try {
      assert.equal(await nodes[0]!.schedulerState.advance('rule-runs', undefined, T0, T0), true);
      for (let round = 1; round <= 5; round += 1) {
        const from = T0 + (round - 1) * MINUTE;
        const to = T0 + round * MINUTE;
        const dispatch = (i: number) =>
          nodes[i]!.transaction(async (tx) => {
            if (!(await tx.schedulerState.advance('rule-runs', from, to, to))) return false;
            await tx.jobs.createBackupJobs(SCOPE, [job(`run-${round}-node-${i}`, { createdBy: ORIGIN, scheduledAt: to })]);
            return true;
          });
        // SQLite in one process: a second writer's wait for the lock blocks the thread the first
        // needs to commit, so they take turns here (two processes: test/catalog/jobs.test.ts).
        const won = currentDialect() === 'postgres' ? await Promise.all([0, 1, 2].map(dispatch)) : [await dispatch(0), await dispatch(1), await dispatch(2)];
        assert.equal(won.filter(Boolean).length, 1, `round ${round}: one winner, got ${JSON.stringify(won)}`);
        assert.equal(await nodes[1]!.schedulerState.get('rule-runs'), to);
      }
      const all = await nodes[2]!.jobs.list('backup', SCOPE, {}, { limit: 100 });
      assert.equal(all.items.length, 5);
    } finally {
      for (const node of nodes) await node.close();
    }
  }));

test('an orphan claim takes only a started job whose lease ran out, never a waiting one', () =>
  withCatalog(async (catalog) => {
    const WALL = Date.UTC(2030, 5, 1);
    await catalog.jobs.createBackupJob(SCOPE, job('waiting'));
    await catalog.jobs.createBackupJob(SCOPE, job('started', { createdAt: T0 - 1 }));
    assert.equal((await catalog.jobs.claimNextJob('backup', 'dead-node', MINUTE, T0, WALL))?.id, 'started');
    await catalog.jobs.update('backup', 'started', { updatedAt: T0, state: 'RUNNING', startedAt: T0 }, { leaseOwner: 'dead-node' });
    assert.equal(await catalog.jobs.claimNextOrphan('backup', 'node-b', MINUTE, T0, WALL + 1000), undefined, 'its lease is still live');
    const orphan = await catalog.jobs.claimNextOrphan('backup', 'node-b', MINUTE, T0, WALL + MINUTE);
    assert.equal(orphan?.id, 'started');
    assert.equal(orphan?.leaseOwner, 'node-b');
    assert.equal(await catalog.jobs.claimNextOrphan('backup', 'node-c', MINUTE, T0, WALL + MINUTE), undefined, 'CREATED jobs wait for a free worker');
  }));
