/**
 * What a policy is asked: who is calling, what they want to do, to which resource, and the extra
 * condition keys the calling service knows (KMS's `kms:ViaService`, the copy job's
 * `aws:SourceAccount`, ...). Shared by the evaluator and the combination rules; re-exported from
 * `policy-evaluator.ts`, which is where callers import it from.
 */

export interface PrincipalContext {
  /** The caller's 12-digit account. */
  readonly accountId: string;
  /** e.g. `arn:aws:iam::111111111111:root`. */
  readonly arn: string;
  /** The organization id, when the account is in one. */
  readonly orgId?: string;
  /** Set when an AWS service acts for the caller, e.g. `backup.amazonaws.com`. */
  readonly service?: string;
}

export interface AuthorizationRequest {
  readonly principal: PrincipalContext;
  /** `kms:Decrypt`, `backup:CopyIntoBackupVault`, ... */
  readonly action: string;
  /** The resource ARN. */
  readonly resource: string;
  /** Extra condition keys, e.g. 'kms:CallerAccount', 'kms:ViaService', 'aws:SourceAccount', 'kms:EncryptionContext:...'. */
  readonly context?: Readonly<Record<string, string | readonly string[] | boolean | number | undefined>>;
}

/** Deny = an explicit Deny matched; NotApplicable = no statement matched. */
export type PolicyDecision = 'Allow' | 'Deny' | 'NotApplicable';
