/**
 * Terraform with the AWS provider 5.100 against Coffer, as infrastructure code uses it: applies
 * the cross-region + cross-account configuration in cross-account/main.tf (three provider
 * aliases whose blocks name only a region and Coffer's endpoints; the backup account is reached
 * by STS AssumeRole), re-plans it with no changes, checks what it made through the AWS SDK, and
 * destroys it. Skipped with a message where Terraform or the provider mirror is absent.
 */
// test-needs: coffer, terraform
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DescribeBackupVaultCommand,
  DescribeFrameworkCommand,
  DescribeReportJobCommand,
  DescribeReportPlanCommand,
  ListFrameworksCommand,
  ListReportPlansCommand,
  StartReportJobCommand,
  GetBackupPlanCommand,
  GetRestoreTestingPlanCommand,
  ListBackupVaultsCommand,
  ListRestoreTestingPlansCommand,
  ListRestoreTestingSelectionsCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, BETA, accountsYaml, REGIONS } from '../server/support/accounts.js';
import { boto3, isolatedAwsEnv, keysOf, sdk } from '../server/support/clients.js';
import { useCoffer } from '../server/support/server-fixture.js';

const MIRROR = '/opt/tf-plugins';
const PROVIDER = join(MIRROR, 'registry.terraform.io/hashicorp/aws/5.100.0');
const FIXTURE = fileURLToPath(new URL('./cross-account/', import.meta.url));

function missing(): string | undefined {
  if (spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0) return 'terraform is not on PATH (Terraform 1.11 is needed)';
  if (!existsSync(PROVIDER)) return `the AWS provider 5.100.0 is not in the filesystem mirror ${MIRROR}`;
  return undefined;
}

const absent = missing();
if (absent !== undefined) console.log(`# skipping the Terraform suite: ${absent}`);

const server = useCoffer({
  yaml: `listen: 127.0.0.1:0
dataDir: ./data
organization: { managementAccount: "${ALPHA.accountId}" }
${accountsYaml([ALPHA, BETA])}regions:
${REGIONS.map((r) => `  - { name: ${r}, storage: "file:./data/vaults/${r}" }`).join('\n')}
`,
});

interface Run {
  readonly status: number | null;
  readonly output: string;
}

function terraform(dir: string, args: readonly string[]): Promise<Run> {
  const env = isolatedAwsEnv({
    AWS_ACCESS_KEY_ID: ALPHA.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ALPHA.secretAccessKey,
    TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_VAR_endpoint: server().endpoint,
    TF_VAR_backup_account: BETA.accountId,
  });
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd: dir, env });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output }));
  });
}

async function ok(dir: string, args: readonly string[]): Promise<string> {
  const run = await terraform(dir, args);
  assert.equal(run.status, 0, `terraform ${args.join(' ')} failed:\n${run.output}`);
  return run.output;
}

