/**
 * The scheduler's maintenance (lifecycles, cold storage, key purges) on one node at a time, on
 * SQLite and PostgreSQL: the lease store's semantics (live, renewed, run out, released; of
 * many asking at once, one gets it), and two schedulers on one catalog (each with its own
 * connection pool, as two nodes): while one node's pass runs the other's tick skips it, a dead
 * holder's lease is taken over once it runs out, and with the manual clock a tick waits for the
 * other node's pass instead of skipping.
 */
import assert from 'node:assert/strict';
import { createJobLedger } from '../../src/backup/jobs/job-ledger.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { MAINTENANCE_LEASE, MAINTENANCE_LEASE_MS, maintenanceLease } from '../../src/scheduler/maintenance-lease.js';
import { ManualClock } from '../../src/scheduler/manual-clock.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { createVault, DAY, SCOPE, T0, test, vaultArn, withCatalog, withCatalogLocation } from '../catalog/dialect-fixture.js';

const WALL = Date.UTC(2030, 0, 1);

test('a lease: one live holder, renewed by it, taken over once run out, free again when released', () =>
  withCatalog(async (catalog) => {
    const leases = catalog.maintenanceLeases;
    assert.equal(await leases.acquire('m', 'node-a', 60_000, WALL), true);
    assert.equal(await leases.acquire('m', 'node-b', 60_000, WALL + 1000), false, 'live: another node does not get it');
    assert.equal(await leases.holder('m', WALL + 1000), 'node-a');
    assert.equal(await leases.acquire('m', 'node-a', 60_000, WALL + 30_000), true, 'the holder renews');
    assert.equal(await leases.acquire('m', 'node-b', 60_000, WALL + 61_000), false, 'renewed: still live');
    assert.equal(await leases.acquire('m', 'node-b', 60_000, WALL + 90_000), true, 'run out: taken over');
    assert.equal(await leases.acquire('m', 'node-a', 60_000, WALL + 91_000), false, 'the old holder lost it');
    await leases.release('m', 'node-a', WALL + 92_000);
    assert.equal(await leases.holder('m', WALL + 92_000), 'node-b', "a node that lost the lease cannot end another's");
    await leases.release('m', 'node-b', WALL + 93_000);
    assert.equal(await leases.holder('m', WALL + 93_000), undefined);
    assert.equal(await leases.acquire('m', 'node-a', 60_000, WALL + 93_000), true, 'released: free at once');
    assert.equal(await leases.acquire('other', 'node-b', 60_000, WALL + 93_000), true, 'leases are by name');
  }));

test('of many nodes asking at once (two connection pools), exactly one gets the lease', () =>
  withCatalogLocation(async (where) => {
    const catalogs = [await openCatalog(where), await openCatalog(where)];
    try {
      for (let round = 0; round < 5; round += 1) {
        const name = `race-${round}`;
        const asks = Array.from({ length: 8 }, (_, i) =>
          catalogs[i % 2]!.maintenanceLeases.acquire(name, `node-${i}`, 60_000, WALL).catch((err: unknown) => {
            // SQLite's second connection may find the database busy: that ask did not get it.
            if (where.kind === 'sqlite' && /busy|locked/i.test(String(err))) return false;
            throw err;
          }),
        );
        const got = (await Promise.all(asks)).filter(Boolean).length;
        assert.equal(got, 1, `round ${round}: ${got} holders`);
        // The same lease once run out: of many taking it over at once, one gets it too.
        const overs = Array.from({ length: 8 }, (_, i) =>
          catalogs[i % 2]!.maintenanceLeases.acquire(name, `late-${i}`, 60_000, WALL + 120_000).catch((err: unknown) => {
            if (where.kind === 'sqlite' && /busy|locked/i.test(String(err))) return false;
            throw err;
          }),
        );
        const tookOver = (await Promise.all(overs)).filter(Boolean).length;
        assert.equal(tookOver, 1, `round ${round}, taken over: ${tookOver} holders`);
      }
    } finally {
      for (const c of catalogs) await c.close();
    }
  }));

