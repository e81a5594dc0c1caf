/**
 * Backup plans: create (idempotent by CreatorRequestId), get (any version), update (a new
 * version each time; old ones kept), delete (refused while selections remain), list, list
 * versions; plan documents from JSON and from the built-in templates, and back to JSON.
 */
import { scheduledRunsPreview } from './scheduled-runs-preview.js';
import type { ScheduledRun } from './scheduled-runs-preview.js';
import type { Catalog } from '../catalog/catalog.js';
import type { PlanRecord } from '../catalog/plans.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import { asJson, toBackupPlan, toSavedPlan, withoutRuleIds } from './backup-plan.js';
import type { BackupPlan, SavedPlan } from './backup-plan.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { newVersionId } from './id-source.js';
import type { IdSource } from './id-source.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkPlanDocument } from './plan-document.js';
import type { PlanDocument } from './plan-document.js';
import { PLAN_TEMPLATES } from './plan-templates.js';
import type { PlanTemplate } from './plan-templates.js';
import { checkTags } from './tag-rules.js';
import type { Tags } from './tag-rules.js';

export interface NewPlanRequest {
  /** The BackupPlan member: checked here, whatever typed it before. */
  readonly plan: unknown;
  readonly tags?: Tags | undefined;
  readonly creatorRequestId?: string | undefined;
}

export interface PlanService {
  create(scope: CallScope, request: NewPlanRequest): Promise<SavedPlan>;
  /** A deleted plan too (with its deletion date), as AWS answers. */
  get(scope: CallScope, planId: string, versionId?: string): Promise<BackupPlan>;
  update(scope: CallScope, planId: string, plan: unknown): Promise<SavedPlan>;
  delete(scope: CallScope, planId: string): Promise<BackupPlan>;
  list(scope: CallScope, request: ListRequest & { readonly includeDeleted?: boolean | undefined }): Promise<ListPage<BackupPlan>>;
  listVersions(scope: CallScope, planId: string, request: ListRequest): Promise<ListPage<BackupPlan>>;
  /** Parses and checks a plan document written as JSON text; nothing is stored. */
  fromJson(text: string): PlanDocument;
  listTemplates(request: ListRequest): ListPage<PlanTemplate>;
  fromTemplate(templateId: string): PlanDocument;
  /** GetBackupPlan's ScheduledRunsPreview: the plan's next `max` runs from now. */
  scheduledRuns(plan: BackupPlan, max: number): ScheduledRun[];
  /** The plan's current document as JSON text, without RuleIds: input for fromJson. */
  exportTemplate(scope: CallScope, planId: string): Promise<string>;
}

export interface PlanServiceDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
}

export function planNotFound(scope: CallScope, planId: string): BackupError {
  return new BackupError(
    'PlanNotFound',
    `Backup plan ${planId} does not exist in account ${scope.accountId}, region ${scope.region}. Check the BackupPlanId (ListBackupPlans lists them) and the region.`,
    { context: planId },
  );
}

/** The live plan, or PlanNotFound. */
export async function requireLivePlan(catalog: Pick<Catalog, 'plans'>, scope: CallScope, planId: string): Promise<PlanRecord> {
  const plan = await catalog.plans.get(scope, planId);
  if (plan === undefined || plan.deletedAt !== undefined) throw planNotFound(scope, planId);
  return plan;
}

/** AWS's default quota: backup plans per account per Region (docs/operations.md, "Limits and refusals"). */
export const MAX_PLANS = 300;

