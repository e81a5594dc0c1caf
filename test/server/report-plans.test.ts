/**
 * Report plans and report jobs through the real server: every template written in CSV and JSON
 * to the location config `reports` gives the plan's bucket (the default folder below
 * <dataDir>/reports, a bucket of its own, an unwritable one: FAILED saying why), AWS's key
 * layout and columns; the compliance reports evaluate a framework's controls against real state
 * (a plan's selection, a real backup into a locked vault with a deny-deletion policy, a copy to
 * another region, a resource nobody protects); ListReportJobs with every filter.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  CreateFrameworkCommand,
  CreateReportPlanCommand,
  DeleteFrameworkCommand,
  DeleteReportPlanCommand,
  DescribeCopyJobCommand,
  DescribeFrameworkCommand,
  DescribeReportJobCommand,
  DescribeReportPlanCommand,
  ListReportJobsCommand,
  ListReportPlansCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartReportJobCommand,
  UpdateReportPlanCommand,
  DescribeBackupJobCommand,
} from '@aws-sdk/client-backup';
import type { ReportJob } from '@aws-sdk/client-backup';
import { ALPHA } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { EAST, ORGANIZATION_CONFIG_HEAD, WEST } from './support/cross-account.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const PROTECTED = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-protected`;
const UNPROTECTED = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-forgotten`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);

const server = useCoffer({
  yaml: `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${PROTECTED}", path: ./protected }
  - { arn: "${UNPROTECTED}", path: ./forgotten }
reports:
  buckets:
    - { name: audit-elsewhere, location: "file:./elsewhere" }
    - { name: broken-bucket, location: "file:./protected/data.txt/reports" }
`,
});
const client = () => sdk(server().endpoint, keysOf(ALPHA));

let frameworkArn = '';
let backupJobId = '';
let copyJobId = '';

async function report(plan: string): Promise<ReportJob> {
  const { ReportJobId } = await client().send(new StartReportJobCommand({ ReportPlanName: plan }));
  return (await client().send(new DescribeReportJobCommand({ ReportJobId }))).ReportJob!;
}

async function reportFile(bucketDir: string, key: string): Promise<string> {
  return readFile(join(server().dir, bucketDir, key), 'utf8');
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
}

test('the state the controls look at: plans, a locked vault with a deny-deletion policy, a backup, a copy to another region', async () => {
  const { dir } = server();
  for (const d of ['protected', 'forgotten']) {
    await mkdir(join(dir, d), { recursive: true });
    await writeFile(join(dir, d, 'data.txt'), `${d}\n`);
  }
  const c = client();
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: 'main' }));
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: 'loose' }));
  await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new CreateBackupVaultCommand({ BackupVaultName: 'dr' }));
  await c.send(
    new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: 'main',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*' }],
      }),
    }),
  );
  await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'main', MinRetentionDays: 1, MaxRetentionDays: 100 }));
  const rule = (name: string, cron: string, days: number) => ({
    RuleName: name,
    TargetBackupVaultName: 'main',
    ScheduleExpression: cron,
    Lifecycle: { DeleteAfterDays: days },
  });
  const daily = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'daily', Rules: [rule('daily', 'cron(0 5 ? * * *)', 35)] } }));
  await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'weekly', Rules: [rule('weekly', 'cron(0 5 ? * 1 *)', 7)] } }));
  await c.send(
    new CreateBackupSelectionCommand({
      BackupPlanId: daily.BackupPlanId,
      BackupSelection: { SelectionName: 'protected', IamRoleArn: ROLE, Resources: [PROTECTED] },
    }),
  );
  const started = await c.send(
    new StartBackupJobCommand({ BackupVaultName: 'main', ResourceArn: PROTECTED, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 7 } }),
  );
  backupJobId = started.BackupJobId!;
  const job = await waitFor(
    'backup',
    () => c.send(new DescribeBackupJobCommand({ BackupJobId: backupJobId })),
    (j) => ['COMPLETED', 'FAILED'].includes(j.State ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  const copy = await c.send(
    new StartCopyJobCommand({
      RecoveryPointArn: started.RecoveryPointArn,
      SourceBackupVaultName: 'main',
      DestinationBackupVaultArn: `arn:aws:backup:${WEST}:${ALPHA.accountId}:backup-vault:dr`,
      IamRoleArn: ROLE,
    }),
  );
  copyJobId = copy.CopyJobId!;
  const copied = await waitFor(
    'copy',
    () => c.send(new DescribeCopyJobCommand({ CopyJobId: copyJobId })),
    (j) => ['COMPLETED', 'FAILED'].includes(j.CopyJob?.State ?? ''),
  );
  assert.equal(copied.CopyJob?.State, 'COMPLETED', copied.CopyJob?.StatusMessage);
  const framework = await c.send(
    new CreateFrameworkCommand({
      FrameworkName: 'auditors',
      FrameworkControls: [
        { ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', ControlScope: { ComplianceResourceTypes: ['EFS'] } },
        { ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK' },
        { ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
        {
          ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
          ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '30' }],
        },
        { ControlName: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED' },
        { ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', ControlInputParameters: [{ ParameterName: 'crossRegionList', ParameterValue: WEST }] },
        { ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT' },
        {
          ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
          ControlInputParameters: [{ ParameterName: 'maxRetentionDays', ParameterValue: '365' }],
        },
        { ControlName: 'BACKUP_LAST_RECOVERY_POINT_CREATED', ControlInputParameters: [{ ParameterName: 'recoveryPointAgeUnit', ParameterValue: 'hours' }] },
        { ControlName: 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', ControlScope: { ComplianceResourceIds: [PROTECTED] } },
      ],
    }),
  );
  frameworkArn = framework.FrameworkArn!;
});

describe('report plans', () => {
  test('CreateReportPlan / DescribeReportPlan / ListReportPlans: as given, COMPLETED, tagged', async () => {
    const created = await client().send(
      new CreateReportPlanCommand({
        ReportPlanName: 'backup_jobs',
        ReportPlanDescription: 'every backup job',
        ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT' },
        ReportDeliveryChannel: { S3BucketName: 'audit-reports', S3KeyPrefix: 'daily', Formats: ['CSV', 'JSON'] },
        ReportPlanTags: { team: 'audit' },
      }),
    );
    assert.match(created.ReportPlanArn!, new RegExp(`^arn:aws:backup:${EAST}:${ALPHA.accountId}:report-plan:backup_jobs-[0-9a-f-]{36}$`));
    const plan = (await client().send(new DescribeReportPlanCommand({ ReportPlanName: 'backup_jobs' }))).ReportPlan!;
    assert.equal(plan.DeploymentStatus, 'COMPLETED');
    assert.equal(plan.ReportPlanDescription, 'every backup job');
    assert.deepEqual(plan.ReportSetting, { ReportTemplate: 'BACKUP_JOB_REPORT' });
    assert.deepEqual(plan.ReportDeliveryChannel, { S3BucketName: 'audit-reports', S3KeyPrefix: 'daily', Formats: ['CSV', 'JSON'] });
    assert.equal(plan.LastAttemptedExecutionTime, undefined);
    assert.deepEqual((await client().send(new ListTagsCommand({ ResourceArn: created.ReportPlanArn }))).Tags, { team: 'audit' });
    for (const [name, template, bucket] of [
      ['copy_jobs', 'COPY_JOB_REPORT', 'audit-elsewhere'],
      ['restore_jobs', 'RESTORE_JOB_REPORT', 'audit-reports'],
      ['broken', 'BACKUP_JOB_REPORT', 'broken-bucket'],
    ] as const) {
      await client().send(
        new CreateReportPlanCommand({ ReportPlanName: name, ReportSetting: { ReportTemplate: template }, ReportDeliveryChannel: { S3BucketName: bucket } }),
      );
    }
    for (const [name, template] of [
      ['controls', 'CONTROL_COMPLIANCE_REPORT'],
      ['resources', 'RESOURCE_COMPLIANCE_REPORT'],
    ] as const) {
      await client().send(
        new CreateReportPlanCommand({
          ReportPlanName: name,
          ReportSetting: { ReportTemplate: template, FrameworkArns: [frameworkArn] },
          ReportDeliveryChannel: { S3BucketName: 'audit-reports', Formats: ['JSON'] },
        }),
      );
    }
    const listed = await client().send(new ListReportPlansCommand({ MaxResults: 4 }));
    const more = await client().send(new ListReportPlansCommand({ NextToken: listed.NextToken }));
    assert.deepEqual(
      [...listed.ReportPlans!, ...more.ReportPlans!].map((p) => p.ReportPlanName),
      ['backup_jobs', 'broken', 'controls', 'copy_jobs', 'resources', 'restore_jobs'],
    );
  });

  test('refused: unknown template, frameworks missing or not asked for, bad formats, bad bucket, another account, a taken name', async () => {
    const refuse = async (input: Partial<ConstructorParameters<typeof CreateReportPlanCommand>[0]>, pattern: RegExp, name = 'AlreadyExistsException') => {
      await assert.rejects(
        client().send(
          new CreateReportPlanCommand({
            ReportPlanName: 'refused',
            ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT' },
            ReportDeliveryChannel: { S3BucketName: 'audit-reports' },
            ...input,
          }),
        ),
        (err: Error) => {
          assert.equal(err.name, name === 'AlreadyExistsException' ? 'InvalidParameterValueException' : name);
          assert.match(err.message, pattern);
          return true;
        },
      );
    };
    await refuse({ ReportSetting: { ReportTemplate: 'EVERYTHING_REPORT' } }, /is not a report template; use one of BACKUP_JOB_REPORT/);
    await refuse({ ReportSetting: { ReportTemplate: 'CONTROL_COMPLIANCE_REPORT' } }, /FrameworkArns is required for CONTROL_COMPLIANCE_REPORT/);
    await refuse({ ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT', FrameworkArns: [frameworkArn] } }, /only for the compliance reports/);
    await refuse(
      { ReportSetting: { ReportTemplate: 'RESOURCE_COMPLIANCE_REPORT', FrameworkArns: [`${frameworkArn.split(':framework:')[0]}:framework:gone-1`] } },
      /which is not a framework of account/,
    );
    await refuse({ ReportDeliveryChannel: { S3BucketName: 'audit-reports', Formats: ['PDF'] } }, /the formats are CSV and JSON/);
    await refuse({ ReportDeliveryChannel: { S3BucketName: 'Not_A_Bucket' } }, /is not an S3 bucket name/);
    await refuse({ ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT', Accounts: ['999999999999'] } }, /not an account of the organization/);
    await assert.rejects(
      client().send(
        new CreateReportPlanCommand({
          ReportPlanName: 'backup_jobs',
          ReportSetting: { ReportTemplate: 'BACKUP_JOB_REPORT' },
          ReportDeliveryChannel: { S3BucketName: 'x-y-z' },
        }),
      ),
      { name: 'AlreadyExistsException' },
    );
  });

  test('a framework named by a report plan cannot be deleted (ConflictException)', async () => {
    await assert.rejects(client().send(new DeleteFrameworkCommand({ FrameworkName: 'auditors' })), (err: Error) => {
      assert.equal(err.name, 'ConflictException');
      assert.match(err.message, /named by report plan controls/);
      return true;
    });
    assert.equal((await client().send(new DescribeFrameworkCommand({ FrameworkName: 'auditors' }))).FrameworkArn, frameworkArn);
  });
});

describe('report jobs', () => {
  test('BACKUP_JOB_REPORT: CSV and JSON under AWS key layout in <dataDir>/reports/<bucket>', async () => {
    const job = await report('backup_jobs');
    assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
    assert.equal(job.ReportTemplate, 'BACKUP_JOB_REPORT');
    assert.equal(job.ReportDestination?.S3BucketName, 'audit-reports');
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const keys = job.ReportDestination!.S3Keys!;
    assert.equal(keys.length, 2);
    for (const [key, ext] of [
      [keys[0]!, 'csv'],
      [keys[1]!, 'json'],
    ] as const) {
      assert.match(
        key,
        new RegExp(`^daily/Backup/${ALPHA.accountId}/${EAST}/${today}/backup_jobs/BACKUP_JOB_REPORT_${job.ReportJobId}_\\d{8}T\\d{6}Z\\.${ext}$`),
      );
    }
    const csv = csvRows(await reportFile('data/reports/audit-reports', keys[0]!));
    assert.deepEqual(csv[0]!.slice(0, 8), [
      'Report Time Period Start',
      'Report Time Period End',
      'Account Id',
      'Region',
      'Backup Job Id',
      'Job Status',
      'Status Message',
      'Message Category',
    ]);
    assert.equal(csv.length, 2);
    assert.equal(csv[1]![4], backupJobId);
    assert.equal(csv[1]![5], 'COMPLETED');
    const json = JSON.parse(await reportFile('data/reports/audit-reports', keys[1]!)) as { reportItems: Record<string, unknown>[] };
    assert.equal(json.reportItems.length, 1);
    const item = json.reportItems[0]!;
    assert.equal(item['backupJobId'], backupJobId);
    assert.equal(item['resourceArn'], PROTECTED);
    assert.equal(item['backupVaultName'], 'main');
    assert.equal(item['messageCategory'], 'SUCCESS');
    assert.equal(item['accountId'], ALPHA.accountId);
    assert.equal(typeof item['jobRunTime'], 'number');
    const plan = (await client().send(new DescribeReportPlanCommand({ ReportPlanName: 'backup_jobs' }))).ReportPlan!;
    assert.ok(plan.LastAttemptedExecutionTime instanceof Date);
    assert.equal(plan.LastSuccessfulExecutionTime?.getTime(), plan.LastAttemptedExecutionTime.getTime());
  });

  test('COPY_JOB_REPORT to a bucket of its own location; RESTORE_JOB_REPORT with no jobs: the header only', async () => {
    const copies = await report('copy_jobs');
    assert.equal(copies.Status, 'COMPLETED', copies.StatusMessage);
    const csv = csvRows(await reportFile('elsewhere', copies.ReportDestination!.S3Keys![0]!));
    const id = csv[0]!.indexOf('Copy Job Id');
    assert.equal(csv[1]![id], copyJobId);
    assert.equal(csv[1]![csv[0]!.indexOf('Destination Backup Vault Arn')], `arn:aws:backup:${WEST}:${ALPHA.accountId}:backup-vault:dr`);
    const restores = await report('restore_jobs');
    assert.equal(restores.Status, 'COMPLETED');
    const lines = csvRows(await reportFile('data/reports/audit-reports', restores.ReportDestination!.S3Keys![0]!));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]![4], 'Restore Job Id');
  });

  test('CONTROL_COMPLIANCE_REPORT: each control evaluated against the catalog', async () => {
    const job = await report('controls');
    assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
    const { reportItems } = JSON.parse(await reportFile('data/reports/audit-reports', job.ReportDestination!.S3Keys![0]!)) as {
      reportItems: Record<string, unknown>[];
    };
    const byControl = Object.fromEntries(
      reportItems.map((r) => [r['controlName'], [r['controlComplianceStatus'], r['compliantResourceCount'], r['totalResourceCount']]]),
    );
    assert.deepEqual(byControl, {
      BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: ['NON_COMPLIANT', 1, 2],
      BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: ['NON_COMPLIANT', 1, 2],
      BACKUP_RECOVERY_POINT_ENCRYPTED: ['COMPLIANT', 1, 1],
      BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: ['NON_COMPLIANT', 0, 1],
      BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: ['NON_COMPLIANT', 1, 2],
      BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: ['NON_COMPLIANT', 1, 2],
      BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT: ['NON_COMPLIANT', 0, 2],
      BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: ['NON_COMPLIANT', 1, 2],
      BACKUP_LAST_RECOVERY_POINT_CREATED: ['NON_COMPLIANT', 1, 2],
      RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: ['NON_COMPLIANT', 0, 1],
    });
    assert.ok(
      reportItems.every((r) => r['frameworkName'] === 'auditors' && r['frameworkArn'] === frameworkArn && r['frameworkComplianceStatus'] === 'NON_COMPLIANT'),
    );
  });

  test('RESOURCE_COMPLIANCE_REPORT: one row per control and resource, with the reason', async () => {
    const job = await report('resources');
    assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
    const { reportItems } = JSON.parse(await reportFile('data/reports/audit-reports', job.ReportDestination!.S3Keys![0]!)) as {
      reportItems: Record<string, unknown>[];
    };
    const row = (control: string, arn: string) => reportItems.find((r) => r['controlName'] === control && r['resourceArn'] === arn);
    assert.equal(row('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', PROTECTED)?.['complianceStatus'], 'COMPLIANT');
    assert.equal(row('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', UNPROTECTED)?.['complianceStatus'], 'NON_COMPLIANT');
    assert.match(String(row('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', UNPROTECTED)?.['complianceReason']), /no backup plan's selection picks/);
    assert.equal(row('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', PROTECTED)?.['complianceStatus'], 'COMPLIANT');
    assert.equal(row('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK', PROTECTED)?.['complianceStatus'], 'COMPLIANT');
    assert.equal(row('BACKUP_LAST_RECOVERY_POINT_CREATED', PROTECTED)?.['complianceStatus'], 'COMPLIANT');
    assert.match(String(row('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', PROTECTED)?.['complianceReason']), /no completed restore job/);
    const plans = reportItems.filter((r) => r['controlName'] === 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK');
    assert.deepEqual(plans.map((r) => [r['resourceType'], r['complianceStatus']]).sort(), [
      ['AWS::Backup::BackupPlan', 'COMPLIANT'],
      ['AWS::Backup::BackupPlan', 'NON_COMPLIANT'],
    ]);
    const vaults = Object.fromEntries(
      reportItems.filter((r) => r['controlName'] === 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED').map((r) => [r['resourceId'], r['complianceStatus']]),
    );
    assert.deepEqual(vaults, { main: 'COMPLIANT', loose: 'NON_COMPLIANT' });
    const kept = reportItems.find((r) => r['controlName'] === 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')!;
    assert.equal(kept['resourceType'], 'AWS::Backup::RecoveryPoint');
    assert.match(String(kept['complianceReason']), /is kept 7 days, less than 30/);
  });

  test('an unwritable location: FAILED, saying where and why', async () => {
    const job = await report('broken');
    assert.equal(job.Status, 'FAILED');
    assert.match(job.StatusMessage!, /^The report could not be written to bucket broken-bucket: /);
    assert.deepEqual(job.ReportDestination?.S3Keys, []);
    const plan = (await client().send(new DescribeReportPlanCommand({ ReportPlanName: 'broken' }))).ReportPlan!;
    assert.ok(plan.LastAttemptedExecutionTime instanceof Date);
    assert.equal(plan.LastSuccessfulExecutionTime, undefined);
  });

  test('ListReportJobs: ByReportPlanName, ByStatus, ByCreationAfter/Before, paging; DescribeReportJob of a missing job', async () => {
    const all = (await client().send(new ListReportJobsCommand({}))).ReportJobs!;
    assert.equal(all.length, 6);
    assert.ok(
      all.every((j, i) => i === 0 || all[i - 1]!.CreationTime! >= j.CreationTime!),
      'newest first',
    );
    const byPlan = (await client().send(new ListReportJobsCommand({ ByReportPlanName: 'controls' }))).ReportJobs!;
    assert.deepEqual(
      byPlan.map((j) => j.ReportTemplate),
      ['CONTROL_COMPLIANCE_REPORT'],
    );
    const failed = (await client().send(new ListReportJobsCommand({ ByStatus: 'FAILED' }))).ReportJobs!;
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.ReportPlanArn!, /:report-plan:broken-/);
    const oldest = all[all.length - 1]!.CreationTime!;
    const after = (await client().send(new ListReportJobsCommand({ ByCreationAfter: oldest }))).ReportJobs!;
    assert.equal(after.length, all.filter((j) => j.CreationTime! > oldest).length);
    const before = (await client().send(new ListReportJobsCommand({ ByCreationBefore: new Date(oldest.getTime() + 1) }))).ReportJobs!;
    assert.equal(before.length, all.filter((j) => j.CreationTime!.getTime() <= oldest.getTime()).length);
    const first = await client().send(new ListReportJobsCommand({ MaxResults: 4 }));
    const rest = await client().send(new ListReportJobsCommand({ MaxResults: 4, NextToken: first.NextToken }));
    assert.deepEqual(
      [...first.ReportJobs!, ...rest.ReportJobs!].map((j) => j.ReportJobId),
      all.map((j) => j.ReportJobId),
    );
    await assert.rejects(client().send(new ListReportJobsCommand({ ByReportPlanName: 'no_such_plan' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(client().send(new DescribeReportJobCommand({ ReportJobId: 'no-such-job' })), { name: 'ResourceNotFoundException' });
  });

  test('the AWS CLI: start-report-job, describe-report-job; the same IdempotencyToken is the same job', async () => {
    const { endpoint } = server();
    const started = cliJson(
      await awsCli(endpoint, keysOf(ALPHA), ['backup', 'start-report-job', '--report-plan-name', 'restore_jobs', '--idempotency-token', 'once']),
    );
    const again = cliJson(
      await awsCli(endpoint, keysOf(ALPHA), ['backup', 'start-report-job', '--report-plan-name', 'restore_jobs', '--idempotency-token', 'once']),
    );
    assert.equal(again['ReportJobId'], started['ReportJobId']);
    const described = cliJson(await awsCli(endpoint, keysOf(ALPHA), ['backup', 'describe-report-job', '--report-job-id', started['ReportJobId'] as string]));
    assert.equal((described['ReportJob'] as Record<string, unknown>)['Status'], 'COMPLETED');
  });

  test('UpdateReportPlan changes the channel; DeleteReportPlan; the framework can go then', async () => {
    await client().send(
      new UpdateReportPlanCommand({ ReportPlanName: 'controls', ReportDeliveryChannel: { S3BucketName: 'audit-elsewhere', Formats: ['CSV'] } }),
    );
    const plan = (await client().send(new DescribeReportPlanCommand({ ReportPlanName: 'controls' }))).ReportPlan!;
    assert.deepEqual(plan.ReportDeliveryChannel, { S3BucketName: 'audit-elsewhere', Formats: ['CSV'] });
    assert.deepEqual(plan.ReportSetting?.FrameworkArns, [frameworkArn]);
    const job = await report('controls');
    assert.match(await reportFile('elsewhere', job.ReportDestination!.S3Keys![0]!), /^Report Time Period Start,/);
    await assert.rejects(client().send(new UpdateReportPlanCommand({ ReportPlanName: 'missing', ReportPlanDescription: 'x' })), {
      name: 'ResourceNotFoundException',
    });
    for (const name of ['controls', 'resources']) await client().send(new DeleteReportPlanCommand({ ReportPlanName: name }));
    await assert.rejects(client().send(new DescribeReportPlanCommand({ ReportPlanName: 'controls' })), { name: 'ResourceNotFoundException' });
    await client().send(new DeleteFrameworkCommand({ FrameworkName: 'auditors' }));
  });
});
