/**
 * Evaluating a framework's controls against what the catalog holds now: which resources a live
 * plan's selection picks, how often and how long each plan's rules back up, where each
 * resource's recovery points are (other regions, other accounts, locked vaults), how old its
 * newest one is, how long its last restore took, and whether a vault's access policy denies
 * manual deletion. Pure over an AuditState snapshot (audit-state.ts gathers it).
 */
import type { RecoveryPointRecord } from '../../catalog/recovery-points.js';
import type { VaultRecord } from '../../catalog/vaults.js';
import type { RestoreJobRecord } from '../../catalog/job-records.js';
import { evaluatePolicy } from '../../iam/policy-evaluator.js';
import { parsePolicyDocument } from '../../iam/policy-document.js';
import type { PlanDocument, PlanRule } from '../plan-document.js';
import type { ProtectedResource } from '../protected-resource.js';
import { ruleSchedule } from '../rule-schedule.js';
import { CONTROLS, effectiveParameters, splitList } from './controls.js';
import type { ControlScope, FrameworkControl } from './controls.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface AuditPlan {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly document: PlanDocument;
  readonly tags: Readonly<Record<string, string>>;
  /** The ARNs of the resources its selections pick now. */
  readonly resourceArns: ReadonlySet<string>;
}

export interface AuditVault {
  readonly record: VaultRecord;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the controls of one account and region are evaluated against. */
export interface AuditState {
  readonly accountId: string;
  readonly region: string;
  readonly now: number;
  readonly resources: readonly ProtectedResource[];
  readonly plans: readonly AuditPlan[];
  readonly vaults: readonly AuditVault[];
  /** This account's and region's recovery points. */
  readonly recoveryPoints: readonly RecoveryPointRecord[];
  /** Every recovery point of the resources evaluated, wherever it is (copies in other regions and accounts). */
  readonly pointsByResource: ReadonlyMap<string, readonly RecoveryPointRecord[]>;
  /** The vaults those points are in, by vault ARN. */
  readonly vaultsByArn: ReadonlyMap<string, VaultRecord>;
  readonly restoreJobs: readonly RestoreJobRecord[];
}

export type ComplianceStatus = 'COMPLIANT' | 'NON_COMPLIANT';

export interface ComplianceResult {
  readonly controlName: string;
  /** AWS's resource type for the report: EFS, RDS, ... or AWS::Backup::BackupPlan / BackupVault / RecoveryPoint. */
  readonly resourceType: string;
  readonly resourceArn: string;
  readonly resourceId: string;
  readonly status: ComplianceStatus;
  /** Why it is not compliant. */
  readonly reason: string | undefined;
}

interface Subject {
  readonly arn: string;
  readonly id: string;
  /** Matched by ComplianceResourceTypes. */
  readonly type: string;
  readonly reportType: string;
  readonly tags: Readonly<Record<string, string>>;
}

function inScope(subject: Subject, scope: ControlScope | undefined): boolean {
  if (scope === undefined) return true;
  if (scope.resourceIds !== undefined && scope.resourceIds.length > 0 && !scope.resourceIds.some((id) => id === subject.arn || id === subject.id)) return false;
  if (scope.resourceTypes !== undefined && scope.resourceTypes.length > 0 && !scope.resourceTypes.includes(subject.type)) return false;
  for (const [key, value] of Object.entries(scope.tags ?? {})) if (subject.tags[key] !== value) return false;
  return true;
}

const LIVE_POINT = new Set(['COMPLETED', 'AVAILABLE', 'PARTIAL']);

function livePoints(state: AuditState, resourceArn: string): readonly RecoveryPointRecord[] {
  return (state.pointsByResource.get(resourceArn) ?? []).filter((p) => LIVE_POINT.has(p.state));
}

type Verdict = string | undefined;

/** The longest time between two runs of a rule, over the next 62 days (a rule that runs less often: Infinity). */
export function longestGap(rule: PlanRule, now: number): number {
  const schedule = ruleSchedule(rule);
  const horizon = now + 62 * DAY_MS;
  let gap = 0;
  let previous = schedule.nextAfter(now);
  if (previous === undefined) return Number.POSITIVE_INFINITY;
  let runs = 1;
  for (let n = 0; n < 2000; n += 1) {
    const next = schedule.nextAfter(previous);
    if (next === undefined || next > horizon) break;
    gap = Math.max(gap, next - previous);
    previous = next;
    runs += 1;
  }
  return runs < 2 ? Number.POSITIVE_INFINITY : gap;
}

function unitMs(unit: string): number {
  return unit === 'hours' ? HOUR_MS : DAY_MS;
}

function planVerdict(plan: AuditPlan, p: Readonly<Record<string, string>>, now: number): Verdict {
  const every = Number(p['requiredFrequencyValue']) * unitMs(p['requiredFrequencyUnit']!);
  const days = Number(p['requiredRetentionDays']);
  // A clock change may stretch one day by an hour.
  const fits = plan.document.Rules.some((rule) => {
    const retention = rule.Lifecycle?.DeleteAfterDays;
    return longestGap(rule, now) <= every + HOUR_MS && (retention === undefined || retention >= days);
  });
  return fits
    ? undefined
    : `no rule of backup plan ${plan.name} backs up at least every ${p['requiredFrequencyValue']} ${p['requiredFrequencyUnit']} and keeps recovery points at least ${days} days`;
}

function pointVerdict(control: string, point: RecoveryPointRecord, p: Readonly<Record<string, string>>): Verdict {
  if (control === 'BACKUP_RECOVERY_POINT_ENCRYPTED') {
    return point.encryptionKeyArn === undefined ? `recovery point ${point.arn} records no encryption key` : undefined;
  }
  const days = Number(p['requiredRetentionDays']);
  const deleteAt = point.calculatedLifecycle.deleteAt;
  if (deleteAt === undefined) return undefined;
  const kept = (deleteAt - point.createdAt) / DAY_MS;
  return kept + 1e-9 >= days ? undefined : `recovery point ${point.arn} is kept ${Math.round(kept * 10) / 10} days, less than ${days}`;
}

function vaultVerdict(vault: VaultRecord, p: Readonly<Record<string, string>>): Verdict {
  const exempt = new Set(splitList(p['principalArnList'] ?? ''));
  const parsed = vault.accessPolicy === undefined ? undefined : parsePolicyDocument(vault.accessPolicy);
  if (parsed === undefined || typeof parsed === 'string') return `backup vault ${vault.name} has no access policy denying backup:DeleteRecoveryPoint`;
  const probes = [`arn:aws:iam::${vault.accountId}:root`, `arn:aws:iam::${vault.accountId}:role/coffer-audit-probe`].filter((arn) => !exempt.has(arn));
  const resource = `arn:aws:backup:${vault.region}:${vault.accountId}:recovery-point:coffer-audit-probe`;
  const allowed = probes.find(
    (arn) => evaluatePolicy(parsed, { principal: { accountId: vault.accountId, arn }, action: 'backup:DeleteRecoveryPoint', resource }) !== 'Deny',
  );
  return allowed === undefined ? undefined : `backup vault ${vault.name}'s access policy does not deny backup:DeleteRecoveryPoint to ${allowed}`;
}

function resourceVerdict(control: string, state: AuditState, resource: ProtectedResource, p: Readonly<Record<string, string>>): Verdict {
  switch (control) {
    case 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN':
      return state.plans.some((plan) => plan.resourceArns.has(resource.arn)) ? undefined : `no backup plan's selection picks ${resource.arn}`;
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION': {
      const regions = splitList(p['crossRegionList'] ?? '');
      const copy = livePoints(state, resource.arn).find((pt) => pt.region !== resource.region && (regions.length === 0 || regions.includes(pt.region)));
      return copy !== undefined
        ? undefined
        : `${resource.arn} has no recovery point in ${regions.length === 0 ? 'another region' : `region ${regions.join(' or ')}`}`;
    }
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT': {
      const accounts = splitList(p['crossAccountList'] ?? '');
      const copy = livePoints(state, resource.arn).find(
        (pt) => pt.accountId !== resource.accountId && (accounts.length === 0 || accounts.includes(pt.accountId)),
      );
      return copy !== undefined
        ? undefined
        : `${resource.arn} has no recovery point in ${accounts.length === 0 ? 'another account' : `account ${accounts.join(' or ')}`}`;
    }
    case 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK': {
      const min = p['minRetentionDays'] === undefined ? undefined : Number(p['minRetentionDays']);
      const max = p['maxRetentionDays'] === undefined ? undefined : Number(p['maxRetentionDays']);
      const locked = livePoints(state, resource.arn).find((pt) => {
        const lock = state.vaultsByArn.get(pt.vaultArn)?.lock;
        if (lock === undefined) return false;
        if (min !== undefined && (lock.minRetentionDays ?? 0) < min) return false;
        if (max !== undefined && (lock.maxRetentionDays === undefined || lock.maxRetentionDays > max)) return false;
        return true;
      });
      return locked !== undefined
        ? undefined
        : `${resource.arn} has no recovery point in a vault locked${min === undefined && max === undefined ? '' : ` with retention within [${min ?? '-'}, ${max ?? '-'}] days`}`;
    }
    case 'BACKUP_LAST_RECOVERY_POINT_CREATED': {
      const age = Number(p['recoveryPointAgeValue']) * unitMs(p['recoveryPointAgeUnit']!);
      const newest = Math.max(
        ...livePoints(state, resource.arn)
          .filter((pt) => pt.accountId === resource.accountId && pt.region === resource.region && pt.sourceRecoveryPointArn === undefined)
          .map((pt) => pt.completedAt ?? pt.createdAt),
      );
      if (newest === Number.NEGATIVE_INFINITY) return `${resource.arn} has no recovery point`;
      return state.now - newest <= age
        ? undefined
        : `the newest recovery point of ${resource.arn} is older than ${p['recoveryPointAgeValue']} ${p['recoveryPointAgeUnit']}`;
    }
    case 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET': {
      const target = Number(p['maxRestoreTime']);
      const last = state.restoreJobs
        .filter((j) => j.resourceArn === resource.arn && j.state === 'COMPLETED' && j.completedAt !== undefined)
        .sort((a, b) => b.completedAt! - a.completedAt!)[0];
      if (last === undefined) return `${resource.arn} has no completed restore job to measure`;
      const minutes = (last.completedAt! - (last.startedAt ?? last.createdAt)) / 60_000;
      return minutes <= target ? undefined : `the last restore of ${resource.arn} took ${Math.ceil(minutes)} minutes, more than ${target}`;
    }
    default:
      return `control ${control} does not evaluate resources`;
  }
}

