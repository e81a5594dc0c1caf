/**
 * The rest-json codec on AWS Backup's model: routing (trailing slashes, encoded ARNs, literal
 * query), binding from URI, query, headers and body, validation answers, output serialization.
 * A tiny hand-written model covers what Backup's model does not use (greedy labels, headers).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/aws/errors.js';
import { RestJsonProtocol } from '../../src/aws/rest-json.js';
import { BACKUP_MODEL } from '../../src/aws/service-model.js';
import type { ServiceModel } from '../../src/aws/service-model.js';
import type { WireRequest } from '../../src/aws/wire-message.js';

const backup = new RestJsonProtocol(BACKUP_MODEL);
const ARN = 'arn:aws:backup:us-east-1:000000000000:recovery-point:abc/def';

function req(method: string, target: string, body = '', headers: Record<string, string> = {}): WireRequest {
  const q = target.indexOf('?');
  return {
    method,
    rawPath: q < 0 ? target : target.slice(0, q),
    rawQuery: q < 0 ? '' : target.slice(q + 1),
    headers: { host: 'h', ...headers },
    body: Buffer.from(body),
  };
}

function operationOf(method: string, target: string): string {
  return backup.route(req(method, target)).operation.name;
}

function input(method: string, target: string, body = '', protocol = backup): Record<string, unknown> {
  const request = req(method, target, body);
  return protocol.readInput(protocol.route(request), request);
}

function rejects(method: string, target: string, body: string, code: string, message: RegExp): void {
  assert.throws(
    () => input(method, target, body),
    (error: unknown) => {
      assert.ok(error instanceof AwsError);
      assert.equal(error.code, code, error.message);
      assert.equal(error.status, 400);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('rest-json routing', () => {
  test('method + template, with and without the trailing slash', () => {
    assert.equal(operationOf('GET', '/backup-vaults/'), 'ListBackupVaults');
    assert.equal(operationOf('GET', '/backup-vaults'), 'ListBackupVaults');
    assert.equal(operationOf('GET', '/backup/plans/p1/'), 'GetBackupPlan');
    assert.equal(operationOf('GET', '/backup/plans/p1'), 'GetBackupPlan');
    assert.equal(operationOf('DELETE', '/backup/plans/p1'), 'DeleteBackupPlan');
    assert.equal(operationOf('DELETE', '/backup/plans/p1/'), 'DeleteBackupPlan');
    assert.equal(operationOf('PUT', '/backup-vaults/v1'), 'CreateBackupVault');
    assert.equal(operationOf('GET', '/backup-vaults/v1/recovery-points/'), 'ListRecoveryPointsByBackupVault');
  });

  test('an ARN label: split on / first, then decode, so %2F stays inside the label', () => {
    const route = backup.route(req('GET', `/backup-vaults/v1/recovery-points/${encodeURIComponent(ARN)}`));
    assert.equal(route.operation.name, 'DescribeRecoveryPoint');
    assert.deepEqual(route.labels, { backupVaultName: 'v1', recoveryPointArn: ARN });
    assert.equal(operationOf('GET', `/backup-vaults/v1/recovery-points/${encodeURIComponent(ARN)}/restore-metadata`), 'GetRecoveryPointRestoreMetadata');
    assert.equal(operationOf('POST', `/tags/${encodeURIComponent(ARN)}`), 'TagResource');
    assert.equal(operationOf('GET', `/tags/${encodeURIComponent(ARN)}/`), 'ListTags');
  });

  test('a literal query in the template (?delete) tells two operations on one path apart', () => {
    assert.equal(operationOf('PUT', '/backup-vaults/v1/mpaApprovalTeam'), 'AssociateBackupVaultMpaApprovalTeam');
    assert.equal(operationOf('POST', '/backup-vaults/v1/mpaApprovalTeam?delete'), 'DisassociateBackupVaultMpaApprovalTeam');
    assert.throws(() => backup.route(req('POST', '/backup-vaults/v1/mpaApprovalTeam')), /UnknownOperation|No Backup operation/);
  });

  test('unknown paths and wrong methods: 404 UnknownOperationException naming what would work', () => {
    assert.throws(
      () => backup.route(req('GET', '/no-such-thing')),
      (e: unknown) => e instanceof AwsError && e.code === 'UnknownOperationException' && e.status === 404,
    );
    assert.throws(() => backup.route(req('PATCH', '/backup-vaults/v1')), /this path accepts DELETE, GET, PUT/);
    assert.throws(() => backup.route(req('GET', '/backup-vaults//recovery-points/x')), /No Backup operation matches/);
  });
});

describe('rest-json input binding and validation', () => {
  test('URI labels, query parameters (int, bool, enum, ISO-8601 timestamps) bound by member name', () => {
    assert.deepEqual(input('GET', '/backup-vaults/?shared=true&maxResults=20&nextToken=a%2Bb+c'), { ByShared: true, MaxResults: 20, NextToken: 'a+b+c' });
    const jobs = input('GET', '/backup-jobs/?state=COMPLETED&createdAfter=2024-01-01T00%3A00%3A00Z&createdBefore=2024-02-01T12%3A30%3A00.5%2B01%3A00');
    assert.equal(jobs['ByState'], 'COMPLETED');
    assert.deepEqual(jobs['ByCreatedAfter'], new Date('2024-01-01T00:00:00Z'));
    assert.deepEqual(jobs['ByCreatedBefore'], new Date('2024-02-01T11:30:00.500Z'));
  });

  test('JSON body members, nested, with epoch-second timestamps becoming Dates', () => {
    const body = JSON.stringify({
      BackupVaultName: 'vault-1',
      ResourceArn: 'arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-1',
      IamRoleArn: 'arn:aws:iam::000000000000:role/r',
      Lifecycle: { DeleteAfterDays: 7 },
      RecoveryPointTags: { a: 'b' },
      Unknown: 'ignored',
    });
    assert.deepEqual(input('PUT', '/backup-jobs', body), {
      BackupVaultName: 'vault-1',
      ResourceArn: 'arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-1',
      IamRoleArn: 'arn:aws:iam::000000000000:role/r',
      Lifecycle: { DeleteAfterDays: 7 },
      RecoveryPointTags: { a: 'b' },
    });
    const hold = input(
      'POST',
      '/legal-holds/',
      JSON.stringify({ Title: 't', Description: 'd', RecoveryPointSelection: { DateRange: { FromDate: 1716912000.123, ToDate: 1716998400 } } }),
    );
    assert.deepEqual(hold['RecoveryPointSelection'], { DateRange: { FromDate: new Date(1716912000123), ToDate: new Date(1716998400000) } });
  });

  test('a missing required member: MissingParameterValueException naming it', () => {
    rejects(
      'PUT',
      '/backup-jobs',
      JSON.stringify({ BackupVaultName: 'vault-1' }),
      'MissingParameterValueException',
      /^2 validation errors detected: Value null at 'ResourceArn' failed to satisfy constraint: Member must not be null; Value null at 'IamRoleArn'/,
    );
    rejects('POST', '/backup/template/json/toPlan', '', 'MissingParameterValueException', /Value null at 'BackupPlanTemplateJson'/);
  });

  test('wrong type, enum, range, length and pattern: InvalidParameterValueException naming member and problem', () => {
    rejects(
      'GET',
      '/backup-vaults/?maxResults=abc',
      '',
      'InvalidParameterValueException',
      /Value 'abc' at 'MaxResults' failed to satisfy constraint: Member must be an integer/,
    );
    rejects('GET', '/backup-vaults/?maxResults=0', '', 'InvalidParameterValueException', /Value '0' at 'MaxResults' .* greater than or equal to 1/);
    rejects('GET', '/backup-vaults/?shared=yes', '', 'InvalidParameterValueException', /Member must be 'true' or 'false'/);
    rejects(
      'GET',
      '/backup-jobs/?state=DONE',
      '',
      'InvalidParameterValueException',
      /Value 'DONE' at 'ByState' .* enum value set: \[CREATED, PENDING, RUNNING/,
    );
    rejects('GET', '/backup-jobs/?createdAfter=yesterday', '', 'InvalidParameterValueException', /at 'ByCreatedAfter' .* ISO-8601/);
    rejects('PUT', '/backup-vaults/a', '', 'InvalidParameterValueException', /Value 'a' at 'BackupVaultName' .* regular expression pattern: \^\[a-zA-Z0-9/);
    rejects(
      'PUT',
      '/backup-jobs',
      JSON.stringify({ BackupVaultName: 'v1', ResourceArn: 5, IamRoleArn: 'r', Lifecycle: { DeleteAfterDays: '7' } }),
      'InvalidParameterValueException',
      /Value '5' at 'ResourceArn' .* must be a string, not a number; Value '7' at 'Lifecycle.DeleteAfterDays' .* must be a whole number, not a string/,
    );
    rejects(
      'POST',
      '/legal-holds/',
      JSON.stringify({ Title: 't', Description: 'd', RecoveryPointSelection: { DateRange: { FromDate: '2024-01-01', ToDate: 1 } } }),
      'InvalidParameterValueException',
      /at 'RecoveryPointSelection.DateRange.FromDate' .* epoch seconds/,
    );
  });

  test('a body that is not a JSON object: SerializationException', () => {
    rejects('PUT', '/backup-jobs', '{"BackupVaultName":', 'SerializationException', /not valid JSON/);
    rejects('PUT', '/backup-jobs', '[1]', 'SerializationException', /must be a JSON object/);
  });
});

describe('rest-json output', () => {
  test('only modeled members, timestamps as epoch seconds with milliseconds, the success code', () => {
    const op = BACKUP_MODEL.operations['DescribeBackupVault'];
    assert.ok(op);
    const response = backup.writeOutput(op, { BackupVaultName: 'v1', CreationDate: new Date(1716912000123), NumberOfRecoveryPoints: 3, Secret: 'x' }, 'req-1');
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-amzn-RequestId'], 'req-1');
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.body, '{"BackupVaultName":"v1","CreationDate":1716912000.123,"NumberOfRecoveryPoints":3}');
  });

  test('non-200 success codes, 204 without a body, operations without output', () => {
    const cancel = BACKUP_MODEL.operations['CancelLegalHold'];
    const associate = BACKUP_MODEL.operations['AssociateBackupVaultMpaApprovalTeam'];
    const del = BACKUP_MODEL.operations['DeleteBackupVault'];
    assert.ok(cancel && associate && del);
    assert.equal(backup.writeOutput(cancel, {}, 'r').status, 201);
    assert.deepEqual(backup.writeOutput(associate, {}, 'r'), { status: 204, headers: { 'x-amzn-RequestId': 'r' }, body: '' });
    assert.deepEqual(backup.writeOutput(del, undefined, 'r'), { status: 200, headers: { 'x-amzn-RequestId': 'r' }, body: '' });
  });
});

describe('rest-json features Backup does not use', () => {
  const model: ServiceModel = {
    signingName: 'demo',
    serviceId: 'Demo',
    apiVersion: '2024-01-01',
    protocol: 'rest-json',
    operations: {
      GetObject: { name: 'GetObject', method: 'GET', requestUri: '/objects/{Bucket}/{Key+}', successCode: 200, input: 'GetIn', output: 'GetOut', errors: [] },
      GetBucket: { name: 'GetBucket', method: 'GET', requestUri: '/objects/{Bucket}', successCode: 200, input: 'GetIn', errors: [] },
    },
    shapes: {
      GetIn: {
        type: 'structure',
        members: {
          Bucket: { shape: 'Name', location: 'uri', locationName: 'Bucket', required: true },
          Key: { shape: 'Name', location: 'uri', locationName: 'Key' },
          Since: { shape: 'Time', location: 'header', locationName: 'If-Modified-Since' },
          Ids: { shape: 'Ids', location: 'querystring', locationName: 'id' },
        },
      },
      GetOut: {
        type: 'structure',
        members: {
          Modified: { shape: 'Time', location: 'header', locationName: 'Last-Modified' },
          Code: { shape: 'Count', location: 'statusCode' },
          Size: { shape: 'Count' },
        },
      },
      Name: { type: 'string', min: 1 },
      Time: { type: 'timestamp' },
      Count: { type: 'integer' },
      Ids: { type: 'list', member: { shape: 'Count' }, max: 3 },
    },
  };
  const demo = new RestJsonProtocol(model);

  test('greedy labels take the rest of the path, decoded segment by segment', () => {
    const request = req('GET', '/objects/b1/a/b%2Fc/d%20e?id=1&id=2', '', { 'if-modified-since': 'Tue, 28 May 2024 12:00:00 GMT' });
    const route = demo.route(request);
    assert.equal(route.operation.name, 'GetObject');
    assert.deepEqual(demo.readInput(route, request), { Bucket: 'b1', Key: 'a/b/c/d e', Since: new Date('2024-05-28T12:00:00Z'), Ids: [1, 2] });
    assert.equal(demo.route(req('GET', '/objects/b1')).operation.name, 'GetBucket');
  });

  test('list query parameters are validated as lists', () => {
    const request = req('GET', '/objects/b1/k?id=1&id=2&id=3&id=x');
    assert.throws(() => demo.readInput(demo.route(request), request), /at 'Ids\[3\]' .* integer.*; Value .* at 'Ids' .* less than or equal to 3/);
  });

  test('header and status-code output members', () => {
    const op = model.operations['GetObject'];
    assert.ok(op);
    const response = demo.writeOutput(op, { Modified: new Date('2024-05-28T12:00:00Z'), Code: 206, Size: 5 }, 'r');
    assert.equal(response.status, 206);
    assert.equal(response.headers['Last-Modified'], 'Tue, 28 May 2024 12:00:00 GMT');
    assert.equal(response.body, '{"Size":5}');
  });
});
