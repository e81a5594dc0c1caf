/**
 * The whole wire layer on a real node:http server, driven by the real clients: the AWS SDK for
 * JavaScript v3 (@aws-sdk/client-backup, @aws-sdk/client-kms) and the AWS CLI, against a few
 * dummy handlers. Checks outputs, that every error envelope parses into the right exception
 * class, status and message, and the handler's own duties (body limit, regions, sandbox,
 * request IDs, the clock in the Date header).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import {
  type BackupServiceException,
  CreateBackupVaultCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  InvalidParameterValueException,
  ListBackupVaultsCommand,
  ListFrameworksCommand,
  MissingParameterValueException,
  PutBackupVaultAccessPolicyCommand,
  ResourceNotFoundException,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { DescribeKeyCommand, EncryptCommand, ListKeysCommand, NotFoundException } from '@aws-sdk/client-kms';
import { AwsError } from '../../src/aws/errors.js';
import { createAwsHttpHandler } from '../../src/aws/http-handler.js';
import type { AwsHttpHandlerOptions, OperationHandler, RequestContext } from '../../src/aws/http-handler.js';
import { BACKUP_MODEL, KMS_MODEL } from '../../src/aws/service-model.js';
import { awsCli, requireAwsCli, signingDebug } from './support/aws-cli.js';
import { startServer, TEST_KEY, testSecretFor } from './support/aws-server.js';
import type { RunningServer } from './support/aws-server.js';
import { backupClient, kmsClient, presignedUrl, signedFetch } from './support/sdk.js';

const ARN = 'arn:aws:backup:us-east-1:000000000000:recovery-point:abc';
const contexts: RequestContext[] = [];
const faults: [unknown, string][] = [];

function recorded(handler: OperationHandler): OperationHandler {
  return (ctx, input) => {
    contexts.push(ctx);
    return handler(ctx, input);
  };
}

const backupHandlers: Record<string, OperationHandler> = {
  ListBackupVaults: recorded(() => ({ BackupVaultList: [] })),
  DescribeBackupVault: recorded((ctx, input) => {
    if (input['BackupVaultName'] === 'missing') {
      throw new AwsError('ResourceNotFoundException', 'Backup vault missing does not exist: create it first.', { context: 'missing' });
    }
    if (input['BackupVaultName'] === 'forbidden')
      throw new AwsError('AccessDeniedException', 'Insufficient privileges to perform this action.', { status: 403 });
    if (input['BackupVaultName'] === 'broken') throw new Error('disk on fire at /secret/path');
    const name = String(input['BackupVaultName']);
    return {
      BackupVaultName: name,
      BackupVaultArn: `arn:aws:backup:${ctx.region}:${ctx.accountId}:backup-vault:${name}`,
      CreationDate: new Date(1716912000123),
    };
  }),
  DescribeRecoveryPoint: recorded((_ctx, input) => ({ RecoveryPointArn: input['RecoveryPointArn'], BackupVaultName: input['BackupVaultName'] })),
  CreateBackupVault: recorded((_ctx, input) => ({ BackupVaultName: input['BackupVaultName'] })),
  StartBackupJob: recorded(() => ({ BackupJobId: 'job-1' })),
  PutBackupVaultAccessPolicy: recorded(() => undefined),
};

const kmsHandlers: Record<string, OperationHandler> = {
  Encrypt: recorded((_ctx, input) => ({ KeyId: input['KeyId'], CiphertextBlob: Buffer.from(input['Plaintext'] as Buffer).reverse() })),
  DescribeKey: recorded((_ctx, input) => {
    throw new AwsError('NotFoundException', `Key '${String(input['KeyId'])}' does not exist`);
  }),
};

function options(extra: Partial<AwsHttpHandlerOptions> = {}): AwsHttpHandlerOptions {
  let id = 0;
  return {
    services: [
      { model: BACKUP_MODEL, handlers: backupHandlers },
      { model: KMS_MODEL, handlers: kmsHandlers },
    ],
    secretFor: testSecretFor,
    regions: ['us-east-1', 'eu-west-1'],
    clock: { now: () => new Date() },
    maxBodyBytes: 64 * 1024,
    newRequestId: () => `req-${++id}`,
    onFault: (error, requestId) => faults.push([error, requestId]),
    ...extra,
  };
}

/** Runs `body` and returns what it threw, failing when it did not throw. */
async function thrown(body: () => Promise<unknown>): Promise<BackupServiceException & { Context?: string }> {
  try {
    await body();
  } catch (error) {
    return error as BackupServiceException;
  }
  assert.fail('expected the call to fail');
}

