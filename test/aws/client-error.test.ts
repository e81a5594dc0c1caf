/**
 * Requests node:http refuses before any handler runs (issue 12): a URL over the limit, a header
 * section over the limit, a malformed request. Each gets a 4xx in AWS's envelope (KMS json for a
 * KMS target, rest-json otherwise) that the client reads in full: never a bare 431 or a reset.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { answerClientError, MAX_HEADER_BYTES } from '../../src/aws/client-error.js';

let port = 0;
const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (_req, res) => res.end('{}'));
server.on('clientError', answerClientError);
before(
  () =>
    new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      }),
    ),
);
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Sends `request` (all of it, as a client that writes before reading would) and reads the whole answer. */
function exchange(request: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> });
    });
    socket.write(request);
  });
}

describe('requests node:http refuses get an AWS error', () => {
  test('a URL over the limit: 414 RequestUriTooLong in the rest-json envelope, read in full', async () => {
    const answer = await exchange(`GET /backup-vaults/?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(answer.status, 414);
    assert.equal(answer.headers['x-amzn-errortype'], 'RequestUriTooLong');
    assert.equal(answer.headers['content-type'], 'application/json');
    assert.ok(answer.headers['x-amzn-requestid']);
    assert.equal(answer.body['__type'], 'RequestUriTooLong');
    assert.match(String(answer.body['Message']), /URL is longer than this endpoint accepts .*16384 bytes/);
  });

  test('a URL of 1 MB from a client that writes it all first still reads the answer (no reset)', async () => {
    const answer = await exchange(`GET /backup-vaults/${'v'.repeat(1024 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(answer.status, 414);
  });

  test('headers over the limit: 431 RequestHeaderSectionTooLarge; for a KMS target in the json 1.1 envelope', async () => {
    const rest = await exchange(`GET /backup-vaults/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    assert.equal(rest.status, 431);
    assert.equal(rest.body['Code'], 'RequestHeaderSectionTooLarge');
    assert.match(String(rest.body['Message']), /headers are larger than this endpoint accepts/);
    const kms = await exchange(
      `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Type: application/x-amz-json-1.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n{}`,
    );
    assert.equal(kms.status, 431);
    assert.equal(kms.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(kms.body['__type'], 'RequestHeaderSectionTooLarge');
    assert.match(String(kms.body['message']), /headers are larger/);
  });

  test('a malformed request: 400 MalformedHttpRequest', async () => {
    const answer = await exchange('GET\u0001 / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(answer.status, 400);
    assert.equal(answer.body['__type'], 'MalformedHttpRequest');
    const header = await exchange('GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
    assert.equal(header.status, 400);
  });

  test('a request within the limits is served as before', async () => {
    const socket = await exchange(`GET /backup-vaults/?x=${'a'.repeat(8000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(socket.status, 200);
  });
});
