/**
 * The S3 connector against moto: a few hundred objects with nested and awkward keys, a 20 MiB
 * object, empty ones, content types, metadata and tags; two backups around a change restored
 * into new buckets and compared byte for byte with the bucket as it was; a backup of an
 * unchanged bucket downloads nothing; restores into existing buckets never overwrite unless
 * asked; discovery and failures.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ConnectorError, RestoreMetadataError } from '../../src/connectors/connector.js';
import type { BucketResourceConfig } from '../../src/config/resource-config.js';
import { createS3Connector, s3Connector } from '../../src/connectors/s3/s3-connector.js';
import { makeS3Client } from '../../src/connectors/s3/s3-client.js';
import { objectPaths } from '../../src/connectors/s3/object-paths.js';
import { mapLimit } from '../../src/connectors/s3/bucket-reader.js';
import { randomData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';
import { ACCOUNT, REGION, backupContext, freshRepo, motoCredentials, restoreContext } from './support/aws-connector-context.js';
import { MOTO_CREDENTIALS, freePort, startMoto } from './support/moto-server.js';
import type { MotoServer } from './support/moto-server.js';

const MiB = 1024 * 1024;
let moto: MotoServer;
let client: S3Client;

before(async () => {
  moto = await startMoto();
  client = new S3Client({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
});
after(async () => {
  client?.destroy();
  await moto?.stop();
});

function resource(bucket: string, prefix = '', endpoint = moto.endpoint): BucketResourceConfig {
  return {
    type: 'S3',
    arn: `arn:aws:s3:::${bucket}`,
    accountId: ACCOUNT,
    region: REGION,
    name: bucket,
    tags: {},
    endpoint,
    endpointRegion: REGION,
    bucket,
    prefix,
    forcePathStyle: true,
    credentials: motoCredentials(),
  };
}

/** A connector whose clients count the GetObject calls they make. */
function counting(): { connector: ReturnType<typeof createS3Connector>; gets: () => number; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const connector = createS3Connector({
    makeClient: (settings) => {
      const c = makeS3Client(settings);
      c.middlewareStack.add(
        (next, context) => async (args) => {
          calls.set(context.commandName!, (calls.get(context.commandName!) ?? 0) + 1);
          return next(args);
        },
        { step: 'initialize' },
      );
      return c;
    },
  });
  return { connector, gets: () => calls.get('GetObjectCommand') ?? 0, calls };
}

interface Put {
  key: string;
  body: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
}

async function put(bucket: string, o: Put): Promise<void> {
  const tagging =
    o.tags === undefined
      ? undefined
      : Object.entries(o.tags)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: o.key,
      Body: o.body,
      ContentType: o.contentType,
      Metadata: o.metadata,
      Tagging: tagging,
      CacheControl: o.cacheControl,
      ContentDisposition: o.contentDisposition,
    }),
  );
}

function initialObjects(): Put[] {
  const objects: Put[] = [];
  for (let i = 0; i < 300; i++) {
    objects.push({
      key: `albums/${2020 + (i % 5)}/${String(i).padStart(3, '0')}/photo-${i}.jpg`,
      body: randomData(100 + ((i * 37) % 5000), i + 1),
      contentType: i % 2 === 0 ? 'image/jpeg' : 'application/octet-stream',
      metadata: { camera: `cam-${i % 7}`, index: String(i) },
      ...(i % 3 === 0 ? { tags: { album: String(2020 + (i % 5)), 'with space': 'a b+c/d=e:f@g_h.i' } } : {}),
    });
  }
  objects.push({ key: 'big/video.bin', body: randomData(20 * MiB, 77), contentType: 'video/mp4', metadata: { length: '20MiB' }, tags: { size: 'large' } });
  objects.push({ key: 'empty.txt', body: Buffer.alloc(0), contentType: 'text/plain' });
  objects.push({ key: 'folder/', body: Buffer.alloc(0) });
  objects.push({ key: 'a', body: Buffer.from('a is a file'), contentType: 'text/plain; charset=utf-8' });
  objects.push({ key: 'a/b', body: Buffer.from('a/b is below a'), cacheControl: 'max-age=60', contentDisposition: 'attachment; filename="b.txt"' });
  objects.push({ key: 'x//double', body: Buffer.from('double slash') });
  objects.push({ key: './dot/../dots', body: Buffer.from('dots') });
  objects.push({ key: '100%.txt', body: Buffer.from('percent') });
  objects.push({ key: 'ünïcödé/名前 🎉.txt', body: Buffer.from('unicode'), metadata: { note: 'plain-ascii' } });
  return objects;
}

