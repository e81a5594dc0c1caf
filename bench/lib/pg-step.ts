/**
 * bench/lib/pg-step.ts: one Coffer step of bench/pg-backup.ts, run as its own process (bundled
 * with esbuild, like `bin/coffer`) so GNU time measures it alone. It calls the RDS connector
 * the way the service's job runners do (src/connectors/registry.ts), with a Repository on a
 * LocalBlobStore:
 *
 *   pg-step init    <repo>                              a fresh repository (not timed)
 *   pg-step backup  <repo> <database>                   one snapshot of the database
 *   pg-step restore <repo> <snapshot id> <new database> the snapshot into a new database
 *
 * The server is PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres, no password). The last
 * line of standard output is a JSON summary, with `connectorS`: the seconds of the connector
 * call alone (what a job in the running service takes).
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseResourceConfig } from '../../src/config/resource-config.js';
import { databaseConnector } from '../../src/connectors/database/database-connector.js';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { newProgress } from '../../src/vault/progress.js';
import { Repository } from '../../src/vault/repository.js';

const PASSWORD = Buffer.from('coffer-bench-password');
/** Key derivation is not what is measured (the service caches derived keys). */
const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };

function resource(database: string): DatabaseResourceConfig {
  return {
    type: 'RDS',
    arn: 'arn:aws:rds:us-east-1:000000000000:db:bench',
    accountId: '000000000000',
    region: 'us-east-1',
    name: 'bench',
    tags: {},
    engine: 'postgres',
    host: process.env['PGHOST'] ?? '127.0.0.1',
    port: Number(process.env['PGPORT'] ?? 5432),
    user: process.env['PGUSER'] ?? 'postgres',
    database,
    password: undefined,
    kmsKeyId: undefined,
  };
}

const rpArn = (): string => `arn:aws:backup:us-east-1:000000000000:recovery-point:${randomUUID()}`;

async function main(args: readonly string[]): Promise<Record<string, unknown>> {
  const [step, repoDir, ...rest] = args;
  if (repoDir === undefined) throw new Error('usage: pg-step init|backup|restore <repo> ...');
  const store = new LocalBlobStore(repoDir);
  if (step === 'init') return { repo: (await Repository.init(store, PASSWORD, CHEAP_SCRYPT)) !== undefined };
  const repo = await Repository.open(store, PASSWORD);
  const connector = databaseConnector;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const signal = new AbortController().signal;
  const progress = newProgress();
  if (step === 'backup') {
    const arn = rpArn();
    const out = await connector.backup(resource(rest[0]!), {
      repo,
      signal,
      progress,
      parent: undefined,
      recoveryPointArn: arn,
      snapshot: { time: new Date(), hostname: 'coffer-bench', tags: [], coffer: { 'recovery-point-arn': arn } },
    });
    return { snapshotId: out.snapshotId, sizeBytes: out.sizeBytes, storedBytes: out.storedBytes, connectorS: seconds() };
  }
  if (step === 'restore') {
    const [snapshotId, target] = rest;
    const src = resource('unused');
    const out = await connector.restore({
      repo,
      snapshot: await repo.loadSnapshot(snapshotId!),
      resource: src,
      resourceArn: src.arn,
      recoveryPointArn: rpArn(),
      jobId: randomUUID(),
      signal,
      progress,
      metadata: { Engine: 'postgres', DBInstanceIdentifier: 'bench-restore', DBName: target! },
    });
    return { bytes: out.bytes, warnings: out.warnings, connectorS: seconds() };
  }
  throw new Error(`unknown step ${String(step)}`);
}

main(process.argv.slice(2)).then(
  (summary) => {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
