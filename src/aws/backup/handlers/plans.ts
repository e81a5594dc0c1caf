/**
 * Backup plans and plan templates: CreateBackupPlan, GetBackupPlan, UpdateBackupPlan,
 * DeleteBackupPlan, ListBackupPlans, ListBackupPlanVersions, GetBackupPlanFromJSON,
 * ListBackupPlanTemplates, GetBackupPlanFromTemplate, ExportBackupPlanTemplate. The plan
 * document passes through as AWS's own document; the domain checks it.
 */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { BackupPlan, SavedPlan } from '../../../backup/backup-plan.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalBoolean, optionalInteger, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

function savedOutput(plan: SavedPlan): Readonly<Record<string, unknown>> {
  return {
    BackupPlanId: plan.id,
    BackupPlanArn: plan.arn,
    VersionId: plan.versionId,
    CreationDate: plan.creationDate,
    AdvancedBackupSettings: plan.document.AdvancedBackupSettings,
  };
}

/** A BackupPlansListMember (ListBackupPlans and ListBackupPlanVersions). */
function listMember(plan: BackupPlan): Readonly<Record<string, unknown>> {
  return {
    BackupPlanArn: plan.arn,
    BackupPlanId: plan.id,
    CreationDate: plan.creationDate,
    DeletionDate: plan.deletionDate,
    VersionId: plan.versionId,
    BackupPlanName: plan.name,
    CreatorRequestId: plan.creatorRequestId,
    LastExecutionDate: plan.lastExecutionDate,
    AdvancedBackupSettings: plan.document.AdvancedBackupSettings,
  };
}

export function planHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const plans = domain.plans;
  return {
    async CreateBackupPlan(ctx, input) {
      return savedOutput(
        await plans.create(scopeOf(ctx), {
          plan: input['BackupPlan'],
          tags: optionalStringMap(input, 'BackupPlanTags'),
          creatorRequestId: optionalString(input, 'CreatorRequestId'),
        }),
      );
    },

    async GetBackupPlan(ctx, input) {
      const plan = await plans.get(scopeOf(ctx), requiredString(input, 'BackupPlanId'), optionalString(input, 'VersionId'));
      const previews = optionalInteger(input, 'MaxScheduledRunsPreview');
      return {
        BackupPlan: plan.document,
        BackupPlanId: plan.id,
        BackupPlanArn: plan.arn,
        VersionId: plan.versionId,
        CreatorRequestId: plan.creatorRequestId,
        CreationDate: plan.creationDate,
        DeletionDate: plan.deletionDate,
        LastExecutionDate: plan.lastExecutionDate,
        AdvancedBackupSettings: plan.document.AdvancedBackupSettings,
        ...(previews === undefined
          ? {}
          : {
              ScheduledRunsPreview: plans
                .scheduledRuns(plan, previews)
                .map((r) => ({ ExecutionTime: r.executionTime, RuleId: r.ruleId, RuleExecutionType: r.ruleExecutionType })),
            }),
      };
    },

    async UpdateBackupPlan(ctx, input) {
      return savedOutput(await plans.update(scopeOf(ctx), requiredString(input, 'BackupPlanId'), input['BackupPlan']));
    },

    async DeleteBackupPlan(ctx, input) {
      const plan = await plans.delete(scopeOf(ctx), requiredString(input, 'BackupPlanId'));
      return { BackupPlanId: plan.id, BackupPlanArn: plan.arn, DeletionDate: plan.deletionDate, VersionId: plan.versionId };
    },

    async ListBackupPlans(ctx, input) {
      const page = await plans.list(scopeOf(ctx), { ...listRequestOf(input), includeDeleted: optionalBoolean(input, 'IncludeDeleted') });
      return { BackupPlansList: page.items.map(listMember), NextToken: page.nextToken };
    },

    async ListBackupPlanVersions(ctx, input) {
      const page = await plans.listVersions(scopeOf(ctx), requiredString(input, 'BackupPlanId'), listRequestOf(input));
      return { BackupPlanVersionsList: page.items.map(listMember), NextToken: page.nextToken };
    },

    async GetBackupPlanFromJSON(_ctx, input) {
      return { BackupPlan: plans.fromJson(requiredString(input, 'BackupPlanTemplateJson')) };
    },

    async ListBackupPlanTemplates(_ctx, input) {
      const page = plans.listTemplates(listRequestOf(input));
      return {
        BackupPlanTemplatesList: page.items.map((t) => ({ BackupPlanTemplateId: t.id, BackupPlanTemplateName: t.name })),
        NextToken: page.nextToken,
      };
    },

    async GetBackupPlanFromTemplate(_ctx, input) {
      return { BackupPlanDocument: plans.fromTemplate(requiredString(input, 'BackupPlanTemplateId')) };
    },

    async ExportBackupPlanTemplate(ctx, input) {
      return { BackupPlanTemplateJson: await plans.exportTemplate(scopeOf(ctx), requiredString(input, 'BackupPlanId')) };
    },
  };
}
