/**
 * A bounded fuzz of every operation Coffer implements (issue 12): for each AWS Backup and KMS
 * operation of the code's operation tables (aws/backup/operations.ts, aws/kms/operations.ts,
 * shapes from the botocore models on disk), requests built from the model's input shape are
 * mutated (wrong types, huge and odd strings, missing required members, unknown members, broken
 * JSON, odd path labels and query values, deep nesting, odd content types), signed with SigV4
 * (Smithy's signer, as the JavaScript SDK signs) and sent to a real `coffer serve`; some are
 * tampered with after signing. Asserted: no crash (the server answers to the end and exits
 * cleanly, nothing on stderr), no 5xx, every 4xx with an AWS error code in its envelope, and
 * the server's RSS flat (figures reported). Counts: a few per operation in `npm test`, many with
 * COFFER_ROBUSTNESS=full (bench/robustness.ts).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { IMPLEMENTED } from '../../src/aws/backup/operations.js';
import { KMS_IMPLEMENTED } from '../../src/aws/kms/operations.js';
import { BACKUP_MODEL, KMS_MODEL } from '../../src/aws/service-model.js';
import type { MemberRef, ServiceModel, Shape } from '../../src/aws/service-model.js';
import { reportFigures, rounds, seededRandom } from '../support/robustness.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const PER_OPERATION = rounds(6, 120);
const CONCURRENCY = 8;
const server = useCoffer({ yaml: ALPHA_CONFIG_HEAD });

type Random = () => number;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ODD_STRINGS = [
  '',
  ' ',
  '..',
  '../../etc',
  '%',
  '%00',
  '\u0000',
  'a/b',
  '\\',
  '😀',
  '\ud800',
  'x'.repeat(3000),
  'arn:aws:backup:us-east-1:111111111111:backup-vault:fuzz',
  '*',
  '\${aws:username}',
  '<x/>',
  'null',
  '-1',
];
const ODD_VALUES: Json[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -9007199254740992,
  1.5,
  'str',
  [],
  {},
  [[[]]],
  { a: { b: { c: [1] } } },
  'A'.repeat(100_000),
  ...ODD_STRINGS,
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A plausible value of `ref`'s shape (the base a mutation starts from). */
function sample(model: ServiceModel, ref: MemberRef, name: string, random: Random, depth = 0): Json {
  const shape = model.shapes[ref.shape] as Shape | undefined;
  if (shape === undefined || depth > 4) return null;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, Json> = {};
      for (const [member, mref] of Object.entries(shape.members)) {
        if (mref.location !== undefined && depth === 0) continue;
        if (mref.required === true || random() < 0.5) out[member] = sample(model, mref, member, random, depth + 1);
      }
      return out;
    }
    case 'list':
      return [sample(model, shape.member, name, random, depth + 1)];
    case 'map':
      return { key: sample(model, shape.value, name, random, depth + 1) };
    case 'string':
      if (shape.enum !== undefined && shape.enum.length > 0) return pick(random, shape.enum);
      if (/Arn$/i.test(name))
        return /Role/i.test(name) ? `arn:aws:iam::${ALPHA.accountId}:role/fuzz` : `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:fuzz`;
      if (/KeyId$/.test(name)) return 'alias/aws/backup';
      return 'fuzz'.padEnd(shape.min ?? 0, 'z');
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return Math.max(shape.min ?? 1, 1);
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_700_000_000;
    case 'blob':
      return 'ZnV6eg==';
  }
}

