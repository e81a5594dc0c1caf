/**
 * The backup domain with every change that a vault's or a plan's record in storage holds written
 * there before the call returns (storage-exporter.ts): vault access policy, lock and
 * notifications, tags of vaults, plans and recovery points, plans and their selections. A failed
 * write never fails the call: the exporter reports it and the next change (or start) writes
 * again. Recovery point state changes need nothing here: the exporter follows the ledger.
 */
import type { BackupDomain } from '../backup/backup-domain.js';
import type { CallScope } from '../backup/call-scope.js';
import type { Catalog } from '../catalog/catalog.js';
import { parseArn } from '../iam/arn.js';
import type { StorageExporter } from './storage-exporter.js';

export function exportingChanges(domain: BackupDomain, exporter: StorageExporter, catalog: Catalog): BackupDomain {
  const scopeOf = (scope: CallScope) => ({ accountId: scope.accountId, region: scope.region });
  /** `call`, then the vault's record. */
  const vault =
    <A extends unknown[], R>(call: (scope: CallScope, vaultName: string, ...rest: A) => Promise<R>) =>
    async (scope: CallScope, vaultName: string, ...rest: A): Promise<R> => {
      const result = await call(scope, vaultName, ...rest);
      await exporter.exportVault(scopeOf(scope), vaultName);
      return result;
    };
  /** `call`, then the plan's record. */
  const plan =
    <A extends unknown[], R>(call: (scope: CallScope, planId: string, ...rest: A) => Promise<R>) =>
    async (scope: CallScope, planId: string, ...rest: A): Promise<R> => {
      const result = await call(scope, planId, ...rest);
      await exporter.exportPlan(scopeOf(scope), planId);
      return result;
    };
  /** After a tag change: the record of the resource the ARN names. */
  const tagged = async (scope: CallScope, resourceArn: string): Promise<void> => {
    const resource = parseArn(resourceArn)?.resource ?? '';
    const [kind, id] = [resource.slice(0, resource.indexOf(':')), resource.slice(resource.indexOf(':') + 1)];
    if (kind === 'backup-vault') await exporter.exportVault(scopeOf(scope), id);
    else if (kind === 'backup-plan') await exporter.exportPlan(scopeOf(scope), id);
    else if (kind === 'recovery-point') {
      const point = await catalog.recoveryPoints.get(scopeOf(scope), resourceArn);
      if (point !== undefined) await exporter.exportPoint(scopeOf(scope), point.vaultName, resourceArn);
    }
  };
  const { vaultAccessPolicies, vaultNotifications, vaultLocks, tags, plans, selections } = domain;
  return {
    ...domain,
    vaultAccessPolicies: { ...vaultAccessPolicies, put: vault(vaultAccessPolicies.put), delete: vault(vaultAccessPolicies.delete) },
    vaultNotifications: { ...vaultNotifications, put: vault(vaultNotifications.put), delete: vault(vaultNotifications.delete) },
    vaultLocks: { ...vaultLocks, put: vault(vaultLocks.put), delete: vault(vaultLocks.delete) },
    tags: {
      ...tags,
      tag: async (scope, arn, added) => {
        await tags.tag(scope, arn, added);
        await tagged(scope, arn);
      },
      untag: async (scope, arn, keys) => {
        await tags.untag(scope, arn, keys);
        await tagged(scope, arn);
      },
    },
    plans: {
      ...plans,
      create: async (scope, request) => {
        const saved = await plans.create(scope, request);
        await exporter.exportPlan(scopeOf(scope), saved.id);
        return saved;
      },
      update: plan(plans.update),
      delete: plan(plans.delete),
    },
    selections: { ...selections, create: plan(selections.create), delete: plan(selections.delete) },
  };
}