export function createPlanService({ catalog, clock, ids }: PlanServiceDeps): PlanService {
  // As AWS does, a rule may name a target (or copy destination) vault that does not exist yet:
  // infrastructure code creates plans and vaults in any order. A run while it is still missing
  // makes a FAILED job saying so (scheduler/dispatch.ts), and the preflight names it first.
  const checked = (value: unknown): PlanDocument => {
    const document = checkPlanDocument(value);
    return { ...document, Rules: document.Rules.map((rule) => ({ ...rule, RuleId: ids.uuid() })) };
  };

  const earlierCreate = async (stores: Pick<Catalog, 'plans'>, scope: CallScope, request: NewPlanRequest, name: string): Promise<PlanRecord | undefined> => {
    if (request.creatorRequestId === undefined) return undefined;
    const earlier = await stores.plans.findByCreatorRequestId(scope, request.creatorRequestId);
    if (earlier === undefined || earlier.name === name) return earlier;
    throw new BackupError(
      'CreatorRequestIdReused',
      `CreatorRequestId ${JSON.stringify(request.creatorRequestId)} was already used to create backup plan ${earlier.name} (${earlier.id}); use a new CreatorRequestId for plan ${name}.`,
      { context: request.creatorRequestId },
    );
  };

  const refuseDuplicate = async (stores: Pick<Catalog, 'plans'>, scope: CallScope, document: PlanDocument): Promise<void> => {
    const same = JSON.stringify(withoutRuleIds(document));
    for (const plan of await stores.plans.findLiveByName(scope, document.BackupPlanName)) {
      if (JSON.stringify(withoutRuleIds(toBackupPlan(plan).document)) !== same) continue;
      throw new BackupError(
        'PlanAlreadyExists',
        `A backup plan with the same plan document already exists: ${plan.id} (${plan.name}). Change the document, or use the existing plan.`,
        { context: plan.id, details: { BackupPlanId: plan.id, BackupPlanArn: plan.arn } },
      );
    }
  };

  return {
    async create(scope, request) {
      if (request.tags !== undefined) checkTags(request.tags, 'BackupPlanTags');
      const document = checked(request.plan);
      // One transaction (SQLite: IMMEDIATE) for the checks and the insert, so that a concurrent
      // twin of this request finds the first one's plan instead of making a second.
      const plan = await catalog.transaction(async (tx) => {
        const earlier = await earlierCreate(tx, scope, request, document.BackupPlanName);
        if (earlier !== undefined) return earlier;
        await refuseDuplicate(tx, scope, document);
        if ((await tx.plans.list(scope, {}, { limit: MAX_PLANS })).items.length >= MAX_PLANS) {
          throw new BackupError(
            'TooManyPlans',
            `Account ${scope.accountId} already has ${MAX_PLANS} backup plans in region ${scope.region}, the most AWS Backup allows per account and region. Delete a plan you no longer use (DeleteBackupPlan), or add a rule to an existing plan (UpdateBackupPlan).`,
            { context: document.BackupPlanName },
          );
        }
        const id = ids.uuid();
        const arn = arns.backupPlan(scope, id);
        const created = await tx.plans.create(scope, {
          id,
          arn,
          name: document.BackupPlanName,
          versionId: newVersionId(ids),
          document: asJson(document),
          createdAt: clock.now().getTime(),
          ...(request.creatorRequestId === undefined ? {} : { creatorRequestId: request.creatorRequestId }),
        });
        if (request.tags !== undefined && Object.keys(request.tags).length > 0) await tx.tags.tag(scope, arn, request.tags);
        return created;
      });
      return toSavedPlan(plan);
    },

    scheduledRuns(plan, max) {
      return plan.deletionDate === undefined ? scheduledRunsPreview(plan.document, clock.now(), max) : [];
    },

    async get(scope, planId, versionId) {
      const plan = await catalog.plans.get(scope, planId);
      if (plan === undefined) throw planNotFound(scope, planId);
      if (versionId === undefined || versionId === plan.versionId) return toBackupPlan(plan);
      const version = await catalog.plans.getVersion(scope, planId, versionId);
      if (version === undefined) {
        throw new BackupError('PlanVersionNotFound', `Backup plan ${planId} has no version ${versionId}. ListBackupPlanVersions lists its versions.`, {
          context: versionId,
        });
      }
      return toBackupPlan(plan, version);
    },

    async update(scope, planId, value) {
      const current = await requireLivePlan(catalog, scope, planId);
      const document = checked(value);
      // Versions list newest first by date: a version is never dated at or before the one it replaces.
      const updatedAt = Math.max(clock.now().getTime(), current.updatedAt + 1);
      const updated = await catalog.plans.update(scope, planId, {
        versionId: newVersionId(ids),
        name: document.BackupPlanName,
        document: asJson(document),
        updatedAt,
      });
      if (updated === undefined) throw planNotFound(scope, planId);
      return toSavedPlan(updated);
    },

    delete: (scope, planId) =>
      catalog.transaction(async (tx) => {
        const plan = await requireLivePlan(tx, scope, planId);
        const selections = await tx.selections.count(scope, planId);
        if (selections > 0) {
          throw new BackupError(
            'PlanHasSelections',
            `Backup plan ${planId} still has ${selections} backup selection${selections === 1 ? '' : 's'}; delete them first (ListBackupSelections, DeleteBackupSelection), then the plan.`,
            { context: planId },
          );
        }
        const deleted = await tx.plans.markDeleted(scope, planId, clock.now().getTime());
        if (deleted === undefined) throw planNotFound(scope, planId);
        await tx.tags.deleteAll(scope, plan.arn);
        return toBackupPlan(deleted);
      }),

    async list(scope, request) {
      return listPage(
        request,
        (p) => catalog.plans.list(scope, { includeDeleted: request.includeDeleted === true }, p),
        (plan) => toBackupPlan(plan),
      );
    },

    async listVersions(scope, planId, request) {
      const plan = await catalog.plans.get(scope, planId);
      if (plan === undefined) throw planNotFound(scope, planId);
      return listPage(
        request,
        (p) => catalog.plans.listVersions(scope, planId, p),
        (version) => toBackupPlan(plan, version),
      );
    },

    fromJson(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new BackupError('InvalidBackupPlan', `BackupPlanTemplateJson is not JSON: ${(err as Error).message}.`, { context: 'BackupPlanTemplateJson' });
      }
      // Accept the plan document alone, or wrapped as {"BackupPlan": {...}} the way CreateBackupPlan's input holds it.
      const wrapped = value !== null && typeof value === 'object' && 'BackupPlan' in value;
      return checkPlanDocument(wrapped ? (value as { BackupPlan: unknown }).BackupPlan : value);
    },

    listTemplates(request) {
      const size = request.maxResults ?? PLAN_TEMPLATES.length;
      const start = request.nextToken === undefined ? 0 : Number.parseInt(request.nextToken, 10);
      if (!Number.isInteger(start) || start < 0 || start > PLAN_TEMPLATES.length) {
        throw new BackupError('InvalidPaginationToken', 'The NextToken is not one this list handed out; repeat the call without NextToken.', {
          context: 'NextToken',
        });
      }
      const end = start + size;
      return { items: PLAN_TEMPLATES.slice(start, end), nextToken: end < PLAN_TEMPLATES.length ? String(end) : undefined };
    },

    fromTemplate(templateId) {
      const template = PLAN_TEMPLATES.find((t) => t.id === templateId);
      if (template === undefined) {
        throw new BackupError(
          'TemplateNotFound',
          `There is no backup plan template ${templateId}; ListBackupPlanTemplates lists them (${PLAN_TEMPLATES.map((t) => t.id).join(', ')}).`,
          { context: templateId },
        );
      }
      return template.document;
    },

    async exportTemplate(scope, planId) {
      const plan = await requireLivePlan(catalog, scope, planId);
      return JSON.stringify(withoutRuleIds(toBackupPlan(plan).document));
    },
  };
}
