/**
 * IamRoleArn means something: a backup job whose role does not exist, cannot be assumed by AWS
 * Backup or lacks the permission for its resource FAILS with the reason and the fix; the same
 * job with the role fixed (AWS's managed backup policy attached through IAM) COMPLETES.
 */
// test-needs: coffer
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { boto3, keysOf, sdk } from './support/clients.js';
import { waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-roles`;
const server = useCoffer({ yaml: `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${RESOURCE_ARN}", path: ./source }\n` });
const TRUST_BACKUP = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

async function backupWith(role: string): Promise<{ state: string; message: string }> {
  const client = sdk(server().endpoint, keysOf(ALPHA));
  const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'roles', ResourceArn: RESOURCE_ARN, IamRoleArn: role }));
  const job = await waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(j.State ?? '') || /^Attempt \d+ failed/.test(j.StatusMessage ?? ''),
  );
  return { state: job.State ?? '', message: job.StatusMessage ?? '' };
}

test('backup jobs fail for a missing, unassumable or powerless role and complete once the role may back up', async () => {
  await mkdir(join(server().dir, 'source'), { recursive: true });
  await writeFile(join(server().dir, 'source', 'a.txt'), 'roles\n');
  await sdk(server().endpoint, keysOf(ALPHA)).send(new CreateBackupVaultCommand({ BackupVaultName: 'roles' }));
  const role = (name: string) => `arn:aws:iam::${ALPHA.accountId}:role/${name}`;

  const missing = await backupWith(role('ghost'));
  assert.equal(missing.state, 'FAILED');
  assert.match(missing.message, /^Backup job failed\. IAM role arn:aws:iam::111111111111:role\/ghost does not exist in account 111111111111\./);

  const setup = await boto3(
    server().endpoint,
    keysOf(ALPHA),
    [
      {
        method: 'create_role',
        params: {
          RoleName: 'people',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: ALPHA.accountId }, Action: 'sts:AssumeRole' }],
          }),
        },
      },
      { method: 'create_role', params: { RoleName: 'backup', AssumeRolePolicyDocument: TRUST_BACKUP } },
    ],
    'us-east-1',
    'iam',
  );
  assert.ok(
    setup.every((r) => 'ok' in r),
    JSON.stringify(setup),
  );
  const unassumable = await backupWith(role('people'));
  assert.equal(unassumable.state, 'FAILED');
  assert.match(unassumable.message, /AWS Backup cannot assume IAM role .*people: its trust policy does not allow the service principal backup\.amazonaws\.com/);
  const powerless = await backupWith(role('backup'));
  assert.equal(powerless.state, 'FAILED');
  assert.match(
    powerless.message,
    new RegExp(`is not authorized to perform: elasticfilesystem:Backup on resource: ${RESOURCE_ARN}.*aws iam attach-role-policy --role-name backup`),
  );

  const [attached] = await boto3(
    server().endpoint,
    keysOf(ALPHA),
    [{ method: 'attach_role_policy', params: { RoleName: 'backup', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' } }],
    'us-east-1',
    'iam',
  );
  assert.ok(attached && 'ok' in attached);
  assert.deepEqual(await backupWith(role('backup')), { state: 'COMPLETED', message: '' });
});

test('iam:PassRole: a role session may name an IamRoleArn only when its policies allow passing that role to AWS Backup; the account root always may', async () => {
  const role = (name: string) => `arn:aws:iam::${ALPHA.accountId}:role/${name}`;
  const [assumed] = await boto3(
    server().endpoint,
    keysOf(ALPHA),
    [{ method: 'assume_role', params: { RoleArn: role('people'), RoleSessionName: 'ops' } }],
    'us-east-1',
    'sts',
  );
  assert.ok(assumed && 'ok' in assumed, JSON.stringify(assumed));
  const creds = (assumed.ok as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials;
  const session = sdk(server().endpoint, { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken });
  const start = () => session.send(new StartBackupJobCommand({ BackupVaultName: 'roles', ResourceArn: RESOURCE_ARN, IamRoleArn: role('backup') }));
  const denied = await start().then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string },
  );
  assert.equal(denied?.name, 'AccessDeniedException');
  assert.match(
    denied?.message ?? '',
    /^User: arn:aws:sts::111111111111:assumed-role\/people\/ops is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role\/backup because no identity-based policy allows the iam:PassRole action/,
  );
  const plan = await sdk(server().endpoint, keysOf(ALPHA)).send(
    new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'pass-role', Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'roles' }] } }),
  );
  const selection = { SelectionName: 'all', IamRoleArn: role('backup'), Resources: [RESOURCE_ARN] };
  const selectionDenied = await session.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: selection })).then(
    () => undefined,
    (e: unknown) => e as { name: string },
  );
  assert.equal(selectionDenied?.name, 'AccessDeniedException');

  const passOnlyToOtherServices = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: role('backup'), Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } },
    ],
  });
  const passToBackup = passOnlyToOtherServices.replace('ec2.amazonaws.com', 'backup.amazonaws.com');
  const put = (document: string) =>
    boto3(
      server().endpoint,
      keysOf(ALPHA),
      [{ method: 'put_role_policy', params: { RoleName: 'people', PolicyName: 'pass', PolicyDocument: document } }],
      'us-east-1',
      'iam',
    );
  await put(passOnlyToOtherServices);
  assert.equal(
    await start().then(
      () => 'started',
      (e: { name: string }) => e.name,
    ),
    'AccessDeniedException',
  );
  await put(passToBackup);
  const started = await start();
  assert.ok(started.BackupJobId);
  await session.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: selection }));
  // the account root passes any role of its own account, and no role of another account
  const other = await sdk(server().endpoint, keysOf(ALPHA))
    .send(new StartBackupJobCommand({ BackupVaultName: 'roles', ResourceArn: RESOURCE_ARN, IamRoleArn: 'arn:aws:iam::222222222222:role/backup' }))
    .then(
      () => undefined,
      (e: unknown) => e as { name: string; message: string },
    );
  assert.equal(other?.name, 'AccessDeniedException');
  assert.match(other?.message ?? '', /the role belongs to account 222222222222/);
});
