/**
 * The resources Coffer may back up: those the config names one by one, plus those its discovery
 * entries find (every database of a server, every table or bucket of an endpoint). Discovery
 * runs at serve start and again, at most every `refreshMs`, when an ARN is looked up or the
 * resources are listed (each backup decision), and always when an ARN is not found, so new
 * databases appear without a restart. A
 * server that cannot be listed keeps what it last showed, and says so once through `warn`.
 * A resource configured by hand wins over a discovered one with the same ARN.
 */
import type { DiscoveryConfig, ResourceConfig } from '../config/resource-config.js';
import { connectorFor } from './registry.js';

export interface ResourceRegistry {
  get(arn: string): Promise<ResourceConfig | undefined>;
  list(scope: { readonly accountId: string; readonly region: string }): Promise<readonly ResourceConfig[]>;
  /** Runs discovery now (serve start). */
  refresh(): Promise<void>;
}

export interface ResourceRegistryOptions {
  readonly warn: (line: string) => void;
  /** Discovery results younger than this are reused (default 5 s). */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

export function createResourceRegistry(
  configured: readonly ResourceConfig[],
  discoveries: readonly DiscoveryConfig[],
  options: ResourceRegistryOptions,
): ResourceRegistry {
  const fixed = new Map(configured.map((r) => [r.arn, r]));
  const found = new Map<DiscoveryConfig, readonly ResourceConfig[]>();
  const failing = new Set<DiscoveryConfig>();
  const refreshMs = options.refreshMs ?? 5000;
  const now = options.now ?? Date.now;
  let lastRefresh = -Infinity;
  let running: Promise<void> | undefined;

  const discoverOne = async (source: DiscoveryConfig): Promise<void> => {
    try {
      const connector = connectorFor(source.type) as unknown as { discover(s: DiscoveryConfig): Promise<readonly ResourceConfig[]> };
      found.set(source, await connector.discover(source));
      if (failing.delete(source)) options.warn(`coffer: discovery ${source.name} works again`);
    } catch (err) {
      if (!failing.has(source))
        options.warn(`coffer: discovery ${source.name} failed, keeping what it found before: ${err instanceof Error ? err.message : String(err)}`);
      failing.add(source);
    }
  };

  const refresh = (): Promise<void> => {
    running ??= Promise.all(discoveries.map(discoverOne))
      .then(() => {
        lastRefresh = now();
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const fresh = async (): Promise<void> => {
    if (discoveries.length > 0 && now() - lastRefresh >= refreshMs) await refresh();
  };

  const all = (): ResourceConfig[] => {
    const byArn = new Map<string, ResourceConfig>();
    for (const list of found.values()) for (const r of list) if (!byArn.has(r.arn)) byArn.set(r.arn, r);
    for (const [arn, r] of fixed) byArn.set(arn, r);
    return [...byArn.values()];
  };

  return {
    async get(arn) {
      const known = fixed.get(arn);
      if (known !== undefined) return known;
      await fresh();
      const found = all().find((r) => r.arn === arn);
      if (found !== undefined || discoveries.length === 0) return found;
      await refresh(); // a database made a moment ago: look again rather than say it is unknown
      return all().find((r) => r.arn === arn);
    },
    async list(scope) {
      await fresh();
      return all().filter((r) => r.accountId === scope.accountId && r.region === scope.region);
    },
    refresh,
  };
}
