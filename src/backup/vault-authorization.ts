/**
 * Vault access policy enforcement: the one check every operation on a vault or its recovery
 * points goes through. The vault's own account may do anything its policy does not explicitly
 * deny (a Deny of backup:DeleteRecoveryPoint to "*" stops the owner too); another account may act
 * only where the policy allows it. A vault of another account that does not exist answers the same
 * AccessDenied as one that refuses, so that nothing about another account leaks.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns, parseArn } from '../iam/arn.js';
import type { AuthorizationRequest } from '../iam/authorization-request.js';
import { parsePolicyDocument } from '../iam/policy-document.js';
import { resourcePolicyAllows } from '../iam/resource-access.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import { vaultNotFound } from './vaults.js';

/** A vault named by where it is, for a caller that has not read it yet. */
export interface VaultAddress {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

export interface VaultActionOptions {
  /** The caller's organization id (for aws:PrincipalOrgID conditions). */
  readonly orgId?: string | undefined;
  /** Extra condition keys, e.g. aws:SourceAccount. */
  readonly context?: AuthorizationRequest['context'];
}

export function accessDenied(scope: CallScope, action: string, resourceArn: string, reason: string): BackupError {
  return new BackupError('AccessDenied', `User: ${scope.principal} is not authorized to perform: ${action} on resource: ${resourceArn} because ${reason}.`, {
    context: resourceArn,
  });
}

/**
 * Checks the vault's access policy for `action` on `resourceArn` (the vault's ARN, or one of its
 * recovery points) by the caller, and returns the vault. Throws AccessDenied; VaultNotFound only
 * for a missing vault of the caller's own account.
 */
export async function authorizeVaultAction(
  catalog: Pick<Catalog, 'vaults'>,
  scope: CallScope,
  vault: VaultRecord | VaultAddress,
  action: string,
  resourceArn: string,
  options: VaultActionOptions = {},
): Promise<VaultRecord> {
  const record = 'arn' in vault ? vault : await catalog.vaults.get(vault, vault.name);
  const owner = vault.accountId;
  if (record === undefined) {
    if (owner === scope.accountId) throw vaultNotFound(scope, vault.name);
    throw accessDenied(scope, action, resourceArn, `backup vault ${vault.name} of account ${owner} is not shared with account ${scope.accountId}`);
  }
  const parsed = record.accessPolicy === undefined ? undefined : parsePolicyDocument(record.accessPolicy);
  // A stored policy was checked when put; one that no longer parses refuses other accounts, never locks out the owner.
  const policy = typeof parsed === 'string' ? undefined : parsed;
  const answer = resourcePolicyAllows(
    policy,
    {
      principal: { accountId: scope.accountId, arn: scope.principal, ...(options.orgId === undefined ? {} : { orgId: options.orgId }) },
      action,
      resource: resourceArn,
      ...(options.context === undefined ? {} : { context: options.context }),
    },
    record.accountId,
  );
  if (!answer.allowed) throw accessDenied(scope, action, resourceArn, answer.reason);
  return record;
}

/**
 * The scope that owns a recovery point ARN: the caller's own, or (for an ARN of another account
 * in the caller's region) that account's, still carrying the caller's principal and request id.
 */
export function ownerScopeOf(scope: CallScope, recoveryPointArn: string): CallScope {
  const arn = parseArn(recoveryPointArn);
  if (arn === undefined || arn.accountId === '' || arn.accountId === scope.accountId || arn.region !== scope.region) return scope;
  return { ...scope, accountId: arn.accountId };
}

/** The vault ARN of a vault address, for checks on the vault itself. */
export function vaultArnOf(address: VaultAddress): string {
  return arns.backupVault(address, address.name);
}
