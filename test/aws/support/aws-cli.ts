/**
 * Runs the real AWS CLI (v1, Python) against a local endpoint. Asynchronous on purpose: the
 * server under test runs in this same process and must keep answering while the CLI waits.
 */
// test-needs: aws-cli
import { spawn, spawnSync } from 'node:child_process';
import { TEST_KEY } from './aws-server.js';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails (never skips) with instructions when the CLI is missing. */
export function requireAwsCli(): void {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error('the AWS CLI (`aws`) is required by these tests: install it with `pip install awscli` (v1) or the AWS CLI v2 installer, then re-run');
  }
}

export interface CliOptions {
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

export function awsCli(endpoint: string, args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: options.accessKeyId ?? TEST_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.secretAccessKey ?? TEST_KEY.secretAccessKey,
    AWS_DEFAULT_REGION: options.region ?? 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  delete env['AWS_SESSION_TOKEN'];
  delete env['AWS_PROFILE'];
  return new Promise((resolve, reject) => {
    const child = spawn('aws', ['--endpoint-url', endpoint, '--debug', '--output', 'json', ...args], { env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The CLI's own account of what it signed, for failure messages. */
export function signingDebug(run: CliRun): string {
  const start = run.stderr.indexOf('CanonicalRequest:');
  const tail = run.stderr
    .split('\n')
    .filter((l) => /Error|error|exception/.test(l))
    .slice(-5)
    .join('\n');
  return `${start >= 0 ? run.stderr.slice(start, start + 1500) : ''}\n${tail}\nstdout: ${run.stdout}`;
}