describe('the AWS HTTP handler with the JavaScript SDK', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer(createAwsHttpHandler(options()));
  });
  after(() => server?.close());

  test("outputs: empty lists, echoed labels, timestamps, the caller's context", async () => {
    const client = backupClient(server.endpoint);
    const list = await client.send(new ListBackupVaultsCommand({}));
    assert.deepEqual(list.BackupVaultList, []);
    assert.equal(list.$metadata.httpStatusCode, 200);
    const vault = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'my-vault' }), {});
    assert.equal(vault.BackupVaultName, 'my-vault');
    assert.equal(vault.BackupVaultArn, 'arn:aws:backup:us-east-1:111111111111:backup-vault:my-vault');
    assert.deepEqual(vault.CreationDate, new Date(1716912000123));
    const ctx = contexts.at(-1);
    assert.deepEqual(ctx && { ...ctx, requestId: ctx.requestId.startsWith('req-') }, {
      accountId: '111111111111',
      region: 'us-east-1',
      principal: 'arn:aws:iam::111111111111:root',
      requestId: true,
      accessKeyId: TEST_KEY.accessKeyId,
      service: 'backup',
      operation: 'DescribeBackupVault',
    });
    assert.equal(vault.$metadata.requestId, ctx?.requestId);
  });

  test('an ARN label round-trips, in another configured region', async () => {
    const arn = 'arn:aws:backup:eu-west-1:111111111111:recovery-point:a/b:c';
    const out = await backupClient(server.endpoint, { region: 'eu-west-1' }).send(
      new DescribeRecoveryPointCommand({ BackupVaultName: 'vv', RecoveryPointArn: arn }),
    );
    assert.equal(out.RecoveryPointArn, arn);
    assert.equal(contexts.at(-1)?.region, 'eu-west-1');
  });

  test('modeled exceptions become their SDK classes with status, message and Context', async () => {
    const client = backupClient(server.endpoint);
    const notFound = await thrown(() => client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'missing' })));
    assert.ok(notFound instanceof ResourceNotFoundException);
    assert.equal(notFound.name, 'ResourceNotFoundException');
    assert.equal(notFound.$metadata.httpStatusCode, 400);
    assert.equal(notFound.message, 'Backup vault missing does not exist: create it first.');
    assert.equal(notFound.Context, 'missing');
    const invalid = await thrown(() => client.send(new CreateBackupVaultCommand({ BackupVaultName: 'x!' })));
    assert.ok(invalid instanceof InvalidParameterValueException);
    assert.match(invalid.message, /Value 'x!' at 'BackupVaultName' failed to satisfy constraint/);
    const missing = await thrown(() =>
      client.send(new StartBackupJobCommand({ BackupVaultName: 'vv', ResourceArn: 'arn:x', IamRoleArn: undefined as unknown as string })),
    );
    assert.ok(missing instanceof MissingParameterValueException);
    assert.match(missing.message, /Value null at 'IamRoleArn'/);
  });

  test('AccessDeniedException is a 403', async () => {
    const denied = await thrown(() => backupClient(server.endpoint).send(new DescribeBackupVaultCommand({ BackupVaultName: 'forbidden' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.$metadata.httpStatusCode, 403);
  });

  test('an operation without a handler: 501 NotImplementedException naming it, not retried', async () => {
    const error = await thrown(() => backupClient(server.endpoint).send(new ListFrameworksCommand({})));
    assert.equal(error.name, 'NotImplementedException');
    assert.equal(error.$metadata.httpStatusCode, 501);
    assert.equal(error.$metadata.attempts, 1);
    assert.match(error.message, /does not implement the Backup operation ListFrameworks/);
  });

  test('authentication: unknown key, wrong secret, unconfigured region', async () => {
    const unknown = await thrown(() => backupClient(server.endpoint, { accessKeyId: 'AKIANOBODY0000000000' }).send(new ListBackupVaultsCommand({})));
    assert.equal(unknown.name, 'UnrecognizedClientException');
    assert.equal(unknown.$metadata.httpStatusCode, 403);
    const bad = await thrown(() => backupClient(server.endpoint, { secretAccessKey: 'wrong' }).send(new ListBackupVaultsCommand({})));
    assert.equal(bad.name, 'InvalidSignatureException');
    assert.equal(bad.$metadata.httpStatusCode, 403);
    assert.equal(bad.$metadata.attempts, 1);
    assert.ok(!bad.message.includes(TEST_KEY.secretAccessKey));
    const region = await thrown(() => backupClient(server.endpoint, { region: 'ap-south-2' }).send(new ListBackupVaultsCommand({})));
    assert.equal(region.name, 'InvalidSignatureException');
    assert.match(region.message, /scoped to a valid region, not 'ap-south-2'. This endpoint serves us-east-1, eu-west-1/);
  });

  test('an oversized body: 413 RequestEntityTooLargeException', async () => {
    const policy = JSON.stringify({ Statement: [{ Sid: 'x'.repeat(200_000) }] });
    const error = await thrown(() =>
      backupClient(server.endpoint, { maxAttempts: 1 }).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'vv', Policy: policy })),
    );
    assert.equal(error.name, 'RequestEntityTooLargeException');
    assert.equal(error.$metadata.httpStatusCode, 413);
    assert.match(error.message, /larger than the limit of 65536 bytes/);
  });

  test('an oversized chunked body (no Content-Length) is refused while it streams', async () => {
    const url = new URL(server.endpoint);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, method: 'PUT', path: '/backup-vaults/vv/access-policy', headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let sent = 0;
      const pump = (): void => {
        while (sent < 40 && req.write(chunk)) sent++;
        if (sent < 40) req.once('drain', pump);
        else req.end();
      };
      pump();
    });
    assert.equal(status, 413);
  });

  test('an unexpected error: 500 InternalFailure without internals, reported to onFault', async () => {
    const error = await thrown(() => backupClient(server.endpoint, { maxAttempts: 1 }).send(new DescribeBackupVaultCommand({ BackupVaultName: 'broken' })));
    assert.equal(error.name, 'InternalFailure');
    assert.equal(error.$metadata.httpStatusCode, 500);
    assert.ok(!error.message.includes('/secret/path'));
    const [fault, requestId] = faults.at(-1) ?? [];
    assert.match(String(fault), /disk on fire/);
    assert.equal(requestId, error.$metadata.requestId);
    assert.match(error.message, new RegExp(`request ${requestId}`));
  });

  test('rest-json envelope on the wire: x-amzn-ErrorType, __type, Code, Message; unknown paths are 404', async () => {
    const response = await signedFetch(server.endpoint, 'GET', '/no-such-path');
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    assert.ok(response.headers.get('x-amzn-requestid')?.startsWith('req-'));
    const body = JSON.parse(response.body) as Record<string, string>;
    assert.equal(body['__type'], 'UnknownOperationException');
    assert.equal(body['Code'], 'UnknownOperationException');
    assert.match(body['Message'] ?? '', /No Backup operation matches GET \/no-such-path/);
  });

  test('a presigned URL works with a plain HTTP client', async () => {
    const url = await presignedUrl(server.endpoint, 'GET', '/backup-vaults/', { maxResults: '5' }, 300);
    const response = await fetch(url);
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { BackupVaultList: [] });
    const tampered = await fetch(url.replace('maxResults=5', 'maxResults=6'));
    assert.equal(tampered.status, 403);
    assert.equal(tampered.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  });

  test('the protocol must match the service: X-Amz-Target with a backup credential scope', async () => {
    const response = await signedFetch(server.endpoint, 'POST', '/', {
      headers: { 'x-amz-target': 'TrentService.ListKeys', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.body), { __type: 'UnknownOperationException', message: 'Backup is called with rest-json (no X-Amz-Target header).' });
  });

  test('KMS over json 1.1: blobs, modeled errors, unimplemented operations, validation', async () => {
    const client = kmsClient(server.endpoint);
    const out = await client.send(new EncryptCommand({ KeyId: 'alias/test', Plaintext: Buffer.from([1, 2, 3]) }));
    assert.deepEqual(Buffer.from(out.CiphertextBlob ?? []), Buffer.from([3, 2, 1]));
    assert.equal(contexts.at(-1)?.service, 'kms');
    const notFound = await thrown(() => client.send(new DescribeKeyCommand({ KeyId: 'nope' })));
    assert.ok(notFound instanceof NotFoundException);
    assert.equal(notFound.message, "Key 'nope' does not exist");
    const unimplemented = await thrown(() => client.send(new ListKeysCommand({})));
    assert.equal(unimplemented.name, 'NotImplementedException');
    assert.equal(unimplemented.$metadata.httpStatusCode, 501);
    const invalid = await thrown(() => client.send(new ListKeysCommand({ Limit: 0 })));
    assert.equal(invalid.name, 'NotImplementedException', 'an unimplemented operation is refused before its input is read');
    const validation = await thrown(() => client.send(new EncryptCommand({ KeyId: '', Plaintext: Buffer.from([1]) })));
    assert.equal(validation.name, 'ValidationException');
    assert.match(validation.message, /at 'KeyId'/);
  });
});

