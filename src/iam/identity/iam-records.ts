/**
 * The IAM entities as the domain hands them out: readonly records with AWS's field names (the
 * wire handlers pass them through), dates as Dates, policy documents as the JSON text given.
 */

export interface IamTag {
  readonly Key: string;
  readonly Value: string;
}

export interface IamRole {
  readonly RoleName: string;
  readonly RoleId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly CreateDate: Date;
  readonly AssumeRolePolicyDocument: string;
  readonly Description?: string;
  readonly MaxSessionDuration: number;
  readonly Tags: readonly IamTag[];
  readonly PermissionsBoundary?: string;
}

export interface IamUser {
  readonly UserName: string;
  readonly UserId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly CreateDate: Date;
  readonly Tags: readonly IamTag[];
  readonly PermissionsBoundary?: string;
}

export interface IamPolicyVersion {
  readonly VersionId: string;
  readonly Document: string;
  readonly CreateDate: Date;
}

export interface IamManagedPolicy {
  readonly PolicyName: string;
  readonly PolicyId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly Description?: string;
  readonly CreateDate: Date;
  readonly UpdateDate: Date;
  readonly DefaultVersionId: string;
  readonly Versions: readonly IamPolicyVersion[];
  readonly Tags: readonly IamTag[];
  /** AWS managed (`arn:aws:iam::aws:policy/...`): read-only, the same in every account. */
  readonly awsManaged: boolean;
}

/** Who holds a principal ARN's permissions: a user or a role of an account (a session acts as its role). */
export interface IamPrincipalRef {
  readonly accountId: string;
  readonly kind: 'user' | 'role' | 'root';
  readonly name: string;
}