test('apply, re-plan with no changes, and destroy the cross-region + cross-account setup', { skip: absent }, async () => {
  const dir = join(server().dir, 'tf');
  await cp(FIXTURE, dir, { recursive: true });
  await writeFile(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
  // What the backup account's administrators set up once: a role the production account may assume.
  const [role] = await boto3(
    server().endpoint,
    keysOf(BETA),
    [
      {
        method: 'create_role',
        params: {
          RoleName: 'coffer-terraform',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ALPHA.accountId}:root` }, Action: 'sts:AssumeRole' }],
          }),
        },
      },
    ],
    'us-east-1',
    'iam',
  );
  assert.ok(role && 'ok' in role, JSON.stringify(role));

  await ok(dir, ['init', '-no-color']);
  const applied = await ok(dir, ['apply', '-auto-approve', '-no-color']);
  assert.match(applied, /Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
  assert.match(applied, new RegExp(`vaults_account = "${BETA.accountId}"`), 'the vaults alias acts in the backup account');

  const plan = await terraform(dir, ['plan', '-detailed-exitcode', '-no-color']);
  assert.equal(plan.status, 0, `the re-plan wants changes:\n${plan.output}`);
  assert.match(plan.output, /No changes\. Your infrastructure matches the configuration\./);

  const central = await sdk(server().endpoint, keysOf(BETA)).send(new DescribeBackupVaultCommand({ BackupVaultName: 'central' }));
  assert.equal(central.Locked, true);
  assert.equal(central.MinRetentionDays, 7);
  assert.match(central.EncryptionKeyArn ?? '', new RegExp(`^arn:aws:kms:us-east-1:${BETA.accountId}:key/`));
  const dr = await sdk(server().endpoint, keysOf(ALPHA), 'eu-west-1').send(new ListBackupVaultsCommand({}));
  assert.deepEqual(
    dr.BackupVaultList?.map((v) => v.BackupVaultName),
    ['dr'],
  );
  const state = JSON.parse(await ok(dir, ['show', '-json'])) as {
    values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
  };
  const planId = state.values.root_module.resources.find((r) => r.address === 'aws_backup_plan.prod')?.values['id'];
  const got = await sdk(server().endpoint, keysOf(ALPHA)).send(new GetBackupPlanCommand({ BackupPlanId: String(planId) }));
  const daily = got.BackupPlan?.Rules?.find((r) => r.RuleName === 'daily');
  assert.deepEqual(daily?.CopyActions?.map((c) => c.DestinationBackupVaultArn).sort(), [
    `arn:aws:backup:eu-west-1:${ALPHA.accountId}:backup-vault:dr`,
    `arn:aws:backup:us-east-1:${BETA.accountId}:backup-vault:central`,
  ]);

  // restore-testing.tf: the plan and its selections as AWS Backup answers them.
  const prod = sdk(server().endpoint, keysOf(ALPHA));
  const testing = (await prod.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: 'nightly_restore_test' }))).RestoreTestingPlan;
  assert.equal(testing?.ScheduleExpressionTimezone, 'Europe/Berlin');
  assert.deepEqual(testing?.RecoveryPointSelection?.IncludeVaults, [`arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:prod`]);
  assert.match(applied, new RegExp(`restore_testing_plan_arn = "${testing?.RestoreTestingPlanArn}"`));
  const selections = await prod.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: 'nightly_restore_test' }));
  assert.deepEqual(
    selections.RestoreTestingSelections?.map((s) => [s.RestoreTestingSelectionName, s.ProtectedResourceType, s.ValidationWindowHours]),
    [
      ['gold_databases', 'RDS', 0],
      ['uploads', 'EFS', 2],
    ],
  );

  // iam.tf: the backup role with AWS's two policies attached, and an operator role that may pass it.
  assert.match(applied, new RegExp(`backup_role_arn = "arn:aws:iam::${ALPHA.accountId}:role/coffer-backup"`));
  const iam = await boto3(
    server().endpoint,
    keysOf(ALPHA),
    [
      { method: 'list_attached_role_policies', params: { RoleName: 'coffer-backup' } },
      { method: 'get_role_policy', params: { RoleName: 'coffer-backup-operator', PolicyName: 'pass-backup-role' } },
      { method: 'list_attached_role_policies', params: { RoleName: 'coffer-backup-operator' } },
    ],
    'us-east-1',
    'iam',
  );
  const [attachedToBackup, passPolicy, attachedToOperator] = iam.map((r) => {
    assert.ok('ok' in r, JSON.stringify(r));
    return r.ok;
  });
  assert.deepEqual((attachedToBackup!['AttachedPolicies'] as { PolicyName: string }[]).map((p) => p.PolicyName).sort(), [
    'AWSBackupServiceRolePolicyForBackup',
    'AWSBackupServiceRolePolicyForRestores',
  ]);
  assert.match(JSON.stringify(passPolicy!['PolicyDocument']), /iam:PassedToService/);
  assert.deepEqual(
    (attachedToOperator!['AttachedPolicies'] as { PolicyName: string }[]).map((p) => p.PolicyName),
    ['AWSBackupOperatorAccess'],
  );
  // audit.tf: the framework and report plans as AWS Backup answers them.
  const framework = await prod.send(new DescribeFrameworkCommand({ FrameworkName: 'production_audit' }));
  assert.equal(framework.DeploymentStatus, 'COMPLETED');
  assert.deepEqual(framework.FrameworkControls?.map((c) => c.ControlName).sort(), [
    'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    'BACKUP_RECOVERY_POINT_ENCRYPTED',
    'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT',
  ]);
  assert.match(applied, new RegExp(`framework_arn = "${framework.FrameworkArn}"`));
  const compliance = (await prod.send(new DescribeReportPlanCommand({ ReportPlanName: 'daily_compliance' }))).ReportPlan;
  assert.deepEqual(compliance?.ReportSetting?.FrameworkArns, [framework.FrameworkArn]);
  const report = await prod.send(new StartReportJobCommand({ ReportPlanName: 'daily_compliance' }));
  const job = (await prod.send(new DescribeReportJobCommand({ ReportJobId: report.ReportJobId }))).ReportJob;
  assert.equal(job?.Status, 'COMPLETED', job?.StatusMessage);

  const destroyed = await ok(dir, ['destroy', '-auto-approve', '-no-color']);
  assert.match(destroyed, /Destroy complete! Resources: \d+ destroyed/);
  const after = await sdk(server().endpoint, keysOf(ALPHA)).send(new ListBackupVaultsCommand({}));
  assert.deepEqual(after.BackupVaultList ?? [], []);
  const plansAfter = await sdk(server().endpoint, keysOf(ALPHA)).send(new ListRestoreTestingPlansCommand({}));
  assert.deepEqual(plansAfter.RestoreTestingPlans, []);
  assert.deepEqual((await prod.send(new ListFrameworksCommand({}))).Frameworks, []);
  assert.deepEqual((await prod.send(new ListReportPlansCommand({}))).ReportPlans, []);
});
