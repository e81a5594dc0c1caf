/**
 * Property test: `runsBetween` and `nextRun` agree with the minute-by-minute reference
 * (cron-reference.ts) for random expressions (random-cron.ts) in zones with northern and
 * southern DST, half- and three-quarter-hour offsets, and none. Windows: four days around every
 * DST change of several years (1975, 2027, 2028, 2100, 2199), the turns of 2027/2028 and
 * 2199/2200, and for expressions with few runs a day the whole of 2027 and 2028.
 * Reproduce a failure with CRON_SEED=<seed printed in the message>.
 */
// test-tier: full (about 15 s of random schedules against the minute-by-minute reference)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCron, nextRun, runsBetween } from '../../src/cron/cron-schedule.js';
import { referenceRuns, referenceWindow, wallClock } from './cron-reference.js';
import type { ReferenceWindow } from './cron-reference.js';
import { randomCron, seededRandom } from './random-cron.js';
import type { Random } from './random-cron.js';

const ZONES = ['Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
const SEED = Number(process.env['CRON_SEED'] ?? 20271031);
const DENSE_EXPRESSIONS = 40;
const SPARSE_EXPRESSIONS = 40;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Windows of four days around each change of offset in `years`, found with Intl hour by hour. */
function dstWindows(timeZone: string, years: readonly number[]): ReferenceWindow[] {
  const windows: ReferenceWindow[] = [];
  for (const year of years) {
    const start = Date.UTC(year, 0, 1);
    const hours = (Date.UTC(year + 1, 0, 1) - start) / HOUR;
    const walls = wallClock(timeZone, start, hours, HOUR);
    for (let h = 1; h < hours; h++) {
      if (walls[h]! - walls[h - 1]! !== HOUR) windows.push(referenceWindow(timeZone, start + h * HOUR - 2 * DAY, start + h * HOUR + 2 * DAY));
    }
  }
  return windows;
}

function check(expression: string, window: ReferenceWindow, random: Random, seed: number): void {
  const schedule = compileCron(expression);
  const expected = referenceRuns(expression, window);
  const where = `${expression} in ${window.timeZone}, (${new Date(window.from).toISOString()}, ${new Date(window.to).toISOString()}], CRON_SEED=${seed}`;
  const actual = [...runsBetween(schedule, new Date(window.from), new Date(window.to), window.timeZone)].map((d) => d.getTime());
  assert.deepEqual(actual.map(iso), expected.map(iso), `runsBetween: ${where}`);
  const probes = [window.from, ...expected.slice(0, 3), ...expected.slice(0, 3).map((t) => t - 1)];
  for (let i = 0; i < 10; i++) probes.push(window.from + Math.floor(random() * (window.to - window.from)));
  for (const after of probes) {
    const next = nextRun(schedule, new Date(after), window.timeZone)?.getTime();
    const want = expected.find((t) => t > after);
    if (want !== undefined) assert.equal(iso(next), iso(want), `nextRun after ${iso(after)}: ${where}`);
    else assert.ok(next === undefined || next > window.to, `nextRun after ${iso(after)} is ${iso(next)}, none expected: ${where}`);
  }
}

const iso = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString());

for (const [index, timeZone] of ZONES.entries()) {
  test(`${timeZone}: nextRun and runsBetween agree with the minute-by-minute reference`, () => {
    const seed = SEED + index;
    const random = seededRandom(seed);
    const windows = [
      ...dstWindows(timeZone, [1975, 2027, 2028, 2100, 2199]),
      referenceWindow(timeZone, Date.UTC(2027, 11, 30), Date.UTC(2028, 0, 3)),
      referenceWindow(timeZone, Date.UTC(2199, 11, 29), Date.UTC(2200, 0, 2)),
    ];
    const wholeYears = referenceWindow(timeZone, Date.UTC(2027, 0, 1), Date.UTC(2029, 0, 1));
    for (let i = 0; i < DENSE_EXPRESSIONS; i++) {
      const expression = randomCron(random, { sparse: false });
      for (const window of windows) check(expression, window, random, seed);
    }
    for (let i = 0; i < SPARSE_EXPRESSIONS; i++) {
      const expression = randomCron(random, { sparse: true });
      for (const window of [...windows, wholeYears]) check(expression, window, random, seed);
    }
  });
}
