/**
 * A service backup job onto a full disk (issue 12), for real: the region's storage is a small
 * tmpfs. The job FAILS with a StatusMessage naming the vault, its storage location and what to
 * do; the vault stays consistent (restic `check --read-data`); once space is freed, the next job
 * completes. Skipped, saying why, where mount is not permitted.
 */
// test-needs: restic
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateBackupVaultCommand, DescribeBackupJobCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { mountTmpfs } from '../support/tmpfs.js';
import type { Tmpfs } from '../support/tmpfs.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultKeyId, writeVaultPasswordFile } from './support/vault-password.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-full`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const SCOPE = { accountId: ALPHA.accountId, region: 'us-east-1' };

let disk: Tmpfs | string = 'not mounted yet';
const server = useCoffer({
  yaml: async () => {
    disk = await mountTmpfs(8);
    const storage = typeof disk === 'string' ? './data/vaults/us-east-1' : join(disk.dir, 'vaults', 'us-east-1');
    return `${ALPHA_CONFIG_HEAD.replace('file:./data/vaults/us-east-1', `file:${storage}`)}resources:\n  - { arn: "${RESOURCE_ARN}", path: ./source }\n`;
  },
});
after(async () => {
  if (typeof disk !== 'string') await disk.unmount();
});

async function backup(client: BackupClient): Promise<{ State?: string | undefined; StatusMessage?: string | undefined }> {
  const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'full', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
  return waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(j.State ?? ''),
  );
}

describe('a service backup job onto a full disk', () => {
  test('FAILED naming the vault and its storage, the vault consistent, the next job after freeing space COMPLETED', async (t) => {
    if (typeof disk === 'string') return t.skip(disk);
    const { dir, endpoint } = server();
    const client = sdk(endpoint, keysOf(ALPHA));
    await mkdir(join(dir, 'source'));
    await writeFile(join(dir, 'source', 'small.bin'), randomData(1_000_000, 11));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'full' }));
    assert.equal((await backup(client)).State, 'COMPLETED');

    const repo = join(disk.dir, 'vaults', 'us-east-1', ALPHA.accountId, 'full', vaultKeyId(join(dir, 'data'), SCOPE, 'full'), 'repo');
    const pw = await writeVaultPasswordFile(join(dir, 'data'), SCOPE, 'full', join(dir, 'pw'));
    const filler = join(disk.dir, 'filler');
    await writeFile(filler, randomData(5 * 1024 * 1024, 12));
    await writeFile(join(dir, 'source', 'big.bin'), randomData(6 * 1024 * 1024, 13));

    const failed = await backup(client);
    assert.equal(failed.State, 'FAILED');
    assert.match(
      failed.StatusMessage ?? '',
      new RegExp(
        `^Backup of ${RESOURCE_ARN} failed: the storage of backup vault full at ${repo} is full \\(no space left on device\\) while .*: free space there`,
      ),
    );
    resticOk(repo, pw, ['check', '--read-data']);

    await rm(filler);
    const next = await backup(client);
    assert.equal(next.State, 'COMPLETED', next.StatusMessage);
    resticOk(repo, pw, ['check', '--read-data']);
    assert.equal(JSON.parse(resticOk(repo, pw, ['snapshots', '--json'])).length, 2);
  });
});
