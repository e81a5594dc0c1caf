/**
 * What `coffer serve` tells the operator at start: where config and data are, where the access
 * keys are (never a secret), a plain warning in sandbox mode, and last a machine-readable line
 * with the actual address (`coffer: listening on http://127.0.0.1:4100`) that scripts and tests
 * wait for.
 */
import { describeCatalog } from '../config/read-catalog.js';
import { formatStorageLocation } from '../config/storage-location.js';
import type { CofferConfig } from '../config/schema.js';

export interface BannerFacts {
  readonly version: string;
  readonly config: CofferConfig;
  readonly sandbox: boolean;
  /** Lines from first-start credentials: where generated keys are. */
  readonly credentialNotices: readonly string[];
  /** Where the root key came from: COFFER_ROOT_KEY or a file (never the key). */
  readonly rootKeyFrom?: string | undefined;
  readonly url: string;
  readonly loopback: boolean;
  /** Set when the clock is manual: where it stands. */
  readonly manualClockAt?: Date | undefined;
}

export const LISTENING_PREFIX = 'coffer: listening on ';

export function bannerLines(facts: BannerFacts): string[] {
  const { config } = facts;
  const lines = [
    `coffer ${facts.version}: config ${config.source ?? 'embedded default (no --config given)'}; data in ${config.dataDir}; catalog ${describeCatalog(config.catalog)}`,
    `coffer: regions ${config.regions.map((r) => `${r.name} (vaults in ${formatStorageLocation(r.storage)})`).join(', ')}`,
    `coffer: accounts ${config.accounts.map((a) => `${a.id} (${a.name}, ${a.accessKeys.length} access key${a.accessKeys.length === 1 ? '' : 's'})`).join(', ')}`,
    ...facts.credentialNotices.map((n) => `coffer: ${n}`),
  ];
  if (facts.rootKeyFrom !== undefined)
    lines.push(`coffer: root key from ${facts.rootKeyFrom} (keep a copy offline with the config: docs/disaster-recovery.md)`);
  if (facts.sandbox) {
    lines.push(
      'coffer: WARNING: SANDBOX MODE IS INSECURE. Any access key that is not configured is accepted WITHOUT checking its signature, as account 000000000000,',
      'coffer: WARNING: and POST /_coffer/reset deletes every vault, recovery point and setting. Use it only for tests, never for real backups.',
    );
    if (!facts.loopback) lines.push(`coffer: WARNING: sandbox mode is listening on ${facts.url}, which other machines may reach.`);
  }
  if (facts.manualClockAt !== undefined) {
    lines.push(
      `coffer: WARNING: MANUAL CLOCK (for tests): it stands at ${facts.manualClockAt.toISOString()} and moves only through POST /_coffer/clock or coffer clock advance; plans run only then.`,
    );
  }
  lines.push(`${LISTENING_PREFIX}${facts.url}`);
  return lines;
}
