#!/usr/bin/env node
// Runs every test file under test/ (or those given as arguments) with Node's built-in runner
// and tsx. Node 20's --test does not expand globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : testFiles('test');
// Two files at a time: most server tests wait on child processes (coffer serve, restic,
// pg_dump, moto), so two overlap well even on two cores. COFFER_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = process.env.COFFER_TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter', 'spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
