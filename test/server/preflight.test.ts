/**
 * The preflight (GET /_coffer/plans/{id}/preflight, `coffer doctor`) against the real
 * `coffer serve` on the manual clock, in the two-account, two-region setup of copies.test.ts
 * (management account 111111111111 = production, 222222222222 = backup; a customer managed key
 * on the production vault; a plan copying to another region and to the backup account).
 *
 * For each failure mode the preflight predicts FAILED with exactly the StatusMessage the plan's
 * copy job then gets; after the fix the preflight passes and the next copy COMPLETES:
 * key policy without the backup account (before any backup: the hypothetical copy), no
 * organization setting, no destination vault policy, destination vault lock range, AWS managed
 * key on the source vault; and a disabled vault key, which the backup job itself meets. DynamoDB advanced features and an RDS database under aws/rds are
 * compared at the check level (no database or table to back up here). Then the CLI: ✔/✘ lines,
 * fixes, exit codes, --json, every plan without --plan; and the endpoint's authentication.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DescribeCopyJobCommand,
  ListBackupJobsCommand,
  ListBackupSelectionsCommand,
  ListCopyJobsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  UpdateBackupPlanCommand,
  UpdateRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, BackupRule, CopyJob } from '@aws-sdk/client-backup';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { checkDynamoDbFeatures, DYNAMODB_MESSAGE, KEY_NOT_ACCESSIBLE_MESSAGE, refusalMessage } from '../../src/backup/copy-checks.js';
import type { CopyCheckDeps } from '../../src/backup/copy-checks.js';
import type { PreflightCheck, PreflightReport } from '../../src/backup/preflight.js';
import { ALPHA, BETA } from './support/accounts.js';
import { CENTRAL, DR, EAST, KEY_POLICY, ORGANIZATION_CONFIG_HEAD, VAULT_POLICY, vaultArn, WEST } from './support/cross-account.js';
import type { TestAccount } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk, signedRequest } from './support/clients.js';
import { COFFER_BIN } from './support/coffer-process.js';
import { waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2026-12-30T12:00:00Z');
const RESOURCE_ARN = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-orders`;
const TABLE_ARN = `arn:aws:dynamodb:${EAST}:${ALPHA.accountId}:table/orders`;
const DB_ARN = `arn:aws:rds:${EAST}:${ALPHA.accountId}:db:orders`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;

const yaml = `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
  - { arn: "${TABLE_ARN}", endpoint: "http://127.0.0.1:1" }
  - { arn: "${DB_ARN}", url: "postgres://coffer@127.0.0.1:1/orders" }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });
const run = promisify(execFile);

const state: { keyArn?: string; planId?: string } = {};
const seen = new Set<string>();
const alpha = () => sdk(server().endpoint, keysOf(ALPHA), EAST);
const beta = () => sdk(server().endpoint, keysOf(BETA), EAST);
const kms = () => new KMSClient({ endpoint: server().endpoint, region: EAST, maxAttempts: 1, credentials: keysOf(ALPHA) });

const rule = (vault: string, copies: BackupRule['CopyActions']): BackupRule =>
  ({
    RuleName: 'daily',
    TargetBackupVaultName: vault,
    ScheduleExpression: 'cron(0 5 ? * * *)',
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 600,
    Lifecycle: { DeleteAfterDays: 30 },
    CopyActions: copies,
  }) as BackupRule;

async function createPlan(name: string, vault: string, copies: BackupRule['CopyActions'], resources: string[]): Promise<string> {
  const plan = await alpha().send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [rule(vault, copies)] } }));
  await alpha().send(
    new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId!, BackupSelection: { SelectionName: name, IamRoleArn: ROLE, Resources: resources } }),
  );
  return plan.BackupPlanId!;
}

async function deletePlan(client: BackupClient, planId: string): Promise<void> {
  for (const s of (await client.send(new ListBackupSelectionsCommand({ BackupPlanId: planId }))).BackupSelectionsList ?? []) {
    await client.send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: s.SelectionId! }));
  }
  await client.send(new DeleteBackupPlanCommand({ BackupPlanId: planId }));
}

async function setCrossAccount(on: boolean): Promise<void> {
  cliJson(await awsCli(server().endpoint, keysOf(ALPHA), ['backup', 'update-global-settings', '--global-settings', `isCrossAccountBackupEnabled=${on}`], EAST));
}

async function preflight(planId: string, account: TestAccount = ALPHA, region = EAST): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await signedRequest(server().endpoint, keysOf(account), { method: 'GET', path: `/_coffer/plans/${planId}/preflight`, region });
  return { status: response.status, json: response.json };
}

async function report(planId: string): Promise<PreflightReport> {
  const answer = await preflight(planId);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  return answer.json as unknown as PreflightReport;
}

/** Failed checks that fail the plan (a missing restore target is a warning: it fails no backup or copy). */
const failures = (r: PreflightReport): PreflightCheck[] => r.checks.filter((c) => !c.passed && c.warning !== true);

