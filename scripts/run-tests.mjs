#!/usr/bin/env node
// Runs test files with Node's built-in runner and tsx. Node 20's --test does not expand globs, so
// the files are listed here.
//
//   node scripts/run-tests.mjs                 every test under test/ (npm test)
//   node scripts/run-tests.mjs --unit          the unit tier: server-free and fast (npm run test:unit)
//   node scripts/run-tests.mjs FILE...         the given files
//   node scripts/run-tests.mjs --list [FILE...]  print each file's tier and what it needs, run nothing
//
// What a file needs (restic, PostgreSQL, moto, ...) comes from `// test-needs:` lines
// (scripts/test-tiers.mjs); before running, scripts/test-setup.sh makes exactly those components
// ready (installs or starts what is missing; silent when all is there). COFFER_TEST_SETUP=skip
// leaves the machine alone.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, testFiles } from './test-tiers.mjs';

const scripts = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const unit = args.includes('--unit');
const list = args.includes('--list');
const named = args.filter((arg) => !arg.startsWith('--'));
const tiers = classify(named.length > 0 ? named : testFiles('test'));

if (list) {
  for (const [file, { tier, needs }] of tiers) console.log(`${tier}  ${file}${needs.length === 0 ? '' : `  (${needs.join(', ')})`}`);
  process.exit(0);
}

const files = [...tiers].filter(([, { tier }]) => !unit || tier === 'unit').map(([file]) => file);
if (files.length === 0) {
  console.error('run-tests: no test files selected');
  process.exit(1);
}

const required = [...new Set(files.flatMap((file) => tiers.get(file).needs))].sort();
if (required.length > 0 && process.env.COFFER_TEST_SETUP !== 'skip') {
  const setup = spawnSync('bash', [join(scripts, 'test-setup.sh'), ...required], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

// Two files at a time: most server tests wait on child processes (coffer serve, restic,
// pg_dump, moto), so two overlap well even on two cores. COFFER_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = process.env.COFFER_TEST_CONCURRENCY ?? '2';
const preload = unit ? ['--import', join(scripts, 'unit-tier-guard.mjs')] : [];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', ...preload, '--test', `--test-concurrency=${concurrency}`, '--test-reporter', 'spec', ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
