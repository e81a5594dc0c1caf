/**
 * Every plan and selection validation on the wire: the exception AWS answers with (header and
 * body), HTTP 400, and a message that names the field and what to fix. And two accounts: neither
 * sees, changes, deletes nor selects on the other's plans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBackupPlanCommand, CreateBackupVaultCommand, ListBackupPlansCommand } from '@aws-sdk/client-backup';
import { ALPHA, BETA } from './support/accounts.js';
import { awsCli, boto3, keysOf, sdk, signedRequest } from './support/clients.js';
import type { RawRequest, RawResponse } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const alpha = keysOf(ALPHA);
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/coffer-backup`;

function call(req: RawRequest, keys = alpha): Promise<RawResponse> {
  return signedRequest(server().endpoint, keys, req);
}

function assertError(res: RawResponse, type: string, message: RegExp, status = 400): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('x-amzn-errortype'), type, res.text);
  assert.equal(res.json['__type'], type);
  assert.match(String(res.json['Message']), message);
}

const rule = (extra: Record<string, unknown> = {}) => ({
  RuleName: 'daily',
  TargetBackupVaultName: 'errors-vault',
  Lifecycle: { DeleteAfterDays: 7 },
  ...extra,
});
const createPlan = async (rules: unknown[], keys = alpha) =>
  (await withVault(), call)({ method: 'PUT', path: '/backup/plans/', body: JSON.stringify({ BackupPlan: { BackupPlanName: 'errors', Rules: rules } }) }, keys);

let vault: Promise<void> | undefined;
/** The vault every rule here targets, made once (the server starts in useCoffer's hook). */
function withVault(): Promise<void> {
  vault ??= call({ method: 'PUT', path: '/backup-vaults/errors-vault', body: '{}' }).then((res) => assert.equal(res.status, 200, res.text));
  return vault;
}

test('rule validation: exception, status and a message naming the field', async () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [
      rule({ RuleName: 'no spaces' }),
      'InvalidParameterValueException',
      /^1 validation error detected: Value 'no spaces' at 'BackupPlan\.Rules\[0\]\.RuleName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ],
    [rule({ ScheduleExpression: 'cron(0 5 * * *)' }), 'InvalidParameterValueException', /ScheduleExpression "cron\(0 5 \* \* \*\)" must have 6 fields/],
    [
      rule({ ScheduleExpression: 'cron(0 5 * * * *)' }),
      'InvalidParameterValueException',
      /must have "\?" in exactly one of day-of-month \(3rd field\) and day-of-week \(5th field\)/,
    ],
    [rule({ ScheduleExpression: 'cron(0/30 * ? * * *)' }), 'InvalidParameterValueException', /two runs of a rule must be at least 60 minutes apart/],
    [
      rule({ ScheduleExpressionTimezone: 'Europe/Atlantis' }),
      'InvalidParameterValueException',
      /ScheduleExpressionTimezone "Europe\/Atlantis" is not an IANA time zone/,
    ],
    [rule({ StartWindowMinutes: 59 }), 'InvalidParameterValueException', /StartWindowMinutes is 59; the start window must be at least 60 minutes/],
    [
      rule({ CompletionWindowMinutes: 480 }),
      'InvalidParameterValueException',
      /CompletionWindowMinutes is 480; it must be greater than StartWindowMinutes \(480\)/,
    ],
    [
      rule({ Lifecycle: { DeleteAfterDays: 0 } }),
      'InvalidParameterValueException',
      /^Invalid lifecycle\. DeleteAfterDays is 0; it must be between 1 and 36500/,
    ],
    [rule({ Lifecycle: { DeleteAfterDays: 36501 } }), 'InvalidParameterValueException', /DeleteAfterDays is 36501; it must be between 1 and 36500/],
    [
      rule({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } }),
      'InvalidParameterValueException',
      /^Invalid lifecycle\. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays/,
    ],
    [
      rule({ CopyActions: [{ DestinationBackupVaultArn: 'not-an-arn' }] }),
      'InvalidParameterValueException',
      /CopyActions\[0\]\.DestinationBackupVaultArn "not-an-arn" is not a backup vault ARN/,
    ],
    [
      rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr', Lifecycle: { DeleteAfterDays: -2 } }] }),
      'InvalidParameterValueException',
      /DeleteAfterDays is -2; .*or -1 to keep the source recovery point's expiry/,
    ],
  ];
  for (const [bad, type, message] of cases) assertError(await createPlan([bad]), type, message);
  assertError(
    await call({ method: 'PUT', path: '/backup/plans/', body: JSON.stringify({ BackupPlan: { BackupPlanName: 'errors' } }) }),
    'MissingParameterValueException',
    /Rules/,
  );
  const copyInherits = await createPlan([
    rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr', Lifecycle: { DeleteAfterDays: -1 } }] }),
  ]);
  assert.equal(copyInherits.status, 200, copyInherits.text);
  assertError(
    await createPlan([
      rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr', Lifecycle: { DeleteAfterDays: -1 } }] }),
    ]),
    'AlreadyExistsException',
    /same plan document already exists/,
  );
});

