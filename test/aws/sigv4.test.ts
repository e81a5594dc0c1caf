/**
 * SigV4 verification against real signers: Smithy's SignatureV4 (the JavaScript SDK's),
 * botocore's SigV4Auth (boto3's and the CLI's) and the AWS CLI itself talking to a tiny
 * node:http server that runs the verifier. Then every way a signature can be wrong.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AwsError } from '../../src/aws/errors.js';
import { readWireRequest } from '../../src/aws/node-wire.js';
import { verifySigV4 } from '../../src/aws/sigv4.js';
import type { SigV4Identity, SigV4Options } from '../../src/aws/sigv4.js';
import type { WireRequest } from '../../src/aws/wire-message.js';
import { awsCli, requireAwsCli, signingDebug } from './support/aws-cli.js';
import { startServer, TEST_KEY, testSecretFor } from './support/aws-server.js';
import type { RunningServer } from './support/aws-server.js';
import { botocoreSigned, smithyPresigned, smithySigned } from './support/signers.js';

const T = new Date('2024-05-28T12:00:00.000Z');
const minutes = (n: number): Date => new Date(T.getTime() + n * 60_000);
const ARN = 'arn:aws:backup:us-east-1:000000000000:recovery-point:abc';
const ARN_PATH = `/backup-vaults/my-vault/recovery-points/${encodeURIComponent(ARN)}`;

function options(now: Date = T, extra: Partial<SigV4Options> = {}): SigV4Options {
  return { secretFor: testSecretFor, clock: { now: () => now }, ...extra };
}

function verify(request: WireRequest, now: Date = T, extra: Partial<SigV4Options> = {}): SigV4Identity {
  return verifySigV4(request, options(now, extra));
}

/** Asserts the verifier refuses with `code` (and a message matching `message`), never echoing the secret. */
function refuses(request: WireRequest, code: string, message: RegExp, now: Date = T, extra: Partial<SigV4Options> = {}): AwsError {
  try {
    verify(request, now, extra);
  } catch (error) {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    assert.ok(!error.message.includes(TEST_KEY.secretAccessKey), 'the secret must never appear in an error');
    return error;
  }
  assert.fail(`expected ${code}`);
}

const expected: SigV4Identity = { accessKeyId: TEST_KEY.accessKeyId, accountId: TEST_KEY.accountId, region: 'us-east-1', service: 'backup' };

describe('SigV4 from Smithy (the JavaScript SDK signer)', () => {
  test('GET with a query string: repeated keys, spaces, plus signs, colons, unicode', async () => {
    const request = await smithySigned(
      {
        method: 'GET',
        path: '/backup-jobs/',
        query: { state: 'COMPLETED', createdAfter: '2024-01-01T00:00:00Z', tag: ['b', 'a c', 'x+y'], 'name~': 'ünï 名', empty: '' },
      },
      { date: T },
    );
    assert.deepEqual(verify(request), expected);
  });

  test('POST with a JSON body', async () => {
    const body = JSON.stringify({ Tags: { team: 'ops' } });
    const request = await smithySigned(
      { method: 'POST', path: `/tags/${encodeURIComponent(ARN)}`, headers: { 'content-type': 'application/json' }, body },
      { date: T },
    );
    assert.deepEqual(verify(request), expected);
  });

  test('a percent-encoded ARN in the path (signed double-encoded)', async () => {
    const arn = 'arn:aws:backup:us-east-1:000000000000:recovery-point:a/b c';
    const request = await smithySigned({ method: 'GET', path: `/backup-vaults/v1/recovery-points/${encodeURIComponent(arn)}` }, { date: T });
    assert.match(request.rawPath, /arn%3Aaws%3Abackup/);
    assert.deepEqual(verify(request), expected);
  });

  test('region and service come from the credential scope', async () => {
    const request = await smithySigned({ method: 'POST', path: '/', body: '{}' }, { date: T, region: 'eu-west-1', service: 'kms' });
    assert.deepEqual(verify(request), { ...expected, region: 'eu-west-1', service: 'kms' });
  });

  test('a presigned URL (query-string form) is good until it expires', async () => {
    const request = await smithyPresigned({ method: 'GET', path: ARN_PATH, query: { maxResults: '5' } }, { date: T, expiresIn: 3600 });
    assert.ok(request.rawQuery.includes('X-Amz-Signature='));
    assert.equal(request.headers['authorization'], undefined);
    assert.deepEqual(verify(request), expected);
    assert.deepEqual(verify(request, minutes(59)), expected);
    refuses(request, 'InvalidSignatureException', /^Signature expired/, minutes(61));
  });

  test("a presigned POST with a body: the body hash is still the server's own", async () => {
    const body = '{"a":1}';
    const request = await smithyPresigned({ method: 'POST', path: '/backup-jobs', body }, { date: T, expiresIn: 60 });
    assert.deepEqual(verify(request), expected);
    refuses({ ...request, body: Buffer.from('{"a":2}') }, 'InvalidSignatureException', /does not match/);
  });
});

