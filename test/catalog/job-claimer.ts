/**
 * A separate process for the concurrent-claim test: opens the catalog argv[2] (its options as
 * JSON), waits until argv[4] claimers are ready (marker files in the directory argv[5]) so that
 * they really overlap, then claims backup jobs as owner argv[3] until none is left and prints the
 * claimed ids as JSON.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { CatalogOptions } from '../../src/catalog/open-catalog.js';

const [where, owner, claimers, markers] = process.argv.slice(2) as [string, string, string, string];
const options = JSON.parse(where) as CatalogOptions;
const catalog = await openCatalog(options.kind === 'sqlite' ? { ...options, busyTimeoutMs: 10_000 } : options);
writeFileSync(join(markers, `ready-${owner}`), '');
while (readdirSync(markers).filter((n) => n.startsWith('ready-')).length < Number(claimers)) await sleep(2);

const claimed: string[] = [];
const now = Date.UTC(2026, 0, 1, 1);
for (
  let job = await catalog.jobs.claimNextJob('backup', owner, 60_000, now);
  job !== undefined;
  job = await catalog.jobs.claimNextJob('backup', owner, 60_000, now)
) {
  claimed.push(job.id);
}
await catalog.close();
process.stdout.write(JSON.stringify(claimed));
