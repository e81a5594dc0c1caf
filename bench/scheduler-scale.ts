/**
 * The scheduler at scale: 10,000 resources, 100 plans with 3 rules each (daily, weekly, monthly,
 * as the reference plan), each plan selecting its resources by tag, wildcard or condition. It
 * measures deciding one day of runs (one scheduler tick over 24 hours: compute every rule's runs,
 * resolve the overlaps, evaluate the selections, write the jobs to the SQLite catalog), repeated
 * over several days, and the process's peak memory. Targets (issue [3/5]): under 1 s per day and
 * under 200 MB.
 *
 *   npm run bench:scheduler -- [--resources 10000] [--plans 100] [--days 5]
 *
 * (bundled and run with plain Node, as `coffer` runs; under tsx the loader adds ~50 MiB.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackupDomain } from '../src/backup/backup-domain.js';
import { createJobLedger } from '../src/backup/jobs/job-ledger.js';
import { openCatalog } from '../src/catalog/open-catalog.js';
import { ManualClock } from '../src/scheduler/manual-clock.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import type { RegisteredResource } from '../src/scheduler/scheduler.js';

const { values } = parseArgs({ options: { resources: { type: 'string' }, plans: { type: 'string' }, days: { type: 'string' } } });
const RESOURCES = Number(values.resources ?? 10_000);
const PLANS = Number(values.plans ?? 100);
const DAYS = Number(values.days ?? 5);
const DAY = 86_400_000;
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const scope = { accountId: ACCOUNT, region: REGION, principal: `arn:aws:iam::${ACCOUNT}:root`, requestId: 'bench' };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const dir = await mkdtemp(join(tmpdir(), 'coffer-scheduler-bench-'));
try {
  const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'catalog.sqlite') });
  const clock = new ManualClock(new Date('2027-01-01T00:00:00Z'));
  const domain = createBackupDomain({ catalog, clock, storageRoot: () => join(dir, 'vaults') });
  const resources: RegisteredResource[] = Array.from({ length: RESOURCES }, (_, i) => ({
    arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-${String(i).padStart(5, '0')}`,
    type: 'EFS',
    name: `fs-${i}`,
    accountId: ACCOUNT,
    region: REGION,
    tags: { team: `team-${i % PLANS}`, env: i % 3 === 0 ? 'prod' : 'dev' },
  }));
  await domain.vaults.create(scope, { name: 'bench' });
  const role = `arn:aws:iam::${ACCOUNT}:role/backup`;
  for (let p = 0; p < PLANS; p += 1) {
    const plan = await domain.plans.create(scope, {
      plan: {
        BackupPlanName: `plan-${p}`,
        Rules: [
          { RuleName: 'daily', TargetBackupVaultName: 'bench', ScheduleExpression: `cron(${p % 60} ${p % 24} ? * * *)`, Lifecycle: { DeleteAfterDays: 7 } },
          { RuleName: 'weekly', TargetBackupVaultName: 'bench', ScheduleExpression: `cron(${p % 60} ${p % 24} ? * 1 *)`, Lifecycle: { DeleteAfterDays: 35 } },
          { RuleName: 'monthly', TargetBackupVaultName: 'bench', ScheduleExpression: `cron(${p % 60} ${p % 24} 1 * ? *)`, Lifecycle: { DeleteAfterDays: 371 } },
        ],
      },
    });
    const selection =
      p % 3 === 0
        ? { ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: `team-${p}` }] }
        : p % 3 === 1
          ? { Resources: [`arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-${String(p).padStart(3, '0')}*`] }
          : {
              Resources: ['*'],
              Conditions: {
                StringEquals: [
                  { ConditionKey: 'aws:ResourceTag/team', ConditionValue: `team-${p}` },
                  { ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' },
                ],
              },
            };
    await domain.selections.create(scope, plan.id, { selection: { SelectionName: `s-${p}`, IamRoleArn: role, ...selection } });
  }
  const scheduler = createScheduler({
    catalog,
    ledger: createJobLedger({ catalog, clock }),
    clock,
    warn: (line) => process.stderr.write(`${line}\n`),
    resources: async (s) => resources.filter((r) => r.accountId === s.accountId && r.region === s.region),
    erase: async () => undefined,
  });
  await scheduler.tick(); // starts the cursor
  const setupRss = process.memoryUsage().rss;
  peakRss = 0;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let jobs = 0;
  for (let d = 1; d <= DAYS; d += 1) {
    clock.set(new Date(clock.now().getTime() + DAY));
    const began = performance.now();
    const cpu = process.cpuUsage();
    const report = await scheduler.tick();
    times.push(performance.now() - began);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    jobs += report.jobsCreated;
    process.stdout.write(
      `day ${d} (${clock.now().toISOString().slice(0, 10)}): ${report.jobsCreated} jobs in ${(times[times.length - 1]! / 1000).toFixed(3)} s (CPU ${(cpuTimes[cpuTimes.length - 1]! / 1000).toFixed(3)} s)\n`,
    );
  }
  await catalog.close();
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const cpuMedian = [...cpuTimes].sort((a, b) => a - b)[Math.floor(cpuTimes.length / 2)]!;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(
    `\n${RESOURCES} resources, ${PLANS} plans x 3 rules, ${DAYS} days: median ${(median / 1000).toFixed(3)} s per day (max ${(sorted[sorted.length - 1]! / 1000).toFixed(3)} s; CPU median ${(cpuMedian / 1000).toFixed(3)} s), ${jobs} jobs, peak RSS ${(peakRss / 1048576).toFixed(0)} MiB while deciding (${(setupRss / 1048576).toFixed(0)} MiB after setup)\n`,
  );
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores\n`,
  );
  process.stdout.write(`targets: < 1 s per day ${median < 1000 ? 'met' : 'MISSED'}; < 200 MB ${peakRss < 200 * 1048576 ? 'met' : 'MISSED'}\n`);
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
