/**
 * The one table from IAM/STS domain error codes to the query protocol's AWS error codes and
 * statuses (IAM's NoSuchEntity is 404, conflicts 409, AccessDenied 403), and the wrapper that
 * applies it to every IAM and STS handler. Exhaustive by type.
 */
import { IamError } from '../../iam/identity/iam-error.js';
import type { IamErrorCode } from '../../iam/identity/iam-error.js';
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../http-handler.js';

export const IAM_ERROR_MAP: Readonly<Record<IamErrorCode, readonly [string, number]>> = {
  NoSuchEntity: ['NoSuchEntity', 404],
  EntityAlreadyExists: ['EntityAlreadyExists', 409],
  DeleteConflict: ['DeleteConflict', 409],
  MalformedPolicyDocument: ['MalformedPolicyDocument', 400],
  InvalidInput: ['InvalidInput', 400],
  LimitExceeded: ['LimitExceeded', 409],
  AccessDenied: ['AccessDenied', 403],
  ExpiredToken: ['ExpiredToken', 400],
};

export function withIamErrorMap(handler: OperationHandler): OperationHandler {
  return async (ctx, input) => {
    try {
      return await handler(ctx, input);
    } catch (err) {
      if (!(err instanceof IamError)) throw err;
      const [code, status] = IAM_ERROR_MAP[err.code];
      throw new AwsError(code, err.message, { status });
    }
  };
}
