/**
 * The real clients, pointed at a Coffer endpoint with a test account's keys: the AWS CLI (a
 * child process), boto3 (python3, several calls per process), the AWS SDK for JavaScript v3, and
 * raw SigV4-signed requests for what only the raw response shows (status, x-amzn-ErrorType).
 */
import { spawn } from 'node:child_process';
import { Sha256 } from '@aws-crypto/sha256-js';
import { BackupClient } from '@aws-sdk/client-backup';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestAccount } from './accounts.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** STS temporary credentials carry one. */
  readonly sessionToken?: string;
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, ...(cwd === undefined ? {} : { cwd }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** An environment with no AWS settings of the machine's (no profile, config, or metadata lookups). */
export function isolatedAwsEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    ...extra,
  };
}

/** `aws --endpoint-url E --output json <args>` with the account's keys in environment variables. */
export function awsCli(endpoint: string, account: Credentials, args: readonly string[], region = 'us-east-1'): Promise<Run> {
  const env = isolatedAwsEnv({
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    ...(account.sessionToken !== undefined && { AWS_SESSION_TOKEN: account.sessionToken }),
  });
  return run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], env);
}

/** `aws` with a raw environment and working directory (e.g. AWS_SHARED_CREDENTIALS_FILE + --profile). */
export function awsCliWith(env: NodeJS.ProcessEnv, cwd: string, args: readonly string[]): Promise<Run> {
  return run('aws', ['--output', 'json', ...args], isolatedAwsEnv(env), cwd);
}

/** Parses the CLI's JSON output, failing with its stderr when it did not succeed. */
export function cliJson(result: Run): Record<string, unknown> {
  if (result.status !== 0) throw new Error(`aws failed (${result.status}): ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

export interface BotoCall {
  readonly method: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export type BotoResult =
  | { readonly ok: Record<string, unknown> }
  | { readonly error: { readonly code: string; readonly message: string; readonly status: number } };

const BOTO = `
import json, sys, boto3, botocore.config, botocore.exceptions
req = json.load(sys.stdin)
c = boto3.client(req.get('service', 'backup'), endpoint_url=req['endpoint'], region_name=req['region'],
    aws_access_key_id=req['key'], aws_secret_access_key=req['secret'], aws_session_token=req.get('token'),
    config=botocore.config.Config(retries={'max_attempts': 1}))
out = []
for call in req['calls']:
    try:
        r = getattr(c, call['method'])(**call.get('params', {}))
        r.pop('ResponseMetadata', None)
        out.append({'ok': r})
    except botocore.exceptions.ClientError as e:
        out.append({'error': {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}})
print(json.dumps(out, default=str))
`;

/** Runs the calls in order in one boto3 client (of `service`, AWS Backup unless said); each answers its result or its ClientError. */
export async function boto3(
  endpoint: string,
  account: Credentials,
  calls: readonly BotoCall[],
  region = 'us-east-1',
  service = 'backup',
): Promise<BotoResult[]> {
  const input = JSON.stringify({ endpoint, region, key: account.accessKeyId, secret: account.secretAccessKey, token: account.sessionToken, service, calls });
  const result = await run('python3', ['-c', BOTO], isolatedAwsEnv(), undefined, input);
  if (result.status !== 0) throw new Error(`boto3 failed (python3 with boto3 is needed: pip install boto3): ${result.stderr}`);
  return JSON.parse(result.stdout) as BotoResult[];
}

export function sdk(endpoint: string, account: Credentials, region = 'us-east-1'): BackupClient {
  return new BackupClient({ endpoint, region, maxAttempts: 1, credentials: { ...account } });
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export interface RawRequest {
  readonly method: string;
  /** Labels percent-encoded as the SDKs send them. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly region?: string;
}

/** A request signed with Smithy's SigV4 signer (as the JavaScript SDK signs) and sent with fetch. */
export async function signedRequest(endpoint: string, account: Credentials, req: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service: 'backup', region: req.region ?? 'us-east-1', sha256: Sha256, credentials: account });
  const headers: Record<string, string> = { host: url.host, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) };
  const signed = await signer.sign({
    method: req.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: req.path,
    query: { ...(req.query ?? {}) },
    headers,
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  const sent = { ...signed.headers };
  delete sent['host'];
  const search = new URLSearchParams(req.query ?? {}).toString();
  const response = await fetch(`${endpoint}${req.path}${search === '' ? '' : `?${search}`}`, {
    method: req.method,
    headers: sent,
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function keysOf(account: TestAccount): Credentials {
  return { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}
