/**
 * Vault notifications from the ledger to real subscribers on 127.0.0.1: the outbox row is written
 * in the change's transaction; the worker POSTs SNS's HTTP JSON to an HTTP receiver and mails
 * through a real SMTP listener; a failing endpoint is retried with backoff, also by a worker of
 * a restarted process (a new catalog connection), and never sent twice, even with two workers
 * (two nodes) on one catalog; spent attempts end FAILED with the last error; an undeclared topic
 * is recorded FAILED with its fix.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackupJobDraft } from '../../src/backup/jobs/job.js';
import { createJobLedger } from '../../src/backup/jobs/job-ledger.js';
import type { JobLedger } from '../../src/backup/jobs/job-ledger.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { NotificationTopicConfig, RetryConfig, SmtpConfig } from '../../src/config/schema.js';
import { Secret } from '../../src/config/secret.js';
import { startDeliveryWorker } from '../../src/notifications/delivery-worker.js';
import type { DeliveryWorker } from '../../src/notifications/delivery-worker.js';
import { createOutboxSink } from '../../src/notifications/outbox-sink.js';
import { createSubscriberDelivery } from '../../src/notifications/subscriber-delivery.js';
import { ManualClock } from '../../src/scheduler/manual-clock.js';
import { createVault, SCOPE, T0, vaultArn, withCatalogDir } from '../catalog/catalog-fixture.js';
import { startHttpReceiver, startSmtpListener } from './support/receivers.js';
import type { HttpReceiver, SmtpListener } from './support/receivers.js';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

const TOPIC = `arn:aws:sns:${SCOPE.region}:${SCOPE.accountId}:backup-events`;
const RESOURCE = `arn:aws:elasticfilesystem:${SCOPE.region}:${SCOPE.accountId}:file-system/fs-1`;
const FAST_RETRY: RetryConfig = { maxAttempts: 4, firstRetrySeconds: 0.05, maxRetrySeconds: 0.2 };
const SMTP_PASSWORD = 'smtp-test-password-41';

let http: HttpReceiver;
let smtp: SmtpListener;
before(async () => {
  http = await startHttpReceiver();
  smtp = await startSmtpListener();
});
after(async () => {
  await http.close();
  await smtp.close();
});

const smtpConfig = (): SmtpConfig => ({
  host: '127.0.0.1',
  port: smtp.port,
  from: 'coffer@example.test',
  username: 'coffer',
  password: new Secret(SMTP_PASSWORD),
  tls: 'off',
});

function draft(id: string, vaultName = 'daily'): BackupJobDraft {
  return {
    id,
    state: 'CREATED',
    createdAt: new Date(T0),
    resourceArn: RESOURCE,
    resourceType: 'EFS',
    vaultName,
    vaultArn: vaultArn(SCOPE, vaultName),
    recoveryPointArn: `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:rp-${id}`,
  };
}

interface Node {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  worker(retry?: RetryConfig): DeliveryWorker;
}

async function openNode(file: string, topics: readonly NotificationTopicConfig[]): Promise<Node> {
  const catalog = await openCatalog({ kind: 'sqlite', file });
  const clock = new ManualClock(new Date(T0));
  const wall = { now: () => new Date() };
  const ids = { uuid: () => randomUUID() };
  const ledger = createJobLedger({ catalog, clock, outbox: createOutboxSink({ topics, ids, clock: wall }) });
  const delivery = createSubscriberDelivery(smtpConfig());
  return {
    catalog,
    ledger,
    worker: (retry = FAST_RETRY) =>
      startDeliveryWorker({
        outbox: catalog.notificationOutbox,
        clock: wall,
        holder: `node-${randomUUID().slice(0, 6)}`,
        retry,
        send: (r) => delivery.send(r),
        pollMs: 20,
      }),
  };
}

async function runJob(ledger: JobLedger, id: string, outcome: 'complete' | 'fail'): Promise<void> {
  await ledger.createBackupJob(SCOPE, draft(id));
  const claim = (await ledger.claim('backup', 'runner', 60_000))!;
  await ledger.step(claim, { type: 'start' });
  await ledger.step(
    claim,
    outcome === 'complete'
      ? { type: 'complete', bytesTransferred: 10, backupSizeBytes: 10 }
      : { type: 'fail', statusMessage: 'The directory /srv/x is gone; check the resource path.' },
  );
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a completed backup reaches the HTTP endpoint as SNS JSON and the mailbox by SMTP; the job's end is one message", () =>
  withCatalogDir(async (dir) => {
    http.posts.length = 0;
    smtp.mails.length = 0;
    http.status = 200;
    const node = await openNode(join(dir, 'c.sqlite'), [{ arn: TOPIC, subscribers: [`${http.url}?token=abc`, 'mailto:ops@example.test'] }]);
    await createVault(node.catalog, SCOPE, 'daily');
    await node.catalog.vaults.setNotifications(SCOPE, 'daily', {
      snsTopicArn: TOPIC,
      events: ['BACKUP_JOB_STARTED', 'BACKUP_JOB_COMPLETED', 'BACKUP_JOB_SUCCESSFUL'],
    });
    const worker = node.worker();
    try {
      await runJob(node.ledger, 'J1', 'complete');
      await until('4 deliveries recorded', async () => (await node.catalog.notificationOutbox.countByState()).DELIVERED === 4);
      assert.equal(http.posts.length, 2);
      assert.equal(smtp.mails.length, 2);
      const [started, completed] = [...http.posts].sort((a, b) =>
        String((a.body['Message'] as string).includes('started') ? 0 : 1).localeCompare(String((b.body['Message'] as string).includes('started') ? 0 : 1)),
      );
      assert.equal(completed!.path, '/hook?token=abc');
      assert.equal(completed!.headers['x-amz-sns-message-type'], 'Notification');
      assert.equal(completed!.headers['x-amz-sns-topic-arn'], TOPIC);
      assert.equal(completed!.headers['x-amz-sns-message-id'], completed!.body['MessageId']);
      assert.match(String(completed!.headers['x-amz-sns-subscription-arn']), new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
      assert.match(String(completed!.headers['content-type']), /^text\/plain/);
      const body = completed!.body;
      assert.equal(body['Type'], 'Notification');
      assert.equal(body['TopicArn'], TOPIC);
      assert.equal(body['Subject'], 'Notification from AWS Backup');
      assert.equal(
        body['Message'],
        `An AWS Backup backup job was completed successfully. Recovery point ARN: ${draft('J1').recoveryPointArn}. Resource ARN : ${RESOURCE}. BackupJob ID : J1`,
      );
      assert.equal(body['Timestamp'], new Date(T0).toISOString(), "the event's time (the domain clock)");
      assert.deepEqual(body['MessageAttributes'], {
        EventType: { Type: 'String', Value: 'BACKUP_JOB' },
        State: { Type: 'String', Value: 'COMPLETED' },
        AccountId: { Type: 'String', Value: SCOPE.accountId },
        Id: { Type: 'String', Value: 'J1' },
        StartTime: { Type: 'String', Value: new Date(T0).toISOString() },
      });
      assert.equal((started!.body['MessageAttributes'] as Record<string, { Value: string }>)['State']!.Value, 'RUNNING');
      const mail = smtp.mails.find((m) => m.data.includes('completed successfully'))!;
      assert.deepEqual(mail.to, ['ops@example.test']);
      assert.equal(mail.from, 'coffer@example.test');
      assert.equal(mail.auth, `coffer:${SMTP_PASSWORD}`);
      assert.match(mail.data, /^Subject: Notification from AWS Backup$/m);
      const page = await node.catalog.notificationOutbox.list(SCOPE, {});
      assert.equal(page.items.length, 4, 'two messages, two subscribers each');
      assert.ok(
        page.items.every((d) => d.state === 'DELIVERED' && d.attempts === 1),
        JSON.stringify(page.items),
      );
      assert.equal(new Set(page.items.map((d) => d.eventType)).size, 2);
      assert.ok(
        page.items.some((d) => d.eventType === 'BACKUP_JOB_SUCCESSFUL'),
        'recorded under the most specific type asked for',
      );
    } finally {
      await worker.stop();
      await node.catalog.close();
    }
  }));

test('no message for events the vault did not ask for, nor for vaults without notifications', () =>
  withCatalogDir(async (dir) => {
    const node = await openNode(join(dir, 'c.sqlite'), [{ arn: TOPIC, subscribers: [http.url] }]);
    await createVault(node.catalog, SCOPE, 'daily');
    await createVault(node.catalog, SCOPE, 'quiet');
    await node.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: TOPIC, events: ['BACKUP_JOB_FAILED'] });
    await runJob(node.ledger, 'OK', 'complete');
    await node.ledger.createBackupJob(SCOPE, draft('Q', 'quiet'));
    assert.equal((await node.catalog.notificationOutbox.list(SCOPE, {})).items.length, 0);
    await runJob(node.ledger, 'BAD', 'fail');
    const [failed] = (await node.catalog.notificationOutbox.list(SCOPE, {})).items;
    assert.equal(failed?.eventType, 'BACKUP_JOB_FAILED');
    assert.match(
      failed!.message,
      /^An AWS Backup backup job failed\. .*BackupJob ID : BAD\. Status message : The directory \/srv\/x is gone; check the resource path\.$/,
    );
    assert.equal(failed!.attributes['State'], 'FAILED');
    await node.catalog.close();
  }));

test('a failing endpoint is retried with backoff, across a restart, and delivered once', () =>
  withCatalogDir(async (dir) => {
    http.posts.length = 0;
    http.status = 503;
    const file = join(dir, 'c.sqlite');
    const first = await openNode(file, [{ arn: TOPIC, subscribers: [http.url] }]);
    await createVault(first.catalog, SCOPE, 'daily');
    await first.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: TOPIC, events: ['BACKUP_JOB_COMPLETED'] });
    const worker = first.worker({ maxAttempts: 50, firstRetrySeconds: 0.05, maxRetrySeconds: 0.1 });
    await runJob(first.ledger, 'J1', 'complete');
    await until('two failed attempts', async () => ((await first.catalog.notificationOutbox.list(SCOPE, {})).items[0]?.attempts ?? 0) >= 2);
    await worker.stop();
    const pending = (await first.catalog.notificationOutbox.list(SCOPE, {})).items[0]!;
    assert.equal(pending.state, 'PENDING');
    assert.equal(pending.lastError, 'the endpoint answered HTTP 503: receiver says no');
    await first.catalog.close();

    // A new process on the same catalog picks the row up; two workers (two nodes) share it.
    http.status = 200;
    const second = await openNode(file, [{ arn: TOPIC, subscribers: [http.url] }]);
    const third = await openNode(file, [{ arn: TOPIC, subscribers: [http.url] }]);
    const workers = [second.worker(), third.worker(), second.worker()];
    try {
      await until('delivered', async () => (await second.catalog.notificationOutbox.list(SCOPE, {})).items[0]?.state === 'DELIVERED');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(http.posts.length, 1, 'sent exactly once');
      const done = (await second.catalog.notificationOutbox.list(SCOPE, {})).items[0]!;
      assert.ok(done.attempts > pending.attempts);
      assert.equal(done.lastError, undefined);
    } finally {
      for (const w of workers) await w.stop();
      await second.catalog.close();
      await third.catalog.close();
    }
  }));

test('many messages, two nodes: each delivered exactly once', () =>
  withCatalogDir(async (dir) => {
    http.posts.length = 0;
    http.status = 200;
    const file = join(dir, 'c.sqlite');
    const a = await openNode(file, [{ arn: TOPIC, subscribers: [http.url] }]);
    const b = await openNode(file, [{ arn: TOPIC, subscribers: [http.url] }]);
    await createVault(a.catalog, SCOPE, 'daily');
    await a.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: TOPIC, events: ['BACKUP_JOB_STARTED'] });
    for (let i = 0; i < 40; i += 1) {
      await a.ledger.createBackupJob(SCOPE, draft(`M${i}`));
      const claim = (await a.ledger.claim('backup', 'runner', 60_000))!;
      await a.ledger.step(claim, { type: 'start' });
    }
    const workers = [a.worker(), b.worker(), a.worker(), b.worker()];
    try {
      await until('40 posts', () => http.posts.length >= 40);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(http.posts.length, 40);
      assert.equal(new Set(http.posts.map((p) => p.body['MessageId'])).size, 40);
    } finally {
      for (const w of workers) await w.stop();
      await a.catalog.close();
      await b.catalog.close();
    }
  }));

test('spent attempts end FAILED with the last error; an unreachable endpoint says so', () =>
  withCatalogDir(async (dir) => {
    const closed = await startHttpReceiver();
    await closed.close();
    const node = await openNode(join(dir, 'c.sqlite'), [{ arn: TOPIC, subscribers: [closed.url] }]);
    await createVault(node.catalog, SCOPE, 'daily');
    await node.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: TOPIC, events: ['BACKUP_JOB_COMPLETED'] });
    const worker = node.worker({ maxAttempts: 3, firstRetrySeconds: 0.02, maxRetrySeconds: 0.05 });
    try {
      await runJob(node.ledger, 'J1', 'complete');
      await until('failed', async () => (await node.catalog.notificationOutbox.list(SCOPE, {})).items[0]?.state === 'FAILED');
      const row = (await node.catalog.notificationOutbox.list(SCOPE, {})).items[0]!;
      assert.equal(row.attempts, 3);
      assert.match(row.lastError!, /^could not reach the endpoint: ECONNREFUSED \(gave up after 3 attempts\)$/);
      assert.deepEqual(await node.catalog.notificationOutbox.countByState(), { PENDING: 0, DELIVERED: 0, FAILED: 1 });
    } finally {
      await worker.stop();
      await node.catalog.close();
    }
  }));

test('a topic the config does not declare: the message is recorded FAILED with the fix, nothing is sent', () =>
  withCatalogDir(async (dir) => {
    const node = await openNode(join(dir, 'c.sqlite'), []);
    await createVault(node.catalog, SCOPE, 'daily');
    const other = `arn:aws:sns:${SCOPE.region}:${SCOPE.accountId}:nobody`;
    await node.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: other, events: ['BACKUP_JOB_COMPLETED'] });
    await runJob(node.ledger, 'J1', 'complete');
    const [row] = (await node.catalog.notificationOutbox.list(SCOPE, {})).items;
    assert.equal(row?.state, 'FAILED');
    assert.equal(row?.subscriber, '');
    assert.match(row!.lastError!, new RegExp(`^SNS topic ${other} is not declared in the config: add it under notifications.topics`));
    assert.deepEqual(await node.catalog.notificationOutbox.claimDue('w', 10, 1000, Date.now()), []);
    await node.catalog.close();
  }));

test('a sink failure rolls the change back (the outbox commits with the change or not at all)', () =>
  withCatalogDir(async (dir) => {
    const node = await openNode(join(dir, 'c.sqlite'), [{ arn: TOPIC, subscribers: [http.url] }]);
    await createVault(node.catalog, SCOPE, 'daily');
    await node.catalog.vaults.setNotifications(SCOPE, 'daily', { snsTopicArn: TOPIC, events: ['BACKUP_JOB_STARTED'] });
    await node.ledger.createBackupJob(SCOPE, draft('J1'));
    // The same message id twice makes the second insert fail inside the transaction.
    const ids = { uuid: () => 'same-id' };
    const ledger = createJobLedger({
      catalog: node.catalog,
      clock: new ManualClock(new Date(T0)),
      outbox: createOutboxSink({ topics: [{ arn: TOPIC, subscribers: [http.url] }], ids, clock: { now: () => new Date() } }),
    });
    await node.catalog.notificationOutbox.add([
      {
        ...SCOPE,
        messageId: 'same-id',
        subscriber: http.url,
        vaultName: 'daily',
        topicArn: TOPIC,
        eventType: 'X',
        subject: 's',
        message: 'm',
        attributes: {},
        eventAt: T0,
        createdAt: T0,
        state: 'FAILED',
      },
    ]);
    const claim = (await ledger.claim('backup', 'runner', 60_000))!;
    await assert.rejects(ledger.step(claim, { type: 'start' }));
    assert.equal((await ledger.job('backup', SCOPE, 'J1'))?.state, 'CREATED', 'the start did not commit without its message');
    await node.catalog.close();
  }));
