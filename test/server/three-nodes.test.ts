/**
 * Many nodes: three `coffer serve` processes on one PostgreSQL catalog and the region's vaults on
 * S3-compatible storage (a moto server: `storage: s3:http://127.0.0.1:PORT/BUCKET/us-east-1`),
 * one root key (COFFER_ROOT_KEY), each on its own port (`--listen` over the config's). Any node
 * answers with the same state; a node killed with SIGKILL in the middle of a backup, a copy and a
 * scheduled dispatch (the manual clock driven through another node) leaves its jobs FAILED with a
 * reason within the lease time, never RUNNING, never run twice, never two recovery points for one
 * job, and every vault repository passes `restic check`. The figures (jobs started, nodes killed,
 * completed/failed, duplicates) are printed for the closing note (`three-node figures: {...}`).
 * Everything waits on conditions with generous deadlines, never on fixed sleeps: the machine
 * running it may be loaded.
 */
// test-needs: postgres, coffer, moto, restic
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { MOTO_CREDENTIALS, startMoto } from '../connectors/support/moto-server.js';
import { restic } from '../support/restic.js';
import { ALPHA, accountsYaml } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { startCofferProcess, withTempDir, writeConfig } from './support/coffer-process.js';
import type { CofferProcess } from './support/coffer-process.js';
import { waitFor } from './support/jobs.js';
import { openPassword } from './support/vault-password.js';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
const DATABASE = `coffer_nodes_${process.pid}_${randomBytes(3).toString('hex')}`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const BIG = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-big`;
const SMALL = [1, 2, 3].map((i) => `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-hourly-${i}`);
const START = '2027-01-04T00:00:00Z';
/** The worker pool's lease (jobs/worker-pool.ts DEFAULT_LEASE_MS) and what a takeover may take beyond it. */
const LEASE_MS = 15_000;
const SLACK_MS = 20_000;
const TERMINAL = ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'];
const BUCKET = 'coffer-nodes';
const SECRET_ENV = 'COFFER_TEST_NODES_S3_SECRET';
/** How long a loaded machine may take for what takes seconds on an idle one (a start, a takeover's bookkeeping). */
const PATIENCE_MS = 180_000;

const yamlFor = (storage: string): string => `listen: 127.0.0.1:4100
dataDir: ./data
catalog: postgres://postgres@127.0.0.1:5432/${DATABASE}
${accountsYaml([ALPHA])}regions:
  - name: us-east-1
    storage: "${storage}"
    storageCredentials: { accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKeyEnv: ${SECRET_ENV} }
resources:
  - { arn: "${BIG}", path: ./big }
