/** ScheduleExpression: AWS's six-field cron, one `?` day field, and runs at least an hour apart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleProblem } from '../../src/backup/schedule-expression.js';

test('valid schedules', () => {
  for (const expression of [
    'cron(0 5 ? * * *)',
    'cron(0 5 ? * 1 *)',
    'cron(0 5 1 * ? *)',
    'cron(30 */2 ? * MON-FRI *)',
    'cron(0 0 L * ? *)',
    'cron(0 3 ? * 6#3 *)',
    'cron(15 1 15W * ? 2027)',
    'cron(0 * ? * * *)',
    'cron(0 0,12 ? JAN,JUL * *)',
    'cron(0 5 ? * 7L *)',
  ])
    assert.equal(scheduleProblem(expression), undefined, expression);
});

test('invalid schedules say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['rate(1 day)', /must be a cron expression/],
    ['cron(0 5 * * *)', /must have 6 fields .*not 5/],
    ['cron(0 5 * * * *)', /"\?" in exactly one of day-of-month/],
    ['cron(0 5 ? * ? *)', /"\?" in exactly one of day-of-month/],
    ['cron(60 5 ? * * *)', /invalid minutes field "60"/],
    ['cron(0 24 ? * * *)', /invalid hours field "24"/],
    ['cron(0 5 ? * 8 *)', /invalid day-of-week field "8"/],
    ['cron(0 5 ? 13 * *)', /invalid month field "13"/],
    ['cron(0 5 ? * * 1969)', /invalid year field "1969"/],
    ['cron(0,30 5 ? * * *)', /at least 60 minutes apart/],
    ['cron(*/15 * ? * * *)', /at least 60 minutes apart/],
    ['cron(* 5 ? * * *)', /at least 60 minutes apart/],
    ['cron(0-5 5 ? * * *)', /at least 60 minutes apart/],
  ];
  for (const [expression, problem] of cases) assert.match(scheduleProblem(expression) ?? 'valid', problem, expression);
});
