/**
 * What the scheduler reads at each tick: every live plan with its rules compiled (once per plan
 * version; a rule Coffer cannot schedule is reported and its plan skipped), and the resources a
 * plan's selections pick, each scope's registry indexed and its opt-in settings read once per
 * tick.
 */
import { asDocument } from '../backup/backup-plan.js';
import { compileRules } from '../backup/rule-runs.js';
import type { CompiledRule } from '../backup/rule-runs.js';
import type { SelectionDocument } from '../backup/selection-document.js';
import { indexResources, matchSelection } from '../backup/selection-match.js';
import type { OptInPreference, ResourceIndex, SelectableResource } from '../backup/selection-match.js';
import type { CatalogStores } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { PlanRecord } from '../catalog/plans.js';
import type { CatalogScope } from '../catalog/scope.js';

/** A resource of the registry, with where it lives. */
export interface RegisteredResource extends SelectableResource {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

/** A resource a plan's selections pick, with the IamRoleArn of the (first) selection that picks it: the role its jobs run as. */
export interface PickedResource {
  readonly resource: RegisteredResource;
  readonly iamRoleArn: string;
}

export interface LivePlan {
  readonly plan: PlanRecord;
  readonly rules: readonly CompiledRule[];
}

const scopeKey = (s: CatalogScope): string => `${s.accountId}/${s.region}`;

/** Every live plan, its rules compiled once per version. */
export function livePlanCache(plans: Pick<CatalogStores, 'plans'>['plans'], warn: (line: string) => void): () => Promise<LivePlan[]> {
  const compiled = new Map<string, LivePlan>();
  return async () => {
    const out: LivePlan[] = [];
    for await (const plan of everyItem((page) => plans.listAllLive(page))) {
      const key = `${plan.id}@${plan.versionId}`;
      let live = compiled.get(key);
      if (live === undefined) {
        try {
          live = { plan, rules: compileRules(asDocument(plan.document)) };
        } catch (err) {
          warn(`coffer: plan ${plan.arn} has a rule Coffer cannot schedule: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        compiled.set(key, live);
      }
      out.push(live);
    }
    return out;
  };
}

/** The resources a plan's selections pick (read from `stores`, so a dispatch sees its own transaction). */
export function selectionResolver(
  stores: Pick<CatalogStores, 'selections' | 'settings'>,
  resources: (scope: CatalogScope) => Promise<readonly RegisteredResource[]>,
) {
  const byScope = new Map<string, ResourceIndex<RegisteredResource>>();
  const optIns = new Map<string, OptInPreference>();
  return async (plan: PlanRecord): Promise<PickedResource[]> => {
    const key = scopeKey(plan);
    let candidates = byScope.get(key);
    if (candidates === undefined) {
      candidates = indexResources(await resources({ accountId: plan.accountId, region: plan.region }));
      byScope.set(key, candidates);
    }
    if (candidates.all.length === 0) return [];
    let optIn = optIns.get(key);
    if (optIn === undefined) {
      optIn = (await stores.settings.getRegionSettings(plan))?.resourceTypeOptIn ?? {};
      optIns.set(key, optIn);
    }
    const picked = new Map<string, PickedResource>();
    for await (const s of everyItem((page) => stores.selections.list(plan, plan.id, page))) {
      const document = s.document as unknown as SelectionDocument;
      for (const r of matchSelection(document, candidates, optIn)) if (!picked.has(r.arn)) picked.set(r.arn, { resource: r, iamRoleArn: document.IamRoleArn });
    }
    return [...picked.values()];
  };
}
