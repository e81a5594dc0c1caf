/**
 * One object of a bucket that cannot be backed up, through the real `coffer serve` against moto:
 * an object archived in storage class GLACIER (GetObject answers InvalidObjectState) is left out
 * while the others are backed up; the job COMPLETES with a StatusMessage naming the object and
 * what to do, the vault's S3_BACKUP_OBJECT_FAILED subscriber gets one SNS notification for it,
 * and a restore of the point gives back the readable objects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBackupVaultCommand, PutBackupVaultNotificationsCommand } from '@aws-sdk/client-backup';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { startHttpReceiver } from '../notifications/support/receivers.js';
import type { HttpReceiver } from '../notifications/support/receivers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const ACCESS_KEY_ID = 'AKIACOFFERS3NOTIFY01';
const SECRET = 's3-notify-secret-never-shown-4711';
process.env['COFFER_TEST_S3_NOTIFY_SECRET'] = SECRET;
const BUCKET = 'mixed-tiers';
const TOPIC = `arn:aws:sns:us-east-1:${ALPHA.accountId}:object-events`;
const alpha = keysOf(ALPHA);

let moto: MotoServer;
let s3: S3Client;
let receiver: HttpReceiver;

async function setUp(): Promise<void> {
  moto = await startMoto();
  receiver = await startHttpReceiver();
  s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'hot/a.txt', Body: 'a\n' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'hot/b.txt', Body: 'b\n' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cold/2019.tar', Body: 'archived\n', StorageClass: 'GLACIER' }));
}
const ready = setUp();
before(() => ready);
after(async () => {
  s3?.destroy();
  await receiver?.close();
  await moto?.stop();
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - arn: "arn:aws:s3:::${BUCKET}"
    account: "${ALPHA.accountId}"
    region: us-east-1
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_S3_NOTIFY_SECRET
notifications:
  topics:
    - { arn: "${TOPIC}", subscribers: ["${receiver.url}"] }
`
  ),
});

describe('an S3 object that cannot be backed up', () => {
  test('is left out, named in the StatusMessage and sent as S3_BACKUP_OBJECT_FAILED; the rest restores', async () => {
    const { endpoint } = server();
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'tiers' }));
    await client.send(
      new PutBackupVaultNotificationsCommand({
        BackupVaultName: 'tiers',
        SNSTopicArn: TOPIC,
        BackupVaultEvents: ['BACKUP_JOB_COMPLETED', 'S3_BACKUP_OBJECT_FAILED'],
      }),
    );
    const { rpArn, job } = await backupAndWait(client, 'tiers', `arn:aws:s3:::${BUCKET}`, BACKUP_ROLE(ALPHA.accountId));
    assert.match(
      job.StatusMessage ?? '',
      /^1 object could not be backed up and is not in the recovery point: cold\/2019\.tar \(it is archived in storage class GLACIER and not restored; restore it with S3 RestoreObject/,
    );

    const delivered = await waitFor(
      'two deliveries',
      async () => {
        const res = await signedRequest(endpoint, alpha, { method: 'GET', path: '/_coffer/notifications', query: { vaultName: 'tiers' } });
        return res.json['Deliveries'] as { State: string; EventType: string }[];
      },
      (d) => d.filter((x) => x.State === 'DELIVERED').length === 2,
      30_000,
    );
    assert.deepEqual(delivered.map((d) => d.EventType).sort(), ['BACKUP_JOB_COMPLETED', 'S3_BACKUP_OBJECT_FAILED']);
    const objectPost = receiver.posts.find(
      (p) => (p.body['MessageAttributes'] as Record<string, { Value: string }>)['EventType']?.Value === 'S3_BACKUP_OBJECT',
    );
    assert.ok(objectPost !== undefined, JSON.stringify(receiver.posts.map((p) => p.body)));
    const attributes = objectPost.body['MessageAttributes'] as Record<string, { Value: string }>;
    assert.equal(attributes['State']?.Value, 'FAILED');
    assert.equal(attributes['Id']?.Value, job.BackupJobId);
    assert.match(
      String(objectPost.body['Message']),
      /failed to back up an object of an S3 bucket; the job went on with the others\. Object key : cold\/2019\.tar\. Reason : it is archived/,
    );
    assert.match(String(objectPost.body['Message']), /Failed object 1 of 1$/);
    assert.ok(!JSON.stringify(receiver.posts).includes(SECRET));

    const restored = await restoreAndWait(client, rpArn, BACKUP_ROLE(ALPHA.accountId), { DestinationBucketName: 'mixed-tiers-restored', NewBucket: 'true' });
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'mixed-tiers-restored' }));
    assert.deepEqual((listed.Contents ?? []).map((o) => o.Key).sort(), ['hot/a.txt', 'hot/b.txt']);
  });
});
