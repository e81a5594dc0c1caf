/** Plans with versions, soft deletion and name uniqueness; selections of a plan. */
import assert from 'node:assert/strict';
import type { Catalog } from '../../src/catalog/catalog.js';
import { CatalogConflictError } from '../../src/catalog/catalog-error.js';
import type { JsonObject } from '../../src/catalog/json-text.js';
import { allPages, DAY, OTHER_ACCOUNT, SCOPE, T0, test, withCatalog } from './dialect-fixture.js';

const DAILY: JsonObject = {
  BackupPlanName: 'reference',
  Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'daily', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 7 } }],
};
const WITH_WEEKLY: JsonObject = {
  BackupPlanName: 'reference',
  Rules: [...(DAILY['Rules'] as JsonObject[]), { RuleName: 'weekly', TargetBackupVaultName: 'daily', ScheduleExpression: 'cron(0 5 ? * 1 *)' }],
};

function createPlan(catalog: Catalog, id: string, name = id, createdAt = T0) {
  return catalog.plans.create(SCOPE, {
    id,
    arn: `arn:aws:backup:eu-central-1:111111111111:backup-plan:${id}`,
    name,
    versionId: `${id}-v1`,
    document: DAILY,
    creatorRequestId: `req-${id}`,
    createdAt,
  });
}

test('creates a plan with its first version', () =>
  withCatalog(async (catalog) => {
    const plan = await createPlan(catalog, 'p1', 'reference');
    assert.equal(plan.versionId, 'p1-v1');
    assert.deepEqual(plan.document, DAILY);
    assert.equal(plan.deletedAt, undefined);
    assert.deepEqual(await catalog.plans.get(SCOPE, 'p1'), plan);
    assert.equal(await catalog.plans.get(OTHER_ACCOUNT, 'p1'), undefined);
    assert.deepEqual(await catalog.plans.findByCreatorRequestId(SCOPE, 'req-p1'), plan);
    const version = await catalog.plans.getVersion(SCOPE, 'p1', 'p1-v1');
    assert.deepEqual(version, { planId: 'p1', versionId: 'p1-v1', name: 'reference', document: DAILY, createdAt: T0, deletedAt: undefined });
  }));

test('plan ids are unique; names are not (AWS refuses only identical documents)', () =>
  withCatalog(async (catalog) => {
    await createPlan(catalog, 'p1', 'reference');
    await assert.rejects(createPlan(catalog, 'p1', 'other'), CatalogConflictError);
    assert.equal((await catalog.plans.listVersions(SCOPE, 'p1')).items.length, 1, 'the failed create left no version behind');
    await createPlan(catalog, 'p2', 'reference', T0 + 1);
    assert.deepEqual(
      (await catalog.plans.findLiveByName(SCOPE, 'reference')).map((p) => p.id),
      ['p1', 'p2'],
    );
    await catalog.plans.markDeleted(SCOPE, 'p1', T0 + DAY);
    assert.deepEqual(
      (await catalog.plans.findLiveByName(SCOPE, 'reference')).map((p) => p.id),
      ['p2'],
    );
    assert.deepEqual(await catalog.plans.findLiveByName(OTHER_ACCOUNT, 'reference'), []);
  }));

test('an update adds a version and makes it current, in one step', () =>
  withCatalog(async (catalog) => {
    await createPlan(catalog, 'p1', 'reference');
    const updated = await catalog.plans.update(SCOPE, 'p1', { versionId: 'p1-v2', name: 'reference', document: WITH_WEEKLY, updatedAt: T0 + DAY });
    assert.equal(updated?.versionId, 'p1-v2');
    assert.deepEqual(updated?.document, WITH_WEEKLY);
    assert.equal(updated?.createdAt, T0);
    assert.equal(updated?.updatedAt, T0 + DAY);
    const versions = await catalog.plans.listVersions(SCOPE, 'p1');
    assert.deepEqual(
      versions.items.map((v) => v.versionId),
      ['p1-v2', 'p1-v1'],
    );
    assert.deepEqual((await catalog.plans.getVersion(SCOPE, 'p1', 'p1-v1'))?.document, DAILY);
    assert.equal(await catalog.plans.update(OTHER_ACCOUNT, 'p1', { versionId: 'x', name: 'x', document: {}, updatedAt: T0 }), undefined);
  }));

