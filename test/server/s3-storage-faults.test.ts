/**
 * S3 vault storage that fails under a running job, through the real `coffer serve` (issue 13):
 * each region's storage is reached through a proxy in front of one moto server, which can go
 * away in the middle of a job (the server stopped: connections refused and reset) or stop
 * answering (a hung server).
 *
 * - stopped mid-backup, and mid-copy at the destination: the job is FAILED with a StatusMessage
 *   naming the storage (the s3: URL of the repository, no secret) and what to do; the vault
 *   still passes `restic check --read-data`; once the server is back the next job COMPLETES;
 * - hung mid-backup: StopBackupJob still stops the job at once (the job's signal reaches the
 *   requests in flight), and the vault stays checkable.
 */
// test-needs: moto, restic, coffer
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StopBackupJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, CopyJob, DescribeBackupJobCommandOutput } from '@aws-sdk/client-backup';
import { MOTO_CREDENTIALS, startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { randomData } from '../support/fixtures.js';
import { startStorageProxy } from '../support/storage-proxy.js';
import type { StorageProxy } from '../support/storage-proxy.js';
import { ALPHA, accountsYaml } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { makeBuckets, objectsUnder, resticS3, resticSnapshotIds, s3Repository, unsilenceSdkWarningForChildren } from './support/s3-vault-storage.js';
import type { S3Repository } from './support/s3-vault-storage.js';
import { useCoffer } from './support/server-fixture.js';

const ROLE = BACKUP_ROLE(ALPHA.accountId);
const EAST = { accountId: ALPHA.accountId, region: 'us-east-1' };
const WEST = { accountId: ALPHA.accountId, region: 'eu-west-1' };
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-s3-faults`;
const SECRET_ENV = 'COFFER_TEST_FAULTS_S3_SECRET';
/** A pack's upload (a PUT below data/, whole or one part of a multipart upload). */
const PACK_UPLOAD = (method: string, path: string): boolean => method === 'PUT' && /\/repo\/data\//.test(path);

let moto: MotoServer | undefined;
let eastProxy: StorageProxy | undefined;
let westProxy: StorageProxy | undefined;

const server = useCoffer({
  yaml: async () => {
    moto = await startMoto();
    await makeBuckets(moto.endpoint, 'faults-east', 'faults-west');
    [eastProxy, westProxy] = await Promise.all([startStorageProxy(moto.endpoint), startStorageProxy(moto.endpoint)]);
    unsilenceSdkWarningForChildren();
    process.env[SECRET_ENV] = MOTO_CREDENTIALS.secretAccessKey;
    const credentials = `{ accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKeyEnv: ${SECRET_ENV} }`;
    return `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA])}regions:
  - { name: us-east-1, storage: "s3:${eastProxy.endpoint}/faults-east/vaults", storageCredentials: ${credentials} }
  - { name: eu-west-1, storage: "s3:${westProxy.endpoint}/faults-west/vaults", storageCredentials: ${credentials} }
resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;
  },
  cleanup: async () => {
    delete process.env[SECRET_ENV];
    await Promise.all([eastProxy?.stop(), westProxy?.stop()]);
    await moto?.stop();
  },
});

const alpha = (region = 'us-east-1'): BackupClient => sdk(server().endpoint, keysOf(ALPHA), region);
const ENDED = ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'];

async function backup(vault = 'faulty'): Promise<{ id: string; rpArn: string }> {
  const started = await alpha().send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
  return { id: started.BackupJobId!, rpArn: started.RecoveryPointArn! };
}

async function backupEnded(id: string): Promise<DescribeBackupJobCommandOutput> {
  return waitFor(
    'backup job',
    () => alpha().send(new DescribeBackupJobCommand({ BackupJobId: id })),
    (j) => ENDED.includes(j.State ?? ''),
  );
}

async function copyEnded(id: string): Promise<CopyJob> {
  const out = await waitFor(
    'copy job',
    () => alpha().send(new DescribeCopyJobCommand({ CopyJobId: id })),
    (r) => ['COMPLETED', 'FAILED'].includes(r.CopyJob?.State ?? ''),
  );
  return out.CopyJob!;
}

async function copyToWest(rpArn: string): Promise<CopyJob> {
  const started = await alpha().send(
    new StartCopyJobCommand({
      RecoveryPointArn: rpArn,
      SourceBackupVaultName: 'faulty',
      DestinationBackupVaultArn: `arn:aws:backup:eu-west-1:${ALPHA.accountId}:backup-vault:far`,
      IamRoleArn: ROLE,
    }),
  );
  return copyEnded(started.CopyJobId!);
}

/** The repository as the region's storage names it (through its proxy), and as restic reaches it (moto itself: the proxy may be down). */
async function repositoryOf(
  scope: typeof EAST,
  vault: string,
  bucket: string,
  proxy: StorageProxy,
  name: string,
): Promise<{ viaProxy: string; direct: S3Repository }> {
  const { dir } = server();
  const direct = await s3Repository(join(dir, 'data'), scope, `s3:${moto!.endpoint}/${bucket}/vaults`, vault, join(dir, `pw-${name}`));
  return { viaProxy: direct.url.replace(moto!.endpoint, proxy.endpoint), direct };
}

