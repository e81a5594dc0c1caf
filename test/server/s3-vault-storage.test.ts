/**
 * Vaults on S3-compatible storage through the real `coffer serve` (issue 13): us-east-1 keeps its
 * vaults in a bucket of one moto server (and its cold storage in another bucket there), eu-west-1
 * in a bucket of a second, separate moto server; the credentials come from `storageCredentials`
 * (a secret file for one region, an environment variable for the other). Driven by the AWS SDK on
 * the manual clock:
 *
 * - a backup, a restore of it, and restic (`-r s3:...`) checking (`--read-data`) and restoring
 *   what Coffer wrote; `coffer vault check` agrees;
 * - a cross-region copy from one endpoint's bucket to the other's, restored there;
 * - DeleteRecoveryPoint forgets and prunes on S3 (the packs only it used are gone);
 * - a plan's lifecycle: cold after a day (the snapshot moves to the cold bucket, restores from
 *   there), expired after 91 days (gone from the cold bucket; the copy's 7-day lifecycle empties
 *   the other endpoint's vault);
 * - and `coffer serve` says nothing on stderr (the AWS SDK's Node-version warning included).
 */
// test-needs: moto, restic, coffer
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { MOTO_CREDENTIALS, startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { makeMixedTree, randomData } from '../support/fixtures.js';
import { coffer } from '../support/restic.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';
import { ALPHA, accountsYaml } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait, waitFor } from './support/jobs.js';
import { makeBuckets, objectsUnder, resticS3, resticSnapshotIds, S3_ENV, s3Repository, unsilenceSdkWarningForChildren } from './support/s3-vault-storage.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2027-01-01T00:00:00Z');
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const EAST = { accountId: ALPHA.accountId, region: 'us-east-1' };
const WEST = { accountId: ALPHA.accountId, region: 'eu-west-1' };
const FILES_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-s3-files`;
const ARCHIVE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-s3-archive`;
const WEST_SECRET_ENV = 'COFFER_TEST_WEST_S3_SECRET';

let secretDir: string | undefined;
let east: MotoServer | undefined;
let west: MotoServer | undefined;
const roots = { east: '', cold: '', west: '' };

const server = useCoffer({
  yaml: async () => {
    [east, west] = await Promise.all([startMoto(), startMoto()]);
    await makeBuckets(east.endpoint, 'coffer-east', 'coffer-cold');
    await makeBuckets(west.endpoint, 'coffer-west');
    roots.east = `s3:${east.endpoint}/coffer-east/vaults`;
    roots.cold = `s3:${east.endpoint}/coffer-cold/vaults`;
    roots.west = `s3:${west.endpoint}/coffer-west`;
    secretDir = await mkdtemp(join(tmpdir(), 'coffer-s3-secret-'));
    await writeFile(join(secretDir, 'moto.secret'), `${MOTO_CREDENTIALS.secretAccessKey}\n`, { mode: 0o600 });
    unsilenceSdkWarningForChildren();
    process.env[WEST_SECRET_ENV] = MOTO_CREDENTIALS.secretAccessKey;
    return `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA])}regions:
  - name: us-east-1
    storage: "${roots.east}"
    coldStorage: "${roots.cold}"
    storageCredentials: { accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKeyFile: "${join(secretDir, 'moto.secret')}" }
  - name: eu-west-1
    storage: "${roots.west}"
    storageCredentials: { accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKeyEnv: ${WEST_SECRET_ENV} }
resources:
  - { arn: "${FILES_ARN}", path: ./files }
  - { arn: "${ARCHIVE_ARN}", path: ./archive }
`;
  },
  args: ['--clock', 'manual', '--clock-start', START.toISOString()],
  cleanup: async () => {
    delete process.env[WEST_SECRET_ENV];
    await Promise.all([east?.stop(), west?.stop()]);
    if (secretDir !== undefined) await rm(secretDir, { recursive: true, force: true });
  },
});

const alpha = (region = 'us-east-1'): BackupClient => sdk(server().endpoint, keysOf(ALPHA), region);