describe('SigV4 from botocore (the AWS CLI and boto3 signer)', () => {
  test('GET with a raw query string and an ARN in the path', () => {
    const url = `http://127.0.0.1:4100${ARN_PATH}?maxResults=10&byResourceType=EFS&createdAfter=2024-01-01T00%3A00%3A00Z`;
    assert.deepEqual(verify(botocoreSigned('GET', url, {}, '', { date: T })), expected);
  });

  test('PUT with a body', () => {
    const body = JSON.stringify({ BackupVaultTags: { a: 'b' }, CreatorRequestId: 'x' });
    const request = botocoreSigned('PUT', 'http://127.0.0.1:4100/backup-vaults/v1', { 'Content-Type': 'application/x-amz-json-1.1' }, body, { date: T });
    assert.deepEqual(verify(request), expected);
  });

  test('the time from a Date header instead of X-Amz-Date', () => {
    const request = botocoreSigned('GET', 'http://127.0.0.1:4100/backup-vaults/', { Date: 'Mon, 01 Jan 2024 00:00:00 GMT' }, '', { date: T });
    assert.equal(request.headers['x-amz-date'], undefined);
    assert.equal(request.headers['date'], 'Tue, 28 May 2024 12:00:00 -0000');
    assert.deepEqual(verify(request), expected);
  });
});

describe('SigV4 refusals', () => {
  test('no signature at all: MissingAuthenticationTokenException (403)', () => {
    const error = refuses(
      { method: 'GET', rawPath: '/backup-vaults/', rawQuery: '', headers: { host: 'h' }, body: Buffer.alloc(0) },
      'MissingAuthenticationTokenException',
      /Missing Authentication Token/,
    );
    assert.equal(error.status, 403);
  });

  test('malformed Authorization headers: IncompleteSignatureException (400) saying what is missing', async () => {
    const good = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T });
    const auth = String(good.headers['authorization']);
    const cases: [string, RegExp][] = [
      ['AWS4-HMAC-SHA256 Credential=x', /requires 'Signature' parameter.*requires 'SignedHeaders' parameter/],
      ['AWS AKIA:abc', /Unsupported authorization algorithm 'AWS'/],
      [auth.replace('Credential=', 'Credential '), /not a valid key=value pair/],
      [auth.replace(/Credential=[^,]+/, 'Credential=AKIA/20240528/us-east-1'), /Credential must have the form/],
      [auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date'), /'Host' or ':authority' must be a 'SignedHeader'/],
    ];
    for (const [authorization, message] of cases) {
      const error = refuses({ ...good, headers: { ...good.headers, authorization } }, 'IncompleteSignatureException', message);
      assert.equal(error.status, 400);
    }
    const noDate = { ...good.headers };
    delete noDate['x-amz-date'];
    refuses({ ...good, headers: noDate }, 'IncompleteSignatureException', /requires existence of either a 'X-Amz-Date' or a 'Date' header/);
  });

  test('an unknown access key: UnrecognizedClientException (403)', async () => {
    const request = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T, accessKeyId: 'AKIAUNKNOWN000000000' });
    const error = refuses(request, 'UnrecognizedClientException', /security token included in the request is invalid/);
    assert.equal(error.status, 403);
  });

  test('a wrong secret: InvalidSignatureException (403) with the canonical request, never the secret', async () => {
    const request = await smithySigned({ method: 'GET', path: ARN_PATH }, { date: T, secretAccessKey: 'not-the-secret' });
    const error = refuses(request, 'InvalidSignatureException', /signature we calculated does not match/);
    assert.equal(error.status, 403);
    assert.match(error.message, /arn%253Aaws%253Abackup/);
    assert.ok(!error.message.includes('not-the-secret'));
  });

  test('anything signed that changes breaks the signature: method, path, query, header, body', async () => {
    const body = '{"BackupVaultName":"a"}';
    const request = await smithySigned(
      { method: 'PUT', path: '/backup-vaults/a', query: { x: '1' }, headers: { 'content-type': 'application/json' }, body },
      { date: T },
    );
    assert.deepEqual(verify(request), expected);
    const tampered: WireRequest[] = [
      { ...request, method: 'POST' },
      { ...request, rawPath: '/backup-vaults/b' },
      { ...request, rawQuery: 'x=2' },
      { ...request, headers: { ...request.headers, 'content-type': 'text/plain' } },
      { ...request, body: Buffer.from('{"BackupVaultName":"b"}') },
    ];
    for (const t of tampered) refuses(t, 'InvalidSignatureException', /does not match/);
  });

  test('x-amz-content-sha256 is never trusted: the server hashes the body it received', async () => {
    const body = '{"a":1}';
    const hash = createHash('sha256').update(body).digest('hex');
    const claimed = await smithySigned({ method: 'POST', path: '/backup-jobs', headers: { 'x-amz-content-sha256': hash }, body }, { date: T });
    assert.deepEqual(verify(claimed), expected);
    refuses({ ...claimed, body: Buffer.from('{"a":2}') }, 'InvalidSignatureException', /does not match/);
    const unsigned = await smithySigned({ method: 'POST', path: '/backup-jobs', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body }, { date: T });
    refuses(unsigned, 'InvalidSignatureException', /does not match/);
  });

  test('clock skew: 15 minutes either way is fine, more is "Signature expired" / "not yet current"', async () => {
    const request = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T });
    assert.deepEqual(verify(request, minutes(14)), expected);
    assert.deepEqual(verify(request, minutes(-14)), expected);
    const past = refuses(request, 'InvalidSignatureException', /^Signature expired: 20240528T120000Z is now earlier than 20240528T120100Z/, minutes(16));
    assert.equal(past.status, 403);
    refuses(request, 'InvalidSignatureException', /^Signature not yet current: 20240528T120000Z is still later than/, minutes(-16));
  });

  test('presigned: too long an expiry, missing parameters, and both auth forms at once', async () => {
    const request = await smithyPresigned({ method: 'GET', path: '/backup-vaults/' }, { date: T, expiresIn: 60 });
    refuses({ ...request, rawQuery: request.rawQuery.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') }, 'IncompleteSignatureException', /less than a week/);
    refuses({ ...request, rawQuery: request.rawQuery.replace(/X-Amz-Signature=[0-9a-f]+/, '') }, 'IncompleteSignatureException', /missing 'X-Amz-Signature'/);
    refuses(
      { ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=a' } },
      'IncompleteSignatureException',
      /Only one auth mechanism/,
    );
    refuses(request, 'InvalidSignatureException', /^Signature expired/, minutes(2));
  });

  test('credential scope: wrong terminator, or a date that does not match the request time', async () => {
    const request = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T });
    const auth = String(request.headers['authorization']);
    refuses(
      { ...request, headers: { ...request.headers, authorization: auth.replace('/aws4_request', '/aws5_request') } },
      'InvalidSignatureException',
      /valid terminator: 'aws4_request', not 'aws5_request'/,
    );
    refuses(
      { ...request, headers: { ...request.headers, authorization: auth.replace('/20240528/', '/20240527/') } },
      'InvalidSignatureException',
      /'20240527' != '20240528', from 'x-amz-date'/,
    );
  });

  test('sandbox: an unknown key is the sandbox account, unchecked; a known key is still checked', async () => {
    const unknown = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T, accessKeyId: 'AKIAANYTHING', secretAccessKey: 'whatever' });
    assert.deepEqual(verify(unknown, minutes(600), { sandboxAccountId: '000000000000' }), {
      ...expected,
      accessKeyId: 'AKIAANYTHING',
      accountId: '000000000000',
    });
    const wrong = await smithySigned({ method: 'GET', path: '/backup-vaults/' }, { date: T, secretAccessKey: 'bad' });
    refuses(wrong, 'InvalidSignatureException', /does not match/, T, { sandboxAccountId: '000000000000' });
  });
});