interface ObjectState {
  sha256: string;
  size: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  cacheControl: string | undefined;
  contentDisposition: string | undefined;
}

/** Every object below `prefix`, keyed by its key with `prefix` cut off. */
async function bucketState(bucket: string, prefix = ''): Promise<Map<string, ObjectState>> {
  const state = new Map<string, ObjectState>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    await mapLimit(page.Contents ?? [], 8, async ({ Key }) => {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const body = Buffer.from(await got.Body!.transformToByteArray());
      const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }));
      state.set(Key!.slice(prefix.length), {
        sha256: createHash('sha256').update(body).digest('hex'),
        size: body.length,
        contentType: got.ContentType,
        metadata: got.Metadata ?? {},
        tags: Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key!, t.Value!])),
        cacheControl: got.CacheControl,
        contentDisposition: got.ContentDisposition,
      });
    });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return state;
}

function assertSameState(actual: Map<string, ObjectState>, expected: Map<string, ObjectState>, where: string): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `keys of ${where}`);
  for (const [key, state] of expected) assert.deepEqual(actual.get(key), state, `object ${key} in ${where}`);
}

test('two backups around a change restore byte for byte; an unchanged bucket downloads nothing', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await client.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await mapLimit(initialObjects(), 8, (o) => put('photos', o));
  const atFirst = await bucketState('photos');
  assert.equal(atFirst.size, 309);

  const { connector, gets, calls } = counting();
  let started = Date.now();
  const one = await connector.backup(resource('photos'), backupContext(repo, 'arn:aws:s3:::photos', undefined));
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(
    `first backup: 309 objects, ${(one.sizeBytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(2)} s (${(one.sizeBytes / MiB / seconds).toFixed(1)} MiB/s, ${(309 / seconds).toFixed(0)} objects/s)`,
  );
  assert.equal(gets(), 309);
  assert.deepEqual(one.warnings, []);
  assert.deepEqual(one.restoreMetadata, {
    DestinationBucketName: one.restoreMetadata['DestinationBucketName'],
    NewBucket: 'true',
    DestinationPrefix: '',
    OverwriteExistingObjects: 'false',
  });
  assert.match(one.restoreMetadata['DestinationBucketName']!, /^photos-restore-[0-9a-f]{8}$/);

  // Unchanged: nothing is downloaded, not even a HEAD; tags are read again.
  calls.clear();
  started = Date.now();
  const same = await connector.backup(resource('photos'), backupContext(repo, 'arn:aws:s3:::photos', await repo.loadSnapshot(one.snapshotId)));
  t.diagnostic(`unchanged backup: ${((Date.now() - started) / 1000).toFixed(2)} s, calls ${JSON.stringify(Object.fromEntries(calls))}`);
  assert.equal(gets(), 0);
  assert.equal(calls.get('HeadObjectCommand') ?? 0, 0);
  assert.equal(same.sizeBytes, one.sizeBytes);
  assert.ok(same.storedBytes < 64 * 1024, `an unchanged bucket stores little (${same.storedBytes} bytes)`);

  // The change: rewritten, deleted and new objects, tags changed alone, metadata replaced alone.
  await put('photos', { key: 'albums/2020/000/photo-0.jpg', body: randomData(4000, 999), contentType: 'image/png', metadata: { camera: 'new' } });
  await put('photos', {
    key: 'big/video.bin',
    body: Buffer.concat([randomData(20 * MiB, 77).subarray(0, 10 * MiB), randomData(10 * MiB + 5, 78)]),
    contentType: 'video/mp4',
  });
  for (let i = 290; i < 300; i++)
    await client.send(new DeleteObjectCommand({ Bucket: 'photos', Key: `albums/${2020 + (i % 5)}/${String(i).padStart(3, '0')}/photo-${i}.jpg` }));
  for (let i = 0; i < 5; i++) await put('photos', { key: `new/${i}.txt`, body: Buffer.from(`new ${i}`), contentType: 'text/plain', tags: { fresh: 'yes' } });
  await client.send(new PutObjectTaggingCommand({ Bucket: 'photos', Key: 'a', Tagging: { TagSet: [{ Key: 'retagged', Value: 'true' }] } }));
  await client.send(
    new CopyObjectCommand({
      Bucket: 'photos',
      Key: 'a/b',
      CopySource: 'photos/a/b',
      MetadataDirective: 'REPLACE',
      Metadata: { replaced: 'metadata' },
      ContentType: 'text/markdown',
    }),
  );
  const atSecond = await bucketState('photos');
  assert.equal(atSecond.size, 304);

  calls.clear();
  const two = await connector.backup(resource('photos'), backupContext(repo, 'arn:aws:s3:::photos', await repo.loadSnapshot(same.snapshotId)));
  t.diagnostic(`backup after the change: calls ${JSON.stringify(Object.fromEntries(calls))}`);
  // Downloads the 2 rewritten and 5 new objects; a/b (same bytes, same ETag, new metadata) takes one HEAD.
  assert.equal(gets(), 7);
  assert.equal(calls.get('HeadObjectCommand'), 1);
  assert.equal(
    two.sizeBytes,
    [...atSecond.values()].reduce((sum, o) => sum + o.size, 0),
  );

  for (const [outcome, expected, bucket] of [
    [one, atFirst, 'restore-one'],
    [two, atSecond, 'restore-two'],
  ] as const) {
    started = Date.now();
    const restored = await s3Connector.restore(await restoreContext(repo, outcome, resource('photos'), { DestinationBucketName: bucket }));
    t.diagnostic(`restore into ${bucket}: ${expected.size} objects in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    assert.equal(restored.resultArn, `arn:aws:s3:::${bucket}`);
    assertSameState(await bucketState(bucket), expected, bucket);
  }
});

test('a prefix is backed up alone, and restored into an existing bucket below another prefix, never overwriting unless asked', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await client.send(new CreateBucketCommand({ Bucket: 'docs' }));
  for (let i = 0; i < 20; i++)
    await put('docs', { key: `reports/2024/r-${i}.csv`, body: Buffer.from(`report ${i}\n`), contentType: 'text/csv', tags: { n: String(i) } });
  await put('docs', { key: 'other/keep.txt', body: Buffer.from('not in the prefix') });
  const outcome = await s3Connector.backup(resource('docs', 'reports/'), backupContext(repo, 'arn:aws:s3:::docs', undefined));
  assert.equal(outcome.restoreMetadata['DestinationPrefix'], 'reports/');

  const refusedNew = await s3Connector.restore(await restoreContext(repo, outcome, resource('docs', 'reports/'), { DestinationBucketName: 'docs' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(refusedNew instanceof ConnectorError);
  assert.equal(refusedNew.kind, 'Refused');
  assert.match(refusedNew.message, /bucket docs already exists and NewBucket is true/);

  const into = { DestinationBucketName: 'docs', NewBucket: 'false', DestinationPrefix: 'restored/' };
  await s3Connector.restore(await restoreContext(repo, outcome, resource('docs', 'reports/'), into));
  assertSameState(await bucketState('docs', 'restored/'), await bucketState('docs', 'reports/'), 'docs/restored/');

  await put('docs', { key: 'restored/2024/r-3.csv', body: Buffer.from('edited by hand') });
  const refused = await s3Connector.restore(await restoreContext(repo, outcome, resource('docs', 'reports/'), into)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(refused instanceof ConnectorError);
  assert.equal(refused.kind, 'Refused');
  assert.match(
    refused.message,
    /^20 of the 20 objects to restore already exist in bucket docs \(restored\/2024\/r-0\.csv, .*nothing was written\. Set OverwriteExistingObjects to true/,
  );
  assert.equal((await bucketState('docs', 'restored/')).get('2024/r-3.csv')?.size, 'edited by hand'.length);

  await s3Connector.restore(
    await restoreContext(repo, outcome, resource('docs', 'reports/'), { ...into, OverwriteExistingObjects: 'true', ItemsToRestore: '["reports/2024/r-3"]' }),
  );
  const after = await bucketState('docs', 'restored/');
  assert.equal(after.get('2024/r-3.csv')?.size, 'report 3\n'.length);
  assert.equal(after.size, 20);
});

test('a failed restore says what it had written', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await client.send(new CreateBucketCommand({ Bucket: 'fragile' }));
  for (let i = 0; i < 10; i++) await put('fragile', { key: `k${i}`, body: Buffer.from(`v${i}`) });
  const outcome = await s3Connector.backup(resource('fragile'), backupContext(repo, 'arn:aws:s3:::fragile', undefined));
  let puts = 0;
  const failing = createS3Connector({
    writeConcurrency: 1,
    makeClient: (settings) => {
      const c = makeS3Client(settings);
      c.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutObjectCommand' && ++puts === 5)
            throw Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' });
          return next(args);
        },
        { step: 'initialize' },
      );
      return c;
    },
  });
  const failed = await failing.restore(await restoreContext(repo, outcome, resource('fragile'), { DestinationBucketName: 'fragile-copy' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(failed instanceof ConnectorError);
  assert.equal(
    failed.message,
    `restore of bucket fragile into bucket fragile-copy at ${moto.endpoint}: InternalError: We encountered an internal error.; 4 of 10 objects (8 bytes) had been written to s3://fragile-copy/ and were left there (bucket fragile-copy was created by this restore)`,
  );
  assert.equal((await bucketState('fragile-copy')).size, 4);
});

