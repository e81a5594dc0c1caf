/**
 * The KMS tables (migration 0005) as Kysely sees them. They join the catalog's `Database` by
 * declaration merging, so the KMS stores live in their own files without reshaping the shared
 * table list; read together with database.ts.
 */
interface Scoped {
  account_id: string;
  region: string;
}

export interface KmsKeysTable extends Scoped {
  key_id: string;
  arn: string;
  description: string;
  /** `CUSTOMER` or `AWS`. */
  key_manager: string;
  key_spec: string;
  key_usage: string;
  /** `Enabled`, `Disabled` or `PendingDeletion`. */
  state: string;
  policy: string;
  /** The key material enveloped under the root key (opaque text); never the material itself. */
  wrapped_material: string;
  created_at: number;
  deletion_at: number | null;
  pending_window_days: number | null;
  /** When automatic rotation was switched on; null while it is off. */
  rotation_enabled_at: number | null;
  /** Migration 0095: `EXTERNAL` for imported material; null is AWS_KMS. */
  origin: string | null;
  rotation_period_days: number | null;
  next_rotation_at: number | null;
  /** The material new ciphertexts use, by id; null is the original (`wrapped_material`). */
  current_material_id: string | null;
  /** A pending import's wrapping key and token, sealed under the root key (opaque text). */
  import_parameters: string | null;
  material_valid_to: number | null;
  last_used_at: number | null;
  last_used_operation: string | null;
  last_used_request_id: string | null;
}

/** Materials that rotations made (migration 0095), each sealed under the root key. */
export interface KmsKeyMaterialsTable extends Scoped {
  key_id: string;
  material_id: string;
  wrapped_material: string;
  /** `AUTOMATIC` or `ON_DEMAND`. */
  rotation_type: string;
  created_at: number;
}

export interface KmsAliasesTable extends Scoped {
  /** With its `alias/` prefix, as AWS names aliases. */
  name: string;
  key_id: string;
  created_at: number;
  updated_at: number;
}

export interface KmsGrantsTable extends Scoped {
  grant_id: string;
  key_id: string;
  name: string | null;
  grantee_principal: string;
  retiring_principal: string | null;
  issuing_account: string;
  /** JSON list of operation names. */
  operations: string;
  /** JSON `{EncryptionContextEquals?, EncryptionContextSubset?}` or null. */
  constraints: string | null;
  created_at: number;
}

declare module './database.js' {
  interface Database {
    readonly kms_keys: KmsKeysTable;
    readonly kms_aliases: KmsAliasesTable;
    readonly kms_grants: KmsGrantsTable;
    readonly kms_key_materials: KmsKeyMaterialsTable;
  }
}
