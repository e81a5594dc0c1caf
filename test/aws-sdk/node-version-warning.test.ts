/**
 * The AWS SDK's NodeVersionSupportWarning never reaches stderr on Node 20, for the S3 vault
 * storage's clients and the connectors' alike, while every other warning still does, and an
 * operator's own setting of the SDK's switch is kept.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

function stderrOf(script: string, env: NodeJS.ProcessEnv = {}): string {
  const base = { ...process.env, ...env };
  if (!(SWITCH in env)) delete base[SWITCH];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: base, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

const MAKE_CLIENTS = `
const { createS3Client } = await import(${JSON.stringify(new URL('../../src/storage/s3/s3-blob-store.ts', import.meta.url).href)});
const { makeDynamoDbClient } = await import(${JSON.stringify(new URL('../../src/connectors/dynamodb/dynamodb-client.ts', import.meta.url).href)});
createS3Client({ kind: 's3', endpoint: 'http://127.0.0.1:9', region: undefined, bucket: 'b', prefix: '' }).destroy();
makeDynamoDbClient({ endpoint: 'http://127.0.0.1:9', endpointRegion: 'us-east-1', credentials: undefined }).destroy();
`;

test('creating S3 storage and connector clients prints no NodeVersionSupportWarning; other warnings still show', () => {
  const stderr = stderrOf(`${MAKE_CLIENTS}\nprocess.emitWarning('some other warning');`);
  assert.doesNotMatch(stderr, /NodeVersionSupportWarning/);
  assert.match(stderr, /some other warning/);
});

test("an operator's explicit setting of the SDK's switch is kept", () => {
  if (Number(process.versions.node.split('.')[0]) >= 22) return;
  assert.match(stderrOf(MAKE_CLIENTS, { [SWITCH]: 'false' }), /NodeVersionSupportWarning/);
});
