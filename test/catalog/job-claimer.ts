/**
 * A separate process for the concurrent-claim test: opens the catalog file argv[2], waits until
 * argv[4] claimers are ready (marker files beside the catalog) so that they really overlap, then
 * claims backup jobs as owner argv[3] until none is left and prints the claimed ids as JSON.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCatalog } from '../../src/catalog/open-catalog.js';

const [file, owner, claimers] = process.argv.slice(2) as [string, string, string];
const catalog = await openCatalog({ kind: 'sqlite', file, busyTimeoutMs: 10_000 });
writeFileSync(join(dirname(file), `ready-${owner}`), '');
while (readdirSync(dirname(file)).filter((n) => n.startsWith('ready-')).length < Number(claimers)) await sleep(2);

const claimed: string[] = [];
const now = Date.UTC(2026, 0, 1, 1);
for (let job = await catalog.jobs.claimNextJob('backup', owner, 60_000, now); job !== undefined;
  job = await catalog.jobs.claimNextJob('backup', owner, 60_000, now)) {
  claimed.push(job.id);
}
await catalog.close();
process.stdout.write(JSON.stringify(claimed));