describe('SigV4 from the real AWS CLI', () => {
  let server: RunningServer;
  const seen: (SigV4Identity | AwsError)[] = [];

  before(async () => {
    requireAwsCli();
    server = await startServer(async (req, res) => {
      try {
        const request = await readWireRequest(req, 1 << 20);
        seen.push(verifySigV4(request, { secretFor: testSecretFor, clock: { now: () => new Date() } }));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        const e = error as AwsError;
        seen.push(e);
        res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': e.code }).end(JSON.stringify({ message: e.message }));
      }
    });
  });
  after(() => server?.close());

  async function cliVerifies(args: readonly string[], region = 'us-east-1'): Promise<void> {
    const before = seen.length;
    const run = await awsCli(server.endpoint, args, { region });
    assert.equal(run.status, 0, `aws ${args.join(' ')} failed:\n${signingDebug(run)}`);
    assert.deepEqual(seen.slice(before), [{ ...expected, region }]);
  }

  test('aws backup list-backup-vaults', () => cliVerifies(['backup', 'list-backup-vaults']));
  test('aws backup describe-backup-vault --backup-vault-name x (another region)', () =>
    cliVerifies(['backup', 'describe-backup-vault', '--backup-vault-name', 'x'], 'eu-west-1'));
  test('aws backup describe-recovery-point with an ARN in the path', () =>
    cliVerifies(['backup', 'describe-recovery-point', '--backup-vault-name', 'v', '--recovery-point-arn', ARN]));
  test('aws backup list-backup-jobs with timestamp and enum query parameters', () =>
    cliVerifies(['backup', 'list-backup-jobs', '--by-created-after', '2024-01-01T00:00:00Z', '--by-state', 'COMPLETED', '--max-results', '5']));
  test('aws backup tag-resource: a POST with a JSON body', () =>
    cliVerifies(['backup', 'tag-resource', '--resource-arn', ARN, '--tags', 'team=ops,note=a b+c']));

  test('the CLI with a wrong secret gets InvalidSignatureException', async () => {
    const run = await awsCli(server.endpoint, ['backup', 'list-backup-vaults'], { secretAccessKey: 'wrong-secret' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /InvalidSignatureException/);
  });

  test('the CLI with an unknown key gets UnrecognizedClientException', async () => {
    const run = await awsCli(server.endpoint, ['backup', 'list-backup-vaults'], { accessKeyId: 'AKIANOBODY0000000000' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /UnrecognizedClientException/);
  });
});
