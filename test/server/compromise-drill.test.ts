/**
 * The compromise drill: production (111111111111) is taken over, its credentials in an attacker's
 * hands. The backup account (222222222222, same organization) keeps recovery points in a vault
 * whose access policy lets production only copy in (backup:CopyIntoBackupVault) and whose
 * compliance vault lock is past its LockDate (manual clock). Every attempt by production to
 * destroy, shorten or read the backup account's copies fails with its own error; the backup
 * account itself can neither delete nor shorten inside the locked vault; the copies still restore.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupVaultCommand,
  DescribeGlobalSettingsCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  UpdateGlobalSettingsCommand,
  UpdateRecoveryPointLifecycleCommand,
} from '@aws-sdk/client-backup';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, KMSClient, PutKeyPolicyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { ALPHA, BETA } from './support/accounts.js';
import type { TestAccount } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const PRODUCTION = ALPHA;
const BACKUP = BETA;
const START = new Date('2027-06-01T00:00:00Z');
const VAULT = 'bunker';
const B_RESOURCE = `arn:aws:elasticfilesystem:us-east-1:${BACKUP.accountId}:file-system/fs-ledger`;
const A_RESOURCE = `arn:aws:elasticfilesystem:us-east-1:${PRODUCTION.accountId}:file-system/fs-prod`;

const yaml = `listen: 127.0.0.1:0
dataDir: ./data
organization: { managementAccount: "${PRODUCTION.accountId}" }
accounts:
${[PRODUCTION, BACKUP]
  .map(
    (a) => `  - id: "${a.accountId}"
    name: ${a.name}
    accessKeys: [{ id: ${a.accessKeyId}, secret: "${a.secretAccessKey}" }]`,
  )
  .join('\n')}
regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1" }
resources:
  - { arn: "${B_RESOURCE}", path: ./ledger }
  - { arn: "${A_RESOURCE}", path: ./prod }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

function kms(account: TestAccount): KMSClient {
  return new KMSClient({ endpoint: server().endpoint, region: 'us-east-1', maxAttempts: 1, credentials: keysOf(account) });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, 'the call should have failed');
  return err;
}

describe('compromise drill', () => {
  test("production cannot destroy, shorten or read the backup account's locked copies; they still restore", async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'ledger'), { recursive: true });
    await mkdir(join(dir, 'prod'), { recursive: true });
    await writeFile(join(dir, 'ledger', 'ledger.csv'), 'day,amount\n1,100\n2,250\n');
    await writeFile(join(dir, 'prod', 'app.txt'), 'production\n');
    const prod = sdk(endpoint, keysOf(PRODUCTION));
    const bunker = sdk(endpoint, keysOf(BACKUP));

    // Organization settings: only the management account (production here) reads or changes them.
    const member = await failure(bunker.send(new DescribeGlobalSettingsCommand({})));
    assert.equal(member.name, 'InvalidRequestException', member.message);
    assert.match(member.message, /member account of organization o-[a-z0-9]+; only its management account 111111111111/);
    const badValue = await failure(prod.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: 'yes' } })));
    assert.equal(badValue.name, 'InvalidParameterValueException', badValue.message);
    await prod.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: 'true' } }));
    const settings = await prod.send(new DescribeGlobalSettingsCommand({}));
    assert.equal(settings.GlobalSettings?.['isCrossAccountBackupEnabled'], 'true');
    assert.equal(settings.LastUpdateTime?.toISOString(), START.toISOString());

    // The backup account: its own key, its vault, a backup (then kept 90 days), the policy, the compliance lock.
    const key = (await kms(BACKUP).send(new CreateKeyCommand({ Description: 'bunker key' }))).KeyMetadata!;
    await bunker.send(new CreateBackupVaultCommand({ BackupVaultName: VAULT, EncryptionKeyArn: key.Arn }));
    const { rpArn } = await backupAndWait(bunker, VAULT, B_RESOURCE, BACKUP_ROLE(BACKUP.accountId));
    await bunker.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: VAULT, RecoveryPointArn: rpArn, Lifecycle: { DeleteAfterDays: 90 } }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProductionCopiesIn',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${PRODUCTION.accountId}:root` },
          Action: 'backup:CopyIntoBackupVault',
          Resource: '*',
        },
      ],
    };
    await bunker.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: VAULT, Policy: JSON.stringify(policy) }));
    await bunker.send(
      new PutBackupVaultLockConfigurationCommand({ BackupVaultName: VAULT, MinRetentionDays: 30, MaxRetentionDays: 365, ChangeableForDays: 3 }),
    );
    await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'P4D' }) });
    const locked = await bunker.send(new DescribeBackupVaultCommand({ BackupVaultName: VAULT }));
    assert.ok(locked.LockDate !== undefined && locked.LockDate.getTime() < START.getTime() + 4 * 86_400_000, 'past its LockDate');

    // Production's attempts, each with its error.
    const point = { BackupVaultName: VAULT, RecoveryPointArn: rpArn };
    const denied = /^User: arn:aws:iam::111111111111:root is not authorized to perform: backup:\w+ on resource: arn:aws:backup:us-east-1:222222222222:/;
    const attempts: [string, () => Promise<unknown>, string, RegExp][] = [
      ['DeleteRecoveryPoint by ARN', () => prod.send(new DeleteRecoveryPointCommand(point)), 'AccessDeniedException', denied],
      [
        'UpdateRecoveryPointLifecycle',
        () => prod.send(new UpdateRecoveryPointLifecycleCommand({ ...point, Lifecycle: { DeleteAfterDays: 1 } })),
        'AccessDeniedException',
        denied,
      ],
      ['DescribeRecoveryPoint', () => prod.send(new DescribeRecoveryPointCommand(point)), 'AccessDeniedException', denied],
      ['GetRecoveryPointRestoreMetadata', () => prod.send(new GetRecoveryPointRestoreMetadataCommand(point)), 'AccessDeniedException', denied],
      [
        "StartRestoreJob of B's point",
        () =>
          prod.send(
            new StartRestoreJobCommand({
              RecoveryPointArn: rpArn,
              IamRoleArn: BACKUP_ROLE(PRODUCTION.accountId),
              Metadata: { RestorePath: join(dir, 'stolen') },
            }),
          ),
        'AccessDeniedException',
        denied,
      ],
      [
        'ListRecoveryPointsByBackupVault with BackupVaultAccountId',
        () => prod.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: VAULT, BackupVaultAccountId: BACKUP.accountId })),
        'AccessDeniedException',
        denied,
      ],
      // Vault-level operations take a vault name, which always means a vault of the caller's own account.
      ['DeleteBackupVault', () => prod.send(new DeleteBackupVaultCommand({ BackupVaultName: VAULT })), 'ResourceNotFoundException', /account 111111111111/],
      [
        'PutBackupVaultAccessPolicy',
        () =>
          prod.send(
            new PutBackupVaultAccessPolicyCommand({
              BackupVaultName: VAULT,
              Policy: JSON.stringify({ ...policy, Statement: [{ ...policy.Statement[0], Action: 'backup:*' }] }),
            }),
          ),
        'ResourceNotFoundException',
        /account 111111111111/,
      ],
      [
        'DeleteBackupVaultAccessPolicy',
        () => prod.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: VAULT })),
        'ResourceNotFoundException',
        /account 111111111111/,
      ],
      [
        'DeleteBackupVaultLockConfiguration',
        () => prod.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: VAULT })),
        'ResourceNotFoundException',
        /account 111111111111/,
      ],
      [
        "StartBackupJob into B's vault",
        () =>
          prod.send(
            new StartBackupJobCommand({
              BackupVaultName: VAULT,
              ResourceArn: A_RESOURCE,
              IamRoleArn: BACKUP_ROLE(PRODUCTION.accountId),
              Lifecycle: { DeleteAfterDays: 1 },
            }),
          ),
        'ResourceNotFoundException',
        /account 111111111111/,
      ],
      [
        'DescribeBackupVault with BackupVaultAccountId',
        () => prod.send(new DescribeBackupVaultCommand({ BackupVaultName: VAULT, BackupVaultAccountId: BACKUP.accountId })),
        'ResourceNotFoundException',
        /not shared with account 111111111111/,
      ],
      [
        'KMS ScheduleKeyDeletion',
        () => kms(PRODUCTION).send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn, PendingWindowInDays: 7 })),
        'AccessDeniedException',
        /kms:ScheduleKeyDeletion/,
      ],
      ['KMS DisableKey', () => kms(PRODUCTION).send(new DisableKeyCommand({ KeyId: key.Arn })), 'AccessDeniedException', /kms:DisableKey/],
      [
        'KMS PutKeyPolicy',
        () =>
          kms(PRODUCTION).send(
            new PutKeyPolicyCommand({
              KeyId: key.Arn,
              PolicyName: 'default',
              Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }),
            }),
          ),
        'AccessDeniedException',
        /kms:PutKeyPolicy/,
      ],
    ];
    const answers: string[] = [];
    for (const [what, call, name, message] of attempts) {
      const err = await failure(call());
      assert.equal(err.name, name, `${what}: ${err.message}`);
      assert.match(err.message, message, what);
      answers.push(`${what}: ${err.name}`);
    }
    // The vault ARN in place of a name is not a vault name at all (the model's pattern).
    const byArn = await signedRequest(endpoint, keysOf(PRODUCTION), {
      method: 'GET',
      path: `/backup-vaults/${encodeURIComponent(`arn:aws:backup:us-east-1:${BACKUP.accountId}:backup-vault:${VAULT}`)}/recovery-points/`,
    });
    assert.equal(byArn.status, 400, byArn.text);
    answers.push(`ListRecoveryPointsByBackupVault by vault ARN: ${byArn.headers.get('x-amzn-errortype') ?? byArn.status}`);
    process.stdout.write(`# production's attempts:\n${answers.map((a) => `#   ${a}`).join('\n')}\n`);

    // The backup account itself cannot delete or shorten inside its compliance-locked vault, nor unlock or delete it.
    for (const call of [
      () => bunker.send(new DeleteRecoveryPointCommand(point)),
      () => bunker.send(new UpdateRecoveryPointLifecycleCommand({ ...point, Lifecycle: { DeleteAfterDays: 31 } })),
      () => bunker.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: VAULT })),
      () => bunker.send(new DeleteBackupVaultCommand({ BackupVaultName: VAULT })),
    ])
      assert.equal((await failure(call())).name, 'InvalidRequestException');
    assert.equal((await kms(BACKUP).send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata?.KeyState, 'Enabled');

    // A governance lock, by contrast, is removed by its owner.
    await bunker.send(new CreateBackupVaultCommand({ BackupVaultName: 'scratch' }));
    await bunker.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'scratch', MinRetentionDays: 7 }));
    await bunker.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: 'scratch' }));
    assert.equal((await bunker.send(new DescribeBackupVaultCommand({ BackupVaultName: 'scratch' }))).Locked, false);

    // The copies still restore in the backup account.
    const metadata = await bunker.send(new GetRecoveryPointRestoreMetadataCommand(point));
    const target = join(dir, 'restored');
    const restore = await restoreAndWait(bunker, rpArn, BACKUP_ROLE(BACKUP.accountId), { ...metadata.RestoreMetadata, RestorePath: target });
    assert.equal(restore.Status, 'COMPLETED', restore.StatusMessage);
    assert.equal(await readFile(join(target, 'ledger.csv'), 'utf8'), 'day,amount\n1,100\n2,250\n');
  });
});