${SMALL.map((arn, i) => `  - { arn: "${arn}", path: ./small-${i + 1} }`).join('\n')}
`;

async function query<R extends Record<string, unknown>>(text: string, values: unknown[] = [], database = DATABASE): Promise<R[]> {
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Incompressible, distinct files (a counter in each block defeats dedup). */
async function makeDirectory(dir: string, files: number, blockBytes: number): Promise<void> {
  await mkdir(dir);
  const block = randomBytes(blockBytes);
  for (let i = 0; i < files; i += 1) {
    block.writeUInt32LE(i, 0);
    for (let j = 0; j + 8 <= blockBytes; j += 1024) block.writeUInt32LE(i * 7919 + j, j + 4);
    await writeFile(join(dir, `f${i}.bin`), block);
  }
}

interface Cluster {
  readonly nodes: CofferProcess[];
  readonly killed: string[];
  /** Lines of every node's stderr (the killed ones' too) saying a leftover was not removed. */
  warnings(): string[];
  start(i: number): Promise<CofferProcess>;
  /** The node index holding the lease of job `id` in `table` (undefined: none holds it). */
  holder(table: string, id: string): Promise<number | undefined>;
  kill(i: number, why: string): Promise<void>;
}

function cluster(dir: string, config: string, rootKey: string): Cluster {
  const nodes: CofferProcess[] = [];
  const killed: string[] = [];
  const every: CofferProcess[] = [];
  const start = async (i: number): Promise<CofferProcess> => {
    nodes[i] = await startCofferProcess({
      args: ['--config', config, '--listen', '127.0.0.1:0', '--clock', 'manual', '--clock-start', START],
      cwd: dir,
      env: { COFFER_ROOT_KEY: rootKey, [SECRET_ENV]: MOTO_CREDENTIALS.secretAccessKey },
      timeoutMs: PATIENCE_MS,
    });
    every.push(nodes[i]!);
    return nodes[i]!;
  };
  return {
    nodes,
    killed,
    warnings: () => every.flatMap((n) => n.stderr().split('\n')).filter((line) => /was not removed|failed inside the runner/.test(line)),
    start,
    async holder(table, id) {
      const [row] = await query<{ lease_owner: string | null }>(`select lease_owner from ${table} where id = $1`, [id]);
      const pid = /^coffer-(\d+)-/.exec(row?.lease_owner ?? '')?.[1];
      const at = nodes.findIndex((n) => String(n.child.pid) === pid);
      return at < 0 ? undefined : at;
    },
    async kill(i, why) {
      assert.deepEqual(await nodes[i]!.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });
      killed.push(why);
      await start(i);
    },
  };
}

/** POSTs JSON and reads the JSON answer, with no client timeout (a clock move waits for its jobs). */
function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          assert.equal(res.statusCode, 200, text);
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Waits until the job is RUNNING, `moving` (bytes on their way) and held by some node; its holder. */
async function runningOn(c: Cluster, table: string, id: string, moving: (row: { bytes_transferred: number | string }) => Promise<boolean>): Promise<number> {
  for (const until = Date.now() + PATIENCE_MS; Date.now() < until; ) {
    const [row] = await query<{ state: string; bytes_transferred: number | string }>(`select state, bytes_transferred from ${table} where id = $1`, [id]);
    assert.ok(row === undefined || !TERMINAL.includes(row.state), `job ${id} ended (${row?.state}) before it could be interrupted; make the data larger`);
    if (row?.state === 'RUNNING' && (await moving(row))) {
      const at = await c.holder(table, id);
      if (at !== undefined) return at;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} never ran`);
}

/** Waits (from the kill) until every job of `table` in `ids` is terminal; how long it took. */
async function allTerminal(table: string, ids: readonly string[], since: number): Promise<number> {
  await waitFor(
    `jobs ${ids.join(', ')} to end`,
    () => query<{ id: string; state: string }>(`select id, state from ${table} where id = any($1)`, [ids]),
    (rows) => rows.length === ids.length && rows.every((r) => TERMINAL.includes(r.state)),
    LEASE_MS + SLACK_MS + 60_000,
  );
  return Date.now() - since;
}

