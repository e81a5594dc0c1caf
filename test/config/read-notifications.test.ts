/**
 * `notifications`: topics with their subscribers, the SMTP server (its password from a file or
 * the environment, never inline, never quoted back), and the retry policy; each bad field named.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load-config.js';
import { ACCOUNT, assertOneProblem, problems } from './config-fixture.js';

const TOPIC = 'arn:aws:sns:eu-central-1:111111111111:backup-events';
const parse = (yaml: string, env: Record<string, string> = {}) => parseConfig(yaml, { baseDir: '/etc/coffer', env, source: '/etc/coffer/coffer.yaml' });

describe('notifications', () => {
  test('absent: no topics, no SMTP, the default retry', () => {
    const config = parse(ACCOUNT);
    assert.deepEqual(config.notifications, { topics: [], smtp: undefined, retry: { maxAttempts: 12, firstRetrySeconds: 5, maxRetrySeconds: 1800 } });
  });

  test('topics, SMTP with password: {env}, retry', () => {
    const config = parse(
      `${ACCOUNT}notifications:
  topics:
    - { arn: "${TOPIC}", subscribers: ["https://hooks.example/x?token=1", "mailto:ops@example.com"] }
  smtp: { host: mail.example.com, port: 465, from: backup@example.com, username: coffer, password: { env: SMTP_PASSWORD } }
  retry: { maxAttempts: 3, firstRetrySeconds: 0.5 }
`,
      { SMTP_PASSWORD: 'hunter2' },
    );
    assert.deepEqual(config.notifications.topics, [{ arn: TOPIC, subscribers: ['https://hooks.example/x?token=1', 'mailto:ops@example.com'] }]);
    const smtp = config.notifications.smtp!;
    assert.deepEqual(
      { ...smtp, password: smtp.password?.reveal() },
      { host: 'mail.example.com', port: 465, from: 'backup@example.com', username: 'coffer', password: 'hunter2', tls: 'implicit' },
    );
    assert.equal(JSON.stringify(config).includes('hunter2'), false, 'the password never prints');
    assert.deepEqual(config.notifications.retry, { maxAttempts: 3, firstRetrySeconds: 0.5, maxRetrySeconds: 1800 });
    assert.equal(
      parse(`${ACCOUNT}notifications: { smtp: { host: h, from: a@b.c, username: u, passwordEnv: P } }\n`, { P: 'x' }).notifications.smtp?.tls,
      'starttls',
    );
  });

  test('every bad field named, the password never quoted', () => {
    assertOneProblem(
      `${ACCOUNT}notifications: { topics: [{ arn: "arn:aws:sqs:eu-central-1:111111111111:q", subscribers: [] }] }\n`,
      /^notifications\.topics\[0\]\.arn: must be an SNS topic ARN/,
    );
    assertOneProblem(
      `${ACCOUNT}notifications: { topics: [{ arn: "arn:aws:sns:eu-central-1:999999999999:t", subscribers: [] }] }\n`,
      /^notifications\.topics\[0\]\.arn: names account 999999999999, which is not configured/,
    );
    assertOneProblem(`${ACCOUNT}notifications: { topics: [{ arn: "${TOPIC}" }] }\n`, /^notifications\.topics\[0\]\.subscribers: is required/);
    assertOneProblem(
      `${ACCOUNT}notifications: { topics: [{ arn: "${TOPIC}", subscribers: ["ftp://x"] }] }\n`,
      /^notifications\.topics\[0\]\.subscribers\[0\]: must be an https:\/\/ \(or http:\/\/\) URL or mailto:address, not ftp:$/,
    );
    assertOneProblem(
      `${ACCOUNT}notifications: { topics: [{ arn: "${TOPIC}", subscribers: ["mailto:ops@example.com"] }] }\n`,
      /^notifications\.topics\[0\]\.subscribers\[0\]: mailto: subscribers need notifications\.smtp/,
    );
    assertOneProblem(
      `${ACCOUNT}notifications: { topics: [{ arn: "${TOPIC}", subscribers: [] }, { arn: "${TOPIC}", subscribers: [] }] }\n`,
      /^notifications\.topics\[1\]\.arn: topic .* is declared more than once/,
    );
    assertOneProblem(`${ACCOUNT}notifications: { smtp: { host: h, port: 99999, from: a@b.c } }\n`, /^notifications\.smtp\.port: must be a port number/);
    assertOneProblem(
      `${ACCOUNT}notifications: { smtp: { host: h, from: a@b.c, username: u, password: "s3cret-inline" } }\n`,
      /^notifications\.smtp\.password: is not given inline/,
    );
    assertOneProblem(
      `${ACCOUNT}notifications: { smtp: { host: h, from: a@b.c, username: u, passwordEnv: MISSING } }\n`,
      /^notifications\.smtp\.passwordEnv: environment variable MISSING is not set$/,
    );
    assertOneProblem(
      `${ACCOUNT}notifications: { smtp: { host: h, from: a@b.c, tls: maybe } }\n`,
      /^notifications\.smtp\.tls: must be one of implicit, starttls, off/,
    );
    assertOneProblem(`${ACCOUNT}notifications: { retry: { maxAttempts: 0 } }\n`, /^notifications\.retry\.maxAttempts: must be a positive whole number/);
    assertOneProblem(`${ACCOUNT}notifications: { topic: [] }\n`, /^notifications\.topic: unknown field \(did you mean topics\?\)$/);
    const all = problems(`${ACCOUNT}notifications: { smtp: { host: h, from: a@b.c, username: u, password: "s3cret-inline" } }\n`).join('\n');
    assert.equal(all.includes('s3cret-inline'), false);
  });
});