/** `promise`, or a failure saying what did not happen (never a test that hangs). */
async function within<T>(what: string, promise: Promise<T>, timeoutMs = 120_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the repository has no lock left (a job that failed on gone storage removes its own once the storage is back). */
async function locksGone(repo: S3Repository): Promise<void> {
  const prefix = `${repo.url.slice(`s3:${moto!.endpoint}/`.length).split('/').slice(1).join('/')}/locks/`;
  const bucket = repo.url.slice(`s3:${moto!.endpoint}/`.length).split('/')[0]!;
  await waitFor(
    `the locks of ${repo.url} to go`,
    () => objectsUnder(moto!.endpoint, bucket, prefix),
    (o) => o.keys.length === 0,
    60_000,
  );
}

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const state: { bigPoint?: string } = {};

describe('S3 vault storage failing under a running job', () => {
  test('stopped mid-backup: FAILED naming the storage and what to do, the vault checks, the next backup COMPLETES', async () => {
    const { dir } = server();
    await mkdir(join(dir, 'source'));
    await writeFile(join(dir, 'source', 'small.bin'), randomData(100_000, 31));
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'faulty' }));
    const first = await backupEnded((await backup()).id);
    assert.equal(first.State, 'COMPLETED', first.StatusMessage);
    const repo = await repositoryOf(EAST, 'faulty', 'faults-east', eastProxy!, 'east');

    await writeFile(join(dir, 'source', 'big.bin'), randomData(40 * 1024 * 1024, 32)); // several packs
    const cut = eastProxy!.cutAt(PACK_UPLOAD, 1);
    const { id } = await backup();
    await within('the storage to be cut mid-backup', cut);
    const failed = await backupEnded(id);
    assert.equal(failed.State, 'FAILED', failed.StatusMessage);
    const message = failed.StatusMessage ?? '';
    assert.match(
      message,
      new RegExp(
        `^Backup of ${literal(RESOURCE_ARN)} failed: the S3 storage of backup vault faulty at ${literal(repo.viaProxy)} is unreachable or failing: .+; check that the server is up`,
      ),
    );
    assert.ok(!message.includes(MOTO_CREDENTIALS.secretAccessKey), 'no secret in the message');
    process.stdout.write(`# mid-backup: ${message}\n`);

    // The server is back: the lock the failed job could not remove goes by itself, and restic checks.
    await eastProxy!.restore();
    await locksGone(repo.direct);
    resticS3(repo.direct, ['check', '--read-data']);
    assert.equal(resticSnapshotIds(repo.direct).length, 1, 'only the first backup is there');

    const next = await backupEnded((await backup()).id);
    assert.equal(next.State, 'COMPLETED', next.StatusMessage);
    state.bigPoint = next.RecoveryPointArn!;
    resticS3(repo.direct, ['check', '--read-data']);
    assert.equal(resticSnapshotIds(repo.direct).length, 2);
  });

  test('stopped mid-copy at the destination: FAILED naming the destination storage, both vaults check, the next copy COMPLETES', async () => {
    await alpha('eu-west-1').send(new CreateBackupVaultCommand({ BackupVaultName: 'far' }));
    const cut = westProxy!.cutAt(PACK_UPLOAD, 1);
    const copyJob = copyToWest(state.bigPoint!);
    await within('the storage to be cut mid-copy', cut);
    const failed = await copyJob;
    assert.equal(failed.State, 'FAILED', failed.StatusMessage);
    const far = await repositoryOf(WEST, 'far', 'faults-west', westProxy!, 'west');
    const message = failed.StatusMessage ?? '';
    assert.match(
      message,
      new RegExp(
        `^Copy job failed\\. Copying .+ failed: the S3 storage of backup vault far at ${literal(far.viaProxy)} is unreachable or failing: .+; check that the server is up`,
      ),
    );
    assert.ok(!message.includes(MOTO_CREDENTIALS.secretAccessKey), 'no secret in the message');
    process.stdout.write(`# mid-copy: ${message}\n`);
    await westProxy!.restore();
    const source = await repositoryOf(EAST, 'faulty', 'faults-east', eastProxy!, 'east');
    await locksGone(far.direct);
    await locksGone(source.direct);
    resticS3(far.direct, ['check', '--read-data']);
    assert.deepEqual(resticSnapshotIds(far.direct), [], 'no snapshot of a failed copy');
    resticS3(source.direct, ['check', '--read-data']);

    const again = await copyToWest(state.bigPoint!);
    assert.equal(again.State, 'COMPLETED', again.StatusMessage);
    resticS3(far.direct, ['check', '--read-data']);
    assert.equal(resticSnapshotIds(far.direct).length, 1);
  });

  test('hung mid-backup: StopBackupJob stops it at once, the vault checks, the next backup COMPLETES', async () => {
    const { dir } = server();
    await writeFile(join(dir, 'source', 'more.bin'), randomData(24 * 1024 * 1024, 33));
    const stalled = eastProxy!.stallAt(PACK_UPLOAD, 0);
    const { id } = await backup();
    await within('a pack upload to hang', stalled);
    const asked = Date.now();
    await alpha().send(new StopBackupJobCommand({ BackupJobId: id }));
    const stopped = await backupEnded(id);
    const tookMs = Date.now() - asked;
    assert.equal(stopped.State, 'ABORTED', stopped.StatusMessage);
    assert.ok(tookMs < 15_000, `stopped within seconds although the storage hangs (${tookMs} ms)`);
    eastProxy!.release();

    const repo = await repositoryOf(EAST, 'faulty', 'faults-east', eastProxy!, 'east');
    resticS3(repo.direct, ['check', '--read-data']);
    const next = await backupEnded((await backup()).id);
    assert.equal(next.State, 'COMPLETED', next.StatusMessage);
    resticS3(repo.direct, ['check', '--read-data']);
  });
});