/** Every object key of the bucket below `prefix`. */
async function keysBelow(s3: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

/** The vault repositories (`<region>/<account>/<vault>/<key id>/repo`) and their snapshot files. */
async function repositories(s3: S3Client): Promise<Map<string, number>> {
  const repos = new Map<string, number>();
  for (const key of await keysBelow(s3, 'us-east-1/')) {
    const match = /^(us-east-1\/\d{12}\/[^/]+\/[^/]+\/repo)\/(config|snapshots\/)/.exec(key);
    if (match === null) continue;
    repos.set(match[1]!, (repos.get(match[1]!) ?? 0) + (match[2] === 'config' ? 0 : 1));
  }
  return repos;
}

const sum = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

test('three nodes, one PostgreSQL catalog, S3 vault storage: kill -9 during a backup, a copy and a scheduled dispatch', { timeout: 1_500_000 }, async () => {
  await query(`create database "${DATABASE}"`, [], 'postgres');
  const moto = await startMoto();
  const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await withTempDir(async (dir) => {
      await makeDirectory(join(dir, 'big'), 100, 4 * 1024 * 1024);
      // Big enough (100 MiB) that a first scheduled run of each takes a while: with two workers
      // per node, the driving node's third job goes to another node, which is then killed.
      for (let i = 1; i <= 3; i += 1) await makeDirectory(join(dir, `small-${i}`), 25, 4 * 1024 * 1024);
      const config = await writeConfig(dir, yamlFor(`s3:${moto.endpoint}/${BUCKET}/us-east-1`));
      const rootKey = randomBytes(32);
      const c = cluster(dir, config, rootKey.toString('base64'));
      await c.start(0);
      await Promise.all([c.start(1), c.start(2)]);
      assert.equal(new Set(c.nodes.map((n) => n.port)).size, 3, 'each node listens on its own port (--listen over the config)');
      const client = (i: number) => sdk(c.nodes[i]!.endpoint, keysOf(ALPHA));
      const figures: Record<string, number | string> = {};
      try {
        await client(0).send(new CreateBackupVaultCommand({ BackupVaultName: 'main' }));
        const copies = await client(1).send(new CreateBackupVaultCommand({ BackupVaultName: 'copies' }));

        // 1. A backup: killed mid-snapshot on whichever node runs it.
        const doomed = await client(2).send(new StartBackupJobCommand({ BackupVaultName: 'main', ResourceArn: BIG, IamRoleArn: ROLE }));
        const backupNode = await runningOn(c, 'backup_jobs', doomed.BackupJobId!, async (row) => Number(row.bytes_transferred) > 0);
        const backupKilledAt = Date.now();
        await c.kill(backupNode, `backup on node ${backupNode}`);
        figures['backup takeover ms'] = await allTerminal('backup_jobs', [doomed.BackupJobId!], backupKilledAt);
        const failedBackup = await client((backupNode + 1) % 3).send(new DescribeBackupJobCommand({ BackupJobId: doomed.BackupJobId! }));
        assert.equal(failedBackup.State, 'FAILED');
        assert.match(failedBackup.StatusMessage ?? '', /restarted|lease/);

        // 2. A copy: a finished backup of the big directory, then its copy killed mid-way.
        const source = await client(0).send(new StartBackupJobCommand({ BackupVaultName: 'main', ResourceArn: BIG, IamRoleArn: ROLE }));
        await waitFor(
          'the source backup',
          () => client(1).send(new DescribeBackupJobCommand({ BackupJobId: source.BackupJobId! })),
          (j) => TERMINAL.includes(j.State ?? ''),
          900_000,
        ).then((j) => assert.equal(j.State, 'COMPLETED', j.StatusMessage));
        const copy = await client(1).send(
          new StartCopyJobCommand({
            RecoveryPointArn: source.RecoveryPointArn!,
            SourceBackupVaultName: 'main',
            DestinationBackupVaultArn: copies.BackupVaultArn!,
            IamRoleArn: ROLE,
          }),
        );
        const copyNode = await runningOn(c, 'copy_jobs', copy.CopyJobId!, async () =>
          // Mid-copy: packs are arriving in the destination vault's repository.
          (await keysBelow(s3, `us-east-1/${ALPHA.accountId}/copies/`)).some((key) => key.includes('/repo/data/')),
        );
        const copyKilledAt = Date.now();
        await c.kill(copyNode, `copy on node ${copyNode}`);
        figures['copy takeover ms'] = await allTerminal('copy_jobs', [copy.CopyJobId!], copyKilledAt);

        // 3. A scheduled dispatch: hourly runs of three resources, the clock moved through one
        // node, another node killed while it runs one of them.
        const plan = await client(0).send(
          new CreateBackupPlanCommand({
            BackupPlan: {
              BackupPlanName: 'hourly',
              Rules: [
                {
                  RuleName: 'hourly',
                  TargetBackupVaultName: 'main',
                  ScheduleExpression: 'cron(0 * ? * * *)',
                  StartWindowMinutes: 60,
                  CompletionWindowMinutes: 120,
                },
              ],
            },
          }),
        );
        await client(0).send(
          new CreateBackupSelectionCommand({
            BackupPlanId: plan.BackupPlanId!,
            BackupSelection: { SelectionName: 'small', IamRoleArn: ROLE, Resources: SMALL },
          }),
        );
        const driver = (copyNode + 1) % 3;
        const moved = postJson(`${c.nodes[driver]!.endpoint}/_coffer/clock`, { advance: 'PT6H' });
        let victim: number | undefined;
        let victimEnded: Promise<number> | undefined;
        for (const until = Date.now() + PATIENCE_MS; victim === undefined && Date.now() < until; ) {
          const running = await query<{ id: string }>("select id from backup_jobs where created_by_plan_id = $1 and state = 'RUNNING'", [plan.BackupPlanId!]);
          for (const { id } of running) {
            const at = await c.holder('backup_jobs', id);
            if (at !== undefined && at !== driver) {
              victim = at;
              const killedAt = Date.now();
              await c.kill(at, `scheduled backup on node ${at} while node ${driver} moved the clock`);
              // Watched from the kill on, while the clock's move goes on.
              victimEnded = allTerminal('backup_jobs', [id], killedAt);
              break;
            }
          }
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.notEqual(victim, undefined, 'a node other than the driver ran a scheduled job');
        const report = await moved;
        assert.equal(report['now'], '2027-01-04T06:00:00.000Z', JSON.stringify(report));
        figures['scheduled takeover ms'] = await victimEnded!;
        const scheduled = await query<{ id: string }>('select id from backup_jobs where created_by_plan_id = $1', [plan.BackupPlanId!]);
        await allTerminal(
          'backup_jobs',
          scheduled.map((r) => r.id),
          Date.now(),
        );
        assert.equal(scheduled.length, 6 * SMALL.length, 'one job per resource per hourly run: 6 runs x 3 resources');

        // Every node answers with the same jobs.
        const views = await Promise.all(
          [0, 1, 2].map(async (i) => {
            const jobs = await client(i).send(new ListBackupJobsCommand({ MaxResults: 1000 }));
            const copyJobs = await client(i).send(new ListCopyJobsCommand({ MaxResults: 1000 }));
            return JSON.stringify({
              jobs: (jobs.BackupJobs ?? []).map((j) => `${j.BackupJobId}:${j.State}`).sort(),
              copies: (copyJobs.CopyJobs ?? []).map((j) => `${j.CopyJobId}:${j.State}`).sort(),
            });
          }),
        );
        assert.equal(views[1], views[0], 'node 1 answers as node 0');
        assert.equal(views[2], views[0], 'node 2 answers as node 0');

        // The figures, and the duplicates there must not be.
        const states = await query<{ kind: string; state: string; n: string }>(
          "select 'backup' as kind, state, count(*) as n from backup_jobs group by state union all select 'copy', state, count(*) from copy_jobs group by state order by 1, 2",
        );
        const active = await query(
          "select id from backup_jobs where state in ('CREATED', 'PENDING', 'RUNNING', 'ABORTING') union all select id from copy_jobs where state in ('CREATED', 'RUNNING')",
        );
        const pointsPerJob = await query('select job_id from recovery_points where job_id is not null group by job_id having count(*) > 1');
        const copiesPerJob = await query(
          "select source_recovery_point_arn from copy_jobs where state = 'COMPLETED' group by source_recovery_point_arn, destination_vault_arn having count(*) > 1",
        );
        const jobsPerRun = await query(
          'select 1 from backup_jobs where scheduled_at is not null group by created_by_plan_id, created_by_rule_id, resource_arn, scheduled_at having count(*) > 1',
        );
        const completedPoints = await query<{ n: string }>("select count(*) as n from recovery_points where state = 'COMPLETED'");
        const completedJobs = await query<{ n: string }>(
          "select (select count(*) from backup_jobs where state = 'COMPLETED') + (select count(*) from copy_jobs where state = 'COMPLETED') as n",
        );
        const failedWithoutReason = await query(
          "select id from backup_jobs where state not in ('COMPLETED') and coalesce(status_message, '') = '' union all select id from copy_jobs where state <> 'COMPLETED' and coalesce(status_message, '') = ''",
        );
        const pointsOfFailedJobs = await query("select r.arn from recovery_points r join backup_jobs j on j.id = r.job_id where j.state <> 'COMPLETED'");
        // A dead worker's unrecorded snapshot is removed after its job says FAILED (when the vault is free).
        const snapshots = sum(
          await waitFor(
            'orphan snapshots removed',
            () => repositories(s3),
            (repos) => sum(repos) === Number(completedPoints[0]!.n),
            PATIENCE_MS,
          ).catch(() => repositories(s3)),
        );
        // Per vault too: the copies vault holds one snapshot per completed copy.
        const pointsPerVault: Record<string, number> = Object.fromEntries(
          (
            await query<{ vault_name: string; n: string }>(
              "select vault_name, count(*) as n from recovery_points where state = 'COMPLETED' group by vault_name",
            )
          ).map((r) => [r.vault_name, Number(r.n)]),
        );
        const repos = await repositories(s3);
        const snapshotsPerVault: Record<string, number> = {};
        for (const [repo, n] of repos) {
          const vault = repo.split('/')[2]!;
          snapshotsPerVault[vault] = (snapshotsPerVault[vault] ?? 0) + n;
          pointsPerVault[vault] ??= 0;
        }
        // restic itself checks every repository the three nodes wrote to.
        const checked: string[] = [];
        const checkFailures: string[] = [];
        for (const repo of repos.keys()) {
          const [region, accountId, vaultName, keyId] = repo.split('/') as [string, string, string, string];
          const [row] = await query<{ key_id: string; wrapped_password: string }>(
            'select key_id, wrapped_password from repository_keys where account_id = $1 and region = $2 and vault_name = $3 and key_id = $4',
            [accountId, region, vaultName, keyId],
          );
          assert.ok(row !== undefined, `repository ${repo} has its password in the catalog`);
          const password = await openPassword({ kind: 'postgres', ...PG, database: DATABASE }, rootKey, { accountId, region }, vaultName, row);
          const file = join(dir, `password-${vaultName}-${keyId}`);
          await writeFile(file, password, { mode: 0o600 });
          const check = restic(`s3:${moto.endpoint}/${BUCKET}/${repo}`, file, ['check'], {
            AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
          });
          if (check.status === 0) checked.push(vaultName);
          else checkFailures.push(`restic check of ${repo} exited ${check.status}: ${check.stdout}${check.stderr}`);
        }
        Object.assign(figures, {
          'jobs started': states.reduce((n, r) => n + Number(r.n), 0),
          'nodes killed': c.killed.length,
          'job states': states.map((r) => `${r.kind} ${r.state} ${r.n}`).join(', '),
          'left active': active.length,
          'recovery points for one job > 1': pointsPerJob.length,
          'jobs for one scheduled run > 1': jobsPerRun.length,
          'completed copies of one point > 1': copiesPerJob.length,
          'recovery points of jobs not completed': pointsOfFailedJobs.length,
          'restic snapshots': snapshots,
          'completed recovery points': Number(completedPoints[0]!.n),
          'snapshots per vault': JSON.stringify(snapshotsPerVault),
          'completed points per vault': JSON.stringify(pointsPerVault),
          'repositories passing restic check': checked.length,
          kills: c.killed.join('; '),
          'leftovers not removed (node warnings)': c.warnings().join(' | '),
          'not completed': (
            await query<{ id: string; state: string; status_message: string }>(
              "select id, state, status_message from backup_jobs where state <> 'COMPLETED' union all select id, state, status_message from copy_jobs where state <> 'COMPLETED'",
            )
          )
            .map((r) => `${r.state}: ${r.status_message}`)
            .join(' | '),
        });
        console.log(`three-node figures: ${JSON.stringify(figures, null, 1)}`);
        assert.equal(c.killed.length, 3);
        assert.deepEqual(active, [], 'no job left RUNNING or waiting');
        assert.deepEqual(pointsPerJob, [], 'never two recovery points for one job');
        assert.deepEqual(jobsPerRun, [], 'one job per scheduled run');
        assert.deepEqual(copiesPerJob, [], 'one copy per source point and destination');
        assert.deepEqual(failedWithoutReason, [], 'every job that did not complete says why');
        assert.deepEqual(pointsOfFailedJobs, [], 'a job that did not complete keeps no recovery point');
        assert.equal(Number(completedPoints[0]!.n), Number(completedJobs[0]!.n), 'one recovery point per completed job');
        assert.equal(snapshots, Number(completedPoints[0]!.n), 'one snapshot per completed recovery point: no job ran twice');
        assert.deepEqual(snapshotsPerVault, pointsPerVault, 'in each vault, one snapshot per completed recovery point');
        assert.deepEqual(checkFailures, [], 'restic check passes on every repository');
        assert.deepEqual([...new Set(checked)].sort(), ['copies', 'main'], 'restic check passed on both vaults');
        for (const key of ['backup takeover ms', 'copy takeover ms', 'scheduled takeover ms']) {
          assert.ok(Number(figures[key]) <= LEASE_MS + SLACK_MS, `${key}: ${figures[key]} ms is within the lease (${LEASE_MS} ms) and slack`);
        }
      } finally {
        for (const node of c.nodes) {
          const exit = await node.stop('SIGTERM');
          assert.deepEqual(exit, { code: 0, signal: null }, node.stderr());
        }
      }
    });
  } finally {
    s3.destroy();
    await moto.stop();
    await query(`drop database if exists "${DATABASE}" with (force)`, [], 'postgres');
  }
});