interface Built {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** RFC 3986 escaping, as SigV4 canonicalises. */
function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8'))
    out += /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function mutateBody(body: Record<string, Json>, random: Random): Record<string, Json> | string {
  const keys = Object.keys(body);
  switch (Math.floor(random() * 8)) {
    case 0:
      if (keys.length > 0) body[pick(random, keys)] = pick(random, ODD_VALUES);
      return body;
    case 1:
      if (keys.length > 0) delete body[pick(random, keys)];
      return body;
    case 2:
      body[pick(random, ['Unknown', '__proto__', 'constructor', 'x'.repeat(500)])] = pick(random, ODD_VALUES);
      return body;
    case 3:
      return pick(random, ['{', '{"a":', '[]', '"x"', 'null', '1', '{"a":1}{', '\u0000\u0001', '{"a":"\\ud800"}', `{${'"a":1,'.repeat(5000)}"b":2}`]);
    case 4: {
      let deep: Json = 1;
      for (let i = 0; i < 2000; i++) deep = [deep];
      if (keys.length > 0) body[pick(random, keys)] = deep;
      return body;
    }
    case 5:
      for (const k of keys) body[k] = pick(random, ODD_VALUES);
      return body;
    case 6: {
      const nested = keys.length === 0 ? undefined : body[pick(random, keys)];
      if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
        const inner = Object.keys(nested);
        if (inner.length > 0) nested[pick(random, inner)] = pick(random, ODD_VALUES);
      }
      return body;
    }
    default:
      return body;
  }
}

/** One mutated request of `operation`. */
function build(model: ServiceModel, operation: string, random: Random): Built {
  const op = model.operations[operation]!;
  const input = op.input === undefined ? undefined : model.shapes[op.input];
  const members = input?.type === 'structure' ? input.members : {};
  const base = op.input === undefined ? {} : (sample(model, { shape: op.input }, operation, random) as Record<string, Json>);
  const mutated = random() < 0.9 ? mutateBody(base, random) : base;
  const body = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
  if (model.protocol === 'json') {
    const target = random() < 0.05 ? pick(random, ['TrentService.', 'TrentService.Nope', 'Other.ListKeys', '']) : `${model.targetPrefix}.${operation}`;
    const contentType = random() < 0.05 ? pick(random, ['text/plain', 'application/json', '']) : 'application/x-amz-json-1.1';
    return { method: 'POST', path: '/', query: {}, headers: { 'x-amz-target': target, 'content-type': contentType }, body };
  }
  const [template = '/', literalQuery] = op.requestUri.split('?');
  const query: Record<string, string> = {};
  if (literalQuery !== undefined) for (const part of literalQuery.split('&')) query[part.split('=')[0]!] = part.split('=')[1] ?? '';
  const headers: Record<string, string> = { 'content-type': random() < 0.05 ? pick(random, ['text/plain', 'application/x-amz-json-1.1']) : 'application/json' };
  const oddLabel = random() < 0.3;
  const path = template.replace(/\{([^}+]+)\+?\}/g, (_m, label: string) => {
    const value = oddLabel && random() < 0.7 ? pick(random, ODD_STRINGS) : String(sample(model, members[label] ?? { shape: 'string' }, label, random, 1));
    return rfc3986(value === '' ? 'x' : value);
  });
  for (const [name, ref] of Object.entries(members)) {
    if (ref.location === 'querystring' && random() < 0.6)
      query[ref.locationName ?? name] = random() < 0.3 ? pick(random, ODD_STRINGS) : String(sample(model, ref, name, random, 1));
    if (ref.location === 'header' && random() < 0.5)
      headers[(ref.locationName ?? name).toLowerCase()] =
        random() < 0.3 ? pick(random, ['', 'x', '-1', 'x'.repeat(2000)]) : String(sample(model, ref, name, random, 1));
  }
  if (random() < 0.1) query[pick(random, ['maxResults', 'nextToken', 'unknown', 'x'.repeat(300)])] = pick(random, ODD_STRINGS);
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE' && op.method !== 'HEAD';
  return { method: op.method, path, query, headers, body: hasBody || random() < 0.05 ? body : '' };
}

interface Answer {
  status: number;
  errorType: string | undefined;
  body: string;
}

