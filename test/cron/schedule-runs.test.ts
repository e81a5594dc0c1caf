/**
 * nextRun and runsBetween on hand-checked cases: the usual daily, weekly and monthly rules, each
 * special day form, the ends of time (no run left, the year 2199), strictness of "after", the DST
 * rules (a skipped wall time runs just after the gap, a repeated one once, at its first
 * occurrence) in both hemispheres, and the speed the scheduler needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCron, nextRun, runsBetween } from '../../src/cron/cron-schedule.js';
import { isValidTimeZone } from '../../src/cron/schedule-time-zone.js';

const runs = (expression: string, from: string, to: string, zone = 'Etc/UTC') =>
  [...runsBetween(compileCron(expression), new Date(from), new Date(to), zone)].map((d) => d.toISOString());
const next = (expression: string, after: string, zone = 'Etc/UTC') => nextRun(compileCron(expression), new Date(after), zone)?.toISOString();
const localDate = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

test('daily at 05:00 UTC', () => {
  assert.deepEqual(runs('cron(0 5 ? * * *)', '2027-01-01T00:00Z', '2027-01-04T00:00Z'), [
    '2027-01-01T05:00:00.000Z',
    '2027-01-02T05:00:00.000Z',
    '2027-01-03T05:00:00.000Z',
  ]);
  assert.equal(nextRun(compileCron('cron(0 5 ? * * *)'), new Date('2027-01-01T06:00Z'))?.toISOString(), '2027-01-02T05:00:00.000Z', 'Etc/UTC by default');
});

test('weekly on Sundays and monthly on the 1st', () => {
  assert.deepEqual(
    runs('cron(0 5 ? * 1 *)', '2027-01-01T00:00Z', '2027-02-01T00:00Z'),
    [3, 10, 17, 24, 31].map((d) => `2027-01-${String(d).padStart(2, '0')}T05:00:00.000Z`),
  );
  assert.deepEqual(runs('cron(0 5 ? * SUN *)', '2027-01-01T00:00Z', '2027-02-01T00:00Z'), runs('cron(0 5 ? * 1 *)', '2027-01-01T00:00Z', '2027-02-01T00:00Z'));
  assert.deepEqual(runs('cron(0 5 1 * ? *)', '2027-01-01T05:00Z', '2027-04-01T05:00Z'), [
    '2027-02-01T05:00:00.000Z',
    '2027-03-01T05:00:00.000Z',
    '2027-04-01T05:00:00.000Z',
  ]);
});

test('"after" is strict and need not be a whole minute', () => {
  assert.equal(next('cron(0 5 ? * * *)', '2027-01-01T05:00:00.000Z'), '2027-01-02T05:00:00.000Z');
  assert.equal(next('cron(0 5 ? * * *)', '2027-01-01T04:59:59.999Z'), '2027-01-01T05:00:00.000Z');
  assert.equal(next('cron(0 5 ? * * *)', '2027-01-01T04:59:30.500Z'), '2027-01-01T05:00:00.000Z');
});

test('last day, L-n, last weekday and nearest weekday', () => {
  assert.deepEqual(
    runs('cron(0 12 L * ? *)', '2027-01-01T00:00Z', '2027-05-01T00:00Z'),
    ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30'].map((d) => `${d}T12:00:00.000Z`),
  );
  assert.equal(next('cron(0 12 L * ? *)', '2028-02-01T00:00Z'), '2028-02-29T12:00:00.000Z');
  assert.equal(next('cron(0 12 L-2 * ? *)', '2027-02-01T00:00Z'), '2027-02-26T12:00:00.000Z');
  assert.equal(next('cron(0 12 LW * ? *)', '2027-01-01T00:00Z'), '2027-01-29T12:00:00.000Z', 'Sunday the 31st: Friday the 29th');
  // 2027-05-15 is a Saturday, 2027-08-15 a Sunday.
  assert.deepEqual(
    runs('cron(0 12 15W * ? *)', '2027-05-01T00:00Z', '2027-09-01T00:00Z'),
    ['2027-05-14', '2027-06-15', '2027-07-15', '2027-08-16'].map((d) => `${d}T12:00:00.000Z`),
  );
  assert.equal(next('cron(0 12 1W * ? *)', '2027-04-30T00:00Z'), '2027-05-03T12:00:00.000Z', 'Saturday the 1st: Monday the 3rd, not April 30th');
  assert.equal(next('cron(0 12 31W * ? *)', '2027-04-01T00:00Z'), '2027-05-31T12:00:00.000Z', 'April has no 31st');
  assert.equal(next('cron(0 12 31W * ? *)', '2027-10-01T00:00Z'), '2027-10-29T12:00:00.000Z', 'Sunday the 31st: Friday the 29th');
});

test('k-th and last weekday of the month, and L for Saturday', () => {
  assert.deepEqual(
    runs('cron(0 12 ? * 6#3 *)', '2027-01-01T00:00Z', '2027-04-01T00:00Z'),
    ['2027-01-15', '2027-02-19', '2027-03-19'].map((d) => `${d}T12:00:00.000Z`),
  );
  assert.equal(next('cron(0 12 ? * 2#5 *)', '2027-01-01T00:00Z'), '2027-03-29T12:00:00.000Z', 'the first month with five Mondays');
  assert.deepEqual(runs('cron(0 12 ? * 2L *)', '2027-01-01T00:00Z', '2027-03-01T00:00Z'), ['2027-01-25T12:00:00.000Z', '2027-02-22T12:00:00.000Z']);
  assert.equal(next('cron(0 12 ? * MONL *)', '2027-05-01T00:00Z'), '2027-05-31T12:00:00.000Z');
  assert.equal(next('cron(0 12 ? * L *)', '2027-01-01T00:00Z'), '2027-01-02T12:00:00.000Z');
});

test('lists, steps, names and ranges that wrap', () => {
  assert.deepEqual(
    runs('cron(0 12 ? * FRI-MON *)', '2027-01-04T13:00Z', '2027-01-12T00:00Z'),
    ['2027-01-08', '2027-01-09', '2027-01-10', '2027-01-11'].map((d) => `${d}T12:00:00.000Z`),
  );
  assert.deepEqual(runs('cron(15 22-2/2 ? * * *)', '2027-01-01T12:00Z', '2027-01-02T12:00Z'), [
    '2027-01-01T22:15:00.000Z',
    '2027-01-02T00:15:00.000Z',
    '2027-01-02T02:15:00.000Z',
  ]);
  assert.deepEqual(
    runs('cron(0 0 1 NOV-FEB ? 2027)', '2027-01-01T00:00Z', '2028-01-01T00:00Z'),
    ['2027-02-01', '2027-11-01', '2027-12-01'].map((d) => `${d}T00:00:00.000Z`),
  );
  assert.deepEqual(
    runs('cron(0 0 1 1 ? 2027/50)', '2026-01-01T00:00Z', '2199-12-31T00:00Z'),
    ['2027', '2077', '2127', '2177'].map((y) => `${y}-01-01T00:00:00.000Z`),
  );
});

test('no run left: past years, days that never come, and the end of 2199', () => {
  assert.equal(next('cron(0 5 ? * * 2020)', '2027-01-01T00:00Z'), undefined);
  assert.equal(next('cron(0 0 30 2 ? *)', '2027-01-01T00:00Z'), undefined);
  assert.equal(next('cron(0 0 31 12 ? 2199)', '2027-01-01T00:00Z'), '2199-12-31T00:00:00.000Z');
  assert.equal(next('cron(0 0 31 12 ? 2199)', '2199-12-31T00:00Z'), undefined);
  assert.equal(next('cron(0 0 1 1 ? 2150)', '2027-01-01T00:00Z', 'Pacific/Chatham'), '2149-12-31T10:15:00.000Z', '+13:45 in January');
});

test('cron(30 2 ? * * *) in Europe/Berlin runs once every local day of 2027, DST days included', () => {
  const all = runsBetween(compileCron('cron(30 2 ? * * *)'), new Date('2026-12-31T12:00Z'), new Date('2027-12-31T12:00Z'), 'Europe/Berlin');
  const days = [...all].map((d) => localDate(d, 'Europe/Berlin'));
  assert.equal(days.length, 365);
  assert.equal(new Set(days).size, 365);
  assert.deepEqual(
    runs('cron(30 2 ? * * *)', '2027-03-27T00:00Z', '2027-03-30T00:00Z', 'Europe/Berlin'),
    ['2027-03-27T01:30:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-29T00:30:00.000Z'],
    '02:30 does not exist on March 28th: 03:30 CEST',
  );
  assert.deepEqual(
    runs('cron(30 2 ? * * *)', '2027-10-30T00:00Z', '2027-11-02T00:00Z', 'Europe/Berlin'),
    ['2027-10-30T00:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z'],
    '02:30 happens twice on October 31st: the CEST one only',
  );
});

test('an hourly rule across the Berlin DST changes: one run per instant, a two-hour pause in autumn', () => {
  assert.deepEqual(runs('cron(0 * ? * * *)', '2027-03-27T23:30Z', '2027-03-28T03:00Z', 'Europe/Berlin'), [
    '2027-03-28T00:00:00.000Z',
    '2027-03-28T01:00:00.000Z',
    '2027-03-28T02:00:00.000Z',
    '2027-03-28T03:00:00.000Z',
  ]);
  assert.deepEqual(runs('cron(0 * ? * * *)', '2027-10-30T23:30Z', '2027-10-31T03:00Z', 'Europe/Berlin'), [
    '2027-10-31T00:00:00.000Z',
    '2027-10-31T02:00:00.000Z',
    '2027-10-31T03:00:00.000Z',
  ]);
});

test('New York and Sydney (southern hemisphere) DST changes', () => {
  assert.equal(next('cron(30 2 ? * * *)', '2027-03-14T00:00Z', 'America/New_York'), '2027-03-14T07:30:00.000Z', '03:30 EDT');
  assert.deepEqual(
    runs('cron(30 1 ? * * *)', '2027-11-06T12:00Z', '2027-11-08T12:00Z', 'America/New_York'),
    ['2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z'],
    '01:30 EDT only',
  );
  assert.deepEqual(
    runs('cron(30 2 ? * * *)', '2027-04-02T12:00Z', '2027-04-05T12:00Z', 'Australia/Sydney'),
    ['2027-04-02T15:30:00.000Z', '2027-04-03T15:30:00.000Z', '2027-04-04T16:30:00.000Z'],
    '02:30 AEDT on April 4th, not AEST',
  );
  assert.equal(next('cron(30 2 ? * * *)', '2027-10-02T12:00Z', 'Australia/Sydney'), '2027-10-02T16:30:00.000Z', '03:30 AEDT on October 3rd');
});

test('half- and three-quarter-hour zones', () => {
  assert.equal(next('cron(0 5 ? * * *)', '2027-01-01T00:00Z', 'Asia/Kolkata'), '2027-01-01T23:30:00.000Z');
  assert.equal(next('cron(0 5 ? * * *)', '2027-07-01T00:00Z', 'Pacific/Chatham'), '2027-07-01T16:15:00.000Z', '+12:45 in July');
});

test('compileCron refuses invalid syntax, saying why', () => {
  assert.throws(
    () => compileCron('cron(0 5 * * * *)'),
    (e: unknown) => e instanceof RangeError && /exactly one of day-of-month/.test(e.message),
  );
  assert.throws(() => compileCron('cron(0 5 0W * ? *)'), /invalid day-of-month field "0W"/);
  assert.throws(() => compileCron('rate(1 day)'), /must be a cron expression/);
  assert.ok(compileCron('cron(*/15 * ? * * *)').minutes.length === 4, "AWS Backup's hour rule is the domain's, not the compiler's");
});