/** The one failure the preflight predicts for the copy to `destination` (and nothing else fails). */
async function predictedFailure(planId: string, check: string, destination = CENTRAL): Promise<PreflightCheck> {
  const r = await report(planId);
  assert.equal(r.passed, false);
  assert.deepEqual(
    failures(r).map((c) => [c.check, c.copyAction]),
    [[check, destination]],
    JSON.stringify(failures(r), null, 2),
  );
  const failed = failures(r)[0]!;
  assert.ok(failed.fix !== undefined && failed.fix.length > 0, 'a failure names its fix');
  return failed;
}

async function assertPasses(planId: string): Promise<void> {
  const r = await report(planId);
  assert.deepEqual(failures(r), [], 'every check passes after the fix');
  assert.equal(r.passed, true);
}

async function postClock(body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server().endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

/** A day passes: the plans' backups run and their copy jobs run to the end; the new copy jobs of `planId`, by destination. */
async function nextDay(planId: string): Promise<Map<string, CopyJob>> {
  await postClock({ advance: 'P1D' });
  const listed = await waitFor(
    'copy jobs of the day',
    async () => {
      const jobs = (await alpha().send(new ListCopyJobsCommand({ MaxResults: 1000 }))).CopyJobs ?? [];
      return jobs.filter((j) => !seen.has(j.CopyJobId!) && j.CreatedBy?.BackupPlanId === planId);
    },
    (jobs) => jobs.length > 0,
  );
  const out = new Map<string, CopyJob>();
  for (const job of listed) {
    seen.add(job.CopyJobId!);
    const done = await waitFor(
      'copy job',
      () => alpha().send(new DescribeCopyJobCommand({ CopyJobId: job.CopyJobId! })),
      (r) => ['COMPLETED', 'FAILED', 'PARTIAL'].includes(r.CopyJob?.State ?? ''),
    );
    out.set(done.CopyJob!.DestinationBackupVaultArn!, done.CopyJob!);
  }
  return out;
}

/** The failure predicted, then the day's copy to CENTRAL failing with exactly that message. */
async function predictThenFail(planId: string, check: string): Promise<CopyJob> {
  const predicted = await predictedFailure(planId, check);
  const jobs = await nextDay(planId);
  const central = jobs.get(CENTRAL);
  assert.equal(central?.State, 'FAILED', central?.StatusMessage);
  assert.equal(central.StatusMessage, predicted.message, "the preflight predicts the copy job's StatusMessage word for word");
  return central;
}

/** After the fix: the preflight passes and the day's copy to CENTRAL completes. */
async function passThenComplete(planId: string): Promise<void> {
  await assertPasses(planId);
  const jobs = await nextDay(planId);
  assert.equal(jobs.get(CENTRAL)?.State, 'COMPLETED', jobs.get(CENTRAL)?.StatusMessage);
}

function doctor(args: readonly string[], account: TestAccount = ALPHA): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    COFFER_ENDPOINT: server().endpoint,
    AWS_REGION: EAST,
  };
  return run(process.execPath, [COFFER_BIN, 'doctor', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

describe('preflight: know before it fails', () => {
  test('before any backup, a key policy without the backup account: predicted, then the copy job fails alike; fixed, it passes and completes', async () => {
    const { dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'orders.csv'), 'id,total\n1,10\n2,20\n');
    const key = await kms().send(new CreateKeyCommand({ Description: 'production backups', Policy: KEY_POLICY(false) }));
    state.keyArn = key.KeyMetadata!.Arn!;
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'prod', EncryptionKeyArn: state.keyArn }));
    await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new CreateBackupVaultCommand({ BackupVaultName: 'dr' }));
    await beta().send(new CreateBackupVaultCommand({ BackupVaultName: 'central' }));
    await beta().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'central', Policy: VAULT_POLICY }));
    await setCrossAccount(true);
    state.planId = await createPlan(
      'production',
      'prod',
      [
        { DestinationBackupVaultArn: DR, Lifecycle: { DeleteAfterDays: -1 } },
        { DestinationBackupVaultArn: CENTRAL, Lifecycle: { DeleteAfterDays: 60 } },
      ],
      [RESOURCE_ARN],
    );

    const r = await report(state.planId);
    assert.deepEqual(r.plan, { id: state.planId, name: 'production' });
    const names = r.checks.map((c) => `${c.copyAction ?? '-'} ${c.check}`);
    for (const expected of [
      '- target-vault',
      '- iam-role',
      '- resources',
      '- vault-lock',
      '- vault-key',
      `${DR} destination-vault`,
      `${DR} vault-lock`,
      `${CENTRAL} destination-vault`,
      `${CENTRAL} organization`,
      `${CENTRAL} vault-access-policy`,
      `${CENTRAL} key-access`,
      `${CENTRAL} dynamodb-advanced-features`,
      `${CENTRAL} vault-lock`,
    ]) {
      assert.ok(names.includes(expected), `${expected} in ${JSON.stringify(names)}`);
    }
    const failed = await predictedFailure(state.planId, 'key-access');
    assert.ok(failed.message.startsWith(KEY_NOT_ACCESSIBLE_MESSAGE), failed.message);
    assert.match(failed.fix!, /PutKeyPolicy/);
    assert.match(failed.fix!, new RegExp(`arn:aws:iam::${BETA.accountId}:root`));
    assert.deepEqual(failed.resources, [RESOURCE_ARN]);

    const central = await predictThenFail(state.planId, 'key-access');
    assert.ok(central.StatusMessage?.includes(state.keyArn));
    await kms().send(new PutKeyPolicyCommand({ KeyId: state.keyArn, PolicyName: 'default', Policy: KEY_POLICY(true) }));
    await passThenComplete(state.planId);
  });

  test('no organization setting: predicted, same message; switched on, it passes and completes', async () => {
    await setCrossAccount(false);
    try {
      const failed = await predictedFailure(state.planId!, 'organization');
      assert.match(failed.fix!, /update-global-settings --global-settings isCrossAccountBackupEnabled=true/);
      await predictThenFail(state.planId!, 'organization');
    } finally {
      await setCrossAccount(true);
    }
    await passThenComplete(state.planId!);
  });

  test('no destination vault policy: predicted with the statement for the destination vault; put back, it passes and completes', async () => {
    await beta().send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'central' }));
    try {
      const failed = await predictedFailure(state.planId!, 'vault-access-policy');
      assert.match(failed.fix!, /backup:CopyIntoBackupVault/);
      assert.match(failed.fix!, /destination vault/);
      await predictThenFail(state.planId!, 'vault-access-policy');
    } finally {
      await beta().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'central', Policy: VAULT_POLICY }));
    }
    await passThenComplete(state.planId!);
  });

  test("the destination vault lock refuses the copy action's retention: predicted naming the range; lifted, it passes and completes", async () => {
    await beta().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'central', MinRetentionDays: 90 }));
    try {
      const failed = await predictedFailure(state.planId!, 'vault-lock');
      assert.match(failed.message, /MinRetentionDays 90/);
      await predictThenFail(state.planId!, 'vault-lock');
    } finally {
      await beta().send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: 'central' }));
    }
    await passThenComplete(state.planId!);
  });

  test("a disabled vault key: predicted with the backup job's own message; enabled again, it passes and completes", async () => {
    await kms().send(new DisableKeyCommand({ KeyId: state.keyArn! }));
    try {
      const r = await report(state.planId!);
      assert.deepEqual(
        failures(r).map((c) => [c.check, c.copyAction]),
        [['vault-key', undefined]],
        JSON.stringify(failures(r), null, 2),
      );
      const failed = failures(r)[0]!;
      assert.match(failed.message, new RegExp(`KMS key ${state.keyArn!} that protects recovery points in backup vault prod is disabled`));
      assert.equal(failed.fix, `aws kms enable-key --key-id ${state.keyArn!} (as account ${ALPHA.accountId})`);
      await postClock({ advance: 'P1D' });
      const jobs = await waitFor(
        "the day's backup job",
        async () =>
          ((await alpha().send(new ListBackupJobsCommand({ MaxResults: 1000 }))).BackupJobs ?? []).filter(
            (j) => !seen.has(j.BackupJobId!) && j.CreatedBy?.BackupPlanId === state.planId && ['COMPLETED', 'FAILED'].includes(j.State ?? ''),
          ),
        (j) => j.length > 0,
      );
      for (const j of jobs) seen.add(j.BackupJobId!);
      assert.equal(jobs[0]!.State, 'FAILED');
      assert.equal(jobs[0]!.StatusMessage, failed.message, "the preflight predicts the backup job's StatusMessage word for word");
    } finally {
      await kms().send(new EnableKeyCommand({ KeyId: state.keyArn! }));
    }
    await passThenComplete(state.planId!);
  });

  test('AWS managed key on the source vault: predicted; the rule moved to the customer-key vault, it passes and completes', async () => {
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'plain' }));
    const planId = await createPlan('plain', 'plain', [{ DestinationBackupVaultArn: CENTRAL, Lifecycle: { DeleteAfterDays: 60 } }], [RESOURCE_ARN]);
    try {
      const failed = await predictedFailure(planId, 'key-access');
      assert.match(failed.message, /AWS managed key/);
      assert.match(failed.fix!, /customer managed key/);
      await predictThenFail(planId, 'key-access');
      await alpha().send(
        new UpdateBackupPlanCommand({
          BackupPlanId: planId,
          BackupPlan: { BackupPlanName: 'plain', Rules: [rule('prod', [{ DestinationBackupVaultArn: CENTRAL, Lifecycle: { DeleteAfterDays: 60 } }])] },
        }),
      );
      await passThenComplete(planId);
    } finally {
      await deletePlan(alpha(), planId);
    }
  });

  test('DynamoDB without advanced features, and RDS under aws/rds: the check-level verdicts, and the fixes', async () => {
    const planId = await createPlan('tables', 'prod', [{ DestinationBackupVaultArn: CENTRAL, Lifecycle: { DeleteAfterDays: 60 } }], [TABLE_ARN, DB_ARN]);
    try {
      const r = await report(planId);
      const dynamo = failures(r).find((c) => c.check === 'dynamodb-advanced-features');
      assert.ok(dynamo, JSON.stringify(failures(r), null, 2));
      assert.deepEqual(dynamo.resources, [TABLE_ARN]);
      // The same check as the copy job of a DynamoDB recovery point in vault prod runs it.
      const settingsOff: CopyCheckDeps = {
        catalog: { settings: { getRegionSettings: async () => undefined } } as unknown as CopyCheckDeps['catalog'],
        kms: undefined as never,
        organization: undefined,
      };
      const jobCheck = await checkDynamoDbFeatures(settingsOff, {
        source: {
          accountId: ALPHA.accountId,
          region: EAST,
          arn: 'rp',
          vaultName: 'prod',
          vaultArn: vaultArn(ALPHA, EAST, 'prod'),
          resourceType: 'DynamoDB',
          repositoryKeyId: undefined,
          createdAt: 0,
        },
        destination: { accountId: BETA.accountId, region: EAST, name: 'central', arn: CENTRAL, accessPolicy: VAULT_POLICY, lock: undefined },
        calculated: { deleteAt: undefined, moveToColdStorageAt: undefined },
        now: 0,
      });
      assert.equal(dynamo.message, refusalMessage(jobCheck));
      assert.ok(dynamo.message.startsWith(DYNAMODB_MESSAGE));
      assert.match(dynamo.fix!, /update-region-settings --resource-type-management-preference DynamoDB=true/);

      const rds = failures(r).find((c) => c.check === 'key-access');
      assert.ok(rds, JSON.stringify(failures(r), null, 2));
      assert.deepEqual(rds.resources, [DB_ARN]);
      assert.match(rds.message, /^Given key ID is not accessible \(RDS recovery points in vault .* are protected by the AWS managed key arn:aws:kms:/);
      assert.match(rds.fix!, /re-create the database/);
      assert.deepEqual(
        failures(r)
          .map((c) => c.check)
          .sort(),
        ['dynamodb-advanced-features', 'key-access'],
      );

      await alpha().send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { DynamoDB: true } }));
      const after = await report(planId);
      assert.deepEqual(
        failures(after).map((c) => c.check),
        ['key-access'],
        'only the RDS key is left',
      );
      assert.ok(after.checks.some((c) => c.check === 'dynamodb-advanced-features' && c.passed));
    } finally {
      await deletePlan(alpha(), planId);
    }
  });

  test('coffer doctor: ✔/✘ per check with the fix under a failure, exit 1 on failure and 0 when all pass; --json; every plan without --plan', async () => {
    const ok = await doctor(['--plan', state.planId!]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /plan production .*: all checks pass/);
    assert.match(ok.stdout, /✔ target-vault/);
    assert.doesNotMatch(ok.stdout, /✘/);
    // Copies kept in another account: no restoreTargets entry there is a warning with the config line, not a failure.
    assert.match(
      ok.stdout,
      /! restore-target: No restore target for EFS in account \d{12}, [a-z0-9-]+: the copies there could not be restored there unless each restore names its RestorePath/,
    );
    assert.match(ok.stdout, /fix: Add to the config: restoreTargets: - \{ account: "\d{12}", region: [a-z0-9-]+, resourceType: EFS, path: \/srv\/restores \}/);
    assert.match(ok.stdout, /✔ restore-target: Restores of EFS recovery points in account \d{12}, us-east-1 go to each resource's own directory's host/);

    // A plan must name an existing vault when it is saved; the vault can go afterwards.
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'missing' }));
    const broken = await createPlan('broken', 'missing', [{ DestinationBackupVaultArn: vaultArn(BETA, WEST, 'nowhere') }], [RESOURCE_ARN]);
    await alpha().send(new DeleteBackupVaultCommand({ BackupVaultName: 'missing' }));
    try {
      const bad = await doctor(['--plan', broken]);
      assert.equal(bad.code, 1, bad.stderr);
      process.stdout.write(bad.stdout);
      assert.match(bad.stdout, /✘ target-vault: Backup vault missing of rule daily does not exist/);
      assert.match(bad.stdout, /\n {8}fix: aws backup create-backup-vault --backup-vault-name missing --region us-east-1/);
      assert.match(
        bad.stdout,
        /rule daily, copy to arn:aws:backup:eu-west-1:222222222222:backup-vault:nowhere\n +✘ destination-vault: Copy job failed\. Destination backup vault .* does not exist\./,
      );
      assert.match(
        bad.stdout,
        /fix: aws backup create-backup-vault --backup-vault-name nowhere --region eu-west-1 \(as account 222222222222, the destination account\)/,
      );

      const json = await doctor(['--plan', broken, '--json']);
      assert.equal(json.code, 1);
      const answer = JSON.parse(json.stdout) as PreflightReport;
      assert.equal(answer.passed, false);
      assert.deepEqual(answer.plan, { id: broken, name: 'broken' });
      assert.ok(
        answer.checks.every((c) => typeof c.rule === 'string' && typeof c.check === 'string' && typeof c.passed === 'boolean' && typeof c.message === 'string'),
      );

      const all = await doctor([]);
      assert.equal(all.code, 1);
      assert.match(all.stdout, /plan production .*: all checks pass/);
      assert.match(all.stdout, /plan broken .*: \d+ check\(s\) fail/);
    } finally {
      await deletePlan(alpha(), broken);
    }
    const again = await doctor([]);
    assert.equal(again.code, 0, again.stdout);
  });

  test("the endpoint answers the signer's account and region only", async () => {
    const unsigned = await fetch(`${server().endpoint}/_coffer/plans/${state.planId!}/preflight`);
    assert.equal(unsigned.status, 403);
    assert.match(((await unsigned.json()) as { error: string }).error, /sign the request with SigV4/);
    const otherAccount = await preflight(state.planId!, BETA);
    assert.equal(otherAccount.status, 404);
    const otherRegion = await preflight(state.planId!, ALPHA, WEST);
    assert.equal(otherRegion.status, 404);
    assert.match(String(otherRegion.json['error']), /region eu-west-1/);
    const badKey = await signedRequest(
      server().endpoint,
      { ...keysOf(ALPHA), secretAccessKey: 'wrong' },
      { method: 'GET', path: `/_coffer/plans/${state.planId!}/preflight` },
    );
    assert.equal(badKey.status, 403);
  });
});
