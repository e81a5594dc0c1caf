/**
 * `coffer vault` on S3-compatible storage (a real moto server), with restic as the oracle on the
 * same `s3:http://...` URL and the standard AWS environment variables: restic checks
 * (--read-data) and restores what Coffer wrote, Coffer restores what restic wrote, and the
 * engine's check, forget and prune work there.
 */
// test-needs: moto, restic, coffer
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { makeMixedTree, randomData } from '../support/fixtures.js';
import { coffer, cofferOk, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

const AWS_ENV = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: MOTO_REGION };

let moto: MotoServer;
before(async () => {
  moto = await startMoto();
  const client = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: 'vaults' }));
  client.destroy();
});
after(async () => {
  await moto?.stop();
});

test('coffer writes an s3: repository that restic checks and restores, and reads what restic wrote', async (t) => {
  const dir = await tempDir(t);
  const repo = `s3:${moto.endpoint}/vaults/cli/repo`;
  const pw = join(dir, 'pw');
  await writeFile(pw, 'cli s3 password\n');
  const src = join(dir, 'src');
  await makeMixedTree(src);
  await writeFile(join(src, 'large.bin'), randomData(20 * 1024 * 1024, 7)); // more than one pack

  assert.match(
    cofferOk(['vault', 'init', repo, '--password-file', pw], undefined, AWS_ENV),
    new RegExp(`created repository [0-9a-f]{10} at ${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  const snapshot = cofferOk(['vault', 'backup', repo, '--password-file', pw, src], undefined, AWS_ENV).trim();
  assert.match(snapshot, /^[0-9a-f]{64}$/);

  resticOk(repo, pw, ['check', '--read-data'], AWS_ENV);
  const byRestic = join(dir, 'restic-restored');
  resticOk(repo, pw, ['restore', snapshot, '--target', byRestic], AWS_ENV);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(byRestic, src))), []);

  const other = join(dir, 'other');
  await mkdir(other);
  await writeFile(join(other, 'from-restic.txt'), 'written by restic\n');
  resticOk(repo, pw, ['backup', other, '--tag', 'by-restic'], AWS_ENV);
  const listed = JSON.parse(cofferOk(['vault', 'snapshots', repo, '--password-file', pw, '--json'], undefined, AWS_ENV)) as Array<{
    id: string;
    tags?: string[];
  }>;
  assert.equal(listed.length, 2);
  const resticSnapshot = listed.find((s) => s.tags?.includes('by-restic'))!;
  const byCoffer = join(dir, 'coffer-restored');
  cofferOk(['vault', 'restore', repo, '--password-file', pw, resticSnapshot.id, '--target', byCoffer], undefined, AWS_ENV);
  assert.deepEqual(diffDigests(await digestTree(other), await digestTree(join(byCoffer, other))), []);

  cofferOk(['vault', 'check', repo, '--password-file', pw, '--read-data'], undefined, AWS_ENV);
  cofferOk(['vault', 'forget', repo, '--password-file', pw, snapshot, '--prune'], undefined, AWS_ENV);
  resticOk(repo, pw, ['check', '--read-data'], AWS_ENV);
  const left = JSON.parse(resticOk(repo, pw, ['snapshots', '--json'], AWS_ENV)) as Array<{ id: string }>;
  assert.deepEqual(
    left.map((s) => s.id),
    [resticSnapshot.id],
  );
});

test('s3: repository errors say what is wrong, without secrets', async (t) => {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'pw\n');
  const missingBucket = coffer(['vault', 'init', `s3:${moto.endpoint}/no-such-bucket/repo`, '--password-file', pw], undefined, AWS_ENV);
  assert.equal(missingBucket.status, 1);
  assert.match(missingBucket.stderr, /bucket no-such-bucket does not exist/);
  const cliForm = coffer(['vault', 'snapshots', 's3://vaults/repo', '--password-file', pw], undefined, AWS_ENV);
  assert.equal(cliForm.status, 2);
  assert.match(cliForm.stderr, /restic's form s3:https:\/\/HOST\/BUCKET\/PREFIX/);
  const notARepo = coffer(['vault', 'snapshots', `s3:${moto.endpoint}/vaults/empty`, '--password-file', pw], undefined, AWS_ENV);
  assert.equal(notARepo.status, 1);
  assert.match(notARepo.stderr, /is not a restic repository/);
  for (const r of [missingBucket, cliForm, notARepo]) assert.ok(!r.stderr.includes(MOTO_CREDENTIALS.secretAccessKey));
});
