/**
 * Job summaries through the real server: ListBackupJobSummaries, ListCopyJobSummaries,
 * ListRestoreJobSummaries and ListScanJobSummaries with every filter (AccountId incl. ANY and
 * AGGREGATE_ALL from the organization's management account and from a member, State,
 * ResourceType, MessageCategory, AggregationPeriod, paging), over one real backup job and jobs
 * written into the catalog on earlier days (the clock cannot be moved back for real jobs).
 */
// test-needs: aws-cli
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  ListBackupJobSummariesCommand,
  ListCopyJobSummariesCommand,
  ListRestoreJobSummariesCommand,
  ListScanJobSummariesCommand,
} from '@aws-sdk/client-backup';
import type { BackupJobSummary, ListBackupJobSummariesCommandInput } from '@aws-sdk/client-backup';
import { messageCategoryOf } from '../../src/backup/jobs/message-category.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { ALPHA, BETA } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { EAST, ORGANIZATION_CONFIG_HEAD, WEST } from './support/cross-account.js';
import { backupAndWait, BACKUP_ROLE } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const FS_ARN = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-summaries`;
const RDS_ARN = `arn:aws:rds:${EAST}:${ALPHA.accountId}:db:orders`;
const DAY = 86_400_000;

const server = useCoffer({
  yaml: `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${FS_ARN}", path: ./source }
