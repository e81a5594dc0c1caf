/**
 * A backup plan as the domain hands it out: one version of its document with the plan's facts
 * (ID, ARN, dates), times as Dates. Built from the catalog's plan and version records.
 */
import type { JsonObject } from '../catalog/json-text.js';
import type { PlanRecord, PlanVersionRecord } from '../catalog/plans.js';
import type { PlanDocument } from './plan-document.js';

export interface BackupPlan {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly versionId: string;
  readonly document: PlanDocument;
  readonly creatorRequestId: string | undefined;
  /** When this version was made (the plan's creation for its first version). */
  readonly creationDate: Date;
  readonly deletionDate: Date | undefined;
  readonly lastExecutionDate: Date | undefined;
}

/** What CreateBackupPlan and UpdateBackupPlan answer. */
export interface SavedPlan {
  readonly id: string;
  readonly arn: string;
  readonly versionId: string;
  readonly creationDate: Date;
  readonly document: PlanDocument;
}

export const asDocument = (json: JsonObject): PlanDocument => json as unknown as PlanDocument;
export const asJson = (document: PlanDocument): JsonObject => document as unknown as JsonObject;

export function toBackupPlan(plan: PlanRecord, version?: PlanVersionRecord): BackupPlan {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  return {
    id: plan.id,
    arn: plan.arn,
    name: version?.name ?? plan.name,
    versionId: version?.versionId ?? plan.versionId,
    document: asDocument(version?.document ?? plan.document),
    creatorRequestId: plan.creatorRequestId,
    creationDate: new Date(version?.createdAt ?? plan.createdAt),
    deletionDate: at(version === undefined ? plan.deletedAt : version.deletedAt),
    lastExecutionDate: at(plan.lastExecutionAt),
  };
}

export function toSavedPlan(plan: PlanRecord): SavedPlan {
  return { id: plan.id, arn: plan.arn, versionId: plan.versionId, creationDate: new Date(plan.updatedAt), document: asDocument(plan.document) };
}

/** The document without its RuleIds: two documents that say the same thing compare equal. */
export function withoutRuleIds(document: PlanDocument): PlanDocument {
  return { ...document, Rules: document.Rules.map(({ RuleId: _id, ...rule }) => rule) };
}
