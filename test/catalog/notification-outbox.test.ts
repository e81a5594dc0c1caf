/**
 * The notification outbox on both dialects: rows added, claimed under a lease by one holder at a
 * time (two catalogs on one database claiming at once never share a row), delivered or retried
 * or given up, listed newest first by page, counted by state.
 */
import assert from 'node:assert/strict';
import type { NewOutboxRow } from '../../src/catalog/notification-outbox.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { OTHER_ACCOUNT, SCOPE, T0, test, withCatalog } from './dialect-fixture.js';

const row = (id: string, subscriber = 'https://hooks.example/x', overrides: Partial<NewOutboxRow> = {}): NewOutboxRow => ({
  ...SCOPE,
  messageId: id,
  subscriber,
  vaultName: 'daily',
  topicArn: 'arn:aws:sns:eu-central-1:111111111111:t',
  eventType: 'BACKUP_JOB_COMPLETED',
  subject: 'Notification from AWS Backup',
  message: `message ${id}`,
  attributes: { State: 'COMPLETED' },
  eventAt: T0,
  createdAt: T0,
  state: 'PENDING',
  ...overrides,
});

test('claimed under a lease, delivered, retried, given up; counted and listed', () =>
  withCatalog(async (catalog) => {
    const outbox = catalog.notificationOutbox;
    await outbox.add([
      row('m1'),
      row('m1', 'mailto:ops@example.com'),
      row('m2', 'https://x', { createdAt: T0 + 1 }),
      row('m3', '', { state: 'FAILED', lastError: 'not declared', createdAt: T0 + 2 }),
    ]);
    await outbox.add([{ ...row('other'), ...OTHER_ACCOUNT }]);
    assert.deepEqual(await outbox.countByState(), { PENDING: 4, DELIVERED: 0, FAILED: 1 });
    assert.equal(await outbox.oldestPendingAt(), T0);

    const first = await outbox.claimDue('a', 2, 1000, T0 + 10);
    assert.equal(first.length, 2);
    assert.ok(first.every((c) => c.attempts === 1 && c.holder === 'a'));
    const rest = await outbox.claimDue('b', 10, 1000, T0 + 10);
    assert.equal(rest.length, 2, 'the other holder gets only the rows still free');
    assert.equal(new Set([...first, ...rest].map((c) => `${c.messageId} ${c.subscriber}`)).size, 4);
    assert.deepEqual(await outbox.claimDue('c', 10, 1000, T0 + 10), [], 'nothing free while the leases hold');

    assert.equal(await outbox.delivered(first[0]!, T0 + 20), true);
    assert.equal(await outbox.delivered({ ...first[1]!, holder: 'intruder' }, T0 + 20), false, 'only the holder records');
    assert.equal(await outbox.failed(first[1]!, 'HTTP 503', T0 + 5000, T0 + 20), true);
    assert.equal(await outbox.failed(rest[0]!, 'refused (gave up)', undefined, T0 + 20), true);
    assert.equal(await outbox.releaseLeasesOf('b'), 1);
    const again = await outbox.claimDue('c', 10, 60_000, T0 + 30);
    assert.deepEqual(
      again.map((c) => `${c.messageId} ${c.subscriber}`),
      [`${rest[1]!.messageId} ${rest[1]!.subscriber}`],
      'a released row is free at once; a retry waits for its time',
    );
    const retried = await outbox.claimDue('c', 10, 1000, T0 + 5000);
    assert.equal(retried.length, 1);
    assert.equal(retried[0]!.attempts, 2);
    assert.equal(retried[0]!.lastError, 'HTTP 503');
    assert.deepEqual(await outbox.countByState(), { PENDING: 2, DELIVERED: 1, FAILED: 2 });

    const page1 = await outbox.list(SCOPE, {}, { limit: 2 });
    assert.deepEqual(
      page1.items.map((r) => r.messageId),
      ['m3', 'm2'],
    );
    const page2 = await outbox.list(SCOPE, {}, { limit: 2, cursor: page1.nextCursor });
    assert.deepEqual(
      page2.items.map((r) => r.messageId),
      ['m1', 'm1'],
    );
    assert.equal(page2.nextCursor, undefined);
    const failed = (await outbox.list(SCOPE, { state: 'FAILED' })).items;
    assert.ok(failed.some((r) => r.messageId === 'm3') && failed.every((r) => r.state === 'FAILED' && r.accountId === SCOPE.accountId));
    assert.equal((await outbox.list(OTHER_ACCOUNT, {})).items.length, 1, 'scoped by account');
  }));

test('two catalogs on one database claiming at once never take the same row', () =>
  withCatalog(async (catalog, where) => {
    const rows = Array.from({ length: 60 }, (_, i) => row(`m${String(i).padStart(2, '0')}`));
    await catalog.notificationOutbox.add(rows);
    const other = await openCatalog(where);
    try {
      const taken: string[] = [];
      await Promise.all(
        ['a', 'b', 'c', 'd'].map(async (holder, i) => {
          const store = (i % 2 === 0 ? catalog : other).notificationOutbox;
          for (;;) {
            const got = await store.claimDue(holder, 5, 60_000, T0 + 10);
            if (got.length === 0) return;
            taken.push(...got.map((g) => g.messageId));
          }
        }),
      );
      assert.equal(taken.length, 60);
      assert.equal(new Set(taken).size, 60);
    } finally {
      await other.close();
    }
  }));
