/**
 * Restore testing plans and selections: create (idempotent by CreatorRequestId: the same request
 * again answers the first plan; another request under a taken name is AlreadyExists), get,
 * list, update, delete (a plan only once its selections are gone, as AWS has it). Also
 * GetRestoreTestingInferredMetadata: the restore metadata a test of a recovery point would use.
 * Running the plans is the scheduler's (scheduler/restore-tests.ts).
 */
import { CatalogConflictError } from '../../catalog/catalog-error.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { JsonObject } from '../../catalog/json-text.js';
import type { RestoreTestingPlanRecord, RestoreTestingSelectionRecord } from '../../catalog/restore-testing.js';
import { formatArn, PARTITION } from '../../iam/arn.js';
import { BackupError } from '../backup-error.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { IdSource } from '../id-source.js';
import type { JobLedger } from '../jobs/job-ledger.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';
import { recoveryPointNotFound } from '../recovery-points.js';
import { checkTags } from '../tag-rules.js';
import type { Tags } from '../tag-rules.js';
import { authorizeVaultAction } from '../vault-authorization.js';
import { scratchMetadata } from './scratch-target.js';
import { checkTestingName, checkTestingPlan, updatedTestingPlan } from './testing-plan-document.js';
import type { TestingPlanDocument } from './testing-plan-document.js';
import { checkTestingSelection, updatedTestingSelection } from './testing-selection-document.js';
import type { TestingSelectionDocument } from './testing-selection-document.js';

type Fields = Readonly<Record<string, unknown>>;

export interface RestoreTestingPlan {
  readonly name: string;
  readonly arn: string;
  readonly document: TestingPlanDocument;
  readonly creatorRequestId: string | undefined;
  readonly creationTime: Date;
  readonly lastUpdateTime: Date;
  readonly lastExecutionTime: Date | undefined;
}

export interface RestoreTestingSelection {
  readonly planName: string;
  readonly planArn: string;
  readonly name: string;
  readonly document: TestingSelectionDocument;
  readonly creatorRequestId: string | undefined;
  readonly creationTime: Date;
  readonly updateTime: Date;
}

export interface RestoreTestingService {
  createPlan(
    scope: CallScope,
    request: { readonly plan: Fields; readonly creatorRequestId?: string | undefined; readonly tags?: Tags | undefined },
  ): Promise<RestoreTestingPlan>;
  getPlan(scope: CallScope, name: string): Promise<RestoreTestingPlan>;
  listPlans(scope: CallScope, request: ListRequest): Promise<ListPage<RestoreTestingPlan>>;
  updatePlan(scope: CallScope, name: string, update: Fields): Promise<RestoreTestingPlan>;
  deletePlan(scope: CallScope, name: string): Promise<void>;
  createSelection(
    scope: CallScope,
    planName: string,
    request: { readonly selection: Fields; readonly creatorRequestId?: string | undefined },
  ): Promise<RestoreTestingSelection>;
  getSelection(scope: CallScope, planName: string, name: string): Promise<RestoreTestingSelection>;
  listSelections(scope: CallScope, planName: string, request: ListRequest): Promise<ListPage<RestoreTestingSelection>>;
  updateSelection(scope: CallScope, planName: string, name: string, update: Fields): Promise<RestoreTestingSelection>;
  deleteSelection(scope: CallScope, planName: string, name: string): Promise<void>;
  inferredMetadata(
    scope: CallScope,
    request: { readonly vaultName: string; readonly vaultAccountId?: string | undefined; readonly recoveryPointArn: string },
  ): Promise<Record<string, string>>;
}

export interface RestoreTestingDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly ids: IdSource;
}

export function restoreTestingPlanNotFound(scope: CallScope, name: string): BackupError {
  return new BackupError(
    'RestoreTestingPlanNotFound',
    `Restore testing plan ${name} does not exist in account ${scope.accountId}, region ${scope.region} (ListRestoreTestingPlans lists them).`,
    { context: name },
  );
}

