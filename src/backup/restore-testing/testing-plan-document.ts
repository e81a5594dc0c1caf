/**
 * A restore testing plan as the caller writes it (CreateRestoreTestingPlan's RestoreTestingPlan,
 * UpdateRestoreTestingPlan's partial one), checked against AWS's rules and kept with AWS's
 * defaults filled in: SelectionWindowDays 30, StartWindowHours 24, ScheduleExpressionTimezone
 * Etc/UTC, ExcludeVaults empty. Problems are InvalidParameter naming the member. Pure.
 */
import { BackupError } from '../backup-error.js';
import { isTimeZone } from '../plan-document.js';
import { scheduleProblem } from '../schedule-expression.js';
import { checkVaultSelectors } from './vault-selectors.js';

export type RecoveryPointAlgorithm = 'LATEST_WITHIN_WINDOW' | 'RANDOM_WITHIN_WINDOW';
export type RecoveryPointType = 'SNAPSHOT' | 'CONTINUOUS';

// Type aliases (not interfaces) so that they are assignable to the catalog's JSON documents.
export type RecoveryPointSelection = {
  readonly Algorithm: RecoveryPointAlgorithm;
  readonly IncludeVaults: readonly string[];
  readonly ExcludeVaults: readonly string[];
  readonly RecoveryPointTypes: readonly RecoveryPointType[];
  readonly SelectionWindowDays: number;
};

export type TestingPlanDocument = {
  readonly RecoveryPointSelection: RecoveryPointSelection;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly StartWindowHours: number;
};

export const DEFAULT_SELECTION_WINDOW_DAYS = 30;
export const DEFAULT_START_WINDOW_HOURS = 24;
export const DEFAULT_TESTING_TIMEZONE = 'Etc/UTC';
const ALGORITHMS: readonly string[] = ['LATEST_WITHIN_WINDOW', 'RANDOM_WITHIN_WINDOW'];
const POINT_TYPES: readonly string[] = ['SNAPSHOT', 'CONTINUOUS'];
/** AWS's rule for restore testing plan and selection names. */
const TESTING_NAME = /^[A-Za-z0-9_]{1,50}$/;

type Fields = Readonly<Record<string, unknown>>;

export function invalidMember(member: string, problem: string): BackupError {
  return new BackupError('InvalidParameter', `${member} ${problem}.`, { context: member });
}

/** A plan's or selection's name: 1 to 50 letters, digits or underscores. */
export function checkTestingName(name: string, member: string): string {
  if (!TESTING_NAME.test(name)) throw invalidMember(member, `${JSON.stringify(name)} is not a valid name: use 1 to 50 letters, digits or underscores`);
  return name;
}

export function integerIn(value: unknown, member: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidMember(member, `is ${JSON.stringify(value)}; it must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function stringsOf(value: unknown, member: string): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidMember(member, 'must be a list of strings');
  return value as string[];
}

export function checkRecoveryPointSelection(value: Fields | undefined, path: string): RecoveryPointSelection {
  if (value === undefined) throw invalidMember(path, 'is missing');
  const algorithm = value['Algorithm'];
  if (typeof algorithm !== 'string' || !ALGORITHMS.includes(algorithm)) {
    throw invalidMember(
      `${path}.Algorithm`,
      `${algorithm === undefined ? 'is missing' : `is ${JSON.stringify(algorithm)}`}; give LATEST_WITHIN_WINDOW or RANDOM_WITHIN_WINDOW`,
    );
  }
  const include = stringsOf(value['IncludeVaults'], `${path}.IncludeVaults`) ?? [];
  if (include.length === 0) throw invalidMember(`${path}.IncludeVaults`, 'must name at least one backup vault ARN, or ["*"] for every vault');
  checkVaultSelectors(include, `${path}.IncludeVaults`);
  const exclude = stringsOf(value['ExcludeVaults'], `${path}.ExcludeVaults`) ?? [];
  checkVaultSelectors(exclude, `${path}.ExcludeVaults`);
  const types = stringsOf(value['RecoveryPointTypes'], `${path}.RecoveryPointTypes`) ?? [];
  if (types.length === 0 || types.some((t) => !POINT_TYPES.includes(t))) {
    throw invalidMember(`${path}.RecoveryPointTypes`, `is ${JSON.stringify(types)}; give SNAPSHOT and/or CONTINUOUS`);
  }
  return {
    Algorithm: algorithm as RecoveryPointAlgorithm,
    IncludeVaults: include,
    ExcludeVaults: exclude,
    RecoveryPointTypes: [...new Set(types)] as RecoveryPointType[],
    SelectionWindowDays: integerIn(value['SelectionWindowDays'], `${path}.SelectionWindowDays`, 1, 365) ?? DEFAULT_SELECTION_WINDOW_DAYS,
  };
}

function checkSchedule(expression: unknown, member: string): string {
  if (typeof expression !== 'string' || expression.trim() === '') throw invalidMember(member, 'is missing');
  const problem = scheduleProblem(expression);
  if (problem !== undefined) throw invalidMember(member, `${JSON.stringify(expression)} ${problem}`);
  return expression;
}

function checkTimezone(zone: unknown, member: string): string | undefined {
  if (zone === undefined || zone === null) return undefined;
  if (typeof zone !== 'string' || !isTimeZone(zone))
    throw invalidMember(member, `${JSON.stringify(zone)} is not an IANA time zone (e.g. Etc/UTC, Europe/Berlin)`);
  return zone;
}

/** CreateRestoreTestingPlan's RestoreTestingPlan (without its name), checked, defaults filled in. */
export function checkTestingPlan(plan: Fields, path = 'RestoreTestingPlan'): TestingPlanDocument {
  return {
    RecoveryPointSelection: checkRecoveryPointSelection(plan['RecoveryPointSelection'] as Fields | undefined, `${path}.RecoveryPointSelection`),
    ScheduleExpression: checkSchedule(plan['ScheduleExpression'], `${path}.ScheduleExpression`),
    ScheduleExpressionTimezone: checkTimezone(plan['ScheduleExpressionTimezone'], `${path}.ScheduleExpressionTimezone`) ?? DEFAULT_TESTING_TIMEZONE,
    StartWindowHours: integerIn(plan['StartWindowHours'], `${path}.StartWindowHours`, 1, 168) ?? DEFAULT_START_WINDOW_HOURS,
  };
}

/** UpdateRestoreTestingPlan: the members given replace the plan's (RecoveryPointSelection as a whole). */
export function updatedTestingPlan(current: TestingPlanDocument, update: Fields, path = 'RestoreTestingPlan'): TestingPlanDocument {
  const selection = update['RecoveryPointSelection'] as Fields | undefined;
  return {
    RecoveryPointSelection: selection === undefined ? current.RecoveryPointSelection : checkRecoveryPointSelection(selection, `${path}.RecoveryPointSelection`),
    ScheduleExpression:
      update['ScheduleExpression'] === undefined ? current.ScheduleExpression : checkSchedule(update['ScheduleExpression'], `${path}.ScheduleExpression`),
    ScheduleExpressionTimezone: checkTimezone(update['ScheduleExpressionTimezone'], `${path}.ScheduleExpressionTimezone`) ?? current.ScheduleExpressionTimezone,
    StartWindowHours: integerIn(update['StartWindowHours'], `${path}.StartWindowHours`, 1, 168) ?? current.StartWindowHours,
  };
}
