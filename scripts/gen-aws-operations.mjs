#!/usr/bin/env node
// Development-time generator (not run at install): reads botocore's service models for AWS Backup,
// AWS KMS, STS and IAM and writes the compact tables the wire layer loads, src/aws/models/*.json
// (see src/aws/service-model.ts for their types). Keeps HTTP bindings, member locations,
// required flags and the constraints validation needs; drops documentation and whatever no
// operation reaches. One operation or shape per line, so model updates review as small diffs.
//
//   node scripts/gen-aws-operations.mjs            # rewrite the files
//   node scripts/gen-aws-operations.mjs --check    # exit 1 if they differ from botocore's models
//
// botocore's location: $BOTOCORE_DIR, else asked from python3 (it ships with the AWS CLI).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = [
  { name: 'backup', path: 'backup/2018-11-15/service-2.json.gz' },
  { name: 'kms', path: 'kms/2014-11-01/service-2.json.gz' },
  { name: 'sts', path: 'sts/2011-06-15/service-2.json.gz' },
  { name: 'iam', path: 'iam/2010-05-08/service-2.json.gz' },
  { name: 'backupsearch', path: 'backupsearch/2018-05-10/service-2.json.gz' },
];
const SHAPE_KEYS = ['min', 'max', 'pattern', 'enum', 'timestampFormat', 'sensitive', 'exception', 'fault'];
const MEMBER_KEYS = ['location', 'locationName', 'idempotencyToken'];

export function botocoreDir() {
  if (process.env.BOTOCORE_DIR) return process.env.BOTOCORE_DIR;
  const script = 'import botocore,os;print(os.path.dirname(botocore.__file__))';
  return execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim();
}

function compactMember(ref, required) {
  const out = { shape: ref.shape };
  for (const key of MEMBER_KEYS) if (ref[key] !== undefined) out[key] = ref[key];
  if (required) out.required = true;
  return out;
}

function compactShape(shape, query) {
  const out = { type: shape.type };
  if (shape.type === 'structure') {
    const required = new Set(shape.required ?? []);
    out.members = Object.fromEntries(Object.entries(shape.members ?? {}).map(([n, m]) => [n, compactMember(m, required.has(n))]));
  }
  if (shape.type === 'list') out.member = compactMember(shape.member, false);
  if (shape.type === 'map') Object.assign(out, { key: compactMember(shape.key, false), value: compactMember(shape.value, false) });
  for (const key of SHAPE_KEYS) if (shape[key] !== undefined) out[key] = shape[key];
  // The query protocol's wire code and status of an exception (IAM's NoSuchEntityException is `NoSuchEntity`, 404).
  if (query && shape.error !== undefined) out.error = { code: shape.error.code, httpStatusCode: shape.error.httpStatusCode };
  return out;
}

/** Shape names reachable from the given roots, through members, list members, map keys and values. */
function reachable(shapes, roots) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const s = shapes[name];
    const refs = [...Object.values(s.members ?? {}), s.member, s.key, s.value].filter(Boolean);
    for (const ref of refs) visit(ref.shape);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

export function compactModel(model) {
  const meta = model.metadata;
  const operations = Object.keys(model.operations)
    .sort()
    .map((name) => {
      const op = model.operations[name];
      const out = { name, method: op.http.method, requestUri: op.http.requestUri, successCode: op.http.responseCode ?? 200 };
      if (op.input) out.input = op.input.shape;
      if (op.output) out.output = op.output.shape;
      if (op.output?.resultWrapper) out.resultWrapper = op.output.resultWrapper;
      out.errors = (op.errors ?? []).map((e) => e.shape).sort();
      return out;
    });
  const roots = operations.flatMap((op) => [op.input, op.output, ...op.errors].filter(Boolean));
  return {
    head: {
      signingName: meta.signingName ?? meta.endpointPrefix,
      serviceId: meta.serviceId,
      apiVersion: meta.apiVersion,
      protocol: meta.protocol,
      ...(meta.jsonVersion ? { jsonVersion: meta.jsonVersion } : {}),
      ...(meta.targetPrefix ? { targetPrefix: meta.targetPrefix } : {}),
      ...(meta.xmlNamespace ? { xmlNamespace: meta.xmlNamespace } : {}),
    },
    operations,
    shapes: reachable(model.shapes, roots).map((name) => [name, compactShape(model.shapes[name], meta.protocol === 'query')]),
  };
}

/** JSON with one operation or shape per line. */
export function renderModel({ head, operations, shapes }) {
  const lines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const block = (name, rows, last) => [
    `  ${JSON.stringify(name)}: {`,
    rows.map(([k, v], i) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < rows.length - 1 ? ',' : ''}`).join('\n'),
    `  }${last ? '' : ','}`,
  ];
  return [
    '{',
    ...lines,
    ...block(
      'operations',
      operations.map((op) => [op.name, op]),
      false,
    ),
    ...block('shapes', shapes, true),
    '}',
    '',
  ].join('\n');
}

export function modelFile(name) {
  return join(root, 'src', 'aws', 'models', `${name}.json`);
}

function main() {
  const check = process.argv.includes('--check');
  const dataDir = join(botocoreDir(), 'data');
  let stale = 0;
  for (const service of SERVICES) {
    const model = JSON.parse(gunzipSync(readFileSync(join(dataDir, service.path))).toString('utf8'));
    const text = renderModel(compactModel(model));
    const file = modelFile(service.name);
    if (!check) {
      writeFileSync(file, text);
      console.log(`wrote ${file} (${Object.keys(model.operations).length} operations)`);
      continue;
    }
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (committed !== text) {
      stale++;
      console.error(`${file} differs from botocore's ${service.path}: run node scripts/gen-aws-operations.mjs`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