describe('the AWS HTTP handler: clock and sandbox', () => {
  test('the Date header comes from the injected clock, so the SDK corrects its skew and retries', async () => {
    const ahead = 60 * 60 * 1000;
    const server = await startServer(createAwsHttpHandler(options({ clock: { now: () => new Date(Date.now() + ahead) } })));
    try {
      const out = await backupClient(server.endpoint).send(new ListBackupVaultsCommand({}));
      assert.equal(out.$metadata.attempts, 2, 'first attempt: Signature expired; second: signed with the corrected clock');
    } finally {
      await server.close();
    }
  });

  test('sandbox: any unknown key is account 000000000000; configured keys are still verified', async () => {
    const server = await startServer(createAwsHttpHandler(options({ sandbox: true })));
    try {
      const out = await backupClient(server.endpoint, { accessKeyId: 'test', secretAccessKey: 'test' }).send(
        new DescribeBackupVaultCommand({ BackupVaultName: 'vv' }),
      );
      assert.equal(out.BackupVaultArn, 'arn:aws:backup:us-east-1:000000000000:backup-vault:vv');
      const bad = await thrown(() => backupClient(server.endpoint, { secretAccessKey: 'wrong' }).send(new ListBackupVaultsCommand({})));
      assert.equal(bad.name, 'InvalidSignatureException');
    } finally {
      await server.close();
    }
  });
});

