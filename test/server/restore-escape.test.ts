/**
 * Directory restores through the real `coffer serve` that try to escape their RestorePath, as an
 * attacker with restore permission would (issue 12): `..` components, symbolic links, Coffer's
 * own directories, paths outside `restoreRoots`, ItemsToRestore naming what is not there. Each
 * is refused (at StartRestoreJob, or as a FAILED job saying what to do) and changes nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { assertRestoreRefused, backupAndWait, BACKUP_ROLE, restoreAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-escape`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const resources = `resources:\n  - { arn: "${RESOURCE_ARN}", path: ./source }\n`;

const open = useCoffer({ yaml: `${ALPHA_CONFIG_HEAD}${resources}` });
const rooted = useCoffer({ yaml: `${ALPHA_CONFIG_HEAD}${resources}restoreRoots: [./restores, ./linked-root]\n` });

async function backedUp(dir: string, endpoint: string): Promise<{ client: BackupClient; rpArn: string }> {
  await mkdir(join(dir, 'source', 'docs'), { recursive: true });
  await writeFile(join(dir, 'source', 'a.txt'), 'from the backup\n');
  await writeFile(join(dir, 'source', 'docs', 'b.txt'), 'b\n');
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'escape' }));
  return { client, rpArn: (await backupAndWait(client, 'escape', RESOURCE_ARN, ROLE)).rpArn };
}

async function failsWith(client: BackupClient, rpArn: string, metadata: Record<string, string>, pattern: RegExp): Promise<void> {
  const job = await restoreAndWait(client, rpArn, ROLE, metadata);
  assert.equal(job.Status, 'FAILED', `${JSON.stringify(metadata)} should fail`);
  assert.match(job.StatusMessage ?? '', pattern);
}

async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((p) => p.includes('.coffer-restore-'));
}

describe('directory restores cannot escape RestorePath', () => {
  test('without restoreRoots: "..", symbolic links, the data directory and missing items are refused; nothing changes', async () => {
    const { dir, endpoint } = open();
    const { client, rpArn } = await backedUp(dir, endpoint);
    const victim = join(dir, 't');
    await mkdir(victim);
    await writeFile(join(victim, 'a.txt'), 'the victim\n');

    const message = await assertRestoreRefused(client, rpArn, ROLE, { RestorePath: `${join(dir, 'nope')}/../t` }, 'RestorePath');
    assert.match(message, /contains "\.\.": name the directory without "\.\." components/);
    await assertRestoreRefused(client, rpArn, ROLE, { RestorePath: '/nonexistent/../etc' }, 'RestorePath');
    assert.equal(await readFile(join(victim, 'a.txt'), 'utf8'), 'the victim\n');

    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'link'));
    await failsWith(
      client,
      rpArn,
      { RestorePath: join(dir, 'link', 'new') },
      /RestorePath .*link\/new goes through the symbolic link .*link .*name the real directory \(.*elsewhere\/new\), or name that root in restoreRoots in the config/,
    );
    assert.deepEqual(await readdir(join(dir, 'elsewhere')), []);

    await failsWith(
      client,
      rpArn,
      { RestorePath: join(dir, 'data', 'vaults', 'x') },
      /RestorePath .* is inside Coffer's data directory .*name a directory outside it/,
    );
    await failsWith(client, rpArn, { RestorePath: victim }, /RestorePath .*t is not empty; Coffer never restores over existing files/);
    await failsWith(
      client,
      rpArn,
      { RestorePath: join(dir, 'items'), ItemsToRestore: '["/docs", "/missing.txt", "/docs/nope"]' },
      /ItemsToRestore names paths the recovery point does not hold: \/missing\.txt, \/docs\/nope; nothing was restored/,
    );
    await assert.rejects(readdir(join(dir, 'items')), /ENOENT/);

    const done = await restoreAndWait(client, rpArn, ROLE, { RestorePath: join(dir, 'fresh', 'deep', 'copy') });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(await readFile(join(dir, 'fresh', 'deep', 'copy', 'a.txt'), 'utf8'), 'from the backup\n');
    assert.equal(done.CreatedResourceArn, `file:${join(dir, 'fresh', 'deep', 'copy')}`);
    assert.deepEqual(await leftovers(dir), []);
  });

  test('with restoreRoots: only strictly inside a root; a root that is a symbolic link is trusted, links below it are not', async () => {
    const { dir, endpoint } = rooted();
    const { client, rpArn } = await backedUp(dir, endpoint);
    await mkdir(join(dir, 'real-root'));
    await symlink(join(dir, 'real-root'), join(dir, 'linked-root'));

    await failsWith(
      client,
      rpArn,
      { RestorePath: join(dir, 'outside') },
      /RestorePath .*outside is outside the restore roots \(restoreRoots in the config: .*restores, .*linked-root\): name a new directory inside one of them/,
    );
    await failsWith(client, rpArn, { RestorePath: join(dir, 'restores') }, /outside the restore roots/);
    const ok = await restoreAndWait(client, rpArn, ROLE, { RestorePath: join(dir, 'linked-root', 'one') });
    assert.equal(ok.Status, 'COMPLETED', ok.StatusMessage);
    assert.equal(await readFile(join(dir, 'real-root', 'one', 'a.txt'), 'utf8'), 'from the backup\n');
    await symlink(join(dir, 'source'), join(dir, 'real-root', 'sneaky'));
    await failsWith(client, rpArn, { RestorePath: join(dir, 'linked-root', 'sneaky', 'x') }, /goes through the symbolic link .*sneaky/);
    const inRoot = await restoreAndWait(client, rpArn, ROLE, { RestorePath: join(dir, 'restores', '2024', 'two') });
    assert.equal(inRoot.Status, 'COMPLETED', inRoot.StatusMessage);
    assert.deepEqual(await readdir(join(dir, 'source')), ['a.txt', 'docs'], 'the source was never written into');
    assert.deepEqual(await leftovers(dir), []);
  });
});
