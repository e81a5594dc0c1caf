/** Restore testing plans and selections, and GetRestoreTestingInferredMetadata: wire to domain and back. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { RestoreTestingPlan, RestoreTestingSelection } from '../../../backup/restore-testing/restore-testing-plans.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';
import type { WireInput } from './wire-input.js';

function planForList(plan: RestoreTestingPlan): Record<string, unknown> {
  return {
    CreationTime: plan.creationTime,
    LastExecutionTime: plan.lastExecutionTime,
    LastUpdateTime: plan.lastUpdateTime,
    RestoreTestingPlanArn: plan.arn,
    RestoreTestingPlanName: plan.name,
    ScheduleExpression: plan.document.ScheduleExpression,
    ScheduleExpressionTimezone: plan.document.ScheduleExpressionTimezone,
    StartWindowHours: plan.document.StartWindowHours,
  };
}

function selectionForList(selection: RestoreTestingSelection): Record<string, unknown> {
  return {
    CreationTime: selection.creationTime,
    IamRoleArn: selection.document.IamRoleArn,
    ProtectedResourceType: selection.document.ProtectedResourceType,
    RestoreTestingPlanName: selection.planName,
    RestoreTestingSelectionName: selection.name,
    ValidationWindowHours: selection.document.ValidationWindowHours,
  };
}

const planName = (input: WireInput): string => requiredString(input, 'RestoreTestingPlanName');
const selectionName = (input: WireInput): string => requiredString(input, 'RestoreTestingSelectionName');
const selectionIds = (s: RestoreTestingSelection) => ({
  CreationTime: s.creationTime,
  RestoreTestingPlanArn: s.planArn,
  RestoreTestingPlanName: s.planName,
  RestoreTestingSelectionName: s.name,
});

export function restoreTestingHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const testing = domain.restoreTesting;
  return {
    async CreateRestoreTestingPlan(ctx, input) {
      const plan = await testing.createPlan(scopeOf(ctx), {
        plan: (input['RestoreTestingPlan'] ?? {}) as WireInput,
        creatorRequestId: optionalString(input, 'CreatorRequestId'),
        tags: optionalStringMap(input, 'Tags'),
      });
      return { CreationTime: plan.creationTime, RestoreTestingPlanArn: plan.arn, RestoreTestingPlanName: plan.name };
    },

    async GetRestoreTestingPlan(ctx, input) {
      const plan = await testing.getPlan(scopeOf(ctx), planName(input));
      return {
        RestoreTestingPlan: { ...planForList(plan), CreatorRequestId: plan.creatorRequestId, RecoveryPointSelection: plan.document.RecoveryPointSelection },
      };
    },

    async ListRestoreTestingPlans(ctx, input) {
      const page = await testing.listPlans(scopeOf(ctx), listRequestOf(input));
      return { RestoreTestingPlans: page.items.map(planForList), NextToken: page.nextToken };
    },

    async UpdateRestoreTestingPlan(ctx, input) {
      const plan = await testing.updatePlan(scopeOf(ctx), planName(input), (input['RestoreTestingPlan'] ?? {}) as WireInput);
      return { CreationTime: plan.creationTime, RestoreTestingPlanArn: plan.arn, RestoreTestingPlanName: plan.name, UpdateTime: plan.lastUpdateTime };
    },

    async DeleteRestoreTestingPlan(ctx, input) {
      await testing.deletePlan(scopeOf(ctx), planName(input));
    },

    async CreateRestoreTestingSelection(ctx, input) {
      const selection = await testing.createSelection(scopeOf(ctx), planName(input), {
        selection: (input['RestoreTestingSelection'] ?? {}) as WireInput,
        creatorRequestId: optionalString(input, 'CreatorRequestId'),
      });
      return selectionIds(selection);
    },

    async GetRestoreTestingSelection(ctx, input) {
      const s = await testing.getSelection(scopeOf(ctx), planName(input), selectionName(input));
      return {
        RestoreTestingSelection: {
          ...selectionForList(s),
          CreatorRequestId: s.creatorRequestId,
          ProtectedResourceArns: s.document.ProtectedResourceArns,
          ProtectedResourceConditions: s.document.ProtectedResourceConditions,
          RestoreMetadataOverrides: s.document.RestoreMetadataOverrides,
        },
      };
    },

    async ListRestoreTestingSelections(ctx, input) {
      const page = await testing.listSelections(scopeOf(ctx), planName(input), listRequestOf(input));
      return { RestoreTestingSelections: page.items.map(selectionForList), NextToken: page.nextToken };
    },

    async UpdateRestoreTestingSelection(ctx, input) {
      const s = await testing.updateSelection(scopeOf(ctx), planName(input), selectionName(input), (input['RestoreTestingSelection'] ?? {}) as WireInput);
      return { ...selectionIds(s), UpdateTime: s.updateTime };
    },

    async DeleteRestoreTestingSelection(ctx, input) {
      await testing.deleteSelection(scopeOf(ctx), planName(input), selectionName(input));
    },

    async GetRestoreTestingInferredMetadata(ctx, input) {
      const metadata = await testing.inferredMetadata(scopeOf(ctx), {
        vaultName: requiredString(input, 'BackupVaultName'),
        vaultAccountId: optionalString(input, 'BackupVaultAccountId'),
        recoveryPointArn: requiredString(input, 'RecoveryPointArn'),
      });
      return { InferredMetadata: metadata };
    },
  };
}
