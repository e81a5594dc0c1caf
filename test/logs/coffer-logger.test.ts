/**
 * The structured log: a request and a job transition as JSON lines with their fields, the same
 * as one readable line each in the pretty format, progress steps left out, and no secret ever
 * (a Secret prints as [secret]; fields named like secrets are redacted whatever they hold).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobEvent } from '../../src/backup/jobs/job-events.js';
import { Secret } from '../../src/config/secret.js';
import { createCofferLogger } from '../../src/logs/coffer-logger.js';
import type { LogFormat } from '../../src/logs/coffer-logger.js';
import { jobLog, requestLog } from '../../src/logs/log-listeners.js';

function capture(format: LogFormat) {
  const lines: string[] = [];
  const logger = createCofferLogger({ stream: { write: (t: string) => lines.push(t) }, format, level: 'info' });
  return { logger, lines };
}

const served = {
  requestId: 'req-1',
  service: 'backup',
  operation: 'StartBackupJob',
  accountId: '111111111111',
  region: 'us-east-1',
  status: 200,
  errorCode: undefined,
  seconds: 0.01234,
};
const ended: JobEvent = {
  type: 'job',
  kind: 'backup',
  step: 'fail',
  by: 'worker',
  accountId: '111111111111',
  region: 'us-east-1',
  jobId: 'J1',
  resourceArn: 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-1',
  from: 'RUNNING',
  to: 'FAILED',
  at: new Date('2026-01-01T00:00:00Z'),
  statusMessage: 'The directory is gone; check the path.',
};

test('requests and job transitions are JSON lines with their fields', () => {
  const { logger, lines } = capture('json');
  requestLog(logger)(served);
  jobLog(logger)(ended);
  jobLog(logger)({ ...ended, step: 'progress', from: 'RUNNING', to: 'RUNNING' });
  assert.equal(lines.length, 2, 'progress is not a transition');
  const request = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(
    { ...request, time: undefined },
    {
      level: 'info',
      time: undefined,
      msg: 'request',
      requestId: 'req-1',
      accountId: '111111111111',
      region: 'us-east-1',
      service: 'backup',
      operation: 'StartBackupJob',
      status: 200,
      durationMs: 12.3,
    },
  );
  assert.match(String(request['time']), /^\d{4}-\d\d-\d\dT/);
  const job = JSON.parse(lines[1]!) as Record<string, unknown>;
  assert.equal(job['level'], 'warn');
  assert.equal(job['msg'], 'job');
  assert.equal(job['to'], 'FAILED');
  assert.equal(job['statusMessage'], 'The directory is gone; check the path.');
});

test('pretty: one readable line each', () => {
  const { logger, lines } = capture('pretty');
  requestLog(logger)(served);
  jobLog(logger)(ended);
  assert.match(
    lines[0]!,
    /^\d\d:\d\d:\d\d\.\d{3} INFO  request requestId=req-1 accountId=111111111111 region=us-east-1 service=backup operation=StartBackupJob status=200 durationMs=12\.3\n$/,
  );
  assert.match(lines[1]!, /^\S+ WARN  job kind=backup jobId=J1 .* from=RUNNING to=FAILED .*statusMessage="The directory is gone; check the path\."\n$/);
});

test('never a secret: Secrets print as [secret], secret-named fields are redacted', () => {
  const { logger, lines } = capture('json');
  logger.info(
    {
      config: { password: 'hunter2-plain', smtp: { password: new Secret('smtp-pass-9') } },
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/...',
      secretAccessKey: 'wJalr-secret',
    },
    'x',
  );
  logger.info({ key: new Secret('inline-secret-7') }, 'y');
  const all = lines.join('');
  for (const secret of ['hunter2-plain', 'smtp-pass-9', 'AWS4-HMAC', 'wJalr-secret', 'inline-secret-7']) assert.equal(all.includes(secret), false, secret);
  assert.match(all, /\[secret\]/);
});
