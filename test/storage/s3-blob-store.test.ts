/**
 * S3BlobStore: the shared conformance suite against a real moto server (under a key prefix and
 * at a bucket's root), plus what only object storage shows: multipart uploads, retries on
 * throttling, a server that goes away, the stop signal, locations without secrets.
 */
// test-needs: moto
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { NotFoundError } from '../../src/storage/blob-store.js';
import { createS3Client, S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import type { S3StoreOptions } from '../../src/storage/s3/s3-blob-store.js';
import { parseS3Location } from '../../src/storage/s3/s3-location.js';
import type { S3Location } from '../../src/storage/s3/s3-location.js';
import { S3StorageError } from '../../src/storage/s3/s3-storage-error.js';
import { MOTO_CREDENTIALS, startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { startStorageProxy } from '../support/storage-proxy.js';
import { blobStoreConformance } from './blob-store-conformance.js';

let moto: MotoServer;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

const FAST_RETRY = { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 } as const;

function locationOf(endpoint: string, bucket: string, prefix = ''): S3Location {
  const parsed = parseS3Location(`s3:${endpoint}/${bucket}${prefix === '' ? '' : `/${prefix}`}`);
  assert.equal(typeof parsed, 'object', String(parsed));
  return parsed as S3Location;
}

async function newBucket(endpoint = moto.endpoint): Promise<string> {
  const bucket = `coffer-${randomUUID().slice(0, 8)}`;
  const client = createS3Client(locationOf(endpoint, bucket), { credentials: MOTO_CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

function storeAt(endpoint: string, bucket: string, prefix: string, options: S3StoreOptions = {}): S3BlobStore {
  return new S3BlobStore(locationOf(endpoint, bucket, prefix), { credentials: MOTO_CREDENTIALS, retry: FAST_RETRY, ...options });
}

let shared: string | undefined;
blobStoreConformance('S3BlobStore (moto, under a prefix)', async () => {
  shared ??= await newBucket();
  return { store: storeAt(moto.endpoint, shared, `vaults/${randomUUID()}/repo`), cleanup: async () => undefined };
});

blobStoreConformance('S3BlobStore (moto, at the bucket root)', async () => {
  return { store: storeAt(moto.endpoint, await newBucket(), ''), cleanup: async () => undefined };
});

describe('S3BlobStore on moto', () => {
  test('the layout is restic s3 layout: <prefix>/<name>', async () => {
    const bucket = await newBucket();
    const store = storeAt(moto.endpoint, bucket, 'a/b');
    await store.write('config', Buffer.from('c'));
    await store.write('data/ab/abcd', Buffer.from('d'));
    const client = createS3Client(locationOf(moto.endpoint, bucket), { credentials: MOTO_CREDENTIALS });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    client.destroy();
    assert.deepEqual((listed.Contents ?? []).map((o) => o.Key).sort(), ['a/b/config', 'a/b/data/ab/abcd']);
    assert.equal(store.location, `s3:${moto.endpoint}/${bucket}/a/b`);
  });

  test('large files go up in parts, and read back whole and by range', async () => {
    const bucket = await newBucket();
    const store = storeAt(moto.endpoint, bucket, 'repo', { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 });
    const data = randomBytes(12 * 1024 * 1024 + 17);
    const writer = await store.openWriter();
    for (let at = 0; at < data.length; at += 1024 * 1024) await writer.write(data.subarray(at, Math.min(data.length, at + 1024 * 1024)));
    await writer.commit('data/00/big');
    assert.deepEqual(await store.stat('data/00/big'), { name: 'data/00/big', size: data.length });
    assert.ok((await store.read('data/00/big')).equals(data));
    assert.ok((await store.read('data/00/big', 5 * 1024 * 1024 - 3, 10)).equals(data.subarray(5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 7)));
    const client = createS3Client(locationOf(moto.endpoint, bucket), { credentials: MOTO_CREDENTIALS });
    const open = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'repo/data/00/big' }));
    client.destroy();
    assert.match(head.ETag ?? '', /-3"?$/, 'uploaded in three parts');
    assert.equal((open.Uploads ?? []).length, 0, 'no upload left open');
    assert.deepEqual(await store.removeDeadTemp(), { files: 0, bytes: 0 });
  });

  test('throttling and 5xx answers are retried', async () => {
    const bucket = await newBucket();
    const proxy = await startStorageProxy(moto.endpoint);
    try {
      const store = storeAt(proxy.endpoint, bucket, 'repo');
      proxy.throttleNext(3);
      await store.write('keys/k', Buffer.from('key'));
      proxy.throttleNext(2);
      assert.equal((await store.read('keys/k')).toString(), 'key');
      proxy.throttleNext(10);
      await assert.rejects(store.read('keys/k'), (err: unknown) => {
        assert.ok(err instanceof S3StorageError, String(err));
        assert.equal(err.kind, 'Unavailable');
        assert.match(err.message, /after 4 attempts/);
        return true;
      });
    } finally {
      await proxy.stop();
    }
  });

  test('a server that is gone fails with a reason naming the storage, and no secret', async () => {
    const bucket = await newBucket();
    const proxy = await startStorageProxy(moto.endpoint);
    const store = storeAt(proxy.endpoint, bucket, 'repo');
    await store.write('config', Buffer.from('x'));
    await proxy.cut();
    await assert.rejects(store.write('data/00/after', Buffer.from('y')), (err: unknown) => {
      assert.ok(err instanceof S3StorageError, String(err));
      assert.ok(err.message.includes(`s3:${proxy.endpoint}/${bucket}/repo`), err.message);
      assert.match(err.message, /unreachable/);
      assert.ok(!err.message.includes(MOTO_CREDENTIALS.secretAccessKey));
      return true;
    });
    await proxy.restore();
    assert.equal((await store.read('config')).toString(), 'x', 'works again once the server is back');
    await proxy.stop();
  });

  test('the stop signal cancels requests and retries', async () => {
    const bucket = await newBucket();
    const proxy = await startStorageProxy(moto.endpoint);
    try {
      const stop = new AbortController();
      const store = storeAt(proxy.endpoint, bucket, 'repo', { signal: stop.signal, retry: { attempts: 50, baseDelayMs: 200, maxDelayMs: 1000 } });
      proxy.throttleNext(1000);
      const started = Date.now();
      const pending = store.write('data/00/x', randomBytes(1000));
      setTimeout(() => stop.abort(new Error('job stopped')), 100);
      await assert.rejects(pending, /job stopped/);
      assert.ok(Date.now() - started < 2000, 'stopped promptly');
    } finally {
      await proxy.stop();
    }
  });

  test('a server that stops answering times out and is tried again, and the store works once it answers', async () => {
    const bucket = await newBucket();
    const proxy = await startStorageProxy(moto.endpoint);
    try {
      const store = storeAt(proxy.endpoint, bucket, 'repo', { idleTimeoutMs: 300 });
      await store.write('config', Buffer.from('x'));
      void proxy.stallAt(() => true, 0);
      const started = Date.now();
      await assert.rejects(store.write('data/00/hung', randomBytes(1000)), (err: unknown) => {
        assert.ok(err instanceof S3StorageError, String(err));
        assert.equal(err.kind, 'Unavailable');
        assert.match(err.message, /after 4 attempts .*TimeoutError.*check that the server is up/);
        return true;
      });
      assert.ok(Date.now() - started < 10_000, 'not held by the hung server');
      proxy.release();
      assert.equal((await store.read('config')).toString(), 'x');
    } finally {
      await proxy.stop();
    }
  });

  test('many requests waiting on one stop signal raise no listener warning, and all stop', async () => {
    const bucket = await newBucket();
    const proxy = await startStorageProxy(moto.endpoint);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const stop = new AbortController();
      const store = storeAt(proxy.endpoint, bucket, 'repo', { signal: stop.signal, retry: { attempts: 50, baseDelayMs: 50, maxDelayMs: 200 } });
      void proxy.stallAt(() => true, 0);
      const pending = Array.from({ length: 40 }, (_, i) => store.write(`data/00/x${i}`, randomBytes(100)));
      await new Promise((r) => setTimeout(r, 500));
      stop.abort(new Error('job stopped'));
      const results = await Promise.allSettled(pending);
      assert.ok(
        results.every((r) => r.status === 'rejected' && /job stopped/.test(String(r.reason))),
        'every request stopped',
      );
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', onWarning);
      await proxy.stop();
    }
  });

  test('a missing bucket says what to fix', async () => {
    const missing = storeAt(moto.endpoint, 'no-such-bucket-here', 'repo');
    await assert.rejects(missing.write('config', Buffer.from('x')), /bucket no-such-bucket-here does not exist/);
    await assert.rejects(missing.read('config'), (err: unknown) => err instanceof NotFoundError || err instanceof S3StorageError);
  });
});

describe('restic s3 URLs', () => {
  test('parse into endpoint, bucket and prefix', () => {
    assert.deepEqual(parseS3Location('s3:http://127.0.0.1:9000/bucket/a/b/'), {
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: undefined,
      bucket: 'bucket',
      prefix: 'a/b',
    });
    assert.deepEqual(parseS3Location('s3:https://minio.example:9000/bucket'), {
      kind: 's3',
      endpoint: 'https://minio.example:9000',
      region: undefined,
      bucket: 'bucket',
      prefix: '',
    });
    assert.deepEqual(parseS3Location('s3:s3.amazonaws.com/bucket/repo'), {
      kind: 's3',
      endpoint: undefined,
      region: undefined,
      bucket: 'bucket',
      prefix: 'repo',
    });
    assert.deepEqual(parseS3Location('s3:s3.eu-west-1.amazonaws.com/bucket/repo'), {
      kind: 's3',
      endpoint: undefined,
      region: 'eu-west-1',
      bucket: 'bucket',
      prefix: 'repo',
    });
    assert.deepEqual(parseS3Location('s3:storage.example/bucket/repo'), {
      kind: 's3',
      endpoint: 'https://storage.example',
      region: undefined,
      bucket: 'bucket',
      prefix: 'repo',
    });
  });

  test('refuse what restic would not open, without echoing secrets', () => {
    assert.match(String(parseS3Location('s3://bucket/repo')), /restic's form/);
    assert.match(String(parseS3Location('s3:http://127.0.0.1:9000')), /names no bucket/);
    const withSecret = String(parseS3Location('s3:http://key:hunter2@127.0.0.1:9000/bucket'));
    assert.match(withSecret, /must not carry credentials/);
    assert.ok(!withSecret.includes('hunter2'));
    assert.match(String(parseS3Location('s3:http://127.0.0.1:9000/bucket/../x')), /"\." or "\.\."|names/);
  });
});
