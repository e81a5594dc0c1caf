/**
 * AWS Backup Search through the real `coffer serve`, driven by the AWS CLI's `backupsearch`
 * commands: a bucket (moto) and a directory are backed up and indexed; a search of S3 backups
 * finds the objects whose keys and sizes match, a search of file-system backups (AWS's EBS kind)
 * the files whose paths match; ListSearchJobBackups names the points searched, ListSearchJobs
 * filters by status, tags work, and bad scopes, missing jobs and stopping a finished job answer
 * AWS's exceptions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBackupVaultCommand, GetRecoveryPointIndexDetailsCommand, UpdateRecoveryPointIndexSettingsCommand } from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const ACCESS_KEY_ID = 'AKIACOFFERSEARCH0001';
const SECRET = 'search-secret-never-shown-2718';
process.env['COFFER_TEST_SEARCH_SECRET'] = SECRET;
const BUCKET = 'ledgers';
const DIR_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-home`;
const alpha = keysOf(ALPHA);

let moto: MotoServer;
let s3: S3Client;

async function setUp(): Promise<void> {
  moto = await startMoto();
  s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const objects: [string, number][] = [
    ['reports/2025/q4.csv', 2000],
    ['reports/2026/q1.csv', 50],
    ['reports/2026/q2.csv', 3000],
    ['images/logo.png', 4000],
  ];
  for (const [key, size] of objects) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(size, 1) }));
}
const ready = setUp();
before(() => ready);
after(async () => {
  s3?.destroy();
  await moto?.stop();
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${DIR_ARN}", path: ./home }
  - arn: "arn:aws:s3:::${BUCKET}"
    account: "${ALPHA.accountId}"
    region: us-east-1
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_SEARCH_SECRET
`
  ),
});

async function indexed(client: BackupClient, resourceArn: string): Promise<string> {
  const { rpArn } = await backupAndWait(client, 'searchable', resourceArn, BACKUP_ROLE(ALPHA.accountId));
  await client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: 'searchable', RecoveryPointArn: rpArn, Index: 'ENABLED' }));
  await waitFor(
    'an ACTIVE index',
    () => client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: 'searchable', RecoveryPointArn: rpArn })),
    (d) => d.IndexStatus === 'ACTIVE',
    60_000,
  );
  return rpArn;
}

describe('AWS Backup Search', () => {
  test('finds objects of S3 backups and files of directory backups by their filters', async () => {
    const { endpoint, dir } = server();
    for (const sub of ['home/ann/taxes', 'home/bob']) await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, 'home/ann/taxes/2025.pdf'), 'pdf');
    await writeFile(join(dir, 'home/ann/notes.txt'), 'notes');
    await writeFile(join(dir, 'home/bob/cv.pdf'), 'cv');
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'searchable' }));
    const bucketPoint = await indexed(client, `arn:aws:s3:::${BUCKET}`);
    const dirPoint = await indexed(client, DIR_ARN);
    const cli = async (args: string[]) => cliJson(await awsCli(endpoint, alpha, ['backupsearch', ...args]));
    const finished = (id: string) =>
      waitFor(
        'the search to end',
        () => cli(['get-search-job', '--search-job-identifier', id]),
        (j) => j['Status'] !== 'RUNNING',
        60_000,
      );

    const s3Search = await cli([
      'start-search-job',
      '--name',
      'big-2026-reports',
      '--search-scope',
      JSON.stringify({ BackupResourceTypes: ['S3'] }),
      '--item-filters',
      JSON.stringify({
        S3ItemFilters: [
          {
            ObjectKeys: [{ Value: 'reports/', Operator: 'BEGINS_WITH' }],
            Sizes: [{ Value: 1000, Operator: 'GREATER_THAN_EQUAL_TO' }],
          },
        ],
      }),
      '--tags',
      'team=finance',
    ]);
    const s3Job = await finished(String(s3Search['SearchJobIdentifier']));
    assert.equal(s3Job['Status'], 'COMPLETED', JSON.stringify(s3Job));
    assert.deepEqual(s3Job['CurrentSearchProgress'], { RecoveryPointsScannedCount: 1, ItemsScannedCount: 4, ItemsMatchedCount: 2 });
    assert.deepEqual(s3Job['SearchScopeSummary'], { TotalRecoveryPointsToScanCount: 1, TotalItemsToScanCount: 4 });
    const s3Results = await cli(['list-search-job-results', '--search-job-identifier', String(s3Search['SearchJobIdentifier'])]);
    const items = (s3Results['Results'] as { S3ResultItem: Record<string, unknown> }[]).map((r) => r.S3ResultItem);
    assert.deepEqual(items.map((i) => [i['ObjectKey'], i['ObjectSize'], i['BackupResourceArn'], i['BackupVaultName']]).sort(), [
      ['reports/2025/q4.csv', 2000, bucketPoint, 'searchable'],
      ['reports/2026/q2.csv', 3000, bucketPoint, 'searchable'],
    ]);
    assert.ok(items.every((i) => typeof i['ETag'] === 'string' && i['SourceResourceArn'] === `arn:aws:s3:::${BUCKET}`));
    const backups = await cli(['list-search-job-backups', '--search-job-identifier', String(s3Search['SearchJobIdentifier'])]);
    assert.deepEqual(
      (backups['Results'] as Record<string, unknown>[]).map((b) => [b['BackupResourceArn'], b['ResourceType'], b['Status']]),
      [[bucketPoint, 'S3', 'COMPLETED']],
    );
    assert.deepEqual(
      cliJson(await awsCli(endpoint, alpha, ['backupsearch', 'list-tags-for-resource', '--resource-arn', String(s3Search['SearchJobArn'])]))['Tags'],
      {
        team: 'finance',
      },
    );

    const fileSearch = await cli([
      'start-search-job',
      '--search-scope',
      JSON.stringify({ BackupResourceTypes: ['EBS'], SourceResourceArns: [DIR_ARN] }),
      '--item-filters',
      JSON.stringify({ EBSItemFilters: [{ FilePaths: [{ Value: '.pdf', Operator: 'ENDS_WITH' }] }] }),
    ]);
    assert.equal((await finished(String(fileSearch['SearchJobIdentifier'])))['Status'], 'COMPLETED');
    const files = await cli(['list-search-job-results', '--search-job-identifier', String(fileSearch['SearchJobIdentifier'])]);
    const found = (files['Results'] as { EBSResultItem: Record<string, unknown> }[]).map((r) => r.EBSResultItem);
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.ok(found.every((f) => String(f['FilePath']).endsWith('.pdf') && f['BackupResourceArn'] === dirPoint && f['FileSystemIdentifier'] === 'fs-home'));
    assert.ok(found.some((f) => String(f['FilePath']).endsWith('/ann/taxes/2025.pdf')));

    const listed = await cli(['list-search-jobs', '--by-status', 'COMPLETED']);
    assert.equal((listed['SearchJobs'] as unknown[]).length, 2);
    assert.equal((await cli(['list-search-jobs', '--by-status', 'RUNNING']))['SearchJobs'] !== undefined, true);

    const stopped = await awsCli(endpoint, alpha, ['backupsearch', 'stop-search-job', '--search-job-identifier', String(fileSearch['SearchJobIdentifier'])]);
    assert.notEqual(stopped.status, 0);
    assert.match(stopped.stderr, /ConflictException.*only a RUNNING search job can be stopped/);
    const missing = await awsCli(endpoint, alpha, ['backupsearch', 'get-search-job', '--search-job-identifier', 'no-such-job']);
    assert.match(missing.stderr, /ResourceNotFoundException.*Search job no-such-job does not exist/);
    const mixed = await awsCli(endpoint, alpha, [
      'backupsearch',
      'start-search-job',
      '--search-scope',
      JSON.stringify({ BackupResourceTypes: ['S3'] }),
      '--item-filters',
      JSON.stringify({ EBSItemFilters: [{ FilePaths: [{ Value: 'x' }] }] }),
    ]);
    assert.match(mixed.stderr, /ValidationException.*EBSItemFilters apply to EBS \(file system\) backups/);
  });
});