test('deletion marks the plan and its versions; lists hide it unless asked', () =>
  withCatalog(async (catalog) => {
    await createPlan(catalog, 'p1');
    await catalog.plans.update(SCOPE, 'p1', { versionId: 'p1-v2', name: 'p1', document: WITH_WEEKLY, updatedAt: T0 + DAY });
    await createPlan(catalog, 'p2', 'p2', T0 + 1);
    const deleted = await catalog.plans.markDeleted(SCOPE, 'p1', T0 + 2 * DAY);
    assert.equal(deleted?.deletedAt, T0 + 2 * DAY);
    assert.equal(await catalog.plans.markDeleted(SCOPE, 'p1', T0 + 3 * DAY), undefined);
    assert.equal(await catalog.plans.update(SCOPE, 'p1', { versionId: 'v3', name: 'p1', document: {}, updatedAt: T0 }), undefined);
    assert.deepEqual(
      (await catalog.plans.list(SCOPE)).items.map((p) => p.id),
      ['p2'],
    );
    assert.deepEqual(
      (await catalog.plans.list(SCOPE, { includeDeleted: true })).items.map((p) => p.id),
      ['p2', 'p1'],
    );
    const versions = await catalog.plans.listVersions(SCOPE, 'p1');
    assert.ok(versions.items.every((v) => v.deletedAt === T0 + 2 * DAY));
    assert.deepEqual(
      (await catalog.plans.listAllLive()).items.map((p) => p.id),
      ['p2'],
    );
  }));

test('lists plans newest first over pages, and every live plan for the scheduler', () =>
  withCatalog(async (catalog) => {
    for (let i = 0; i < 5; i++) await createPlan(catalog, `p${i}`, `p${i}`, T0 + i);
    await catalog.plans.create(OTHER_ACCOUNT, { id: 'q', arn: 'arn:q', name: 'q', versionId: 'v', document: {}, createdAt: T0 });
    const pages = await allPages(2, (page) => catalog.plans.list(SCOPE, {}, page));
    assert.deepEqual(
      pages.flat().map((p) => p.id),
      ['p4', 'p3', 'p2', 'p1', 'p0'],
    );
    const all = await allPages(4, (page) => catalog.plans.listAllLive(page));
    assert.deepEqual(
      all.flat().map((p) => p.id),
      ['p0', 'p1', 'p2', 'p3', 'p4', 'q'],
    );
    await catalog.plans.setLastExecution(SCOPE, 'p1', T0 + DAY);
    assert.equal((await catalog.plans.get(SCOPE, 'p1'))?.lastExecutionAt, T0 + DAY);
  }));

test('selections belong to a plan of their scope', () =>
  withCatalog(async (catalog) => {
    await createPlan(catalog, 'p1');
    const document: JsonObject = {
      SelectionName: 'tagged',
      IamRoleArn: 'arn:aws:iam::111111111111:role/backup',
      ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
    };
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        await catalog.selections.create(SCOPE, {
          id: `s${i}`,
          planId: 'p1',
          name: `sel-${i}`,
          iamRoleArn: 'arn:aws:iam::111111111111:role/backup',
          document,
          creatorRequestId: `r${i}`,
          createdAt: T0 + i,
        }),
      );
    }
    assert.deepEqual(await catalog.selections.get(SCOPE, 'p1', 's1'), made[1]);
    assert.equal(await catalog.selections.get(SCOPE, 'p2', 's1'), undefined);
    assert.equal(await catalog.selections.get(OTHER_ACCOUNT, 'p1', 's1'), undefined);
    assert.deepEqual(await catalog.selections.findByCreatorRequestId(SCOPE, 'p1', 'r2'), made[2]);
    assert.deepEqual(
      (await allPages(2, (page) => catalog.selections.list(SCOPE, 'p1', page))).flat().map((s) => s.id),
      ['s0', 's1', 's2'],
    );
    assert.equal(await catalog.selections.count(SCOPE, 'p1'), 3);
    assert.equal(await catalog.selections.delete(SCOPE, 'p1', 's0'), true);
    assert.equal(await catalog.selections.delete(SCOPE, 'p1', 's0'), false);
    assert.equal(await catalog.selections.count(SCOPE, 'p1'), 2);
    await assert.rejects(
      catalog.selections.create(SCOPE, {
        id: 'orphan',
        planId: 'nope',
        name: 'x',
        iamRoleArn: 'arn:r',
        document: {},
        createdAt: T0,
      }),
      /foreign key/i,
    );
    await assert.rejects(
      catalog.selections.create(SCOPE, {
        id: 's1',
        planId: 'p1',
        name: 'x',
        iamRoleArn: 'arn:r',
        document: {},
        createdAt: T0,
      }),
      CatalogConflictError,
    );
  }));
