/**
 * What `coffer serve` gives the web console: its files at /console/ (GET and HEAD only, plain
 * names only, the page revalidated, hashed assets cached for good, a CSP that keeps it on this
 * origin) and the signed `/_coffer/` endpoints it needs beyond the AWS API: whoami, resources,
 * selections/match and schedule/preview; plus the unsigned session bootstrap, which gives
 * sandbox credentials only in sandbox mode. Against the real server with a real config.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ensureConsoleBuilt } from '../../scripts/build.mjs';
import { ALPHA, BETA } from './support/accounts.js';
import { keysOf, signedRequest } from './support/clients.js';
import { EAST, ORGANIZATION_CONFIG_HEAD } from './support/cross-account.js';
import { useCoffer } from './support/server-fixture.js';

const DIR = (name: string) => `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/${name}`;
const yaml = `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${DIR('fs-orders')}", path: ./orders, tags: { team: shop, env: prod } }
  - { arn: "${DIR('fs-scratch')}", path: ./scratch, tags: { team: shop, env: dev } }
  - { arn: "${DIR('fs-wiki')}", path: ./wiki, tags: { team: docs } }
`;

const server = useCoffer({
  yaml: async () => {
    await ensureConsoleBuilt();
    return yaml;
  },
});

/** A GET with the path sent exactly as given (fetch would resolve `..` first). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server().endpoint}${path}`, { method: 'GET', path }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject).end();
  });
}

const post = (path: string, body: unknown, account = ALPHA) =>
  signedRequest(server().endpoint, keysOf(account), { method: 'POST', path, body: JSON.stringify(body), region: EAST });
const get = (path: string, account = ALPHA) => signedRequest(server().endpoint, keysOf(account), { method: 'GET', path, region: EAST });

describe('console files at /console/', () => {
  test('/console redirects to /console/, which is the page with a CSP that keeps it on this origin', async () => {
    const redirect = await fetch(`${server().endpoint}/console`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/console/');
    const page = await fetch(`${server().endpoint}/console/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'.*connect-src 'self'.*frame-ancestors 'none'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const html = await page.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset !== undefined, html);
    const js = await fetch(`${server().endpoint}${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const head = await fetch(`${server().endpoint}/console/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('only plain names under dist/console/ are served, only with GET and HEAD', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/.hidden',
      '/console/assets/nothing.js',
      '/console/assets/../../package.json',
      '/console/assets%2f..%2f..%2fpackage.json',
    ]) {
      const r = await rawGet(path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body, /"name": "coffer"/, path);
    }
    const r = await fetch(`${server().endpoint}/console/`, { method: 'POST', body: 'x' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  });
});

describe("the console's /_coffer/ endpoints", () => {
  test('console/session is unsigned: regions and the clock, and no credentials outside sandbox mode', async () => {
    const r = await fetch(`${server().endpoint}/_coffer/console/session`);
    assert.equal(r.status, 200);
    const body = (await r.json()) as Record<string, unknown>;
    assert.deepEqual(body['regions'], ['us-east-1', 'eu-west-1']);
    assert.equal(body['sandbox'], false);
    assert.equal((body['clock'] as { mode: string }).mode, 'real');
    assert.equal(body['sandboxCredentials'], undefined);
  });

  test("whoami names the signer's account and organization; unsigned or badly signed is refused", async () => {
    const alpha = await get('/_coffer/whoami');
    assert.equal(alpha.status, 200, alpha.text);
    assert.equal(alpha.json['accountId'], ALPHA.accountId);
    assert.equal(alpha.json['accountName'], ALPHA.name);
    assert.equal(alpha.json['region'], EAST);
    const org = alpha.json['organization'] as { isManagementAccount: boolean; accounts: { id: string }[] };
    assert.equal(org.isManagementAccount, true);
    assert.deepEqual(
      org.accounts.map((a) => a.id),
      [ALPHA.accountId, BETA.accountId],
    );
    const beta = await get('/_coffer/whoami', BETA);
    assert.equal((beta.json['organization'] as { isManagementAccount: boolean }).isManagementAccount, false);
    const unsigned = await fetch(`${server().endpoint}/_coffer/whoami`);
    assert.equal(unsigned.status, 403);
    assert.match(((await unsigned.json()) as { error: string }).error, /sign the request with SigV4/);
    const forged = await signedRequest(
      server().endpoint,
      { accessKeyId: ALPHA.accessKeyId, secretAccessKey: 'wrong' },
      { method: 'GET', path: '/_coffer/whoami', region: EAST },
    );
    assert.equal(forged.status, 403);
    assert.equal(forged.json['type'], 'InvalidSignatureException');
  });

  test("resources lists the signer's own resources only", async () => {
    const alpha = await get('/_coffer/resources');
    assert.equal(alpha.status, 200, alpha.text);
    const arns = (alpha.json['resources'] as { arn: string; type: string; tags: Record<string, string> }[]).map((r) => r.arn).sort();
    assert.deepEqual(arns, [DIR('fs-orders'), DIR('fs-scratch'), DIR('fs-wiki')]);
    const beta = await get('/_coffer/resources', BETA);
    assert.deepEqual(beta.json['resources'], []);
  });

  test('selections/match answers what a draft picks now: by type with exclusions, by tags, by conditions', async () => {
    const match = async (selection: unknown): Promise<string[]> => {
      const r = await post('/_coffer/selections/match', { BackupSelection: selection });
      assert.equal(r.status, 200, r.text);
      return (r.json['resources'] as { arn: string }[]).map((x) => x.arn).sort();
    };
    const all = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/*`;
    assert.deepEqual(await match({ Resources: [all], NotResources: [DIR('fs-scratch')] }), [DIR('fs-orders'), DIR('fs-wiki')]);
    assert.deepEqual(await match({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'team', ConditionValue: 'shop' }] }), [
      DIR('fs-orders'),
      DIR('fs-scratch'),
    ]);
    assert.deepEqual(
      await match({
        Resources: [all],
        Conditions: {
          StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'dev' }],
          StringLike: [{ ConditionKey: 'aws:ResourceTag/team', ConditionValue: 's*' }],
        },
      }),
      [DIR('fs-orders')],
    );
    const bad = await post('/_coffer/selections/match', { BackupSelection: { Resources: ['not-an-arn'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json['type'], 'InvalidBackupSelection');
    assert.match(String(bad.json['error']), /BackupSelection\.Resources\[0\]/);
    const empty = await post('/_coffer/selections/match', { something: 1 });
    assert.equal(empty.status, 400);
  });

  test("schedule/preview gives the next runs in the rule's time zone, and AWS's refusals", async () => {
    const r = await post('/_coffer/schedule/preview', { ScheduleExpression: 'cron(30 2 ? * * *)', ScheduleExpressionTimezone: 'Europe/Berlin', count: 3 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json['timezone'], 'Europe/Berlin');
    const runs = r.json['runs'] as string[];
    assert.equal(runs.length, 3);
    for (const run of runs)
      assert.match(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(run)),
        /^0[23]:30$/,
      );
    assert.ok(runs.every((t, i) => i === 0 || Date.parse(t) > Date.parse(runs[i - 1]!)));
    const often = await post('/_coffer/schedule/preview', { ScheduleExpression: 'cron(0/15 * ? * * *)' });
    assert.equal(often.status, 400);
    assert.match(String(often.json['error']), /at least 60 minutes apart/);
    const zone = await post('/_coffer/schedule/preview', { ScheduleExpression: 'cron(0 5 ? * * *)', ScheduleExpressionTimezone: 'Mars/Olympus' });
    assert.equal(zone.status, 400);
    assert.match(String(zone.json['error']), /not an IANA time zone/);
    const many = await post('/_coffer/schedule/preview', { ScheduleExpression: 'cron(0 5 ? * * *)', count: 1000 });
    assert.equal(many.status, 400);
  });
});

describe('the console in sandbox mode', () => {
  const sandbox = useCoffer({ yaml, args: ['--sandbox'] });
  test('console/session hands out a key that acts as the sandbox account', async () => {
    const r = await fetch(`${sandbox().endpoint}/_coffer/console/session`);
    const body = (await r.json()) as { sandbox: boolean; sandboxCredentials: { accessKeyId: string; secretAccessKey: string; accountId: string } };
    assert.equal(body.sandbox, true);
    assert.equal(body.sandboxCredentials.accountId, '000000000000');
    const who = await signedRequest(sandbox().endpoint, body.sandboxCredentials, { method: 'GET', path: '/_coffer/whoami', region: EAST });
    assert.equal(who.json['accountId'], '000000000000');
  });
});
