/**
 * The scheduler's admin surface on a manual-clock server with two accounts: POST /_coffer/clock
 * refuses bad requests saying what to send and never goes backwards; GET /_coffer/schedule needs
 * a SigV4 signature and shows the signer's account only (404 for a plan that does not exist);
 * a selection naming an unknown resource is warned about; `coffer plan preview` and
 * `coffer clock advance` drive the same endpoints from the command line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBackupPlanCommand, CreateBackupSelectionCommand, CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { accountsYaml, ALPHA, BETA } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { COFFER_BIN } from './support/coffer-process.js';
import { useCoffer } from './support/server-fixture.js';

const run = promisify(execFile);
const START = '2027-05-01T00:00:00.000Z';
const FS_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-admin`;
const yaml = `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA, BETA])}regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1" }
resources:
  - { arn: "${FS_ARN}", path: ./source, tags: { backup: nightly } }
`;
const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START] });

async function postClock(endpoint: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [COFFER_BIN, ...args], { env: { ...process.env, ...env } });
}

describe('scheduler admin endpoints and commands', () => {
  test('the manual clock: clear refusals, never backwards', async () => {
    const { endpoint } = server();
    for (const [body, pattern] of [
      ['not json', /The body must be JSON/],
      ['{}', /exactly one of "advance".*or "set"/],
      ['{"advance":"P1D","set":"2027-06-01T00:00:00Z"}', /exactly one of/],
      ['{"advance":"tomorrow"}', /"tomorrow" is not a duration: use ISO-8601 such as P1D/],
      ['{"set":"2027-06-01"}', /is not an ISO-8601 time with a zone/],
      ['{"set":"2020-01-01T00:00:00Z"}', /only moves forward: it is 2027-05-01T00:00:00.000Z/],
    ] as const) {
      const answer = await postClock(endpoint, body);
      assert.equal(answer.status, 400, body);
      assert.match(String(answer.json['error']), pattern, body);
    }
    const moved = await postClock(endpoint, '{"advance":"PT1H"}');
    assert.equal(moved.status, 200);
    assert.equal(moved.json['now'], '2027-05-01T01:00:00.000Z');
  });

  test('the schedule: signed, per account; coffer plan preview and coffer clock advance', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    const alpha = sdk(endpoint, keysOf(ALPHA));
    const beta = sdk(endpoint, keysOf(BETA));
    await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'nightly' }));
    await beta.send(new CreateBackupVaultCommand({ BackupVaultName: 'other' }));
    const rule = (name: string, cron: string, vault: string) => ({
      RuleName: name,
      TargetBackupVaultName: vault,
      ScheduleExpression: cron,
      Lifecycle: { DeleteAfterDays: 7 },
    });
    const plan = await alpha.send(
      new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'nightly', Rules: [rule('nightly', 'cron(0 3 ? * * *)', 'nightly')] } }),
    );
    await alpha.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: {
          SelectionName: 'tagged',
          IamRoleArn: `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`,
          ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'nightly' }],
        },
      }),
    );
    await beta.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'beta-plan', Rules: [rule('hourly-ish', 'cron(0 */6 ? * * *)', 'other')] } }));

    const unsigned = await fetch(`${endpoint}/_coffer/schedule?days=2`);
    assert.equal(unsigned.status, 403);
    assert.match(((await unsigned.json()) as { error: string }).error, /sign the request with SigV4/);

    const signed = await signedRequest(endpoint, keysOf(ALPHA), { method: 'GET', path: '/_coffer/schedule', query: { days: '2' } });
    assert.equal(signed.status, 200, signed.text);
    const runs = signed.json['runs'] as { time: string; ruleName: string; planId: string; resources: string[]; targetVault: string; accountId: string }[];
    assert.ok(runs.length >= 2 && runs.every((r) => r.accountId === ALPHA.accountId), "only the signer's account");
    assert.equal(runs[0]!.ruleName, 'nightly');
    assert.equal(runs[0]!.targetVault, 'nightly');
    assert.deepEqual(runs[0]!.resources, [FS_ARN]);
    const badDays = await signedRequest(endpoint, keysOf(ALPHA), { method: 'GET', path: '/_coffer/schedule', query: { days: '0' } });
    assert.equal(badDays.status, 400);
    assert.match(String(badDays.json['error']), /days must be a whole number from 1/);

    const env = { AWS_ACCESS_KEY_ID: ALPHA.accessKeyId, AWS_SECRET_ACCESS_KEY: ALPHA.secretAccessKey, COFFER_ENDPOINT: endpoint };
    const preview = await cli(['plan', 'preview', plan.BackupPlanId!, '--days', '3'], env);
    const lines = preview.stdout.trim().split('\n');
    assert.equal(lines.length, 3, preview.stdout);
    assert.match(lines[0]!, /T03:00:00\.000Z {2}nightly -> nightly: arn:aws:elasticfilesystem:us-east-1:111111111111:file-system\/fs-admin$/);

    const advanced = await cli(['clock', 'advance', '1d', '--endpoint-url', endpoint], {});
    assert.match(advanced.stdout, /clock now 2027-05-02T01:00:00.000Z .*1 jobs started/);
    const wrong = await cli(['clock', 'advance', 'soon', '--endpoint-url', endpoint], {}).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(wrong?.code, 1);
    assert.match(wrong?.stderr ?? '', /"soon" is not a duration/);
  });

  test('a plan that does not exist: the schedule answers 404 and coffer plan preview fails saying so', async () => {
    const { endpoint } = server();
    const missing = '00000000-0000-4000-8000-000000000000';
    const answer = await signedRequest(endpoint, keysOf(ALPHA), { method: 'GET', path: '/_coffer/schedule', query: { days: '2', planId: missing } });
    assert.equal(answer.status, 404, answer.text);
    assert.match(String(answer.json['error']), new RegExp(`No backup plan ${missing} in account ${ALPHA.accountId}.*list-backup-plans`));
    const env = { AWS_ACCESS_KEY_ID: ALPHA.accessKeyId, AWS_SECRET_ACCESS_KEY: ALPHA.secretAccessKey, COFFER_ENDPOINT: endpoint };
    const failed = await cli(['plan', 'preview', missing], env).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(failed?.code, 1);
    assert.match(failed?.stderr ?? '', new RegExp(`No backup plan ${missing}`));
  });

  test('a selection naming a resource Coffer does not know: a warning in the log and a failed preflight check', async () => {
    const { endpoint, process: coffer } = server();
    const alpha = sdk(endpoint, keysOf(ALPHA));
    const typo = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-admn`;
    const plan = await alpha.send(
      new CreateBackupPlanCommand({
        BackupPlan: { BackupPlanName: 'typo', Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'nightly', ScheduleExpression: 'cron(0 4 ? * * *)' }] },
      }),
    );
    await alpha.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: {
          SelectionName: 'both',
          IamRoleArn: `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`,
          Resources: [FS_ARN, typo, `${FS_ARN.slice(0, -5)}*`],
        },
      }),
    );
    assert.match(
      coffer.stdout(),
      new RegExp(
        `warning: backup plan ${plan.BackupPlanId}: Selection both names a resource Coffer does not know in account ${ALPHA.accountId}, region us-east-1: ${typo};`,
      ),
    );
    assert.doesNotMatch(coffer.stdout(), new RegExp(`${FS_ARN}[,;]`), 'the configured one and the wildcard are not named');

    const preflight = await signedRequest(endpoint, keysOf(ALPHA), { method: 'GET', path: `/_coffer/plans/${plan.BackupPlanId}/preflight` });
    assert.equal(preflight.status, 200, preflight.text);
    const checks = preflight.json['checks'] as { check: string; passed: boolean; message: string; fix?: string; resources?: string[] }[];
    const named = checks.find((c) => c.check === 'selection-resources');
    assert.equal(named?.passed, false, JSON.stringify(checks));
    assert.deepEqual(named?.resources, [typo]);
    assert.match(named?.fix ?? '', /under resources in the deployment config/);
    assert.ok(
      checks.some((c) => c.check === 'resources' && c.passed),
      'the configured resource is still picked',
    );
  });
});