`,
});

const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;
let now = 0;

test('one real backup, and jobs of earlier days, accounts and regions in the catalog', async () => {
  const { endpoint, dir } = server();
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'a.txt'), 'summaries\n');
  const alpha = sdk(endpoint, keysOf(ALPHA));
  await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'main' }));
  await backupAndWait(alpha, 'main', FS_ARN, BACKUP_ROLE(ALPHA.accountId));
  now = Date.now();
  // Jobs of earlier days, other accounts and regions, written as the ledger would have left them.
  const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'data', 'catalog.sqlite') });
  const vault = (account: string, region: string) => ({ vaultName: 'main', vaultArn: `arn:aws:backup:${region}:${account}:backup-vault:main` });
  let n = 0;
  const backup = (account: string, region: string, state: 'COMPLETED' | 'FAILED', resourceType: string, ago: number, statusMessage?: string) =>
    catalog.jobs.createBackupJob(
      { accountId: account, region },
      {
        id: `seeded-backup-${(n += 1)}`,
        state,
        createdAt: now - ago,
        resourceArn: resourceType === 'RDS' ? RDS_ARN : FS_ARN,
        resourceType,
        ...vault(account, region),
        ...(statusMessage === undefined ? {} : { statusMessage }),
        messageCategory: messageCategoryOf(state, statusMessage)!,
      },
    );
  await backup(ALPHA.accountId, EAST, 'FAILED', 'EFS', 1000, 'Access denied trying to call AWS Backup service');
  await backup(ALPHA.accountId, EAST, 'COMPLETED', 'RDS', DAY);
  await backup(ALPHA.accountId, EAST, 'FAILED', 'RDS', 3 * DAY, 'Resource arn:aws:rds:us-east-1:111111111111:db:orders does not exist');
  await backup(ALPHA.accountId, EAST, 'COMPLETED', 'EFS', 10 * DAY);
  await backup(ALPHA.accountId, EAST, 'COMPLETED', 'EFS', 20 * DAY);
  await backup(ALPHA.accountId, WEST, 'COMPLETED', 'EFS', 1000);
  await backup(BETA.accountId, EAST, 'COMPLETED', 'EFS', 1000);
  await backup(BETA.accountId, EAST, 'FAILED', 'DynamoDB', DAY, 'Backup window closed before the job could start');
  const copy = (state: 'COMPLETED' | 'FAILED', statusMessage?: string) =>
    catalog.jobs.createCopyJob(
      { accountId: ALPHA.accountId, region: EAST },
      {
        id: `seeded-copy-${(n += 1)}`,
        state,
        createdAt: now - 1000,
        resourceArn: FS_ARN,
        resourceType: 'EFS',
        sourceRecoveryPointArn: `arn:aws:backup:${EAST}:${ALPHA.accountId}:recovery-point:x${n}`,
        sourceVaultArn: vault(ALPHA.accountId, EAST).vaultArn,
        destinationVaultArn: vault(BETA.accountId, EAST).vaultArn,
        ...(statusMessage === undefined ? {} : { statusMessage }),
        messageCategory: messageCategoryOf(state, statusMessage)!,
      },
    );
  await copy('COMPLETED');
  await copy('FAILED', 'Copy job failed. Both source and destination account must be a member of the same organization.');
  const restore = (state: 'COMPLETED' | 'FAILED', resourceType: string, ago: number) =>
    catalog.jobs.createRestoreJob(
      { accountId: ALPHA.accountId, region: EAST },
      {
        id: `seeded-restore-${(n += 1)}`,
        state,
        createdAt: now - ago,
        resourceArn: FS_ARN,
        resourceType,
        recoveryPointArn: `arn:aws:backup:${EAST}:${ALPHA.accountId}:recovery-point:r${n}`,
        vaultName: 'main',
        metadata: {},
      },
    );
  await restore('COMPLETED', 'EFS', 1000);
  await restore('FAILED', 'RDS', DAY);
  await catalog.close();
});

type Row = [account: string, state: string, type: string, category: string | undefined, count: number, daysAgo: number];
const rowsOf = (summaries: readonly BackupJobSummary[] | undefined, period: 'day' | 'window' = 'day'): Row[] =>
  (summaries ?? []).map((s) => [
    s.AccountId!,
    s.State!,
    s.ResourceType!,
    s.MessageCategory,
    s.Count!,
    period === 'day' ? Math.round((dayStart(now) - s.StartTime!.getTime()) / DAY) : 0,
  ]);

async function backupSummaries(input: ListBackupJobSummariesCommandInput, account = ALPHA) {
  return sdk(server().endpoint, keysOf(account)).send(new ListBackupJobSummariesCommand(input));
}

describe('ListBackupJobSummaries', () => {
  test('default: per day for 14 days, the caller account and region, grouped by state, type and category', async () => {
    const out = await backupSummaries({});
    assert.equal(out.AggregationPeriod, 'ONE_DAY');
    assert.deepEqual(rowsOf(out.BackupJobSummaries), [
      [ALPHA.accountId, 'COMPLETED', 'EFS', 'SUCCESS', 1, 0],
      [ALPHA.accountId, 'FAILED', 'EFS', 'ACCESS_DENIED', 1, 0],
      [ALPHA.accountId, 'COMPLETED', 'RDS', 'SUCCESS', 1, 1],
      [ALPHA.accountId, 'FAILED', 'RDS', 'RESOURCE_NOT_FOUND', 1, 3],
      [ALPHA.accountId, 'COMPLETED', 'EFS', 'SUCCESS', 1, 10],
    ]);
    const today = out.BackupJobSummaries![0]!;
    assert.equal(today.Region, EAST);
    assert.equal(today.StartTime!.getTime(), dayStart(now));
    assert.equal(today.EndTime!.getTime(), dayStart(now) + DAY - 1);
  });

  test('State: one value, ANY, AGGREGATE_ALL', async () => {
    assert.deepEqual(rowsOf((await backupSummaries({ State: 'FAILED' })).BackupJobSummaries), [
      [ALPHA.accountId, 'FAILED', 'EFS', 'ACCESS_DENIED', 1, 0],
      [ALPHA.accountId, 'FAILED', 'RDS', 'RESOURCE_NOT_FOUND', 1, 3],
    ]);
    assert.equal((await backupSummaries({ State: 'ANY' })).BackupJobSummaries?.length, 5);
    assert.deepEqual(rowsOf((await backupSummaries({ State: 'AGGREGATE_ALL', MessageCategory: 'AGGREGATE_ALL' })).BackupJobSummaries), [
      [ALPHA.accountId, 'AGGREGATE_ALL', 'EFS', 'AGGREGATE_ALL', 2, 0],
      [ALPHA.accountId, 'AGGREGATE_ALL', 'RDS', 'AGGREGATE_ALL', 1, 1],
      [ALPHA.accountId, 'AGGREGATE_ALL', 'RDS', 'AGGREGATE_ALL', 1, 3],
      [ALPHA.accountId, 'AGGREGATE_ALL', 'EFS', 'AGGREGATE_ALL', 1, 10],
    ]);
  });

  test('ResourceType and MessageCategory: one value, AGGREGATE_ALL', async () => {
    assert.deepEqual(rowsOf((await backupSummaries({ ResourceType: 'RDS' })).BackupJobSummaries), [
      [ALPHA.accountId, 'COMPLETED', 'RDS', 'SUCCESS', 1, 1],
      [ALPHA.accountId, 'FAILED', 'RDS', 'RESOURCE_NOT_FOUND', 1, 3],
    ]);
    assert.deepEqual(rowsOf((await backupSummaries({ ResourceType: 'AGGREGATE_ALL', State: 'COMPLETED' })).BackupJobSummaries), [
      [ALPHA.accountId, 'COMPLETED', 'AGGREGATE_ALL', 'SUCCESS', 1, 0],
      [ALPHA.accountId, 'COMPLETED', 'AGGREGATE_ALL', 'SUCCESS', 1, 1],
      [ALPHA.accountId, 'COMPLETED', 'AGGREGATE_ALL', 'SUCCESS', 1, 10],
    ]);
    assert.deepEqual(rowsOf((await backupSummaries({ MessageCategory: 'ACCESS_DENIED' })).BackupJobSummaries), [
      [ALPHA.accountId, 'FAILED', 'EFS', 'ACCESS_DENIED', 1, 0],
    ]);
    assert.deepEqual((await backupSummaries({ ResourceType: 'S3' })).BackupJobSummaries, []);
  });

  test('AggregationPeriod SEVEN_DAYS and FOURTEEN_DAYS: one window ending now', async () => {
    const seven = await backupSummaries({
      AggregationPeriod: 'SEVEN_DAYS',
      State: 'AGGREGATE_ALL',
      ResourceType: 'AGGREGATE_ALL',
      MessageCategory: 'AGGREGATE_ALL',
    });
    assert.equal(seven.AggregationPeriod, 'SEVEN_DAYS');
    assert.deepEqual(rowsOf(seven.BackupJobSummaries, 'window'), [[ALPHA.accountId, 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 4, 0]]);
    const window = seven.BackupJobSummaries![0]!;
    assert.ok(Math.abs(window.EndTime!.getTime() - window.StartTime!.getTime() - 7 * DAY) < 1000);
    const fourteen = await backupSummaries({
      AggregationPeriod: 'FOURTEEN_DAYS',
      State: 'AGGREGATE_ALL',
      ResourceType: 'AGGREGATE_ALL',
      MessageCategory: 'AGGREGATE_ALL',
    });
    assert.deepEqual(rowsOf(fourteen.BackupJobSummaries, 'window'), [[ALPHA.accountId, 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 5, 0]]);
  });

  test('AccountId from the management account: a member, ANY (per account), AGGREGATE_ALL (summed)', async () => {
    const period = { AggregationPeriod: 'SEVEN_DAYS', State: 'AGGREGATE_ALL', ResourceType: 'AGGREGATE_ALL', MessageCategory: 'AGGREGATE_ALL' } as const;
    assert.deepEqual(rowsOf((await backupSummaries({ ...period, AccountId: BETA.accountId })).BackupJobSummaries, 'window'), [
      [BETA.accountId, 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 2, 0],
    ]);
    assert.deepEqual(rowsOf((await backupSummaries({ ...period, AccountId: 'ANY' })).BackupJobSummaries, 'window'), [
      [ALPHA.accountId, 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 4, 0],
      [BETA.accountId, 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 2, 0],
    ]);
    assert.deepEqual(rowsOf((await backupSummaries({ ...period, AccountId: 'AGGREGATE_ALL' })).BackupJobSummaries, 'window'), [
      ['AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 'AGGREGATE_ALL', 6, 0],
    ]);
  });

  test('AccountId from a member account: its own jobs, whatever it asks', async () => {
    for (const AccountId of [ALPHA.accountId, 'ANY', undefined]) {
      const out = await backupSummaries({ AccountId, State: 'AGGREGATE_ALL', MessageCategory: 'AGGREGATE_ALL' }, BETA);
      assert.deepEqual(rowsOf(out.BackupJobSummaries), [
        [BETA.accountId, 'AGGREGATE_ALL', 'EFS', 'AGGREGATE_ALL', 1, 0],
        [BETA.accountId, 'AGGREGATE_ALL', 'DynamoDB', 'AGGREGATE_ALL', 1, 1],
      ]);
    }
  });

  test('the region is the caller region', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA), WEST);
    const out = await client.send(new ListBackupJobSummariesCommand({}));
    assert.deepEqual(rowsOf(out.BackupJobSummaries), [[ALPHA.accountId, 'COMPLETED', 'EFS', 'SUCCESS', 1, 0]]);
    assert.equal(out.BackupJobSummaries![0]!.Region, WEST);
  });

  test('MaxResults and NextToken page through; a made-up token is refused', async () => {
    const first = await backupSummaries({ MaxResults: 2 });
    assert.equal(first.BackupJobSummaries?.length, 2);
    assert.ok(first.NextToken);
    const second = await backupSummaries({ MaxResults: 2, NextToken: first.NextToken });
    const third = await backupSummaries({ MaxResults: 2, NextToken: second.NextToken });
    assert.equal(third.NextToken, undefined);
    assert.deepEqual(
      [...rowsOf(first.BackupJobSummaries), ...rowsOf(second.BackupJobSummaries), ...rowsOf(third.BackupJobSummaries)],
      rowsOf((await backupSummaries({})).BackupJobSummaries),
    );
    await assert.rejects(backupSummaries({ NextToken: 'bm90LWEtdG9rZW4' }), { name: 'InvalidParameterValueException' });
  });

  test('the AWS CLI: list-backup-job-summaries with its options', async () => {
    const out = cliJson(
      await awsCli(server().endpoint, keysOf(ALPHA), [
        'backup',
        'list-backup-job-summaries',
        '--aggregation-period',
        'FOURTEEN_DAYS',
        '--state',
        'FAILED',
        '--resource-type',
        'RDS',
      ]),
    );
    assert.equal(out['AggregationPeriod'], 'FOURTEEN_DAYS');
    const rows = out['BackupJobSummaries'] as { State: string; ResourceType: string; MessageCategory: string; Count: number }[];
    assert.deepEqual(
      rows.map((r) => [r.State, r.ResourceType, r.MessageCategory, r.Count]),
      [['FAILED', 'RDS', 'RESOURCE_NOT_FOUND', 1]],
    );
  });
});

describe('copy, restore and scan job summaries', () => {
  test('ListCopyJobSummaries: grouped by message category, filtered by it', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    const all = await client.send(new ListCopyJobSummariesCommand({}));
    assert.deepEqual(
      (all.CopyJobSummaries ?? []).map((s) => [s.State, s.ResourceType, s.MessageCategory, s.Count]),
      [
        ['COMPLETED', 'EFS', 'SUCCESS', 1],
        ['FAILED', 'EFS', 'ACCESS_DENIED', 1],
      ],
    );
    const denied = await client.send(new ListCopyJobSummariesCommand({ MessageCategory: 'AccessDenied', AggregationPeriod: 'SEVEN_DAYS' }));
    assert.deepEqual(
      (denied.CopyJobSummaries ?? []).map((s) => [s.State, s.Count]),
      [['FAILED', 1]],
    );
    const state = await client.send(new ListCopyJobSummariesCommand({ State: 'COMPLETED', ResourceType: 'EFS', AccountId: ALPHA.accountId, MaxResults: 1 }));
    assert.deepEqual(
      (state.CopyJobSummaries ?? []).map((s) => [s.State, s.Count]),
      [['COMPLETED', 1]],
    );
  });

  test('ListRestoreJobSummaries: no message category; State and ResourceType filters', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    const all = await client.send(new ListRestoreJobSummariesCommand({}));
    assert.deepEqual(
      (all.RestoreJobSummaries ?? []).map((s) => [s.State, s.ResourceType, s.Count, Math.round((dayStart(now) - s.StartTime!.getTime()) / DAY)]),
      [
        ['COMPLETED', 'EFS', 1, 0],
        ['FAILED', 'RDS', 1, 1],
      ],
    );
    assert.equal((all.RestoreJobSummaries![0] as Record<string, unknown>)['MessageCategory'], undefined);
    const failed = await client.send(new ListRestoreJobSummariesCommand({ State: 'FAILED', ResourceType: 'RDS', AggregationPeriod: 'FOURTEEN_DAYS' }));
    assert.deepEqual(
      (failed.RestoreJobSummaries ?? []).map((s) => [s.State, s.ResourceType, s.Count]),
      [['FAILED', 'RDS', 1]],
    );
    const none = await client.send(new ListRestoreJobSummariesCommand({ ResourceType: 'S3', AccountId: 'AGGREGATE_ALL' }));
    assert.deepEqual(none.RestoreJobSummaries, []);
  });

  test('ListScanJobSummaries: Coffer runs no scans, so none, with any filter', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    const out = await client.send(
      new ListScanJobSummariesCommand({ State: 'ANY', MalwareScanner: 'GUARDDUTY', ScanResultStatus: 'THREATS_FOUND', AggregationPeriod: 'SEVEN_DAYS' }),
    );
    assert.deepEqual(out.ScanJobSummaries, []);
    assert.equal(out.AggregationPeriod, 'SEVEN_DAYS');
  });
});
