/**
 * `coffer recover --config FILE [--json]`: rebuilds an empty or lost catalog from the storage of
 * every region the config names (recovery/recover.ts), with the root key from COFFER_ROOT_KEY,
 * rootKeyFile or the data dir. Run it with `coffer serve` stopped; running it again adds nothing.
 * Prints per region what it found and added and what it could not read; exits 1 when something
 * could not be read.
 */
import { parseArgs } from 'node:util';
import { createJobLedger } from '../backup/jobs/job-ledger.js';
import { openCatalog } from '../catalog/open-catalog.js';
import { systemClock } from '../server/system-clock.js';
import { recoverFromStorage } from '../recovery/recover.js';
import { createRegionStorage } from '../server/region-storage.js';
import type { RegionRecovery } from '../recovery/recover.js';
import { CliError } from './cli-error.js';
import { operatorContext } from './operator-context.js';

export const RECOVER_USAGE = `usage: coffer recover --config FILE [--json]

Rebuilds the catalog (vaults, their KMS keys and repository passwords, recovery points, backup
plans with their selections) from the vault storage of every region in the config. Needs the
root key: COFFER_ROOT_KEY, the config's rootKeyFile, or the data dir's root.key. Adds only what the catalog lacks; never deletes.
Stop coffer serve first. Exits 1 when something could not be read (each is listed). Snapshots
that no recovery point record names (written by restic, or records lost) are listed, not imported.`;

function lines(report: readonly RegionRecovery[]): string[] {
  const out: string[] = [];
  for (const r of report) {
    out.push(
      `region ${r.region} (${r.storage}): ${r.vaults.found} vault(s) found, ${r.vaults.added} added; ${r.keys.found} repository key(s) found, ${r.keys.added} added; ${r.recoveryPoints.found} recovery point(s) found, ${r.recoveryPoints.added} added; ${r.plans.found} plan record(s) found, ${r.plans.added} plan(s) added`,
    );
    for (const u of r.unrecordedSnapshots) {
      const what =
        u.recoveryPointArn === undefined
          ? `made outside Coffer${u.hostname === undefined ? '' : ` (host ${u.hostname}, paths ${(u.paths ?? []).join(' ')})`}`
          : `made by Coffer for recovery point ${u.recoveryPointArn} of ${u.resourceArn ?? 'an unknown resource'}, whose record is missing`;
      out.push(
        `  not imported: snapshot ${u.snapshotId.slice(0, 8)} in backup vault ${u.vaultName} (${u.accountId}, repository ${u.repositoryKeyId})${u.time === undefined ? '' : ` of ${u.time}`}, ${what}; restic reads it (coffer vault restic-env${u.recoveryPointArn === undefined ? ' <a point of this vault>' : ` ${u.recoveryPointArn}`})`,
      );
    }
    for (const p of r.problems) out.push(`  could not: ${p}`);
  }
  return out;
}

export async function runRecoverCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${RECOVER_USAGE}`, 2);
  }
  if (values.help === true) {
    process.stdout.write(`${RECOVER_USAGE}\n`);
    return 0;
  }
  const { config, rootKey, rootKeyFrom } = await operatorContext(values.config);
  process.stderr.write(`coffer: recovering the catalog (${config.catalog.kind}) from storage; root key from ${rootKeyFrom}\n`);
  const catalog = await openCatalog(config.catalog);
  try {
    const ledger = createJobLedger({ catalog, clock: systemClock });
    const report = await recoverFromStorage({ catalog, ledger, config, storage: createRegionStorage(config), rootKey, now: () => Date.now() });
    process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${lines(report).join('\n')}\n`);
    return report.some((r) => r.problems.length > 0) ? 1 : 0;
  } finally {
    await catalog.close();
  }
}
