/**
 * iam/identity/: IAM's users, roles and managed policies, and STS's sessions, as the IAM and STS
 * APIs serve them. Knows IAM's rules and the catalog's stores; nothing of HTTP or wire shapes.
 *
 * This file: the one error type of IAM and STS, with a stable code; src/aws/iam/error-map.ts
 * turns codes into AWS's exceptions. Messages follow AWS's wording where callers match on it.
 */

export type IamErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'DeleteConflict'
  | 'MalformedPolicyDocument'
  | 'InvalidInput'
  | 'LimitExceeded'
  | 'AccessDenied'
  | 'ExpiredToken';

export class IamError extends Error {
  constructor(
    readonly code: IamErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IamError';
  }
}

export function noSuchEntity(what: string, name: string): IamError {
  return new IamError('NoSuchEntity', `The ${what} with name ${name} cannot be found.`);
}
