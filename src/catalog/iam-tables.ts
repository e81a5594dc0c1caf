/**
 * The IAM tables (migration 0020) as Kysely sees them, joined to the catalog's `Database` by
 * declaration merging (as kms-tables.ts does); read together with database.ts.
 */

export interface IamEntitiesTable {
  account_id: string;
  /** `user`, `role` or `policy` (customer managed). */
  kind: string;
  /** The name lower-cased: IAM names are unique regardless of case. */
  name_key: string;
  name: string;
  arn: string;
  entity_id: string;
  path: string;
  /** The kind's own fields (trust policy, versions, tags, ...) as JSON text. */
  document: string;
  created_at: number;
  updated_at: number;
}

export interface IamInlinePoliciesTable {
  account_id: string;
  kind: string;
  owner_key: string;
  policy_name: string;
  document: string;
}

export interface IamAttachmentsTable {
  account_id: string;
  kind: string;
  owner_key: string;
  owner_name: string;
  policy_arn: string;
  attached_at: number;
}

declare module './database.js' {
  interface Database {
    readonly iam_entities: IamEntitiesTable;
    readonly iam_inline_policies: IamInlinePoliciesTable;
    readonly iam_attachments: IamAttachmentsTable;
  }
}