async function send(endpoint: URL, signer: SignatureV4, built: Built, tamper: boolean): Promise<Answer> {
  // What can be sent: UTF-8 (a lone surrogate becomes U+FFFD, as it would on any wire).
  const wellFormed = (v: string): string => Buffer.from(v, 'utf8').toString('utf8');
  built.query = Object.fromEntries(Object.entries(built.query).map(([k, v]) => [wellFormed(k), wellFormed(v)]));
  const headers: Record<string, string> = { host: endpoint.host, ...built.headers };
  if (headers['content-type'] === '') delete headers['content-type'];
  const signed = await signer.sign({
    method: built.method,
    protocol: 'http:',
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: built.path,
    query: built.query,
    headers,
    body: built.body,
  });
  const sent: Record<string, string> = { ...(signed.headers as Record<string, string>) };
  let body = built.body;
  if (tamper) body = body === '' ? 'x' : `${body.slice(0, -1)}${body.endsWith('}') ? ']' : '}'}`;
  sent['content-length'] = String(Buffer.byteLength(body));
  const search = Object.entries(built.query)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.hostname, port: endpoint.port, method: built.method, path: `${built.path}${search === '' ? '' : `?${search}`}`, headers: sent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            errorType: res.headers['x-amzn-errortype'] as string | undefined,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function rssKb(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

test(`a bounded fuzz of every implemented operation (${PER_OPERATION} mutated signed requests each)`, { timeout: 3_600_000 }, async (t) => {
  const random = seededRandom(t);
  const { endpoint, process: coffer } = server();
  await sdk(endpoint, keysOf(ALPHA)).send(new CreateBackupVaultCommand({ BackupVaultName: 'fuzz' }));
  const url = new URL(endpoint);
  const signers = {
    backup: new SignatureV4({ service: 'backup', region: 'us-east-1', sha256: Sha256, credentials: keysOf(ALPHA) }),
    kms: new SignatureV4({ service: 'kms', region: 'us-east-1', sha256: Sha256, credentials: keysOf(ALPHA) }),
  };
  const operations = [
    ...Object.entries(IMPLEMENTED)
      .filter(([, s]) => s !== 'planned')
      .map(([op]) => ({ model: BACKUP_MODEL, op, signer: signers.backup })),
    ...Object.keys(KMS_IMPLEMENTED).map((op) => ({ model: KMS_MODEL, op, signer: signers.kms })),
  ].filter(({ model, op }) => model.operations[op] !== undefined);
  assert.ok(operations.length > 50, `the operation tables name ${operations.length} operations`);

  const work: { model: ServiceModel; op: string; signer: SignatureV4; tamper: boolean }[] = [];
  for (let i = 0; i < PER_OPERATION; i++) for (const o of operations) work.push({ ...o, tamper: random() < 0.1 });
  const problems: string[] = [];
  const byStatus = new Map<number, number>();
  let sent = 0;
  let rssWarm = 0;
  const warmAt = Math.floor(work.length * 0.2);
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = work.shift();
      if (next === undefined) return;
      const built = build(next.model, next.op, random);
      const answer = await send(url, next.signer, built, next.tamper).catch((err: Error) => ({ status: -1, errorType: undefined, body: err.message }));
      sent++;
      if (sent === warmAt) rssWarm = await rssKb(coffer.child.pid!);
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      const what = `${next.op}${next.tamper ? ' (tampered)' : ''} ${built.method} ${built.path.slice(0, 120)} -> ${answer.status} ${answer.body.slice(0, 200)}`;
      if (answer.status < 200 || answer.status >= 500) problems.push(what);
      else if (answer.status >= 400 && (answer.errorType === undefined || answer.errorType === '')) problems.push(`no AWS error code: ${what}`);
      else if (next.tamper && answer.status < 400) problems.push(`tampered request accepted: ${what}`);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  const rssEnd = await rssKb(coffer.child.pid!);
  const statuses = [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}:${n}`)
    .join(',');
  reportFigures(t, 'fuzz', {
    operations: operations.length,
    requests: sent,
    seconds: seconds.toFixed(0),
    statuses,
    problems: problems.length,
    rssWarmMiB: (rssWarm / 1024).toFixed(0),
    rssEndMiB: (rssEnd / 1024).toFixed(0),
  });
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} requests were answered badly`);
  assert.equal(coffer.child.exitCode, null, 'the server still runs');
  assert.ok(rssEnd - rssWarm < 96 * 1024, `RSS stays flat: ${rssWarm} KiB after ${warmAt} requests, ${rssEnd} KiB after ${sent}`);
  assert.doesNotMatch(coffer.stderr(), /internal error/);
});