describe('the AWS HTTP handler with the AWS CLI', () => {
  let server: RunningServer;
  before(async () => {
    requireAwsCli();
    server = await startServer(createAwsHttpHandler(options()));
  });
  after(() => server?.close());

  async function cliOk(args: readonly string[]): Promise<unknown> {
    const run = await awsCli(server.endpoint, args);
    assert.equal(run.status, 0, `aws ${args.join(' ')} failed:\n${signingDebug(run)}`);
    return JSON.parse(run.stdout);
  }

  async function cliError(args: readonly string[]): Promise<string> {
    const run = await awsCli(server.endpoint, args);
    assert.notEqual(run.status, 0, `aws ${args.join(' ')} should have failed`);
    const line = run.stderr.split('\n').find((l) => l.startsWith('An error occurred'));
    assert.ok(line, `no error line in:\n${signingDebug(run)}`);
    return line;
  }

  test('aws backup list-backup-vaults', async () => {
    assert.deepEqual(await cliOk(['backup', 'list-backup-vaults']), { BackupVaultList: [] });
  });

  test('aws backup describe-backup-vault echoes the name', async () => {
    const out = (await cliOk(['backup', 'describe-backup-vault', '--backup-vault-name', 'cli-vault'])) as Record<string, unknown>;
    assert.equal(out['BackupVaultName'], 'cli-vault');
    assert.equal(out['BackupVaultArn'], 'arn:aws:backup:us-east-1:111111111111:backup-vault:cli-vault');
  });

  test('aws backup describe-recovery-point with an ARN in the path', async () => {
    assert.deepEqual(await cliOk(['backup', 'describe-recovery-point', '--backup-vault-name', 'vv', '--recovery-point-arn', ARN]), {
      RecoveryPointArn: ARN,
      BackupVaultName: 'vv',
    });
  });

  test('errors reach the CLI by name with their message', async () => {
    assert.equal(
      await cliError(['backup', 'describe-backup-vault', '--backup-vault-name', 'missing']),
      'An error occurred (ResourceNotFoundException) when calling the DescribeBackupVault operation: Backup vault missing does not exist: create it first.',
    );
    assert.match(
      await cliError(['backup', 'list-frameworks']),
      /\(NotImplementedException\) when calling the ListFrameworks operation: Coffer does not implement/,
    );
    assert.match(await cliError(['backup', 'create-backup-vault', '--backup-vault-name', 'no!']), /\(InvalidParameterValueException\).*'BackupVaultName'/);
  });

  test('aws kms: json 1.1 errors', async () => {
    assert.match(
      await cliError(['kms', 'describe-key', '--key-id', 'nope']),
      /\(NotFoundException\) when calling the DescribeKey operation: Key 'nope' does not exist/,
    );
  });
});