async function postClock(body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server().endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

async function points(client: BackupClient, vault: string) {
  return (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints ?? [];
}

const state: { firstPoint?: string; copyPoint?: string } = {};

describe('vaults on S3-compatible storage, through coffer serve', () => {
  test('backup and restore; restic checks (--read-data) and restores what Coffer wrote, coffer vault check agrees', async () => {
    const { dir } = server();
    const files = join(dir, 'files');
    await makeMixedTree(files);
    await writeFile(join(files, 'large.bin'), randomData(20 * 1024 * 1024, 21)); // more than one pack
    await writeFile(join(files, 'only-in-the-first.bin'), randomData(3 * 1024 * 1024, 22));
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'files' }));
    const { rpArn } = await backupAndWait(alpha(), 'files', FILES_ARN, ROLE);
    state.firstPoint = rpArn;

    const restored = join(dir, 'restored-by-coffer');
    const restore = await restoreAndWait(alpha(), rpArn, ROLE, { RestorePath: restored });
    assert.equal(restore.Status, 'COMPLETED', restore.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(files), await digestTree(restored)), []);

    const repo = await s3Repository(join(dir, 'data'), EAST, roots.east, 'files', join(dir, 'pw-files'));
    resticS3(repo, ['check', '--read-data']);
    const [snapshot] = resticSnapshotIds(repo);
    assert.ok(snapshot !== undefined, 'restic lists the snapshot');
    const byRestic = join(dir, 'restored-by-restic');
    resticS3(repo, ['restore', snapshot, '--target', byRestic]);
    assert.deepEqual(diffDigests(await digestTree(files), await digestTree(join(byRestic, files))), []);

    const check = coffer(['vault', 'check', repo.url, '--password-file', repo.passwordFile, '--read-data'], undefined, S3_ENV);
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  test('a cross-region copy goes from one endpoint and bucket to the other, and restores there', async () => {
    const { dir } = server();
    await alpha('eu-west-1').send(new CreateBackupVaultCommand({ BackupVaultName: 'dr' }));
    const started = await alpha().send(
      new StartCopyJobCommand({
        RecoveryPointArn: state.firstPoint!,
        SourceBackupVaultName: 'files',
        DestinationBackupVaultArn: `arn:aws:backup:eu-west-1:${ALPHA.accountId}:backup-vault:dr`,
        IamRoleArn: ROLE,
        Lifecycle: { DeleteAfterDays: 7 },
      }),
    );
    const copied = await waitFor(
      'copy job',
      () => alpha().send(new DescribeCopyJobCommand({ CopyJobId: started.CopyJobId! })),
      (r) => ['COMPLETED', 'FAILED'].includes(r.CopyJob?.State ?? ''),
    );
    assert.equal(copied.CopyJob?.State, 'COMPLETED', copied.CopyJob?.StatusMessage);
    state.copyPoint = copied.CopyJob!.DestinationRecoveryPointArn!;

    const inWest = await objectsUnder(west!.endpoint, 'coffer-west', `${ALPHA.accountId}/dr/`);
    assert.ok(
      inWest.keys.some((k) => /\/repo\/data\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(k)),
      'the copy wrote packs on the other endpoint',
    );
    const repo = await s3Repository(join(dir, 'data'), WEST, roots.west, 'dr', join(dir, 'pw-dr'));
    resticS3(repo, ['check', '--read-data']);
    assert.equal(resticSnapshotIds(repo).length, 1);

    const restored = join(dir, 'restored-from-west');
    const restore = await restoreAndWait(alpha('eu-west-1'), state.copyPoint, ROLE, { RestorePath: restored });
    assert.equal(restore.Status, 'COMPLETED', restore.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(join(dir, 'files')), await digestTree(restored)), []);
  });

  test('DeleteRecoveryPoint forgets and prunes on S3: the packs only that point used are gone', async () => {
    const { dir } = server();
    await rm(join(dir, 'files', 'only-in-the-first.bin'));
    await backupAndWait(alpha(), 'files', FILES_ARN, ROLE);
    const repo = await s3Repository(join(dir, 'data'), EAST, roots.east, 'files', join(dir, 'pw-files'));
    assert.equal(resticSnapshotIds(repo).length, 2);
    const prefix = repo.url.slice(`s3:${east!.endpoint}/coffer-east/`.length);
    const before = await objectsUnder(east!.endpoint, 'coffer-east', `${prefix}/data/`);

    await alpha().send(new DeleteRecoveryPointCommand({ BackupVaultName: 'files', RecoveryPointArn: state.firstPoint! }));
    await waitFor(
      'the deleted recovery point to go',
      () => points(alpha(), 'files'),
      (list) => list.length === 1,
    );
    assert.equal(resticSnapshotIds(repo).length, 1, 'its snapshot was forgotten');
    const afterPrune = await objectsUnder(east!.endpoint, 'coffer-east', `${prefix}/data/`);
    assert.ok(
      before.bytes - afterPrune.bytes >= 3 * 1024 * 1024,
      `prune removed the 3 MiB only the deleted point used (${before.bytes} -> ${afterPrune.bytes} bytes)`,
    );
    resticS3(repo, ['check', '--read-data']);
  });

  test('lifecycle: cold after a day (in the cold bucket, restored from there), deleted after 91 days; the copy expires on the other endpoint', async () => {
    const { dir } = server();
    const archive = join(dir, 'archive');
    await mkdir(join(archive, 'docs'), { recursive: true });
    await writeFile(join(archive, 'docs', 'a.txt'), 'kept for 91 days\n');
    await writeFile(join(archive, 'big.bin'), randomData(2 * 1024 * 1024 + 5, 23));
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'archive' }));
    const plan = await alpha().send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'cold-after-a-day',
          Rules: [
            {
              RuleName: 'once',
              TargetBackupVaultName: 'archive',
              ScheduleExpression: 'cron(0 5 1 1 ? 2027)',
              StartWindowMinutes: 60,
              Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 91 },
            },
          ],
        },
      }),
    );
    await alpha().send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: { SelectionName: 'one', IamRoleArn: ROLE, Resources: [ARCHIVE_ARN] },
      }),
    );

    const report = await postClock({ advance: 'P2D' });
    assert.equal(report['jobsCreated'], 1, JSON.stringify(report));
    const [listed] = await points(alpha(), 'archive');
    const point = await alpha().send(new DescribeRecoveryPointCommand({ BackupVaultName: 'archive', RecoveryPointArn: listed!.RecoveryPointArn! }));
    assert.equal(point.Status, 'COMPLETED', point.StatusMessage);
    assert.equal(point.StorageClass, 'COLD');

    const data = join(dir, 'data');
    const warm = await s3Repository(data, EAST, roots.east, 'archive', join(dir, 'pw-archive'));
    const cold = await s3Repository(data, EAST, roots.cold, 'archive', join(dir, 'pw-archive'));
    assert.equal(resticSnapshotIds(cold).length, 1, 'the cold bucket holds the snapshot');
    assert.deepEqual(resticSnapshotIds(warm), [], 'the warm bucket no longer does');
    resticS3(cold, ['check', '--read-data']);
    resticS3(warm, ['check', '--read-data']);

    const restored = join(dir, 'restored-from-cold');
    const restore = await restoreAndWait(alpha(), point.RecoveryPointArn!, ROLE, { RestorePath: restored });
    assert.equal(restore.Status, 'COMPLETED', restore.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(archive), await digestTree(restored)), []);

    const later = await postClock({ advance: 'P90D' });
    assert.ok(Number(later['recoveryPointsDeleted']) >= 2, JSON.stringify(later));
    assert.deepEqual(await points(alpha(), 'archive'), []);
    assert.deepEqual(resticSnapshotIds(cold), [], 'deleted from the cold bucket');
    resticS3(cold, ['check', '--read-data']);
    assert.deepEqual(await points(alpha('eu-west-1'), 'dr'), [], 'the 7-day copy expired');
    const dr = await s3Repository(data, WEST, roots.west, 'dr', join(dir, 'pw-dr'));
    assert.deepEqual(resticSnapshotIds(dr), [], 'and its snapshot is gone from the other endpoint');
    resticS3(dr, ['check', '--read-data']);
  });
});