function selectionNotFound(scope: CallScope, planName: string, name: string): BackupError {
  return new BackupError(
    'RestoreTestingSelectionNotFound',
    `Restore testing selection ${name} does not exist in plan ${planName} (account ${scope.accountId}, region ${scope.region}; ListRestoreTestingSelections lists them).`,
    { context: name },
  );
}

export function planOfRecord(record: RestoreTestingPlanRecord): RestoreTestingPlan {
  return {
    name: record.name,
    arn: record.arn,
    document: record.document as unknown as TestingPlanDocument,
    creatorRequestId: record.creatorRequestId,
    creationTime: new Date(record.createdAt),
    lastUpdateTime: new Date(record.updatedAt),
    lastExecutionTime: record.lastExecutionAt === undefined ? undefined : new Date(record.lastExecutionAt),
  };
}

function selectionOfRecord(record: RestoreTestingSelectionRecord, planArn: string): RestoreTestingSelection {
  return {
    planName: record.planName,
    planArn,
    name: record.name,
    document: record.document as unknown as TestingSelectionDocument,
    creatorRequestId: record.creatorRequestId,
    creationTime: new Date(record.createdAt),
    updateTime: new Date(record.updatedAt),
  };
}

const sameDocument = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createRestoreTestingService({ catalog, ledger, clock, ids }: RestoreTestingDeps): RestoreTestingService {
  const store = catalog.restoreTesting;
  const requirePlan = async (scope: CallScope, name: string): Promise<RestoreTestingPlanRecord> => {
    const plan = await store.getPlan(scope, name);
    if (plan === undefined) throw restoreTestingPlanNotFound(scope, name);
    return plan;
  };
  const requireSelection = async (scope: CallScope, planName: string, name: string) => {
    const plan = await requirePlan(scope, planName);
    const selection = await store.getSelection(scope, planName, name);
    if (selection === undefined) throw selectionNotFound(scope, planName, name);
    return { plan, selection };
  };

  return {
    async createPlan(scope, request) {
      const name = checkTestingName(String(request.plan['RestoreTestingPlanName'] ?? ''), 'RestoreTestingPlan.RestoreTestingPlanName');
      const document = checkTestingPlan(request.plan);
      if (request.tags !== undefined) checkTags(request.tags, 'Tags');
      const existing = await store.getPlan(scope, name);
      if (existing !== undefined) {
        if (request.creatorRequestId !== undefined && existing.creatorRequestId === request.creatorRequestId && sameDocument(existing.document, document)) {
          return planOfRecord(existing);
        }
        throw new BackupError(
          'RestoreTestingPlanAlreadyExists',
          `A restore testing plan named ${name} exists already in account ${scope.accountId}, region ${scope.region}.`,
          {
            context: name,
            details: { Arn: existing.arn, ...(existing.creatorRequestId === undefined ? {} : { CreatorRequestId: existing.creatorRequestId }) },
          },
        );
      }
      const now = clock.now().getTime();
      const arn = formatArn({
        partition: PARTITION,
        service: 'backup',
        region: scope.region,
        accountId: scope.accountId,
        resource: `restore-testing-plan:${name}-${ids.uuid()}`,
      });
      try {
        const record = await store.createPlan(scope, {
          name,
          arn,
          document: document as unknown as JsonObject,
          creatorRequestId: request.creatorRequestId,
          createdAt: now,
          updatedAt: now,
          dispatchedUntil: now,
        });
        if (request.tags !== undefined && Object.keys(request.tags).length > 0) await catalog.tags.tag(scope, arn, request.tags);
        return planOfRecord(record);
      } catch (err) {
        if (err instanceof CatalogConflictError)
          throw new BackupError('RestoreTestingPlanAlreadyExists', `A restore testing plan named ${name} was just created by another request.`, {
            context: name,
          });
        throw err;
      }
    },

    getPlan: async (scope, name) => planOfRecord(await requirePlan(scope, name)),

    listPlans: (scope, request) => listPage(request, (p) => store.listPlans(scope, p), planOfRecord),

    async updatePlan(scope, name, update) {
      const current = await requirePlan(scope, name);
      const document = updatedTestingPlan(current.document as unknown as TestingPlanDocument, update);
      const now = clock.now().getTime();
      // A changed schedule runs from now on: no run before the update is made up for.
      const updated = await store.updatePlan(scope, name, document as unknown as JsonObject, now, Math.max(now, current.dispatchedUntil));
      if (updated === undefined) throw restoreTestingPlanNotFound(scope, name);
      return planOfRecord(updated);
    },

    async deletePlan(scope, name) {
      const plan = await requirePlan(scope, name);
      const selections = await store.listSelections(scope, name, { limit: 1 });
      if (selections.items.length > 0) {
        throw new BackupError(
          'RestoreTestingPlanHasSelections',
          `Restore testing plan ${name} still has selections (${selections.items[0]!.name}${selections.nextCursor === undefined ? '' : ', ...'}): delete them first (DeleteRestoreTestingSelection).`,
          { context: name },
        );
      }
      await store.deletePlan(scope, name);
      await catalog.tags.deleteAll(scope, plan.arn);
    },

    async createSelection(scope, planName, request) {
      const plan = await requirePlan(scope, planName);
      const { name, ...document } = checkTestingSelection(request.selection);
      const existing = await store.getSelection(scope, planName, name);
      if (existing !== undefined) {
        if (request.creatorRequestId !== undefined && existing.creatorRequestId === request.creatorRequestId && sameDocument(existing.document, document)) {
          return selectionOfRecord(existing, plan.arn);
        }
        throw new BackupError('RestoreTestingSelectionAlreadyExists', `Restore testing plan ${planName} has a selection named ${name} already.`, {
          context: name,
        });
      }
      const now = clock.now().getTime();
      try {
        const record = await store.createSelection(scope, {
          planName,
          name,
          document: document as unknown as JsonObject,
          creatorRequestId: request.creatorRequestId,
          createdAt: now,
          updatedAt: now,
        });
        return selectionOfRecord(record, plan.arn);
      } catch (err) {
        if (err instanceof CatalogConflictError)
          throw new BackupError('RestoreTestingSelectionAlreadyExists', `Restore testing plan ${planName} has a selection named ${name} already.`, {
            context: name,
          });
        throw err;
      }
    },

    async getSelection(scope, planName, name) {
      const { plan, selection } = await requireSelection(scope, planName, name);
      return selectionOfRecord(selection, plan.arn);
    },

    async listSelections(scope, planName, request) {
      const plan = await requirePlan(scope, planName);
      return listPage(
        request,
        (p) => store.listSelections(scope, planName, p),
        (r) => selectionOfRecord(r, plan.arn),
      );
    },

    async updateSelection(scope, planName, name, update) {
      const { plan, selection } = await requireSelection(scope, planName, name);
      const document = updatedTestingSelection(selection.document as unknown as TestingSelectionDocument, update);
      const updated = await store.updateSelection(scope, planName, name, document as unknown as JsonObject, clock.now().getTime());
      if (updated === undefined) throw selectionNotFound(scope, planName, name);
      return selectionOfRecord(updated, plan.arn);
    },

    async deleteSelection(scope, planName, name) {
      if (!(await store.deleteSelection(scope, planName, name))) throw selectionNotFound(scope, planName, name);
    },

    async inferredMetadata(scope, request) {
      if (request.vaultAccountId !== undefined && request.vaultAccountId !== scope.accountId) {
        throw new BackupError(
          'InvalidParameter',
          `BackupVaultAccountId ${request.vaultAccountId} is not the caller's account ${scope.accountId}: restore tests restore the caller's own recovery points.`,
          { context: 'BackupVaultAccountId' },
        );
      }
      const point = await ledger.point(scope, request.recoveryPointArn);
      if (point === undefined || point.vaultName !== request.vaultName) throw recoveryPointNotFound(scope, request.recoveryPointArn, request.vaultName);
      await authorizeVaultAction(catalog, scope, { ...scope, name: point.vaultName }, 'backup:GetRecoveryPointRestoreMetadata', point.arn);
      return scratchMetadata(point.resourceType, point.restoreMetadata ?? {}, undefined, ids.uuid().slice(0, 8));
    },
  };
}
