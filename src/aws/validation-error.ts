/**
 * Turns input violations into the one AwsError a service answers with. The exception names come
 * from the service's own model when it has them (AWS Backup: MissingParameterValueException for
 * an absent required member, InvalidParameterValueException for anything else), otherwise the
 * generic ValidationException AWS's JSON services send (KMS). The message lists every violation
 * in the form AWS uses: "1 validation error detected: Value 'x' at 'Name' failed to satisfy
 * constraint: Member must ...". Sensitive values are never echoed.
 */
import { AwsError } from './errors.js';
import type { ServiceModel } from './service-model.js';
import type { Violation } from './shape-input.js';

const MAX_LISTED = 10;
const MAX_VALUE_CHARS = 120;

function exceptionName(model: ServiceModel, anyMissing: boolean): string {
  if (anyMissing && model.shapes['MissingParameterValueException'] !== undefined) return 'MissingParameterValueException';
  if (model.shapes['InvalidParameterValueException'] !== undefined) return 'InvalidParameterValueException';
  return 'ValidationException';
}

function rendered(violation: Violation): string {
  if (violation.missing) return 'null';
  if (violation.sensitive) return "'*** Sensitive Data Redacted ***'";
  const text = typeof violation.value === 'string' ? violation.value : (JSON.stringify(violation.value) ?? String(violation.value));
  const short = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
  return `'${short}'`;
}

export function validationError(model: ServiceModel, violations: readonly Violation[]): AwsError {
  const listed = violations.slice(0, MAX_LISTED).map((v) => `Value ${rendered(v)} at '${v.path}' failed to satisfy constraint: ${v.problem}`);
  if (violations.length > MAX_LISTED) listed.push(`and ${violations.length - MAX_LISTED} more`);
  const count = violations.length;
  const message = `${count} validation error${count === 1 ? '' : 's'} detected: ${listed.join('; ')}`;
  const name = exceptionName(
    model,
    violations.some((v) => v.missing),
  );
  return new AwsError(name, message, violations[0] === undefined ? {} : { context: violations[0].path });
}

/** A body that is not JSON (or not a JSON object) never reaches validation. */
export function serializationError(detail: string): AwsError {
  return new AwsError('SerializationException', detail);
}
