/**
 * Vault lock through the real `coffer serve` on the manual clock: governance mode (changeable and
 * removable by the vault's account), compliance mode (changeable until LockDate, then neither
 * changeable nor removable, and the vault cannot be deleted); deleting or shortening recovery
 * points in a locked vault is refused; backups whose retention is outside the range fail; lifecycle
 * expiry still deletes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeGlobalSettingsCommand,
  DescribeRecoveryPointCommand,
  ListBackupVaultsCommand,
  UpdateGlobalSettingsCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  UpdateRecoveryPointLifecycleCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2027-03-01T00:00:00Z');
const DAY = 86_400_000;
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-locked`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

async function postClock(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

async function backup(client: BackupClient, vault: string, deleteAfterDays: number | undefined) {
  const started = await client.send(
    new StartBackupJobCommand({
      BackupVaultName: vault,
      ResourceArn: RESOURCE_ARN,
      IamRoleArn: ROLE,
      ...(deleteAfterDays === undefined ? {} : { Lifecycle: { DeleteAfterDays: deleteAfterDays } }),
    }),
  );
  const job = await waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(j.State ?? ''),
    60_000,
  );
  return { rpArn: started.RecoveryPointArn!, job };
}

async function refused(promise: Promise<unknown>, name: string, message: RegExp): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, `expected ${name}`);
  assert.equal(err.name, name, err.message);
  assert.match(err.message, message);
  return err.message;
}

describe('vault lock', () => {
  test('governance, compliance, LockDate, refused deletes and shortenings, backups outside the range, expiry', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'a.txt'), 'locked data\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'locked' }));
    const { rpArn, job } = await backup(client, 'locked', 35);
    assert.equal(job.State, 'COMPLETED', job.StatusMessage);
    const target = { BackupVaultName: 'locked', RecoveryPointArn: rpArn };

    // No organization in this config: the defaults are read as on AWS, changing them is refused.
    const settings = await client.send(new DescribeGlobalSettingsCommand({}));
    assert.deepEqual(settings.GlobalSettings, { isCrossAccountBackupEnabled: 'false', isDelegatedAdministratorEnabled: 'false', isMpaEnabled: 'false' });
    await refused(
      client.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: 'true' } })),
      'InvalidRequestException',
      /account 111111111111 is not a member of an organization/,
    );

    // Validation.
    await refused(
      client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 7, ChangeableForDays: 2 })),
      'InvalidParameterValueException',
      /ChangeableForDays is 2; it must be at least 3/,
    );
    await refused(
      client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 50, MaxRetentionDays: 10 })),
      'InvalidParameterValueException',
      /MinRetentionDays \(50\) is greater than MaxRetentionDays \(10\)/,
    );
    await refused(
      client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'missing', MinRetentionDays: 7 })),
      'ResourceNotFoundException',
      /missing/,
    );

    // Governance mode: no LockDate, locked, removable.
    await client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 7, MaxRetentionDays: 100 }));
    let vault = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'locked' }));
    assert.equal(vault.Locked, true);
    assert.equal(vault.MinRetentionDays, 7);
    assert.equal(vault.MaxRetentionDays, 100);
    assert.equal(vault.LockDate, undefined);
    const listed = (await client.send(new ListBackupVaultsCommand({}))).BackupVaultList!.find((v) => v.BackupVaultName === 'locked')!;
    assert.deepEqual([listed.Locked, listed.MinRetentionDays, listed.MaxRetentionDays], [true, 7, 100]);

    // A locked vault refuses deletes and shortenings, for its own account too; lengthening within the range is fine.
    await refused(
      client.send(new DeleteRecoveryPointCommand(target)),
      'InvalidRequestException',
      /cannot be deleted: backup vault locked is locked by Backup Vault Lock \(MinRetentionDays 7, MaxRetentionDays 100; governance mode/,
    );
    await refused(
      client.send(new UpdateRecoveryPointLifecycleCommand({ ...target, Lifecycle: { DeleteAfterDays: 10 } })),
      'InvalidRequestException',
      /cannot be shortened/,
    );
    await refused(
      client.send(new UpdateRecoveryPointLifecycleCommand({ ...target, Lifecycle: { DeleteAfterDays: 200 } })),
      'InvalidRequestException',
      /exceeds MaxRetentionDays 100/,
    );
    const longer = await client.send(new UpdateRecoveryPointLifecycleCommand({ ...target, Lifecycle: { DeleteAfterDays: 60 } }));
    assert.equal(longer.Lifecycle?.DeleteAfterDays, 60);

    // New backups outside [Min, Max] fail with a clear StatusMessage; inside they complete.
    const tooShort = await backup(client, 'locked', 3);
    assert.equal(tooShort.job.State, 'FAILED');
    assert.match(tooShort.job.StatusMessage ?? '', /kept 3 days is shorter than MinRetentionDays 7/);
    const forever = await backup(client, 'locked', undefined);
    assert.equal(forever.job.State, 'FAILED');
    assert.match(forever.job.StatusMessage ?? '', /kept indefinitely .* exceeds MaxRetentionDays 100/);

    // Governance: the owner removes the lock; then it may delete again.
    await client.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked' }));
    vault = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'locked' }));
    assert.equal(vault.Locked, false);
    const spare = await backup(client, 'locked', 20);
    assert.equal(spare.job.State, 'COMPLETED', spare.job.StatusMessage);
    await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'locked', RecoveryPointArn: spare.rpArn }));

    // Compliance: LockDate = now + ChangeableForDays (manual clock); changeable before it.
    await client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 1, ChangeableForDays: 5 }));
    await client.send(
      new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 7, MaxRetentionDays: 100, ChangeableForDays: 3 }),
    );
    vault = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'locked' }));
    assert.equal(vault.LockDate?.toISOString(), new Date(START.getTime() + 3 * DAY).toISOString());
    await refused(client.send(new DeleteRecoveryPointCommand(target)), 'InvalidRequestException', /compliance mode, changeable until/);

    await postClock(endpoint, { advance: 'P4D' });
    await refused(
      client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked', MinRetentionDays: 1 })),
      'InvalidRequestException',
      /became immutable on 2027-03-04T00:00:00.000Z/,
    );
    await refused(
      client.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: 'locked' })),
      'InvalidRequestException',
      /can no longer be changed or deleted/,
    );
    await refused(
      client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'locked' })),
      'InvalidRequestException',
      /cannot be deleted: its vault lock is in compliance mode and immutable/,
    );
    await refused(client.send(new DeleteRecoveryPointCommand(target)), 'InvalidRequestException', /compliance mode, immutable since/);
    await refused(
      client.send(new UpdateRecoveryPointLifecycleCommand({ ...target, Lifecycle: { DeleteAfterDays: 8 } })),
      'InvalidRequestException',
      /cannot be shortened/,
    );

    // Lifecycle expiry still deletes inside the compliance-locked vault (created on day 0, kept 60 days).
    const report = await postClock(endpoint, { advance: 'P60D' });
    assert.equal(report['recoveryPointsDeleted'], 1, JSON.stringify(report));
    await refused(client.send(new DescribeRecoveryPointCommand(target)), 'ResourceNotFoundException', /does not exist/);
  });
});
