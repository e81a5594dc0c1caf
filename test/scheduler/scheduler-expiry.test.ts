/**
 * Lifecycle expiry pages through every due recovery point: points it must skip (a failed
 * deletion left EXPIRED, a busy vault) never hide the due points after them, even a page of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJobLedger } from '../../src/backup/jobs/job-ledger.js';
import { ManualClock } from '../../src/scheduler/manual-clock.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import { createVault, DAY, SCOPE, T0, vaultArn, withCatalog } from '../catalog/catalog-fixture.js';

const point = (id: string, state: 'COMPLETED' | 'EXPIRED', deleteAt: number) => ({
  arn: `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:${id}`,
  id,
  vaultName: 'daily',
  vaultArn: vaultArn(SCOPE, 'daily'),
  resourceArn: `arn:aws:elasticfilesystem:${SCOPE.region}:${SCOPE.accountId}:file-system/fs-1`,
  resourceType: 'EFS',
  state,
  createdAt: T0,
  calculatedLifecycle: { deleteAt, moveToColdStorageAt: undefined },
});

test('a page of points expiry must skip does not hide a due point after them', () =>
  withCatalog(async (catalog) => {
    await createVault(catalog, SCOPE, 'daily');
    for (let i = 0; i < 150; i += 1) await catalog.recoveryPoints.create(SCOPE, point(`stuck-${String(i).padStart(3, '0')}`, 'EXPIRED', T0 + DAY));
    await catalog.recoveryPoints.create(SCOPE, point('due-later', 'COMPLETED', T0 + 2 * DAY));
    const erased: string[] = [];
    const clock = new ManualClock(new Date(T0 + 3 * DAY));
    const scheduler = createScheduler({
      catalog,
      ledger: createJobLedger({ catalog, clock }),
      clock,
      warn: () => undefined,
      resources: async () => [],
      erase: async (scope, p) => {
        erased.push(p.id);
        await catalog.recoveryPoints.delete(scope, p.arn);
      },
    });
    const report = await scheduler.tick();
    assert.deepEqual(erased, ['due-later']);
    assert.equal(report.deleted, 1);
  }));