const POINT = (id: string) => ({
  arn: `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:${id}`,
  id,
  vaultName: 'daily',
  vaultArn: vaultArn(SCOPE, 'daily'),
  resourceArn: `arn:aws:elasticfilesystem:${SCOPE.region}:${SCOPE.accountId}:file-system/fs-1`,
  resourceType: 'EFS',
  state: 'COMPLETED' as const,
  createdAt: T0,
  calculatedLifecycle: { deleteAt: T0 + DAY, moveToColdStorageAt: undefined },
});

interface Node {
  readonly scheduler: Scheduler;
  readonly erased: string[];
}

/** A node: its own catalog connection, scheduler and maintenance lease; `gate` holds its erasures back. */
function node(catalog: Catalog, name: string, wall: { ms: number }, options: { wait?: boolean; gate?: Promise<void> } = {}): Node {
  const clock = new ManualClock(new Date(T0 + 2 * DAY));
  const erased: string[] = [];
  const scheduler = createScheduler({
    catalog,
    ledger: createJobLedger({ catalog, clock }),
    clock,
    warn: () => undefined,
    resources: async () => [],
    erase: async (scope, p) => {
      await options.gate;
      erased.push(p.id);
      await catalog.recoveryPoints.delete(scope, p.arn);
    },
    maintenance: maintenanceLease({
      store: catalog.maintenanceLeases,
      holder: name,
      wallClock: { now: () => new Date(wall.ms) },
      wait: options.wait ?? false,
      warn: () => undefined,
    }),
  });
  return { scheduler, erased };
}

test('two nodes: one pass at a time, the other skips it; a dead holder is taken over once its lease ran out', () =>
  withCatalogLocation(async (where) => {
    const [one, two] = [await openCatalog(where), await openCatalog(where)];
    try {
      await createVault(one, SCOPE, 'daily');
      await one.recoveryPoints.create(SCOPE, POINT('p1'));
      const wall = { ms: WALL };
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const a = node(one, 'node-a', wall, { gate });
      const b = node(two, 'node-b', wall);
      const passA = a.scheduler.tick();
      // Node a holds the lease (its erasure waits at the gate): node b's tick leaves the maintenance to it.
      for (let i = 0; (await one.maintenanceLeases.holder(MAINTENANCE_LEASE, wall.ms)) !== 'node-a'; i += 1) {
        assert.ok(i < 500, 'node a took the lease');
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal((await b.scheduler.tick()).deleted, 0);
      open();
      assert.equal((await passA).deleted, 1);
      assert.deepEqual([a.erased, b.erased], [['p1'], []], 'erased once, by the holder');
      assert.equal(await one.maintenanceLeases.holder(MAINTENANCE_LEASE, wall.ms), undefined, 'released after the pass');

      // A node died holding the lease: nobody does the maintenance until it runs out, then node b does.
      await one.recoveryPoints.create(SCOPE, POINT('p2'));
      assert.equal(await one.maintenanceLeases.acquire(MAINTENANCE_LEASE, 'node-dead', MAINTENANCE_LEASE_MS, wall.ms), true);
      assert.equal((await b.scheduler.tick()).deleted, 0);
      wall.ms += MAINTENANCE_LEASE_MS - 1000;
      assert.equal((await b.scheduler.tick()).deleted, 0, 'still live');
      wall.ms += 2000;
      assert.equal((await b.scheduler.tick()).deleted, 1, 'run out: taken over');
      assert.deepEqual(b.erased, ['p2']);
    } finally {
      await one.close();
      await two.close();
    }
  }));

test('with the manual clock a tick waits for the other node pass instead of skipping it', () =>
  withCatalogLocation(async (where) => {
    const [one, two] = [await openCatalog(where), await openCatalog(where)];
    try {
      await createVault(one, SCOPE, 'daily');
      await one.recoveryPoints.create(SCOPE, POINT('p1'));
      await one.recoveryPoints.create(SCOPE, POINT('p2'));
      const wall = { ms: WALL };
      assert.equal(await one.maintenanceLeases.acquire(MAINTENANCE_LEASE, 'node-a', MAINTENANCE_LEASE_MS, wall.ms), true);
      const b = node(two, 'node-b', wall, { wait: true });
      let done = false;
      const passB = b.scheduler.tick().then((r) => {
        done = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(done, false, 'waits while node a holds the lease');
      await one.maintenanceLeases.release(MAINTENANCE_LEASE, 'node-a', wall.ms);
      assert.equal((await passB).deleted, 2);
    } finally {
      await one.close();
      await two.close();
    }
  }));
