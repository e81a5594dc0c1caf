/**
 * The reference plan run by Coffer's own scheduler on the manual clock: daily at 05:00 UTC kept
 * 7 days, weekly (Sundays) kept 5 weeks, monthly (the 1st) kept 53 weeks, on a directory
 * resource picked by tag. The clock is advanced 400 days in one call; afterwards exactly the
 * recovery points AWS would keep exist (a day whose weekly or monthly run took the daily's place
 * has one backup, of the longer rule), each with CreatedBy naming its rule, every expired one is
 * gone from the vault (restic lists exactly the kept snapshots) and `restic check --read-data`
 * passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  ListBackupJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import type { RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { resticOk } from '../support/restic.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const START = new Date('2026-12-30T12:00:00Z');
const DAY = 86_400_000;
const DAYS = Number(process.env['REF_DAYS'] ?? 400);
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-reference`;
const OTHER_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-untagged`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source, tags: { backup: reference } }
  - { arn: "${OTHER_ARN}", path: ./other }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

const RULES = [
  { name: 'daily', cron: 'cron(0 5 ? * * *)', days: 7 },
  { name: 'weekly', cron: 'cron(0 5 ? * 1 *)', days: 35 },
  { name: 'monthly', cron: 'cron(0 5 1 * ? *)', days: 371 },
] as const;

/** The model: which rule takes each day's 05:00 run, and whether its point is still kept at `end`. */
function expectedKept(start: Date, end: Date): { rule: string; created: number }[] {
  const kept: { rule: string; created: number }[] = [];
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate(), 5);
  for (let t = first <= start.getTime() ? first + DAY : first; t <= end.getTime(); t += DAY) {
    const day = new Date(t);
    const rule = day.getUTCDate() === 1 ? RULES[2] : day.getUTCDay() === 0 ? RULES[1] : RULES[0];
    if (t + rule.days * DAY > end.getTime()) kept.push({ rule: rule.name, created: t });
  }
  return kept;
}

async function postClock(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

describe('the reference plan on the manual clock', () => {
  test('400 days: exactly the recovery points AWS would keep, expired ones gone from the vault', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await mkdir(join(dir, 'other'), { recursive: true });
    await writeFile(join(dir, 'source', 'data.txt'), 'the reference resource\n');
    await writeFile(join(dir, 'other', 'data.txt'), 'not selected\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'reference' }));
    const plan = await client.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'reference',
          Rules: RULES.map((r) => ({
            RuleName: r.name,
            TargetBackupVaultName: 'reference',
            ScheduleExpression: r.cron,
            StartWindowMinutes: 60,
            Lifecycle: { DeleteAfterDays: r.days },
          })),
        },
      }),
    );
    await client.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: {
          SelectionName: 'tagged',
          IamRoleArn: ROLE,
          ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'reference' }],
        },
      }),
    );

    const began = Date.now();
    const report = await postClock(endpoint, { advance: `P${DAYS}D` });
    const seconds = (Date.now() - began) / 1000;
    const end = new Date(START.getTime() + DAYS * DAY);
    assert.equal(report['now'], end.toISOString());
    assert.equal(report['jobsCreated'], DAYS, 'one job a day for the one tagged resource');
    process.stdout.write(`# 400 days advanced in ${seconds.toFixed(1)} s (${JSON.stringify(report)})\n`);

    const points: RecoveryPointByBackupVault[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'reference', NextToken: token }));
      points.push(...(page.RecoveryPoints ?? []));
      token = page.NextToken;
    } while (token !== undefined);

    const ruleNames = new Map<string, string>();
    for (const rule of (await client.send(new (await import('@aws-sdk/client-backup')).GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId! }))).BackupPlan!
      .Rules!)
      ruleNames.set(rule.RuleId!, rule.RuleName!);
    const actual = points
      .map((p) => ({ rule: ruleNames.get(p.CreatedBy?.BackupRuleId ?? '') ?? '?', created: p.CreationDate!.getTime() }))
      .sort((a, b) => a.created - b.created);
    const expected = expectedKept(START, end);
    assert.deepEqual(
      actual.map((p) => `${new Date(p.created).toISOString()} ${p.rule}`),
      expected.map((p) => `${new Date(p.created).toISOString()} ${p.rule}`),
    );
    const counts = Object.fromEntries(RULES.map((r) => [r.name, expected.filter((p) => p.rule === r.name).length]));
    process.stdout.write(`# kept: ${JSON.stringify(counts)}\n`);
    assert.ok(
      counts['daily']! >= 5 && counts['daily']! <= 7 && counts['weekly']! >= 4 && counts['weekly']! <= 5 && counts['monthly']! === 13,
      JSON.stringify(counts),
    );
    for (const p of points) {
      assert.equal(p.Status, 'COMPLETED');
      assert.equal(p.CreatedBy?.BackupPlanId, plan.BackupPlanId);
      assert.equal(p.ResourceArn, RESOURCE_ARN, 'the untagged resource is never picked');
    }

    const jobs = await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'reference', MaxResults: 1000 }));
    assert.equal(jobs.BackupJobs?.length, DAYS);
    assert.ok(
      jobs.BackupJobs!.every((j) => j.State === 'COMPLETED' && j.CreatedBy?.BackupPlanId === plan.BackupPlanId),
      'every scheduled job completed',
    );

    const repo = vaultRepoPath(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'reference');
    const password = await writeVaultPasswordFile(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'reference', join(dir, 'pw'));
    const snapshots = JSON.parse(resticOk(repo, password, ['snapshots', '--json'])) as { id: string }[];
    assert.equal(snapshots.length, expected.length, 'expired recovery points were forgotten in the vault');
    resticOk(repo, password, ['check', '--read-data']);
  });
});
