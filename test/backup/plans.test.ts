/**
 * Backup plan rules without HTTP: defaults, every validation AWS applies to a rule, lifecycle
 * and copy actions, target vaults, versions, idempotency, duplicates, deletion with selections,
 * JSON and templates, and account scoping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackupError } from '../../src/backup/backup-error.js';
import type { BackupErrorCode } from '../../src/backup/backup-error.js';
import { REFERENCE_PLAN_RULES } from '../../src/backup/plan-templates.js';
import { OTHER, SCOPE, T0, withDomain } from './backup-fixture.js';

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<BackupError> {
  const error =
    typeof promise === 'function'
      ? (() => {
          try {
            promise();
            return undefined;
          } catch (e) {
            return e;
          }
        })()
      : await promise.then(
          () => undefined,
          (e: unknown) => e,
        );
  assert.ok(error instanceof BackupError, `expected a BackupError, got ${String(error)}`);
  return error;
}

const rule = (extra: Record<string, unknown> = {}) => ({ RuleName: 'daily', TargetBackupVaultName: 'main', ...extra });
const plan = (rules: unknown[], name = 'p') => ({ BackupPlanName: name, Rules: rules });
const reference = () =>
  plan(
    REFERENCE_PLAN_RULES.map((r) => ({ ...r, TargetBackupVaultName: 'main' })),
    'reference',
  );

test('a rule gets AWS defaults and a RuleId; the plan an ID, ARN and VersionId', () =>
  withDomain(async (domain) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const saved = await domain.plans.create(SCOPE, { plan: plan([rule()]) });
    assert.match(saved.id, /^[0-9a-f-]{36}$/);
    assert.equal(saved.arn, `arn:aws:backup:eu-central-1:111111111111:backup-plan:${saved.id}`);
    assert.deepEqual(saved.creationDate, new Date(T0));
    const got = await domain.plans.get(SCOPE, saved.id);
    const [only] = got.document.Rules;
    assert.match(only?.RuleId ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...only, RuleId: 'x' },
      {
        RuleName: 'daily',
        TargetBackupVaultName: 'main',
        RuleId: 'x',
        ScheduleExpression: 'cron(0 5 ? * * *)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        StartWindowMinutes: 480,
        CompletionWindowMinutes: 10080,
      },
    );
  }));

test('every rule validation names its field', () =>
  withDomain(async (domain) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const cases: [unknown, BackupErrorCode, RegExp][] = [
      [plan([rule({ RuleName: 'bad name!' })]), 'InvalidBackupPlan', /^BackupPlan\.Rules\[0\]\.RuleName is "bad name!"/],
      [
        plan([rule({ EnableContinuousBackup: true })]),
        'InvalidBackupPlan',
        /^BackupPlan\.Rules\[0\]\.EnableContinuousBackup is true, but Coffer has no continuous backup/,
      ],
      [
        plan([rule({ ScheduleExpression: 'cron(0 5 * * * *)' })]),
        'InvalidBackupPlan',
        /Rules\[0\]\.ScheduleExpression "cron\(0 5 \* \* \* \*\)" must have "\?"/,
      ],
      [plan([rule({ ScheduleExpression: 'cron(0,30 * ? * * *)' })]), 'InvalidBackupPlan', /at least 60 minutes apart/],
      [
        plan([rule({ ScheduleExpressionTimezone: 'Mars/Olympus' })]),
        'InvalidBackupPlan',
        /Rules\[0\]\.ScheduleExpressionTimezone "Mars\/Olympus" is not an IANA time zone/,
      ],
      [plan([rule({ StartWindowMinutes: 59 })]), 'InvalidBackupPlan', /Rules\[0\]\.StartWindowMinutes is 59; the start window must be at least 60 minutes/],
      [
        plan([rule({ StartWindowMinutes: 120, CompletionWindowMinutes: 120 })]),
        'InvalidBackupPlan',
        /CompletionWindowMinutes is 120; it must be greater than StartWindowMinutes \(120\)/,
      ],
      [
        plan([rule({ Lifecycle: { DeleteAfterDays: 0 } })]),
        'InvalidBackupPlan',
        /^Invalid lifecycle\. DeleteAfterDays is 0; it must be between 1 and 36500 \(BackupPlan\.Rules\[0\]\.Lifecycle\.DeleteAfterDays\)/,
      ],
      [plan([rule({ Lifecycle: { DeleteAfterDays: 36501 } })]), 'InvalidBackupPlan', /DeleteAfterDays is 36501/],
      [plan([rule({ Lifecycle: { DeleteAfterDays: -1 } })]), 'InvalidBackupPlan', /DeleteAfterDays is -1/],
      [
        plan([rule({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 119 } })]),
        'InvalidBackupPlan',
        /^Invalid lifecycle\. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays: .*at least 120 \(BackupPlan\.Rules\[0\]\.Lifecycle\)\.$/,
      ],
      [
        plan([rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:s3:::bucket' }] })]),
        'InvalidBackupPlan',
        /Rules\[0\]\.CopyActions\[0\]\.DestinationBackupVaultArn "arn:aws:s3:::bucket" is not a backup vault ARN/,
      ],
      [
        plan([
          rule({ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:dr', Lifecycle: { DeleteAfterDays: 0 } }] }),
        ]),
        'InvalidBackupPlan',
        /CopyActions\[0\]\.Lifecycle\.DeleteAfterDays/,
      ],
      [plan([rule({ RecoveryPointTags: { 'aws:x': '1' } })]), 'InvalidTag', /RecoveryPointTags/],
      [plan([rule(), rule()]), 'InvalidBackupPlan', /Rules\[1\]\.RuleName "daily" is used by another rule/],
      [plan([]), 'InvalidBackupPlan', /BackupPlan\.Rules is missing or empty/],
      [{ Rules: [rule()] }, 'InvalidBackupPlan', /BackupPlan\.BackupPlanName is missing/],
    ];
    for (const [document, code, message] of cases) {
      const error = await failure(domain.plans.create(SCOPE, { plan: document }));
      assert.equal(error.code, code, JSON.stringify(document));
      assert.match(error.message, message);
    }
    assert.deepEqual((await domain.plans.list(SCOPE, {})).items, [], 'nothing was stored');
  }));

test('lifecycles and copy actions that AWS accepts, including -1 (inherit) for a copy', () =>
  withDomain(async (domain) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const saved = await domain.plans.create(SCOPE, {
      plan: plan([
        rule({
          Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
          EnableContinuousBackup: false,
          RecoveryPointTags: { team: 'ops' },
          CopyActions: [
            {
              DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:dr',
              Lifecycle: { DeleteAfterDays: -1, MoveToColdStorageAfterDays: 10 },
            },
          ],
          ScheduleExpressionTimezone: 'Europe/Berlin',
          StartWindowMinutes: 60,
          CompletionWindowMinutes: 61,
        }),
      ]),
    });
    const [stored] = (await domain.plans.get(SCOPE, saved.id)).document.Rules;
    assert.equal(stored?.EnableContinuousBackup, false);
    assert.deepEqual(stored?.CopyActions?.[0]?.Lifecycle, { DeleteAfterDays: -1, MoveToColdStorageAfterDays: 10 });
    assert.deepEqual(stored?.RecoveryPointTags, { team: 'ops' });
    assert.equal(stored?.ScheduleExpressionTimezone, 'Europe/Berlin');
  }));

test('updates make new versions; old ones stay readable; a deleted plan lists only with IncludeDeleted', () =>
  withDomain(async (domain, _catalog, clock) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const v1 = await domain.plans.create(SCOPE, { plan: reference() });
    clock.advance(1000);
    const v2 = await domain.plans.update(SCOPE, v1.id, plan([rule()], 'renamed'));
    assert.notEqual(v2.versionId, v1.versionId);
    assert.deepEqual(v2.creationDate, new Date(T0 + 1000));
    const versions = await domain.plans.listVersions(SCOPE, v1.id, {});
    assert.deepEqual(
      versions.items.map((v) => [v.versionId, v.name]),
      [
        [v2.versionId, 'renamed'],
        [v1.versionId, 'reference'],
      ],
    );
    const old = await domain.plans.get(SCOPE, v1.id, v1.versionId);
    assert.equal(old.document.Rules.length, 3);
    assert.equal((await domain.plans.get(SCOPE, v1.id)).versionId, v2.versionId);
    assert.equal((await failure(domain.plans.get(SCOPE, v1.id, 'no-such-version'))).code, 'PlanVersionNotFound');
    const v3 = await domain.plans.update(SCOPE, v1.id, plan([rule()], 'same-instant'));
    assert.deepEqual(v3.creationDate, new Date(T0 + 1001), 'two updates in one millisecond still order');
    assert.equal((await domain.plans.listVersions(SCOPE, v1.id, { maxResults: 1 })).items[0]?.versionId, v3.versionId);

    clock.advance(1000);
    const deleted = await domain.plans.delete(SCOPE, v1.id);
    assert.deepEqual(deleted.deletionDate, new Date(T0 + 2000));
    assert.deepEqual((await domain.plans.list(SCOPE, {})).items, []);
    assert.equal((await domain.plans.list(SCOPE, { includeDeleted: true })).items[0]?.id, v1.id);
    assert.deepEqual((await domain.plans.get(SCOPE, v1.id)).deletionDate, new Date(T0 + 2000), 'a deleted plan can still be read');
    assert.equal((await failure(domain.plans.update(SCOPE, v1.id, reference()))).code, 'PlanNotFound');
    assert.equal((await failure(domain.plans.delete(SCOPE, v1.id))).code, 'PlanNotFound');
  }));

test('CreatorRequestId makes a create idempotent; an identical document is AlreadyExists', () =>
  withDomain(async (domain) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const create = () => domain.plans.create(SCOPE, { plan: reference(), creatorRequestId: 'token-1' });
    const [first, twin] = await Promise.all([create(), create()]);
    assert.deepEqual(twin, first, 'a concurrent twin gets the same plan');
    assert.equal((await domain.plans.list(SCOPE, {})).items.length, 1);
    assert.deepEqual(await domain.plans.create(SCOPE, { plan: reference(), creatorRequestId: 'token-1' }), first);
    const dup = await failure(domain.plans.create(SCOPE, { plan: reference(), creatorRequestId: 'token-2' }));
    assert.equal(dup.code, 'PlanAlreadyExists');
    assert.match(dup.message, new RegExp(`same plan document already exists: ${first.id}`));
    assert.equal((await failure(domain.plans.create(SCOPE, { plan: plan([rule()], 'other'), creatorRequestId: 'token-1' }))).code, 'CreatorRequestIdReused');
    const sameNameOtherRules = await domain.plans.create(SCOPE, { plan: { ...reference(), Rules: [rule()] } });
    assert.notEqual(sameNameOtherRules.id, first.id, 'a name may repeat with a different document');
  }));

test('a plan with selections is not deleted; selections are checked and idempotent', () =>
  withDomain(async (domain, _catalog, clock) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    const { id } = await domain.plans.create(SCOPE, { plan: reference() });
    const selection = {
      SelectionName: 'uploads',
      IamRoleArn: 'arn:aws:iam::111111111111:role/backup',
      Resources: ['arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1'],
    };
    const select = () => domain.selections.create(SCOPE, id, { selection, creatorRequestId: 'sel-1' });
    const [created, twin] = await Promise.all([select(), select()]);
    assert.deepEqual(twin, created, 'a concurrent twin gets the same selection');
    assert.deepEqual(await domain.selections.create(SCOPE, id, { selection, creatorRequestId: 'sel-1' }), created);
    assert.equal((await failure(domain.selections.create(SCOPE, id, { selection }))).code, 'SelectionAlreadyExists');
    const refused = await failure(domain.plans.delete(SCOPE, id));
    assert.equal(refused.code, 'PlanHasSelections');
    assert.match(refused.message, /still has 1 backup selection; delete them first/);

    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...selection, SelectionName: 'a b' }, /BackupSelection\.SelectionName is "a b"/],
      [{ ...selection, IamRoleArn: 'arn:aws:iam::111111111111:user/me' }, /BackupSelection\.IamRoleArn .* is not an IAM role ARN/],
      [{ ...selection, Resources: ['fs-1'] }, /BackupSelection\.Resources\[0\] "fs-1" is not a resource ARN/],
      [{ ...selection, Resources: ['arn:aws:*:x'] }, /Resources\[0\]/],
      [{ ...selection, Resources: [], NotResources: ['*'] }, /BackupSelection selects nothing/],
      [
        { ...selection, Conditions: { StringEquals: [{ ConditionKey: 'env', ConditionValue: 'prod' }] } },
        /Conditions\.StringEquals\[0\]\.ConditionKey is "env"; conditions test tags, as aws:ResourceTag\/<key>/,
      ],
      [{ ...selection, ListOfTags: [{ ConditionType: 'STRINGLIKE', ConditionKey: 'k', ConditionValue: 'v' }] }, /ListOfTags\[0\]\.ConditionType/],
    ];
    for (const [document, message] of bad) {
      const error = await failure(domain.selections.create(SCOPE, id, { selection: document }));
      assert.equal(error.code, 'InvalidBackupSelection');
      assert.match(error.message, message);
    }
    clock.advance(1000);
    const byTags = await domain.selections.create(SCOPE, id, {
      selection: {
        SelectionName: 'tagged',
        IamRoleArn: selection.IamRoleArn,
        Resources: ['*'],
        NotResources: ['arn:aws:rds:eu-central-1:111111111111:db:*'],
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
        Conditions: { StringLike: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod*' }] },
      },
    });
    clock.advance(1000);
    const wildcards = await domain.selections.create(SCOPE, id, {
      selection: {
        SelectionName: 'aws-wildcards',
        IamRoleArn: selection.IamRoleArn,
        Resources: ['arn:aws:rds:*:*:db:*', 'arn:aws:dynamodb:*:*:table/*'],
      },
    });
    assert.deepEqual(
      (await domain.selections.list(SCOPE, id, {})).items.map((s) => s.document.SelectionName),
      ['uploads', 'tagged', 'aws-wildcards'],
    );
    assert.equal((await failure(domain.selections.create(SCOPE, 'no-plan', { selection }))).code, 'SelectionPlanNotFound');
    await domain.selections.delete(SCOPE, id, created.id);
    await domain.selections.delete(SCOPE, id, byTags.id);
    await domain.selections.delete(SCOPE, id, wildcards.id);
    assert.equal((await failure(domain.selections.get(SCOPE, id, created.id))).code, 'SelectionNotFound');
    assert.equal((await failure(domain.selections.delete(SCOPE, id, created.id))).code, 'SelectionNotFound');
    await domain.plans.delete(SCOPE, id);
  }));

test('plans from JSON and from templates; a plan exported and read back', () =>
  withDomain(async (domain) => {
    const fromJson = domain.plans.fromJson(JSON.stringify(reference()));
    assert.deepEqual(
      fromJson.Rules.map((r) => [r.RuleName, r.ScheduleExpression, r.Lifecycle?.DeleteAfterDays]),
      [
        ['DailyBackups', 'cron(0 5 ? * * *)', 7],
        ['WeeklyBackups', 'cron(0 5 ? * 1 *)', 35],
        ['MonthlyBackups', 'cron(0 5 1 * ? *)', 371],
      ],
    );
    assert.deepEqual(domain.plans.fromJson(JSON.stringify({ BackupPlan: reference() })), fromJson, 'the CreateBackupPlan wrapping works too');
    const notJson = await failure(() => domain.plans.fromJson('{"BackupPlanName": '));
    assert.match(notJson.message, /^BackupPlanTemplateJson is not JSON/);
    const badField = await failure(() => domain.plans.fromJson(JSON.stringify(plan([rule({ StartWindowMinutes: 'soon' })]))));
    assert.match(badField.message, /^BackupPlan\.Rules\[0\]\.StartWindowMinutes must be an integer, not "soon"\.$/);

    const templates = domain.plans.listTemplates({});
    assert.deepEqual(
      templates.items.map((t) => t.id),
      ['daily-35day-retention', 'daily-weekly-monthly-1yr-retention'],
    );
    const page = domain.plans.listTemplates({ maxResults: 1 });
    assert.equal(page.items.length, 1);
    assert.equal(domain.plans.listTemplates({ maxResults: 1, nextToken: page.nextToken }).items[0]?.id, 'daily-weekly-monthly-1yr-retention');
    assert.equal(domain.plans.fromTemplate('daily-35day-retention').Rules[0]?.Lifecycle?.DeleteAfterDays, 35);
    assert.equal((await failure(() => domain.plans.fromTemplate('nope'))).code, 'TemplateNotFound');

    await domain.vaults.create(SCOPE, { name: 'main' });
    const saved = await domain.plans.create(SCOPE, { plan: reference() });
    const exported = await domain.plans.exportTemplate(SCOPE, saved.id);
    assert.doesNotMatch(exported, /RuleId/);
    assert.deepEqual(domain.plans.fromJson(exported), fromJson);
  }));

test('plans are per account: another account neither reads, lists, updates, deletes nor selects on them', () =>
  withDomain(async (domain) => {
    await domain.vaults.create(SCOPE, { name: 'main' });
    await domain.vaults.create(OTHER, { name: 'main' });
    const { id } = await domain.plans.create(SCOPE, { plan: reference() });
    assert.equal((await failure(domain.plans.get(OTHER, id))).code, 'PlanNotFound');
    assert.equal((await failure(domain.plans.update(OTHER, id, reference()))).code, 'PlanNotFound');
    assert.equal((await failure(domain.plans.delete(OTHER, id))).code, 'PlanNotFound');
    assert.equal((await failure(domain.plans.listVersions(OTHER, id, {}))).code, 'PlanNotFound');
    assert.equal((await failure(domain.selections.list(OTHER, id, {}))).code, 'PlanNotFound');
    const selection = { SelectionName: 's', IamRoleArn: 'arn:aws:iam::222222222222:role/backup', Resources: ['*'] };
    assert.equal((await failure(domain.selections.create(OTHER, id, { selection }))).code, 'SelectionPlanNotFound');
    assert.deepEqual((await domain.plans.list(OTHER, { includeDeleted: true })).items, []);
    assert.equal(
      (await domain.plans.create(OTHER, { plan: reference() })).arn.includes(':222222222222:'),
      true,
      'the same document in another account is no duplicate',
    );
  }));
