/**
 * Restore testing of S3 buckets: the objects under the restore's DestinationPrefix against the
 * recovery point's manifest (their number; with ItemsToRestore, of the keys it names), and the
 * deletion of a bucket the restore created (NewBucket true): its objects, then the bucket. A
 * restore into an existing bucket is never deleted (it may hold other objects).
 */
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { fileNode, readLines } from '../aws-endpoint/snapshot-files.js';
import { ConnectorError } from '../connector.js';
import type { RestoreCheck, RestoredResource } from '../connector.js';
import { MANIFEST_FILE, parseManifestLine } from './object-manifest.js';

function bucketOf(metadata: Readonly<Record<string, string>>): string {
  const bucket = metadata['DestinationBucketName'];
  if (bucket === undefined) throw new ConnectorError('NotFound', 'the restore job names no restored bucket (DestinationBucketName)');
  return bucket;
}

async function* keysUnder(client: S3Client, bucket: string, prefix: string, signal: AbortSignal): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
    for (const o of page.Contents ?? []) if (o.Key !== undefined) yield o.Key;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

export async function checkRestoredBucket(client: S3Client, restored: RestoredResource): Promise<RestoreCheck> {
  const bucket = bucketOf(restored.metadata);
  const prefix = restored.metadata['DestinationPrefix'] ?? '';
  const manifest = await fileNode(restored.repo, restored.snapshot, MANIFEST_FILE);
  if (manifest === undefined) throw new ConnectorError('Failed', `the recovery point holds no ${MANIFEST_FILE}`);
  const items = restored.metadata['ItemsToRestore'] === undefined ? undefined : (JSON.parse(restored.metadata['ItemsToRestore']) as string[]);
  let expected = 0;
  let n = 0;
  for await (const line of readLines(restored.repo, manifest)) {
    const entry = parseManifestLine(line, `${MANIFEST_FILE} line ${++n}`);
    if (items === undefined || items.some((i) => entry.key === i || entry.key.startsWith(i))) expected += 1;
  }
  let found = 0;
  for await (const _ of keysUnder(client, bucket, prefix, restored.signal)) found += 1;
  const where = `s3://${bucket}/${prefix}`;
  return found === expected
    ? { ok: true, message: `${where} holds the recovery point's ${expected} objects.` }
    : { ok: false, message: `${where} holds ${found} objects; the recovery point holds ${expected}.` };
}

export async function deleteRestoredBucket(client: S3Client, metadata: Readonly<Record<string, string>>, signal: AbortSignal): Promise<string> {
  const bucket = bucketOf(metadata);
  if (metadata['NewBucket'] !== 'true') {
    throw new ConnectorError(
      'Refused',
      `bucket ${bucket} existed before the restore (NewBucket false), so Coffer leaves it; delete what the restore wrote by hand`,
    );
  }
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal });
    batch = [];
  };
  let deleted = 0;
  for await (const key of keysUnder(client, bucket, '', signal)) {
    batch.push(key);
    deleted += 1;
    if (batch.length === 1000) await flush();
  }
  await flush();
  await client.send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: signal });
  return `Bucket ${bucket} and its ${deleted} objects were deleted.`;
}
