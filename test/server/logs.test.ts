/**
 * The structured log of the real `coffer serve` (stdout, not a terminal: JSON lines): each AWS
 * request with its request id, account, operation, status and duration, and each job
 * transition; and no secret from the config (an access key's secret, the SMTP password, a
 * metrics token) anywhere in stdout or stderr, even for a refused request signed with a wrong key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBackupVaultCommand, ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-logged`;
const SMTP_PASSWORD = 'smtp-password-never-logged-77';
const METRICS_TOKEN = 'metrics-token-never-logged-88';

const server = useCoffer({
  yaml: async () => {
    const secrets = await mkdtemp(join(tmpdir(), 'coffer-log-secrets-'));
    await writeFile(join(secrets, 'smtp'), `${SMTP_PASSWORD}\n`);
    await writeFile(join(secrets, 'metrics'), `${METRICS_TOKEN}\n`);
    return `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
notifications:
  topics: [{ arn: "arn:aws:sns:us-east-1:${ALPHA.accountId}:t", subscribers: ["mailto:ops@example.test"] }]
  smtp: { host: 127.0.0.1, port: 9, from: coffer@example.test, username: coffer, passwordFile: "${join(secrets, 'smtp')}" }
metrics: { tokenFile: "${join(secrets, 'metrics')}" }
`;
  },
});

type Line = Record<string, unknown>;
const jsonLines = (out: string): Line[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

describe('logs', () => {
  test('requests and job transitions as JSON lines; no secret anywhere', async () => {
    const { endpoint, dir, process: coffer } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'a.txt'), 'log me\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'logged' }));
    const { job } = await backupAndWait(client, 'logged', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId));
    await assert.rejects(sdk(endpoint, { accessKeyId: ALPHA.accessKeyId, secretAccessKey: 'wrong-secret-value' }).send(new ListBackupVaultsCommand({})));
    await fetch(`${endpoint}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

    const lines = jsonLines(coffer.stdout());
    const created = lines.find((l) => l['msg'] === 'request' && l['operation'] === 'CreateBackupVault');
    assert.ok(created !== undefined, coffer.stdout());
    assert.equal(created['level'], 'info');
    assert.equal(created['accountId'], ALPHA.accountId);
    assert.equal(created['status'], 200);
    assert.match(String(created['requestId']), /^[0-9a-f-]{36}$/);
    assert.equal(typeof created['durationMs'], 'number');
    const refused = lines.find((l) => l['msg'] === 'request' && l['status'] === 403);
    assert.ok(refused !== undefined && refused['errorCode'] === 'InvalidSignatureException', JSON.stringify(refused));
    const transitions = lines.filter((l) => l['msg'] === 'job' && l['jobId'] === job.BackupJobId).map((l) => `${String(l['from'] ?? '-')}>${String(l['to'])}`);
    assert.ok(transitions.includes('RUNNING>COMPLETED'), transitions.join(' '));

    const everything = coffer.stdout() + coffer.stderr();
    for (const secret of [ALPHA.secretAccessKey, SMTP_PASSWORD, METRICS_TOKEN, 'wrong-secret-value'])
      assert.equal(everything.includes(secret), false, `${secret.slice(0, 6)}... is in the output`);
  });
});
