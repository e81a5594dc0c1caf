/**
 * kill -9 of `coffer serve` at random points of a backup job, a restore job, a copy job and a
 * DeleteRecoveryPoint (forget + prune) (issue 12). After every kill and restart: the job ends
 * (FAILED saying Coffer restarted, or COMPLETED when it had finished), no job or point stays
 * half-way (a point left DELETING is erased at the restart), both vault repositories pass restic's `check --read-data` as they were left (no
 * lock), a follow-up of the same kind completes, and the full `check --read-data` passes. A
 * killed restore leaves neither its target nor its staging directory. Rounds: a few in
 * `npm test`, many with COFFER_ROBUSTNESS=full (bench/robustness.ts).
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { reportFigures, rounds, seededRandom } from '../support/robustness.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { startCofferProcess, withTempDir, writeConfig } from './support/coffer-process.js';
import type { CofferProcess } from './support/coffer-process.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const ROUNDS = rounds(1, 6);
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-kill`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const SCOPE = { accountId: ALPHA.accountId, region: 'us-east-1' };
const COPIES_ARN = `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:copies`;
const yaml = `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${RESOURCE_ARN}", path: ./source }\n`;
const ENDED = ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'];

type Kind = 'backup' | 'restore' | 'copy' | 'delete';

test(`kill -9 of coffer serve during backup, restore, copy and delete jobs (${ROUNDS} rounds each)`, { timeout: 1_800_000 }, async (t) => {
  const random = seededRandom(t);
  await withTempDir(async (dir) => {
    const data = join(dir, 'data');
    const config = await writeConfig(dir, yaml);
    let server: CofferProcess = await startCofferProcess({ args: ['--config', config], cwd: dir });
    let client: BackupClient = sdk(server.endpoint, keysOf(ALPHA));
    const restart = async (): Promise<void> => {
      assert.deepEqual(await server.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });
      server = await startCofferProcess({ args: ['--config', config], cwd: dir });
      client = sdk(server.endpoint, keysOf(ALPHA));
    };
    try {
      await mkdir(join(dir, 'source'));
      await mkdir(join(dir, 'restores'));
      let fileNo = 0;
      const addData = async (): Promise<void> => {
        for (let i = 0; i < 4; i++, fileNo++) await writeFile(join(dir, 'source', `f${fileNo}.bin`), randomData(2 * 1024 * 1024, fileNo + 1));
      };
      await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'kill' }));
      await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'copies' }));

      const start = async (kind: Kind, rpArn: string): Promise<string> => {
        if (kind === 'backup')
          return (await client.send(new StartBackupJobCommand({ BackupVaultName: 'kill', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }))).BackupJobId!;
        if (kind === 'restore') {
          const target = join(dir, 'restores', `t${fileNo}-${Math.floor(random() * 1e9)}`);
          return (await client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { RestorePath: target } })))
            .RestoreJobId!;
        }
        if (kind === 'copy')
          return (
            await client.send(
              new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: 'kill', DestinationBackupVaultArn: COPIES_ARN, IamRoleArn: ROLE }),
            )
          ).CopyJobId!;
        await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'kill', RecoveryPointArn: rpArn }));
        return rpArn;
      };
      /** The job's state now (for a delete: COMPLETED once the point is gone). */
      const poll = async (kind: Kind, id: string): Promise<{ state: string; message: string; rpArn?: string | undefined }> => {
        if (kind === 'delete') {
          const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'kill', RecoveryPointArn: id })).catch((e: Error) => e);
          return point instanceof Error
            ? { state: point.name === 'ResourceNotFoundException' ? 'COMPLETED' : point.name, message: point.message }
            : { state: point.Status ?? '?', message: point.StatusMessage ?? '' };
        }
        if (kind === 'backup') {
          const j = await client.send(new DescribeBackupJobCommand({ BackupJobId: id }));
          return { state: j.State ?? '?', message: j.StatusMessage ?? '', rpArn: j.RecoveryPointArn };
        }
        if (kind === 'restore') {
          const j = await client.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
          return { state: j.Status ?? '?', message: j.StatusMessage ?? '' };
        }
        const j = (await client.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob!;
        return { state: j.State ?? '?', message: j.StatusMessage ?? '' };
      };
      /** Waits (through a restart) for the job's end; a delete ends when the point is no longer DELETING. */
      const ended = (kind: Kind, id: string) =>
        waitFor(
          `${kind} ${id}`,
          () => poll(kind, id),
          (s) => (kind === 'delete' ? s.state !== 'DELETING' : ENDED.includes(s.state)),
          180_000,
        );

      await addData();
      const firstStarted = Date.now();
      const first = await ended('backup', await start('backup', ''));
      const refMs = Date.now() - firstStarted;
      assert.equal(first.state, 'COMPLETED', first.message);
      const keptRp = first.rpArn!;
      const repo = vaultRepoPath(data, SCOPE, 'kill');
      const pw = await writeVaultPasswordFile(data, SCOPE, 'kill', join(dir, 'pw'));
      let copiesPw: string | undefined;
      const check = (noLock: boolean): void => {
        const flags = noLock ? ['check', '--no-lock', '--read-data'] : ['check', '--read-data'];
        resticOk(repo, pw, flags);
        if (copiesPw !== undefined) resticOk(vaultRepoPath(data, SCOPE, 'copies'), copiesPw, flags);
      };

      const killed: Record<Kind, number> = { backup: 0, restore: 0, copy: 0, delete: 0 };
      const deletable: string[] = [];
      for (const kind of ['backup', 'copy', 'restore', 'delete'] as const) {
        for (let i = 0; i < ROUNDS; i++) {
          if (kind === 'backup') await addData();
          if (kind === 'delete' && deletable.length === 0) {
            await addData();
            const made = await ended('backup', await start('backup', ''));
            assert.equal(made.state, 'COMPLETED', made.message);
            deletable.push(made.rpArn!);
          }
          const subject = kind === 'delete' ? deletable.pop()! : keptRp;
          const id = await start(kind, subject);
          // An erasure takes a moment only: killed within its first 50 ms, it is mostly caught DELETING.
          await sleep(Math.floor(random() * (kind === 'delete' ? 50 : refMs * 1.2)));
          const beforeKill = await poll(kind, id);
          await restart();
          const end = await ended(kind, id);
          if (beforeKill.state !== end.state) killed[kind]++;
          if (kind === 'delete') assert.equal(end.state, 'COMPLETED', `a point left DELETING by the kill is erased at the restart: ${JSON.stringify(end)}`);
          if (end.state !== 'COMPLETED') assert.match(end.message, /restarted/, `${kind}: ${JSON.stringify(end)}`);
          if (kind === 'backup' && end.state === 'COMPLETED') deletable.push(end.rpArn!);
          if (kind === 'copy' && copiesPw === undefined && end.state === 'COMPLETED')
            copiesPw = await writeVaultPasswordFile(data, SCOPE, 'copies', join(dir, 'copies-pw'));
          check(true);
          // The follow-up: the same kind of work, to its end.
          if (kind === 'delete' && end.state !== 'COMPLETED') {
            await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'kill', RecoveryPointArn: subject }));
            assert.equal((await ended('delete', subject)).state, 'COMPLETED');
          } else if (kind !== 'delete') {
            const next = await ended(kind, await start(kind, keptRp));
            assert.equal(next.state, 'COMPLETED', `the ${kind} after the kill: ${next.message}`);
            if (kind === 'backup') deletable.push(next.rpArn!);
            if (kind === 'copy' && copiesPw === undefined) copiesPw = await writeVaultPasswordFile(data, SCOPE, 'copies', join(dir, 'copies-pw'));
          }
          check(false);
          if (kind === 'restore') {
            const left = (await readdir(join(dir, 'restores'), { recursive: true })).filter((p) => p.includes('.coffer-restore-'));
            assert.deepEqual(left, [], 'no staging directory of a killed restore is left');
          }
        }
      }
      reportFigures(t, 'service kill -9', {
        rounds: ROUNDS * 4,
        ...Object.fromEntries(Object.entries(killed).map(([k, v]) => [`${k}Interrupted`, `${v}/${ROUNDS}`])),
        firstBackupMs: refMs,
      });
    } finally {
      const exit = await server.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
    }
  });
});
