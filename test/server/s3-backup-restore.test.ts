/**
 * Backup and restore of S3 buckets through the real `coffer serve`, driven by the AWS SDK,
 * against a moto server: a configured bucket (secret access key from an environment variable)
 * and a discovery entry for every bucket of the endpoint (secret from a file); StartBackupJob,
 * the restore metadata with its defaults, refused metadata keys, restores into new buckets and
 * below a prefix of an existing one compared object for object (bytes, headers, metadata,
 * tags), a refused restore over an existing bucket; the endpoint's secret appears in no API
 * answer and no server output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBackupVaultCommand, DescribeRecoveryPointCommand, GetRecoveryPointRestoreMetadataCommand } from '@aws-sdk/client-backup';
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { assertRestoreRefused, BACKUP_ROLE, backupAndWait, restoreAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const ACCESS_KEY_ID = 'AKIACOFFERS3MOTOTEST';
const SECRET = 's3-secret-that-must-never-show-0815';
process.env['COFFER_TEST_S3_SECRET'] = SECRET;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
const alpha = keysOf(ALPHA);

let moto: MotoServer;
let s3: S3Client;
let secretDir: string;

interface Put {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

function photos(): Put[] {
  const objects: Put[] = [];
  for (let i = 0; i < 40; i++) {
    objects.push({
      key: `albums/${2020 + (i % 3)}/photo-${i}.jpg`,
      body: createHash('sha512').update(`photo ${i}`).digest(),
      contentType: 'image/jpeg',
      metadata: { camera: `cam-${i % 4}` },
      ...(i % 4 === 0 ? { tags: { album: String(2020 + (i % 3)) } } : {}),
    });
  }
  objects.push({ key: 'video/large.bin', body: Buffer.alloc(3 * 1024 * 1024, 7), contentType: 'video/mp4', tags: { size: 'large' } });
  objects.push({ key: 'a', body: Buffer.from('a is a file'), contentType: 'text/plain' });
  objects.push({ key: 'a/b', body: Buffer.from('a/b is below a') });
  objects.push({ key: 'ünïcödé/名前 🎉.txt', body: Buffer.from('unicode') });
  return objects;
}

async function put(bucket: string, o: Put): Promise<void> {
  const tagging = o.tags === undefined ? undefined : new URLSearchParams(o.tags).toString();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, ContentType: o.contentType, Metadata: o.metadata, Tagging: tagging }));
}

async function makeBucket(bucket: string, objects: readonly Put[]): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const o of objects) await put(bucket, o);
}

/** Moto with the source buckets, and the secret file; the server's config is written after it. */
async function setUp(): Promise<void> {
  moto = await startMoto();
  s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  });
  // support/clients.ts turns the SDK's NodeVersionSupportWarning off for this process (the
  // clients above have seen that); the server must not show it either, without being told to.
  delete process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
  secretDir = await mkdtemp(join(tmpdir(), 'coffer-s3-secret-'));
  await writeFile(join(secretDir, 'moto.secret'), `${SECRET}\n`, { mode: 0o600 });
  await makeBucket('photos', photos());
  await makeBucket('logs', [{ key: '2026/11/29.log', body: Buffer.from('GET /\n'.repeat(100)), contentType: 'text/plain' }]);
}
const ready = setUp();
before(() => ready);
after(async () => {
  s3?.destroy();
  await moto?.stop();
  if (secretDir !== undefined) await rm(secretDir, { recursive: true, force: true });
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${bucketArn('photos')}"
    account: "${ALPHA.accountId}"
    region: us-east-1
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_S3_SECRET
    tags: { backup: daily }
  - discover:
      name: moto-buckets
      type: S3
      endpoint: ${moto.endpoint}
      accessKeyId: ${ACCESS_KEY_ID}
      secretAccessKeyFile: ${join(secretDir, 'moto.secret')}
      account: "${ALPHA.accountId}"
      region: us-east-1
`
  ),
});

/** Every object below `prefix` (keys without it): bytes, content type, metadata and tags. */
async function bucketState(bucket: string, prefix = ''): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const sha = createHash('sha256')
        .update(await got.Body!.transformToByteArray())
        .digest('hex');
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }));
      state[Key!.slice(prefix.length)] = JSON.stringify([sha, got.ContentType, got.Metadata, (tags.TagSet ?? []).map((t) => [t.Key, t.Value])]);
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return state;
}

describe('S3 backup and restore through the AWS Backup API', () => {
  test('a configured bucket: back up, read its restore metadata, refuse bad keys, restore into a new bucket', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'buckets' }));

    const { rpArn, job } = await backupAndWait(client, 'buckets', bucketArn('photos'), ROLE);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'buckets', RecoveryPointArn: rpArn }));
    assert.equal(point.ResourceType, 'S3');
    assert.equal(point.ResourceArn, bucketArn('photos'));
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'buckets', RecoveryPointArn: rpArn }),
    );
    const rpId = rpArn.split(':').pop()!;
    assert.deepEqual(metadata, {
      DestinationBucketName: `photos-restore-${rpId.slice(0, 8)}`,
      NewBucket: 'true',
      DestinationPrefix: '',
      OverwriteExistingObjects: 'false',
    });

    const refusals = [
      await assertRestoreRefused(client, rpArn, ROLE, { DestinationBucketName: 'Not_A_Bucket' }, 'DestinationBucketName'),
      await assertRestoreRefused(client, rpArn, ROLE, { NewBucket: 'maybe' }, 'NewBucket'),
      await assertRestoreRefused(client, rpArn, ROLE, { ItemsToRestore: 'albums/' }, 'ItemsToRestore'),
    ];

    const source = await bucketState('photos');
    assert.equal(Object.keys(source).length, 44);
    const done = await restoreAndWait(client, rpArn, ROLE, { DestinationBucketName: 'photos-copy' });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, bucketArn('photos-copy'));
    assert.deepEqual(await bucketState('photos-copy'), source);

    const partial = await restoreAndWait(client, rpArn, ROLE, {
      DestinationBucketName: 'photos-copy',
      NewBucket: 'false',
      DestinationPrefix: 'partial/',
      ItemsToRestore: '["albums/2021/"]',
    });
    assert.equal(partial.Status, 'COMPLETED', partial.StatusMessage);
    const expected = Object.fromEntries(Object.entries(source).filter(([key]) => key.startsWith('albums/2021/')));
    assert.equal(Object.keys(expected).length, 13);
    assert.deepEqual(await bucketState('photos-copy', 'partial/'), expected);

    const refused = await restoreAndWait(client, rpArn, ROLE, { DestinationBucketName: 'logs' });
    assert.equal(refused.Status, 'FAILED');
    assert.match(refused.StatusMessage ?? '', /logs/);
    assert.equal(Object.keys(await bucketState('logs')).length, 1, 'the existing bucket is untouched');

    const everything = JSON.stringify([job, point, metadata, refusals, done, partial, refused]) + coffer.stdout() + coffer.stderr();
    assert.ok(!everything.includes(SECRET), 'the secret access key shows nowhere');
  });

  test('discovery: every bucket of the endpoint, also one created after the server started', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    const { rpArn } = await backupAndWait(client, 'buckets', bucketArn('logs'), ROLE);
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'buckets', RecoveryPointArn: rpArn }),
    );
    assert.match(metadata['DestinationBucketName'] ?? '', /^logs-restore-[0-9a-f]{8}$/);
    const done = await restoreAndWait(client, rpArn, ROLE, {});
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, bucketArn(metadata['DestinationBucketName']!));
    assert.deepEqual(await bucketState(metadata['DestinationBucketName']!), await bucketState('logs'));

    await makeBucket('made-later', [{ key: 'hello.txt', body: Buffer.from('hello'), metadata: { who: 'world' } }]);
    const later = await backupAndWait(client, 'buckets', bucketArn('made-later'), ROLE);
    const copy = await restoreAndWait(client, later.rpArn, ROLE, { DestinationBucketName: 'made-later-copy' });
    assert.equal(copy.Status, 'COMPLETED', copy.StatusMessage);
    assert.deepEqual(await bucketState('made-later-copy'), await bucketState('made-later'));
    assert.ok(!(JSON.stringify([metadata, done, later, copy]) + coffer.stdout() + coffer.stderr()).includes(SECRET));
    assert.equal(coffer.stderr(), '', 'nothing on stderr (no SDK warnings either)');
  });
});