test('isValidTimeZone takes IANA names as IANA spells them', () => {
  for (const name of ['Etc/UTC', 'Europe/Berlin', 'America/Port-au-Prince', 'America/Argentina/Buenos_Aires', 'EST5EDT', 'UTC', 'Etc/GMT+5'])
    assert.ok(isValidTimeZone(name), name);
  for (const name of ['europe/berlin', 'Foo/Bar', '', '+01:00', 'Europe/Berlin ', '../etc']) assert.ok(!isValidTimeZone(name), name);
});

test('a day of runs for 300 rules in several zones takes well under a second', () => {
  const zones = ['Europe/Lisbon', 'America/Chicago', 'Asia/Tokyo', 'Australia/Adelaide'];
  const rules = Array.from({ length: 300 }, (_, i) => compileCron(`cron(${i % 60} ${i % 4 === 0 ? '*' : i % 24} ? * * *)`));
  const started = performance.now();
  let count = 0;
  rules.forEach((rule, i) => {
    for (const _ of runsBetween(rule, new Date('2027-10-31T00:00Z'), new Date('2027-11-01T00:00Z'), zones[i % zones.length]!)) count++;
  });
  const elapsed = performance.now() - started;
  assert.ok(count > 300 * 1, `${count} runs`);
  assert.ok(elapsed < 1000, `${elapsed.toFixed(0)} ms`);
});