test('plan, version, selection and template lookups that miss', async () => {
  const created = await createPlan([rule({ RuleName: 'lookups' })]);
  const planId = String(created.json['BackupPlanId']);
  assertError(
    await call({ method: 'GET', path: '/backup/plans/no-such-plan/' }),
    'ResourceNotFoundException',
    /Backup plan no-such-plan does not exist in account 111111111111, region us-east-1/,
  );
  assertError(
    await call({ method: 'GET', path: `/backup/plans/${planId}/`, query: { versionId: 'nope' } }),
    'ResourceNotFoundException',
    new RegExp(`Backup plan ${planId} has no version nope`),
  );
  assertError(
    await call({ method: 'POST', path: '/backup/plans/no-such-plan', body: JSON.stringify({ BackupPlan: { BackupPlanName: 'x', Rules: [rule()] } }) }),
    'ResourceNotFoundException',
    /Backup plan no-such-plan does not exist/,
  );
  assertError(await call({ method: 'DELETE', path: '/backup/plans/no-such-plan' }), 'ResourceNotFoundException', /does not exist/);
  assertError(
    await call({ method: 'GET', path: `/backup/plans/${planId}/selections/nope` }),
    'ResourceNotFoundException',
    new RegExp(`Backup selection nope of plan ${planId} does not exist`),
  );
  assertError(
    await call({ method: 'GET', path: '/backup/template/plans/nope/toPlan' }),
    'ResourceNotFoundException',
    /There is no backup plan template nope; ListBackupPlanTemplates lists them/,
  );
  assertError(
    await call({ method: 'POST', path: '/backup/template/json/toPlan', body: JSON.stringify({ BackupPlanTemplateJson: '{"BackupPlanName":' }) }),
    'InvalidParameterValueException',
    /^BackupPlanTemplateJson is not JSON/,
  );
});

test('selection validation and deletion of a plan that still has selections', async () => {
  const created = await createPlan([rule({ RuleName: 'selections' })]);
  const planId = String(created.json['BackupPlanId']);
  const select = (selection: Record<string, unknown>, id = planId) =>
    call({ method: 'PUT', path: `/backup/plans/${id}/selections/`, body: JSON.stringify({ BackupSelection: selection }) });
  const good = { SelectionName: 'all-efs', IamRoleArn: ROLE, Resources: ['arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/*'] };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, IamRoleArn: 'backup-role' }, /BackupSelection\.IamRoleArn "backup-role" is not an IAM role ARN/],
    [{ ...good, Resources: ['fs-1'] }, /BackupSelection\.Resources\[0\] "fs-1" is not a resource ARN/],
    [{ ...good, Resources: [] }, /BackupSelection selects nothing/],
    [
      { ...good, Conditions: { StringEquals: [{ ConditionKey: 'team', ConditionValue: 'ops' }] } },
      /ConditionKey is "team"; conditions test tags, as aws:ResourceTag\/<key>/,
    ],
  ];
  for (const [bad, message] of cases) assertError(await select(bad), 'InvalidParameterValueException', message);
  assertError(await select(good, 'no-such-plan'), 'InvalidParameterValueException', /BackupPlanId no-such-plan: no such backup plan/);
  const ok = await select(good);
  assert.equal(ok.status, 200, ok.text);
  assertError(await select(good), 'AlreadyExistsException', /already has a selection named all-efs/);
  assertError(await call({ method: 'DELETE', path: `/backup/plans/${planId}` }), 'InvalidRequestException', /still has 1 backup selection; delete them first/);
});

