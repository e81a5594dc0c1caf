/**
 * AWS Backup Audit Manager's controls: their names, what each evaluates (resources, recovery
 * points, backup plans or vaults), their input parameters with AWS's defaults, and the check of a
 * framework's FrameworkControls against them. Pure: the evaluation is control-evaluation.ts.
 */
import { BackupError } from '../backup-error.js';

export type ControlSubject = 'resource' | 'recovery-point' | 'backup-plan' | 'backup-vault';

interface ParameterSpec {
  /** Absent: no default (the check is skipped when not given). */
  readonly default?: string;
  readonly check: (value: string) => string | undefined;
}

export interface ControlSpec {
  readonly subject: ControlSubject;
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
}

const positiveInteger = (max: number) => (value: string) =>
  /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max ? undefined : `a whole number from 1 to ${max}`;
const oneOf = (values: readonly string[]) => (value: string) => (values.includes(value) ? undefined : `one of ${values.join(', ')}`);
const listOf = (item: RegExp, what: string, max: number) => (value: string) => {
  const items = splitList(value);
  return items.length >= 1 && items.length <= max && items.every((i) => item.test(i)) ? undefined : `a comma-separated list of 1 to ${max} ${what}`;
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;
const PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/;

export const CONTROLS: Readonly<Record<string, ControlSpec>> = {
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: { subject: 'resource', parameters: {} },
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: {
    subject: 'backup-plan',
    parameters: {
      requiredFrequencyUnit: { default: 'days', check: oneOf(['hours', 'days']) },
      requiredFrequencyValue: { default: '1', check: positiveInteger(744) },
      requiredRetentionDays: { default: '35', check: positiveInteger(36500) },
    },
  },
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: {
    subject: 'recovery-point',
    parameters: { requiredRetentionDays: { default: '35', check: positiveInteger(36500) } },
  },
  BACKUP_RECOVERY_POINT_ENCRYPTED: { subject: 'recovery-point', parameters: {} },
  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: {
    subject: 'backup-vault',
    parameters: { principalArnList: { check: listOf(PRINCIPAL, 'IAM role, user or root ARNs', 5) } },
  },
  BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: {
    subject: 'resource',
    parameters: { crossRegionList: { check: listOf(REGION, 'regions', 3) } },
  },
  BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT: {
    subject: 'resource',
    parameters: { crossAccountList: { check: listOf(ACCOUNT, 'account ids', 5) } },
  },
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: {
    subject: 'resource',
    parameters: { minRetentionDays: { check: positiveInteger(36500) }, maxRetentionDays: { check: positiveInteger(36500) } },
  },
  BACKUP_LAST_RECOVERY_POINT_CREATED: {
    subject: 'resource',
    parameters: {
      recoveryPointAgeUnit: { default: 'days', check: oneOf(['hours', 'days']) },
      recoveryPointAgeValue: { default: '1', check: positiveInteger(744) },
    },
  },
  RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: {
    subject: 'resource',
    parameters: { maxRestoreTime: { default: '720', check: positiveInteger(43200) } },
  },
};

export const CONTROL_NAMES = Object.keys(CONTROLS);

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface ControlScope {
  readonly resourceIds?: readonly string[] | undefined;
  readonly resourceTypes?: readonly string[] | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** One control of a framework as the caller gave it. */
export interface FrameworkControl {
  readonly name: string;
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  readonly scope: ControlScope | undefined;
}

const invalid = (message: string, member: string) => new BackupError('InvalidParameter', message, { context: member });

/** Checks a framework's controls; throws InvalidParameter naming the control and member. */
export function checkControls(controls: readonly FrameworkControl[]): void {
  if (controls.length === 0) throw invalid('FrameworkControls is empty; a framework needs at least one control.', 'FrameworkControls');
  const seen = new Set<string>();
  for (const [i, control] of controls.entries()) {
    const path = `FrameworkControls.${i + 1}`;
    const spec = CONTROLS[control.name];
    if (spec === undefined) {
      throw invalid(
        `${path}.ControlName ${JSON.stringify(control.name)} is not a control Coffer knows; use one of ${CONTROL_NAMES.join(', ')}.`,
        `${path}.ControlName`,
      );
    }
    if (seen.has(control.name))
      throw invalid(`${path}.ControlName ${control.name} appears twice in the framework; give each control once.`, `${path}.ControlName`);
    seen.add(control.name);
    for (const parameter of control.parameters) {
      const parameterSpec = spec.parameters[parameter.name];
      if (parameterSpec === undefined) {
        const known = Object.keys(spec.parameters);
        throw invalid(
          `${path}: control ${control.name} has no parameter ${JSON.stringify(parameter.name)}; ${known.length === 0 ? 'it takes none' : `its parameters are ${known.join(', ')}`}.`,
          `${path}.ControlInputParameters`,
        );
      }
      const problem = parameterSpec.check(parameter.value);
      if (problem !== undefined) {
        throw invalid(
          `${path}: ${control.name}'s ${parameter.name} is ${JSON.stringify(parameter.value)}; it must be ${problem}.`,
          `${path}.ControlInputParameters`,
        );
      }
    }
    const min = control.parameters.find((p) => p.name === 'minRetentionDays');
    const max = control.parameters.find((p) => p.name === 'maxRetentionDays');
    if (min !== undefined && max !== undefined && Number(min.value) > Number(max.value)) {
      throw invalid(`${path}: minRetentionDays (${min.value}) is more than maxRetentionDays (${max.value}).`, `${path}.ControlInputParameters`);
    }
    const tags = Object.keys(control.scope?.tags ?? {});
    if (tags.length > 1) throw invalid(`${path}.ControlScope.Tags has ${tags.length} tags; AWS allows one tag per control scope.`, `${path}.ControlScope.Tags`);
  }
}

/** A control's parameters with AWS's defaults filled in (parameters without a default stay absent). */
export function effectiveParameters(control: FrameworkControl): Readonly<Record<string, string>> {
  const spec = CONTROLS[control.name];
  const out: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(spec?.parameters ?? {})) if (parameter.default !== undefined) out[name] = parameter.default;
  for (const parameter of control.parameters) out[parameter.name] = parameter.value;
  return out;
}
