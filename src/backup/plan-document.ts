/**
 * A backup plan document (BackupPlanName, Rules, AdvancedBackupSettings) and the rules AWS
 * applies to it. The document keeps AWS's member names because it is AWS's own document format:
 * GetBackupPlanFromJSON reads it, ExportBackupPlanTemplate writes it, the catalog stores it.
 * `checkPlanDocument` works on unknown JSON (the wire layer has typed CreateBackupPlan's input
 * already; GetBackupPlanFromJSON's text has not been) and fills AWS's defaults. Every problem
 * names its field, e.g. `Rules[1].Lifecycle.DeleteAfterDays`. Whether target vaults exist is
 * the plan service's check, since it needs the catalog.
 */
import { BackupError } from './backup-error.js';
import { parseArn } from '../iam/arn.js';
import { fieldError, optionalBoolean, optionalInteger, optionalList, optionalObject, optionalString, requiredString } from './document-fields.js';
import type { Fields } from './document-fields.js';
import { isLifecycleProblem, lifecycleOf } from './plan-lifecycle.js';
import type { PlanLifecycle } from './plan-lifecycle.js';
import { DEFAULT_SCHEDULE_EXPRESSION, scheduleProblem } from './schedule-expression.js';
import { checkTags } from './tag-rules.js';
import type { Tags } from './tag-rules.js';
import { isVaultName } from './vault-name.js';

export const DEFAULT_TIMEZONE = 'Etc/UTC';
export const DEFAULT_START_WINDOW_MINUTES = 480;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 10080;
const MIN_START_WINDOW_MINUTES = 60;
const RULE_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const MAX_RULES = 100;

export interface PlanCopyAction {
  readonly DestinationBackupVaultArn: string;
  readonly Lifecycle?: PlanLifecycle;
}

export interface PlanRule {
  readonly RuleName: string;
  readonly TargetBackupVaultName: string;
  /** Given to each rule when a plan version is made; absent in a document not yet saved. */
  readonly RuleId?: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly StartWindowMinutes: number;
  readonly CompletionWindowMinutes: number;
  readonly Lifecycle?: PlanLifecycle;
  readonly RecoveryPointTags?: Tags;
  readonly CopyActions?: readonly PlanCopyAction[];
  readonly EnableContinuousBackup?: boolean;
  /** Recovery points of these resource types get an index when made (S3; EBS: Coffer's directory backups). */
  readonly IndexActions?: readonly PlanIndexAction[];
}

export interface PlanIndexAction {
  readonly ResourceTypes?: readonly ('S3' | 'EBS')[];
}

export interface AdvancedBackupSetting {
  readonly ResourceType?: string;
  readonly BackupOptions?: Readonly<Record<string, string>>;
}

export interface PlanDocument {
  readonly BackupPlanName: string;
  readonly Rules: readonly PlanRule[];
  readonly AdvancedBackupSettings?: readonly AdvancedBackupSetting[];
}

/** The document `value` describes, with defaults filled in; InvalidBackupPlan naming the field otherwise. */
export function checkPlanDocument(value: unknown, path = 'BackupPlan'): PlanDocument {
  const plan = requiredObject(value, path);
  const name = requiredString(plan, 'BackupPlanName', path);
  if (name.length < 1 || name.length > 50 || !/^[a-zA-Z0-9\-_.]+$/.test(name)) {
    throw fieldError(`${path}.BackupPlanName`, `is ${JSON.stringify(name)}; use 1 to 50 letters, digits, hyphens, underscores or periods`);
  }
  const rules = optionalList(plan, 'Rules', path);
  if (rules === undefined || rules.length === 0) throw fieldError(`${path}.Rules`, 'is missing or empty; a plan needs at least one rule');
  if (rules.length > MAX_RULES) throw fieldError(`${path}.Rules`, `has ${rules.length} rules; a plan has at most ${MAX_RULES}`);
  const checked = rules.map((rule, i) => checkRule(rule, `${path}.Rules[${i}]`));
  const names = new Set<string>();
  for (const [i, rule] of checked.entries()) {
    if (names.has(rule.RuleName))
      throw fieldError(
        `${path}.Rules[${i}].RuleName`,
        `${JSON.stringify(rule.RuleName)} is used by another rule of this plan; rule names must be unique within a plan`,
      );
    names.add(rule.RuleName);
  }
  const advanced = optionalList(plan, 'AdvancedBackupSettings', path)?.map((s, i) => checkAdvancedSetting(s, `${path}.AdvancedBackupSettings[${i}]`));
  return { BackupPlanName: name, Rules: checked, ...(advanced === undefined ? {} : { AdvancedBackupSettings: advanced }) };
}

function requiredObject(value: unknown, path: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fieldError(path, 'must be a JSON object');
  return value as Fields;
}

