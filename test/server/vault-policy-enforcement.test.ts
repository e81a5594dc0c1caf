/**
 * Vault access policies enforced through the real `coffer serve`: an explicit Deny stops the
 * vault's own account (DeleteRecoveryPoint, StartBackupJob, StartRestoreJob, DeleteBackupVault, StartCopyJob out of it);
 * another account may do exactly what the policy allows, by recovery point ARN or with
 * BackupVaultAccountId; policies without a Principal are refused on Put.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  UpdateRecoveryPointLifecycleCommand,
} from '@aws-sdk/client-backup';
import { accountsYaml, ALPHA, BETA } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-guarded`;

const yaml = `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA, BETA])}regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1" }
resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml });

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, 'the call should have failed');
  return err;
}

const policyOf = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('vault access policy enforcement', () => {
  test('Deny stops the owner; another account gets exactly what is allowed; Principal is required', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'f.txt'), 'guarded\n');
    const alpha = sdk(endpoint, keysOf(ALPHA));
    const beta = sdk(endpoint, keysOf(BETA));
    const role = BACKUP_ROLE(ALPHA.accountId);
    await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'guarded' }));
    await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'empty' }));
    const { rpArn } = await backupAndWait(alpha, 'guarded', RESOURCE_ARN, role);
    const point = { BackupVaultName: 'guarded', RecoveryPointArn: rpArn };

    // Without a policy another account gets nothing.
    const before = await failure(beta.send(new DescribeRecoveryPointCommand(point)));
    assert.equal(before.name, 'AccessDeniedException');
    assert.match(before.message, /belongs to account 111111111111 and has no resource policy/);

    const noPrincipal = await failure(
      alpha.send(
        new PutBackupVaultAccessPolicyCommand({
          BackupVaultName: 'guarded',
          Policy: policyOf({ Effect: 'Deny', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }),
        }),
      ),
    );
    assert.equal(noPrincipal.name, 'InvalidParameterValueException');
    assert.match(noPrincipal.message, /Principal/);

    const deny = (action: string, sid: string) => ({ Sid: sid, Effect: 'Deny', Principal: '*', Action: action, Resource: '*' });
    await alpha.send(
      new PutBackupVaultAccessPolicyCommand({
        BackupVaultName: 'guarded',
        Policy: policyOf(
          deny('backup:DeleteRecoveryPoint', 'NoDeletes'),
          deny('backup:StartBackupJob', 'NoNewBackups'),
          deny('backup:StartRestoreJob', 'NoRestores'),
          deny('backup:CopyFromBackupVault', 'NoCopiesOut'),
          {
            Sid: 'BetaReads',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${BETA.accountId}:root` },
            Action: [
              'backup:DescribeRecoveryPoint',
              'backup:ListRecoveryPointsByBackupVault',
              'backup:GetRecoveryPointRestoreMetadata',
              'backup:DeleteRecoveryPoint',
            ],
            Resource: '*',
          },
        ),
      }),
    );
    await alpha.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'empty', Policy: policyOf(deny('backup:DeleteBackupVault', 'KeepVault')) }));

    // The owner, explicitly denied.
    const ownDelete = await failure(alpha.send(new DeleteRecoveryPointCommand(point)));
    assert.equal(ownDelete.name, 'AccessDeniedException');
    assert.match(
      ownDelete.message,
      /^User: arn:aws:iam::111111111111:root is not authorized to perform: backup:DeleteRecoveryPoint on resource: arn:aws:backup:us-east-1:111111111111:recovery-point:.* explicitly denies account 111111111111 backup:DeleteRecoveryPoint \(statement "NoDeletes"\)/,
    );
    for (const [call, action] of [
      [() => alpha.send(new StartBackupJobCommand({ BackupVaultName: 'guarded', ResourceArn: RESOURCE_ARN, IamRoleArn: role })), 'backup:StartBackupJob'],
      [
        () => alpha.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: role, Metadata: { RestorePath: join(dir, 'out') } })),
        'backup:StartRestoreJob',
      ],
      [() => alpha.send(new DeleteBackupVaultCommand({ BackupVaultName: 'empty' })), 'backup:DeleteBackupVault'],
      [
        () =>
          alpha.send(
            new StartCopyJobCommand({
              RecoveryPointArn: rpArn,
              SourceBackupVaultName: 'guarded',
              DestinationBackupVaultArn: `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:empty`,
              IamRoleArn: role,
            }),
          ),
        'backup:CopyFromBackupVault',
      ],
    ] as const) {
      const err = await failure(call());
      assert.equal(err.name, 'AccessDeniedException', err.message);
      assert.match(err.message, new RegExp(`perform: ${action} `));
    }
    // Not denied: the owner may still describe and lengthen.
    assert.equal((await alpha.send(new DescribeRecoveryPointCommand(point))).RecoveryPointArn, rpArn);
    await alpha.send(new UpdateRecoveryPointLifecycleCommand({ ...point, Lifecycle: { DeleteAfterDays: 400 } }));

    // Another account: what is allowed, by ARN or BackupVaultAccountId; the Deny still wins; the rest is refused.
    assert.equal((await beta.send(new DescribeRecoveryPointCommand(point))).BackupVaultArn, `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:guarded`);
    assert.ok((await beta.send(new GetRecoveryPointRestoreMetadataCommand(point))).RestoreMetadata);
    const listed = await beta.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'guarded', BackupVaultAccountId: ALPHA.accountId }));
    assert.deepEqual(
      listed.RecoveryPoints?.map((p) => p.RecoveryPointArn),
      [rpArn],
    );
    const betaDelete = await failure(beta.send(new DeleteRecoveryPointCommand(point)));
    assert.equal(betaDelete.name, 'AccessDeniedException');
    assert.match(betaDelete.message, /explicitly denies account 222222222222/);
    const betaUpdate = await failure(beta.send(new UpdateRecoveryPointLifecycleCommand({ ...point, Lifecycle: { DeleteAfterDays: 1 } })));
    assert.equal(betaUpdate.name, 'AccessDeniedException');
    assert.match(betaUpdate.message, /has no statement allowing account 222222222222 backup:UpdateRecoveryPointLifecycle/);
    const emptyList = await failure(beta.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'empty', BackupVaultAccountId: ALPHA.accountId })));
    assert.equal(emptyList.name, 'AccessDeniedException');
    const missing = await failure(beta.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'nope', BackupVaultAccountId: ALPHA.accountId })));
    assert.equal(missing.name, 'AccessDeniedException', 'a missing vault of another account answers like a refusing one');

    // The owner lifts its own policy; then it may delete.
    await alpha.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'guarded' }));
    await alpha.send(new DeleteRecoveryPointCommand(point));
    // Erasing runs after the answer: wait for it, so the server stops with nothing in flight.
    await waitFor(
      'the recovery point erased',
      () =>
        alpha.send(new DescribeRecoveryPointCommand(point)).then(
          () => 'there',
          (e: Error) => e.name,
        ),
      (v) => v === 'ResourceNotFoundException',
      30_000,
    );
  });
});
