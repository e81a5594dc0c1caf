/**
 * Backup and restore jobs through the AWS SDK, waited for until they end: what the server-level
 * connector tests (DynamoDB, S3, MariaDB) share.
 */
import assert from 'node:assert/strict';
import { DescribeBackupJobCommand, DescribeRestoreJobCommand, StartBackupJobCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import type { BackupClient, DescribeBackupJobCommandOutput, DescribeRestoreJobCommandOutput } from '@aws-sdk/client-backup';

export const BACKUP_ROLE = (accountId: string): string => `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`;

export async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface FinishedBackup {
  readonly rpArn: string;
  readonly job: DescribeBackupJobCommandOutput;
}

/** StartBackupJob, then waits for COMPLETED (fails the test with the StatusMessage otherwise). */
export async function backupAndWait(client: BackupClient, vault: string, resourceArn: string, role: string): Promise<FinishedBackup> {
  const started = await client.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: role }));
  const job = await waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    // A failed attempt may wait for a retry within the start window: stop there too.
    (j) => ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(j.State ?? '') || /^Attempt \d+ failed/.test(j.StatusMessage ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  return { rpArn: started.RecoveryPointArn!, job };
}

/** StartRestoreJob, then waits until it is COMPLETED or FAILED. */
export async function restoreAndWait(
  client: BackupClient,
  rpArn: string,
  role: string,
  metadata: Record<string, string>,
): Promise<DescribeRestoreJobCommandOutput> {
  const started = await client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: role, Metadata: metadata }));
  return waitFor(
    'restore job',
    () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(j.Status ?? ''),
  );
}

/** StartRestoreJob is refused with InvalidParameterValueException whose message names `key`. */
export async function assertRestoreRefused(client: BackupClient, rpArn: string, role: string, metadata: Record<string, string>, key: string): Promise<string> {
  const err = await client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: role, Metadata: metadata })).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, `StartRestoreJob with ${JSON.stringify(metadata)} should be refused`);
  assert.equal(err.name, 'InvalidParameterValueException', err.message);
  assert.match(err.message, new RegExp(key), `the message names ${key}`);
  return err.message;
}