/** The results of one control: one per subject in its scope. */
export function evaluateControl(control: FrameworkControl, state: AuditState): ComplianceResult[] {
  const spec = CONTROLS[control.name];
  if (spec === undefined) return [];
  const p = effectiveParameters(control);
  const result = (subject: Subject, reason: Verdict): ComplianceResult => ({
    controlName: control.name,
    resourceType: subject.reportType,
    resourceArn: subject.arn,
    resourceId: subject.id,
    status: reason === undefined ? 'COMPLIANT' : 'NON_COMPLIANT',
    reason,
  });
  const resourceTags = new Map(state.resources.map((r) => [r.arn, r.tags]));
  switch (spec.subject) {
    case 'resource':
      return state.resources
        .map((r) => ({ resource: r, subject: { arn: r.arn, id: r.name, type: r.type, reportType: r.type, tags: r.tags } }))
        .filter(({ subject }) => inScope(subject, control.scope))
        .map(({ resource, subject }) => result(subject, resourceVerdict(control.name, state, resource, p)));
    case 'recovery-point':
      return state.recoveryPoints
        .filter((pt) => LIVE_POINT.has(pt.state))
        .map((pt) => ({
          point: pt,
          subject: { arn: pt.arn, id: pt.id, type: pt.resourceType, reportType: 'AWS::Backup::RecoveryPoint', tags: resourceTags.get(pt.resourceArn) ?? {} },
        }))
        .filter(({ subject }) => inScope(subject, control.scope))
        .map(({ point, subject }) => result(subject, pointVerdict(control.name, point, p)));
    case 'backup-plan':
      return state.plans
        .map((plan) => ({
          plan,
          subject: { arn: plan.arn, id: plan.id, type: 'AWS::Backup::BackupPlan', reportType: 'AWS::Backup::BackupPlan', tags: plan.tags },
        }))
        .filter(({ subject }) => inScope(subject, control.scope))
        .map(({ plan, subject }) => result(subject, planVerdict(plan, p, state.now)));
    case 'backup-vault':
      return state.vaults
        .map((v) => ({
          vault: v.record,
          subject: { arn: v.record.arn, id: v.record.name, type: 'AWS::Backup::BackupVault', reportType: 'AWS::Backup::BackupVault', tags: v.tags },
        }))
        .filter(({ subject }) => inScope(subject, control.scope))
        .map(({ vault, subject }) => result(subject, vaultVerdict(vault, p)));
  }
}

/** A control's status: COMPLIANT when every result in its scope is (also when there is none). */
export function controlStatus(results: readonly ComplianceResult[]): ComplianceStatus {
  return results.every((r) => r.status === 'COMPLIANT') ? 'COMPLIANT' : 'NON_COMPLIANT';
}