test('one object the source cannot read or the target refuses is left out and reported; the others go on', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await client.send(new CreateBucketCommand({ Bucket: 'tiered' }));
  for (let i = 0; i < 4; i++) await put('tiered', { key: `live/k${i}`, body: Buffer.from(`v${i}`) });
  await client.send(new PutObjectCommand({ Bucket: 'tiered', Key: 'vault/old.bin', Body: Buffer.from('archived'), StorageClass: 'DEEP_ARCHIVE' }));
  const outcome = await s3Connector.backup(resource('tiered'), backupContext(repo, 'arn:aws:s3:::tiered', undefined));
  assert.deepEqual(
    outcome.objectFailures?.map((f) => f.key),
    ['vault/old.bin'],
  );
  assert.match(outcome.objectFailures![0]!.reason, /^it is archived in storage class DEEP_ARCHIVE and not restored/);
  assert.ok(outcome.warnings.some((w) => w.startsWith('1 object could not be backed up and is not in the recovery point: vault/old.bin (')));

  // A target that denies one key (as a bucket policy would) gets the others; 5xx still fails the whole restore.
  const denying = createS3Connector({
    makeClient: (settings) => {
      const c = makeS3Client(settings);
      c.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as { Key?: string };
          if (context.commandName === 'PutObjectCommand' && input.Key === 'live/k2')
            throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
          return next(args);
        },
        { step: 'initialize' },
      );
      return c;
    },
  });
  const restored = await denying.restore(await restoreContext(repo, outcome, resource('tiered'), { DestinationBucketName: 'tiered-copy' }));
  assert.deepEqual(restored.objectFailures, [{ key: 'live/k2', reason: 'the target refused it: AccessDenied: Access Denied (HTTP 403)' }]);
  assert.deepEqual(restored.warnings, [
    '1 object could not be restored and was not written: live/k2 (the target refused it: AccessDenied: Access Denied (HTTP 403)).',
  ]);
  assert.deepEqual([...(await bucketState('tiered-copy')).keys()].sort(), ['live/k0', 'live/k1', 'live/k3']);
});