function checkRule(value: unknown, path: string): PlanRule {
  const rule = requiredObject(value, path);
  const ruleName = requiredString(rule, 'RuleName', path);
  if (!RULE_NAME.test(ruleName))
    throw fieldError(`${path}.RuleName`, `is ${JSON.stringify(ruleName)}; use 1 to 50 letters, digits, hyphens, underscores or periods`);
  const vault = requiredString(rule, 'TargetBackupVaultName', path);
  if (!isVaultName(vault))
    throw fieldError(`${path}.TargetBackupVaultName`, `${JSON.stringify(vault)} is not a backup vault name (2 to 50 letters, digits, hyphens or underscores)`);

  const schedule = optionalString(rule, 'ScheduleExpression', path) ?? DEFAULT_SCHEDULE_EXPRESSION;
  const scheduleIssue = scheduleProblem(schedule);
  if (scheduleIssue !== undefined) throw fieldError(`${path}.ScheduleExpression`, `${JSON.stringify(schedule)} ${scheduleIssue}`);
  const timezone = optionalString(rule, 'ScheduleExpressionTimezone', path) ?? DEFAULT_TIMEZONE;
  if (!isTimeZone(timezone))
    throw fieldError(`${path}.ScheduleExpressionTimezone`, `${JSON.stringify(timezone)} is not an IANA time zone (e.g. Etc/UTC, Europe/Berlin)`);

  const start = optionalInteger(rule, 'StartWindowMinutes', path) ?? DEFAULT_START_WINDOW_MINUTES;
  if (start < MIN_START_WINDOW_MINUTES)
    throw fieldError(`${path}.StartWindowMinutes`, `is ${start}; the start window must be at least ${MIN_START_WINDOW_MINUTES} minutes`);
  const completion = optionalInteger(rule, 'CompletionWindowMinutes', path) ?? DEFAULT_COMPLETION_WINDOW_MINUTES;
  if (completion <= start) throw fieldError(`${path}.CompletionWindowMinutes`, `is ${completion}; it must be greater than StartWindowMinutes (${start})`);

  const lifecycle = optionalObject(rule, 'Lifecycle', path);
  const tags = optionalObject(rule, 'RecoveryPointTags', path);
  if (tags !== undefined) checkTags(stringMap(tags, `${path}.RecoveryPointTags`), `${path}.RecoveryPointTags`);
  const copies = optionalList(rule, 'CopyActions', path)?.map((c, i) => checkCopyAction(c, `${path}.CopyActions[${i}]`));
  const indexActions = optionalList(rule, 'IndexActions', path)?.map((a, i) => checkIndexAction(a, `${path}.IndexActions[${i}]`));
  const continuous = optionalBoolean(rule, 'EnableContinuousBackup', path);
  // Refused rather than accepted and ignored: a plan that asks for point-in-time recovery must not look as if it had it.
  if (continuous === true) {
    throw fieldError(
      `${path}.EnableContinuousBackup`,
      "is true, but Coffer has no continuous backup (point-in-time recovery) yet; leave it out or set it to false: the rule's snapshot backups run as scheduled",
    );
  }
  return {
    RuleName: ruleName,
    TargetBackupVaultName: vault,
    ScheduleExpression: schedule,
    ScheduleExpressionTimezone: timezone,
    StartWindowMinutes: start,
    CompletionWindowMinutes: completion,
    ...(lifecycle === undefined ? {} : { Lifecycle: checkLifecycle(lifecycle, `${path}.Lifecycle`, false) }),
    ...(tags === undefined ? {} : { RecoveryPointTags: tags as Tags }),
    ...(copies === undefined ? {} : { CopyActions: copies }),
    ...(continuous === undefined ? {} : { EnableContinuousBackup: continuous }),
    ...(indexActions === undefined ? {} : { IndexActions: indexActions }),
  };
}

function checkIndexAction(value: unknown, path: string): PlanIndexAction {
  const action = requiredObject(value, path);
  const types = optionalList(action, 'ResourceTypes', path)?.map((t, i) => {
    if (t !== 'S3' && t !== 'EBS')
      throw fieldError(`${path}.ResourceTypes[${i}]`, `is ${JSON.stringify(t)}; an index action names S3 (bucket backups) or EBS (Coffer's directory backups)`);
    return t;
  });
  return types === undefined ? {} : { ResourceTypes: types };
}

function checkLifecycle(value: Fields, path: string, isCopy: boolean): PlanLifecycle {
  const lifecycle = lifecycleOf(value, path);
  const problem = isLifecycleProblem(lifecycle, isCopy);
  if (problem !== undefined)
    throw new BackupError('InvalidBackupPlan', `${problem.message} (${path}${problem.field === undefined ? '' : `.${problem.field}`}).`, { context: path });
  return lifecycle;
}

function checkCopyAction(value: unknown, path: string): PlanCopyAction {
  const copy = requiredObject(value, path);
  const destination = requiredString(copy, 'DestinationBackupVaultArn', path);
  const arn = parseArn(destination);
  const [kind, name = ''] = arn?.resource.split(':') ?? [];
  if (arn === undefined || arn.service !== 'backup' || kind !== 'backup-vault' || arn.region === '' || arn.accountId === '' || !isVaultName(name)) {
    throw fieldError(
      `${path}.DestinationBackupVaultArn`,
      `${JSON.stringify(destination)} is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)`,
    );
  }
  const lifecycle = optionalObject(copy, 'Lifecycle', path);
  return { DestinationBackupVaultArn: destination, ...(lifecycle === undefined ? {} : { Lifecycle: checkLifecycle(lifecycle, `${path}.Lifecycle`, true) }) };
}

function checkAdvancedSetting(value: unknown, path: string): AdvancedBackupSetting {
  const setting = requiredObject(value, path);
  const type = optionalString(setting, 'ResourceType', path);
  const options = optionalObject(setting, 'BackupOptions', path);
  return {
    ...(type === undefined ? {} : { ResourceType: type }),
    ...(options === undefined ? {} : { BackupOptions: stringMap(options, `${path}.BackupOptions`) }),
  };
}

function stringMap(value: Fields, path: string): Readonly<Record<string, string>> {
  for (const [key, v] of Object.entries(value)) if (typeof v !== 'string') throw fieldError(`${path}.${key}`, 'must be a string');
  return value as Readonly<Record<string, string>>;
}

/** An IANA zone name the runtime's time zone database knows (offsets such as +01:00 are not zones). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
