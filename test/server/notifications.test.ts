/**
 * Vault notifications through the real `coffer serve`: PutBackupVaultNotifications names a
 * topic the config declares, a backup job's start and end reach a real HTTP receiver as SNS
 * notifications, and GET /_coffer/notifications (signed) lists the deliveries; a topic the config
 * does not declare is accepted (as AWS accepts any topic) and its messages show FAILED with the fix.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBackupPlanCommand, CreateBackupVaultCommand, PutBackupVaultNotificationsCommand } from '@aws-sdk/client-backup';
import { startHttpReceiver } from '../notifications/support/receivers.js';
import type { HttpReceiver } from '../notifications/support/receivers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-notes`;
const TOPIC = `arn:aws:sns:us-east-1:${ALPHA.accountId}:backup-events`;
const UNDECLARED = `arn:aws:sns:us-east-1:${ALPHA.accountId}:nobody-listens`;
const alpha = keysOf(ALPHA);

let receiver: HttpReceiver;
before(async () => {
  receiver = await startHttpReceiver();
});
after(() => receiver.close());

const server = useCoffer({
  yaml: () => `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
notifications:
  topics:
    - { arn: "${TOPIC}", subscribers: ["${receiver.url}?token=s3cr3t"] }
`,
});

interface Delivery {
  readonly State: string;
  readonly EventType: string;
  readonly Subscriber: string;
  readonly Attempts: number;
  readonly LastError?: string;
  readonly BackupVaultName: string;
}

async function deliveries(endpoint: string, query: Record<string, string> = {}): Promise<Delivery[]> {
  const res = await signedRequest(endpoint, alpha, { method: 'GET', path: '/_coffer/notifications', query });
  assert.equal(res.status, 200, res.text);
  return res.json['Deliveries'] as Delivery[];
}

describe('vault notifications', () => {
  test("a backup job's start and completion reach the subscriber; /_coffer/notifications lists them", async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'a.txt'), 'notify me\n');
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'watched' }));
    await client.send(
      new PutBackupVaultNotificationsCommand({
        BackupVaultName: 'watched',
        SNSTopicArn: TOPIC,
        BackupVaultEvents: ['BACKUP_JOB_STARTED', 'BACKUP_JOB_COMPLETED'],
      }),
    );
    const job = await backupAndWait(client, 'watched', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId));

    const list = await waitFor(
      'two deliveries',
      () => deliveries(endpoint),
      (d) => d.filter((x) => x.State === 'DELIVERED').length === 2,
      30_000,
    );
    assert.deepEqual(list.map((d) => d.EventType).sort(), ['BACKUP_JOB_COMPLETED', 'BACKUP_JOB_STARTED']);
    assert.ok(
      list.every((d) => d.Subscriber === `${receiver.url}?…`),
      'the token in the URL is not shown',
    );
    const completed = receiver.posts.find((p) => (p.body['MessageAttributes'] as Record<string, { Value: string }>)['State']?.Value === 'COMPLETED');
    assert.ok(completed !== undefined, JSON.stringify(receiver.posts.map((p) => p.body)));
    assert.equal(completed.path, '/hook?token=s3cr3t');
    assert.equal(completed.body['TopicArn'], TOPIC);
    assert.match(
      String(completed.body['Message']),
      new RegExp(
        `^An AWS Backup backup job was completed successfully\\. Recovery point ARN: ${job.rpArn}\\. Resource ARN : ${RESOURCE_ARN}\\. BackupJob ID : ${job.job.BackupJobId}$`,
      ),
    );

    const unsigned = await fetch(`${endpoint}/_coffer/notifications`);
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /sign the request with SigV4/);
    const bad = await signedRequest(endpoint, alpha, { method: 'GET', path: '/_coffer/notifications', query: { state: 'LOST' } });
    assert.equal(bad.status, 400);
  });

  test('a topic the config does not declare: accepted, and each message shows FAILED with the fix', async () => {
    const { endpoint } = server();
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'unheard' }));
    await client.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: 'unheard', SNSTopicArn: UNDECLARED, BackupVaultEvents: ['BACKUP_JOB_COMPLETED'] }),
    );
    await backupAndWait(client, 'unheard', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId));
    const failed = await waitFor(
      'the failed record',
      () => deliveries(endpoint, { state: 'FAILED', vaultName: 'unheard' }),
      (d) => d.length === 1,
      30_000,
    );
    assert.equal(failed[0]!.Subscriber, '(none)');
    assert.match(failed[0]!.LastError!, /is not declared in the config: add it under notifications\.topics/);

    // The preflight of a plan writing to that vault says so first, as a warning with the fix.
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'watched-too' }));
    await client.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: 'watched-too', SNSTopicArn: TOPIC, BackupVaultEvents: ['BACKUP_JOB_COMPLETED'] }),
    );
    const plan = await client.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'heard-or-not',
          Rules: [
            { RuleName: 'unheard', TargetBackupVaultName: 'unheard', ScheduleExpression: 'cron(0 5 * * ? *)' },
            { RuleName: 'heard', TargetBackupVaultName: 'watched-too', ScheduleExpression: 'cron(0 6 * * ? *)' },
          ],
        },
      }),
    );
    const preflight = await signedRequest(endpoint, alpha, { method: 'GET', path: `/_coffer/plans/${plan.BackupPlanId}/preflight` });
    assert.equal(preflight.status, 200, preflight.text);
    const checks = (preflight.json['checks'] as { rule: string; check: string; passed: boolean; warning?: boolean; message: string; fix?: string }[]).filter(
      (c) => c.check === 'notifications',
    );
    assert.deepEqual(
      checks.map((c) => [c.rule, c.passed, c.warning ?? false]),
      [
        ['unheard', false, true],
        ['heard', true, false],
      ],
    );
    assert.equal(
      checks[0]!.message,
      `Vault unheard sends BACKUP_JOB_COMPLETED to SNS topic ${UNDECLARED}, which the config does not declare: each message would be recorded FAILED and reach no one.`,
    );
    assert.match(checks[0]!.fix!, new RegExp(`^Add to the config: notifications: topics: - \\{ arn: "${UNDECLARED}"`));
    assert.equal(checks[1]!.message, `Vault watched-too sends BACKUP_JOB_COMPLETED to SNS topic ${TOPIC} (1 subscriber in the config).`);
  });
});