test('discovery lists every bucket with its ARN; a missing bucket and a down endpoint fail in words', async (t) => {
  await client.send(new CreateBucketCommand({ Bucket: 'found-1' }));
  const found = await s3Connector.discover({
    type: 'S3',
    name: 'local-s3',
    accountId: ACCOUNT,
    region: REGION,
    tags: { env: 'test' },
    endpoint: moto.endpoint,
    endpointRegion: REGION,
    forcePathStyle: true,
    credentials: motoCredentials(),
  });
  const bucket = found.find((r) => r.bucket === 'found-1');
  assert.ok(bucket);
  assert.equal(bucket.arn, 'arn:aws:s3:::found-1');
  assert.equal(bucket.accountId, ACCOUNT);
  assert.equal(bucket.prefix, '');
  assert.equal(bucket.discoveredBy, 'local-s3');
  assert.deepEqual(bucket.tags, { env: 'test' });

  const repo = await freshRepo(await tempDir(t));
  const missing = await s3Connector.backup(resource('no-such-bucket'), backupContext(repo, 'arn', undefined)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(missing instanceof ConnectorError);
  assert.equal(missing.kind, 'NotFound');
  assert.match(missing.message, /^bucket no-such-bucket does not exist at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket/);

  const down = `http://127.0.0.1:${await freePort()}`;
  const fast = createS3Connector({ makeClient: (s) => makeS3Client({ ...s, maxAttempts: 1 }) });
  const unreachable = await fast.backup(resource('photos', '', down), backupContext(repo, 'arn', undefined)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(unreachable instanceof ConnectorError);
  assert.equal(unreachable.kind, 'Unavailable');
  assert.equal(unreachable.message, `bucket photos: the endpoint ${down} is unreachable: connection refused (ECONNREFUSED)`);
  for (const err of [missing, unreachable]) assert.ok(!`${err.message} ${JSON.stringify(err)} ${String(err.stack)}`.includes(MOTO_CREDENTIALS.secretAccessKey));
});

test('keys that are not paths get distinct snapshot paths', () => {
  const paths = objectPaths(['a', 'a/b', 'dir/', 'dir//x', './.', '../up', '100%', 'a%obj', 'plain/file.txt']);
  assert.deepEqual(Object.fromEntries(paths), {
    a: 'objects/a%obj',
    'a/b': 'objects/a/b',
    'dir/': 'objects/dir/%%obj',
    'dir//x': 'objects/dir/%/x',
    './.': 'objects/%2E/%2E',
    '../up': 'objects/%2E%2E/up',
    '100%': 'objects/100%25',
    'a%obj': 'objects/a%25obj',
    'plain/file.txt': 'objects/plain/file.txt',
  });
  assert.equal(new Set(paths.values()).size, paths.size);
});

test('restore metadata: defaults and validation', () => {
  const point = { arn: 'arn:aws:backup:us-east-1:111122223333:recovery-point:ABCDEF12-0000', id: 'ABCDEF12-0000', createdAt: new Date() };
  assert.deepEqual(s3Connector.restoreMetadataDefaults(resource('My.bucket', 'p/', 'http://x'), point), {
    DestinationBucketName: 'My.bucket-restore-abcdef12',
    NewBucket: 'true',
    DestinationPrefix: 'p/',
    OverwriteExistingObjects: 'false',
  });
  s3Connector.validateRestoreMetadata({ DestinationBucketName: 'ok-bucket', NewBucket: 'false', ItemsToRestore: '["a/"]' });
  const bad = (metadata: Record<string, string>, key: string): void => {
    assert.throws(
      () => s3Connector.validateRestoreMetadata(metadata),
      (e: unknown) => e instanceof RestoreMetadataError && e.key === key,
    );
  };
  bad({ DestinationBucketName: 'Upper' }, 'DestinationBucketName');
  bad({ DestinationBucketName: 'ok-bucket', NewBucket: 'yes' }, 'NewBucket');
  bad({ DestinationBucketName: 'ok-bucket', OverwriteExistingObjects: '1' }, 'OverwriteExistingObjects');
  bad({ DestinationBucketName: 'ok-bucket', ItemsToRestore: 'a/' }, 'ItemsToRestore');
  bad({ DestinationBucketName: 'ok-bucket', ItemsToRestore: '[]' }, 'ItemsToRestore');
});

test('a stopped backup throws the stop reason and writes no snapshot', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await client.send(new CreateBucketCommand({ Bucket: 'stopped' }));
  await put('stopped', { key: 'k', body: Buffer.from('v') });
  const stop = new AbortController();
  stop.abort(new Error('Stopped by StopBackupJob'));
  await assert.rejects(
    s3Connector.backup(resource('stopped'), backupContext(repo, 'arn:aws:s3:::stopped', undefined, stop.signal)),
    /Stopped by StopBackupJob/,
  );
  assert.equal((await repo.snapshots()).length, 0);
});
