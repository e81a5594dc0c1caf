/**
 * Gathers the AuditState one account and region's controls are evaluated against: its
 * resources (the config's registry and discoveries), its live plans with what their selections
 * pick now, its vaults, its recovery points and restore jobs, and every recovery point of its
 * resources in the organization's other accounts and regions (their copies).
 */
import type { Catalog } from '../../catalog/catalog.js';
import { everyItem } from '../../catalog/pagination.js';
import type { CatalogScope } from '../../catalog/scope.js';
import type { VaultRecord } from '../../catalog/vaults.js';
import type { BackupOrganization } from '../global-settings.js';
import { checkPlanDocument } from '../plan-document.js';
import type { ResourceLister } from '../protected-resource.js';
import type { SelectionDocument } from '../selection-document.js';
import { indexResources, matchSelection } from '../selection-match.js';
import type { AuditPlan, AuditState } from './control-evaluation.js';

export interface AuditStateDeps {
  readonly catalog: Catalog;
  readonly listResources?: ResourceLister | undefined;
  readonly organization?: BackupOrganization | undefined;
}

export async function gatherAuditState(deps: AuditStateDeps, scope: CatalogScope, now: number): Promise<AuditState> {
  const { catalog } = deps;
  const resources = deps.listResources === undefined ? [] : await deps.listResources(scope);
  const index = indexResources(resources);
  const optIn = (await catalog.settings.getRegionSettings(scope))?.resourceTypeOptIn ?? {};
  const plans: AuditPlan[] = [];
  for await (const plan of everyItem((page) => catalog.plans.list(scope, {}, page))) {
    if (plan.deletedAt !== undefined) continue;
    const picked = new Set<string>();
    for await (const s of everyItem((page) => catalog.selections.list(scope, plan.id, page))) {
      for (const r of matchSelection(s.document as unknown as SelectionDocument, index, optIn)) picked.add(r.arn);
    }
    plans.push({
      id: plan.id,
      arn: plan.arn,
      name: plan.name,
      document: checkPlanDocument(plan.document),
      tags: await catalog.tags.get(scope, plan.arn),
      resourceArns: picked,
    });
  }
  const vaults: { record: VaultRecord; tags: Readonly<Record<string, string>> }[] = [];
  for await (const v of everyItem((page) => catalog.vaults.list(scope, {}, page))) vaults.push({ record: v, tags: await catalog.tags.get(scope, v.arn) });
  const accounts = deps.organization?.memberAccountIds.includes(scope.accountId) === true ? deps.organization.memberAccountIds : [scope.accountId];
  const everyPoint = await catalog.auditEvidence.recoveryPointsOf(accounts);
  const ours = new Set(resources.map((r) => r.arn));
  const pointsByResource = new Map<string, (typeof everyPoint)[number][]>();
  const vaultsByArn = new Map<string, VaultRecord>();
  for (const point of everyPoint) {
    if (!ours.has(point.resourceArn)) continue;
    const list = pointsByResource.get(point.resourceArn);
    if (list === undefined) pointsByResource.set(point.resourceArn, [point]);
    else list.push(point);
    if (!vaultsByArn.has(point.vaultArn)) {
      const vault = await catalog.vaults.get(point, point.vaultName);
      if (vault !== undefined) vaultsByArn.set(point.vaultArn, vault);
    }
  }
  return {
    accountId: scope.accountId,
    region: scope.region,
    now,
    resources,
    plans,
    vaults,
    recoveryPoints: everyPoint.filter((p) => p.accountId === scope.accountId && p.region === scope.region),
    pointsByResource,
    vaultsByArn,
    restoreJobs: await catalog.auditEvidence.jobsSince('restore', [scope.accountId], 0, [scope.region]),
  };
}
