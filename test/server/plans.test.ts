/**
 * Backup plans and selections through the real `coffer serve`, driven by the AWS CLI (plan and
 * selection documents from files), boto3 and the AWS SDK for JavaScript: the reference plan
 * (daily 05:00 UTC kept 7 days, weekly kept 35, monthly kept 371), versions, templates, JSON,
 * tags on plan ARNs, selections, deletion.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  GetBackupPlanCommand,
  ListBackupPlansCommand,
  ListBackupPlanVersionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateBackupPlanCommand,
} from '@aws-sdk/client-backup';
import { ALPHA } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk } from './support/clients.js';
import type { BotoResult } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const alpha = keysOf(ALPHA);
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/coffer-backup`;
const FS = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-uploads`;

function referencePlan(name: string, vault: string) {
  const rule = (RuleName: string, ScheduleExpression: string, DeleteAfterDays: number) => ({
    RuleName,
    TargetBackupVaultName: vault,
    ScheduleExpression,
    ScheduleExpressionTimezone: 'Etc/UTC',
    Lifecycle: { DeleteAfterDays },
  });
  return {
    BackupPlanName: name,
    Rules: [rule('daily', 'cron(0 5 ? * * *)', 7), rule('weekly', 'cron(0 5 ? * 1 *)', 35), rule('monthly', 'cron(0 5 1 * ? *)', 371)],
  };
}

function ok(result: BotoResult | undefined): Record<string, unknown> {
  assert.ok(result !== undefined && 'ok' in result, JSON.stringify(result));
  return result.ok;
}

describe('AWS CLI', () => {
  test('plan from a JSON file: create, get, update (versions), selection, delete', async () => {
    const { endpoint, dir } = server();
    cliJson(await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-vault']));
    const planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(referencePlan('cli-reference', 'cli-vault')));
    const created = cliJson(
      await awsCli(endpoint, alpha, ['backup', 'create-backup-plan', '--backup-plan', `file://${planFile}`, '--backup-plan-tags', 'team=ops']),
    );
    const planId = String(created['BackupPlanId']);
    assert.match(planId, /^[0-9a-f-]{36}$/);
    assert.equal(created['BackupPlanArn'], `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-plan:${planId}`);
    assert.equal(typeof created['VersionId'], 'string');

    const got = cliJson(await awsCli(endpoint, alpha, ['backup', 'get-backup-plan', '--backup-plan-id', planId]));
    const plan = got['BackupPlan'] as { BackupPlanName: string; Rules: Record<string, unknown>[] };
    assert.equal(plan.BackupPlanName, 'cli-reference');
    assert.deepEqual(
      plan.Rules.map((r) => [r['RuleName'], r['ScheduleExpression'], (r['Lifecycle'] as { DeleteAfterDays: number }).DeleteAfterDays]),
      [
        ['daily', 'cron(0 5 ? * * *)', 7],
        ['weekly', 'cron(0 5 ? * 1 *)', 35],
        ['monthly', 'cron(0 5 1 * ? *)', 371],
      ],
    );
    assert.equal(plan.Rules[0]?.['StartWindowMinutes'], 480);
    assert.equal(plan.Rules[0]?.['CompletionWindowMinutes'], 10080);
    assert.match(String(plan.Rules[0]?.['RuleId']), /^[0-9a-f-]{36}$/);
    assert.match(String(got['CreatorRequestId']), /^[0-9a-f-]{36}$/, 'the CLI fills CreatorRequestId');

    const updatedDoc = { ...referencePlan('cli-reference', 'cli-vault'), Rules: referencePlan('x', 'cli-vault').Rules.slice(0, 1) };
    await writeFile(planFile, JSON.stringify(updatedDoc));
    const updated = cliJson(await awsCli(endpoint, alpha, ['backup', 'update-backup-plan', '--backup-plan-id', planId, '--backup-plan', `file://${planFile}`]));
    assert.notEqual(updated['VersionId'], created['VersionId']);
    const versions = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-backup-plan-versions', '--backup-plan-id', planId]));
    assert.deepEqual(
      (versions['BackupPlanVersionsList'] as { VersionId: string }[]).map((v) => v.VersionId),
      [updated['VersionId'], created['VersionId']],
    );
    const first = cliJson(
      await awsCli(endpoint, alpha, ['backup', 'get-backup-plan', '--backup-plan-id', planId, '--version-id', String(created['VersionId'])]),
    );
    assert.equal((first['BackupPlan'] as { Rules: unknown[] }).Rules.length, 3, 'the first version is kept');

    const selectionFile = join(dir, 'selection.json');
    await writeFile(selectionFile, JSON.stringify({ SelectionName: 'uploads', IamRoleArn: ROLE, Resources: [FS] }));
    const selection = cliJson(
      await awsCli(endpoint, alpha, ['backup', 'create-backup-selection', '--backup-plan-id', planId, '--backup-selection', `file://${selectionFile}`]),
    );
    const selectionId = String(selection['SelectionId']);
    const gotSelection = cliJson(await awsCli(endpoint, alpha, ['backup', 'get-backup-selection', '--backup-plan-id', planId, '--selection-id', selectionId]));
    assert.deepEqual(gotSelection['BackupSelection'], { SelectionName: 'uploads', IamRoleArn: ROLE, Resources: [FS] });
    const listed = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-backup-selections', '--backup-plan-id', planId]));
    assert.deepEqual(
      (listed['BackupSelectionsList'] as Record<string, unknown>[]).map((s) => [s['SelectionId'], s['SelectionName'], s['IamRoleArn']]),
      [[selectionId, 'uploads', ROLE]],
    );

    const refused = await awsCli(endpoint, alpha, ['backup', 'delete-backup-plan', '--backup-plan-id', planId]);
    assert.match(refused.stderr, /InvalidRequestException.*still has 1 backup selection/);
    cliJson(await awsCli(endpoint, alpha, ['backup', 'delete-backup-selection', '--backup-plan-id', planId, '--selection-id', selectionId]));
    const deleted = cliJson(await awsCli(endpoint, alpha, ['backup', 'delete-backup-plan', '--backup-plan-id', planId]));
    assert.equal(deleted['BackupPlanId'], planId);
    assert.equal(typeof deleted['DeletionDate'], 'number');
    const live = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-backup-plans']));
    assert.ok(!(live['BackupPlansList'] as { BackupPlanId: string }[]).some((p) => p.BackupPlanId === planId));
    const all = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-backup-plans', '--include-deleted']));
    assert.ok(
      (all['BackupPlansList'] as { BackupPlanId: string; DeletionDate?: number }[]).some((p) => p.BackupPlanId === planId && p.DeletionDate !== undefined),
    );
  });
});

describe('boto3', () => {
  test('plan from JSON and from a template, create, list, export, delete', async () => {
    const { endpoint } = server();
    const json = JSON.stringify(referencePlan('boto-reference', 'boto-vault'));
    const [vault, fromJson, created, templates, fromTemplate, badJson] = await boto3(endpoint, alpha, [
      { method: 'create_backup_vault', params: { BackupVaultName: 'boto-vault' } },
      { method: 'get_backup_plan_from_json', params: { BackupPlanTemplateJson: json } },
      { method: 'create_backup_plan', params: { BackupPlan: JSON.parse(json), CreatorRequestId: 'boto-plan-1' } },
      { method: 'list_backup_plan_templates' },
      { method: 'get_backup_plan_from_template', params: { BackupPlanTemplateId: 'daily-weekly-monthly-1yr-retention' } },
      {
        method: 'get_backup_plan_from_json',
        params: {
          BackupPlanTemplateJson: JSON.stringify({ BackupPlanName: 'x', Rules: [{ RuleName: 'r', TargetBackupVaultName: 'vault', StartWindowMinutes: 30 }] }),
        },
      },
    ]);
    ok(vault);
    const plan = ok(fromJson)['BackupPlan'] as { Rules: { RuleName: string; Lifecycle: { DeleteAfterDays: number } }[] };
    assert.deepEqual(
      plan.Rules.map((r) => [r.RuleName, r.Lifecycle.DeleteAfterDays]),
      [
        ['daily', 7],
        ['weekly', 35],
        ['monthly', 371],
      ],
    );
    const planId = String(ok(created)['BackupPlanId']);
    assert.deepEqual(ok(templates)['BackupPlanTemplatesList'] as unknown[], [
      { BackupPlanTemplateId: 'daily-35day-retention', BackupPlanTemplateName: 'Daily-35day-Retention' },
      { BackupPlanTemplateId: 'daily-weekly-monthly-1yr-retention', BackupPlanTemplateName: 'Daily-Weekly-Monthly-1yr-Retention' },
    ]);
    const doc = ok(fromTemplate)['BackupPlanDocument'] as { Rules: { Lifecycle: { DeleteAfterDays: number } }[] };
    assert.deepEqual(
      doc.Rules.map((r) => r.Lifecycle.DeleteAfterDays),
      [7, 35, 371],
    );
    assert.ok(badJson && 'error' in badJson);
    assert.equal(badJson.error.code, 'InvalidParameterValueException');
    assert.equal(badJson.error.status, 400);
    assert.match(badJson.error.message, /^BackupPlan\.Rules\[0\]\.StartWindowMinutes is 30; the start window must be at least 60 minutes\.$/);

    const [repeat, listed, exported, deleted, again] = await boto3(endpoint, alpha, [
      { method: 'create_backup_plan', params: { BackupPlan: JSON.parse(json), CreatorRequestId: 'boto-plan-1' } },
      { method: 'list_backup_plans' },
      { method: 'export_backup_plan_template', params: { BackupPlanId: planId } },
      { method: 'delete_backup_plan', params: { BackupPlanId: planId } },
      { method: 'get_backup_plan', params: { BackupPlanId: planId } },
    ]);
    assert.equal(ok(repeat)['BackupPlanId'], planId, 'same CreatorRequestId: the same plan');
    assert.ok(
      (ok(listed)['BackupPlansList'] as { BackupPlanId: string; BackupPlanName: string }[]).some(
        (p) => p.BackupPlanId === planId && p.BackupPlanName === 'boto-reference',
      ),
    );
    assert.equal(JSON.parse(String(ok(exported)['BackupPlanTemplateJson'])).BackupPlanName, 'boto-reference');
    assert.equal(ok(deleted)['BackupPlanId'], planId);
    assert.ok(ok(again)['DeletionDate'] !== undefined, 'a deleted plan is still readable, with its DeletionDate');
  });
});

describe('AWS SDK for JavaScript', () => {
  test('create with tags, tags on the plan ARN, update, versions, pages, delete', async () => {
    const client = sdk(server().endpoint, alpha, 'eu-west-1');
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-vault' }));
    const created = await client.send(
      new CreateBackupPlanCommand({ BackupPlan: referencePlan('sdk-reference', 'sdk-vault'), BackupPlanTags: { env: 'prod' } }),
    );
    assert.ok(created.CreationDate instanceof Date);
    const arn = created.BackupPlanArn!;
    assert.equal(arn, `arn:aws:backup:eu-west-1:${ALPHA.accountId}:backup-plan:${created.BackupPlanId}`);
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { owner: 'sdk' } }));
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: ['env'] }));
    assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, { owner: 'sdk' });

    const versionIds = [created.VersionId];
    for (const days of [8, 9]) {
      const plan = referencePlan('sdk-reference', 'sdk-vault');
      const updated = await client.send(
        new UpdateBackupPlanCommand({
          BackupPlanId: created.BackupPlanId,
          BackupPlan: { ...plan, Rules: [{ ...plan.Rules[0]!, Lifecycle: { DeleteAfterDays: days } }] },
        }),
      );
      versionIds.unshift(updated.VersionId);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListBackupPlanVersionsCommand({ BackupPlanId: created.BackupPlanId, MaxResults: 2, ...(token === undefined ? {} : { NextToken: token }) }),
      );
      seen.push(...(page.BackupPlanVersionsList ?? []).map((v) => v.VersionId!));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(seen, versionIds);
    const current = await client.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId }));
    assert.equal(current.VersionId, versionIds[0]);
    assert.equal(current.BackupPlan?.Rules?.[0]?.Lifecycle?.DeleteAfterDays, 9);
    assert.ok(current.CreationDate instanceof Date);
    const preview = await client.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId, MaxScheduledRunsPreview: 3 }));
    const runs = preview.ScheduledRunsPreview ?? [];
    assert.equal(runs.length, 3, 'the next three runs of the one daily rule');
    assert.ok(
      runs.every((r) => r.RuleId === current.BackupPlan?.Rules?.[0]?.RuleId && r.RuleExecutionType === 'SNAPSHOTS' && r.ExecutionTime!.getUTCHours() === 5),
    );
    assert.ok(runs[0]!.ExecutionTime!.getTime() > Date.now() && runs[1]!.ExecutionTime!.getTime() - runs[0]!.ExecutionTime!.getTime() === 86_400_000);

    const plans = await client.send(new ListBackupPlansCommand({ MaxResults: 1 }));
    assert.equal(plans.BackupPlansList?.length, 1);
    const deleted = await client.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId }));
    assert.ok(deleted.DeletionDate instanceof Date);
    const tags = await client.send(new ListTagsCommand({ ResourceArn: arn })).catch((e: unknown) => e);
    assert.equal((tags as Error).name, 'ResourceNotFoundException', 'a deleted plan cannot be tagged or listed');
  });
});