test("two accounts: neither sees nor touches the other's plans", async () => {
  const { endpoint } = server();
  const alphaSdk = sdk(endpoint, alpha);
  const betaSdk = sdk(endpoint, keysOf(BETA));
  const created = await alphaSdk.send(
    new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'alpha-private', Rules: [rule({ RuleName: 'isolated' })] } }),
  );
  const planId = created.BackupPlanId!;
  const beta = keysOf(BETA);
  for (const req of [
    { method: 'GET', path: `/backup/plans/${planId}/` },
    { method: 'POST', path: `/backup/plans/${planId}`, body: JSON.stringify({ BackupPlan: { BackupPlanName: 'x', Rules: [rule()] } }) },
    { method: 'DELETE', path: `/backup/plans/${planId}` },
    { method: 'GET', path: `/backup/plans/${planId}/versions/` },
    { method: 'GET', path: `/backup/plans/${planId}/selections/` },
    { method: 'GET', path: `/backup/plans/${planId}/toTemplate/` },
  ]) {
    const res = await call(req, beta);
    assertError(res, 'ResourceNotFoundException', /does not exist in account 222222222222/);
    assert.doesNotMatch(res.text, /111111111111/, `${req.method} ${req.path}: nothing of account A`);
  }
  assertError(
    await call(
      {
        method: 'PUT',
        path: `/backup/plans/${planId}/selections/`,
        body: JSON.stringify({ BackupSelection: { SelectionName: 's', IamRoleArn: ROLE, Resources: ['*'] } }),
      },
      beta,
    ),
    'InvalidParameterValueException',
    /no such backup plan in account 222222222222/,
  );
  assertError(
    await call({ method: 'GET', path: '/tags/' + encodeURIComponent(created.BackupPlanArn!) + '/' }, beta),
    'AccessDeniedException',
    /not authorized/,
    403,
  );
  // B's own plan naming a vault B has not made yet is accepted (as with AWS) and is B's alone.
  const own = await createPlan([rule()], beta);
  assert.equal(own.status, 200, own.text);
  await betaSdk.send(new CreateBackupVaultCommand({ BackupVaultName: 'errors-vault' }));
  const betaPlans = await betaSdk.send(new ListBackupPlansCommand({ IncludeDeleted: true }));
  assert.deepEqual(
    (betaPlans.BackupPlansList ?? []).map((p) => p.BackupPlanName),
    ['errors'],
    "only B's own plan",
  );
  const cli = await awsCli(endpoint, beta, ['backup', 'get-backup-plan', '--backup-plan-id', planId]);
  assert.match(cli.stderr, /ResourceNotFoundException/);
  const [boto] = await boto3(endpoint, beta, [{ method: 'list_backup_plan_versions', params: { BackupPlanId: planId } }]);
  assert.ok(boto && 'error' in boto && boto.error.code === 'ResourceNotFoundException', JSON.stringify(boto));
  assert.equal(
    (await alphaSdk.send(new ListBackupPlansCommand({}))).BackupPlansList?.some((p) => p.BackupPlanId === planId),
    true,
    "A's plan survived",
  );
});
