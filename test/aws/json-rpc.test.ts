/** The json 1.1 codec on KMS's model: routing by X-Amz-Target, binding, validation, envelopes. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/aws/errors.js';
import { JsonRpcProtocol, jsonRpcErrorResponse } from '../../src/aws/json-rpc.js';
import { KMS_MODEL } from '../../src/aws/service-model.js';
import type { WireRequest } from '../../src/aws/wire-message.js';

const kms = new JsonRpcProtocol(KMS_MODEL);

function req(target: string | undefined, body: unknown, method = 'POST', rawPath = '/'): WireRequest {
  const headers: Record<string, string> = { host: 'h', 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  return { method, rawPath, rawQuery: '', headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

function input(target: string, body: unknown): Record<string, unknown> {
  const request = req(target, body);
  return kms.readInput(kms.route(request), request);
}

function throwsAws(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe('json 1.1 (KMS)', () => {
  test('routes by X-Amz-Target and binds the body, blobs decoded from base64', () => {
    assert.equal(kms.route(req('TrentService.ListKeys', {})).operation.name, 'ListKeys');
    const plaintext = Buffer.from('hello');
    assert.deepEqual(input('TrentService.Encrypt', { KeyId: 'alias/x', Plaintext: plaintext.toString('base64'), EncryptionContext: { a: 'b' } }), {
      KeyId: 'alias/x',
      Plaintext: plaintext,
      EncryptionContext: { a: 'b' },
    });
    assert.deepEqual(input('TrentService.ListKeys', ''), {});
  });

  test('unknown targets, other prefixes, wrong method or path: UnknownOperationException', () => {
    throwsAws(() => kms.route(req('TrentService.Nope', {})), 'UnknownOperationException', /no operation 'TrentService.Nope'/);
    throwsAws(() => kms.route(req('Other.ListKeys', {})), 'UnknownOperationException', /X-Amz-Target: TrentService.<Operation>/);
    throwsAws(() => kms.route(req(undefined, {})), 'UnknownOperationException', /no operation ''/);
    throwsAws(() => kms.route(req('TrentService.ListKeys', {}, 'GET')), 'UnknownOperationException', /POST \//);
    throwsAws(() => kms.route(req('TrentService.ListKeys', {}, 'POST', '/keys')), 'UnknownOperationException', /POST \//);
  });

  test('validation: ValidationException (KMS models no exception of its own), sensitive values never echoed', () => {
    throwsAws(
      () => input('TrentService.Encrypt', { KeyId: 'k' }),
      'ValidationException',
      /Value null at 'Plaintext' failed to satisfy constraint: Member must not be null/,
    );
    throwsAws(
      () => input('TrentService.Encrypt', { KeyId: 'k', Plaintext: 'not base64!' }),
      'ValidationException',
      /Value '\*\*\* Sensitive Data Redacted \*\*\*' at 'Plaintext'/,
    );
    throwsAws(
      () => input('TrentService.Encrypt', { KeyId: '', Plaintext: 'AA==' }),
      'ValidationException',
      /Value '' at 'KeyId' .* greater than or equal to 1/,
    );
    throwsAws(() => input('TrentService.ListKeys', { Limit: 5000 }), 'ValidationException', /Value '5000' at 'Limit' .* less than or equal to 1000/);
    throwsAws(() => input('TrentService.CreateKey', { KeySpec: 'RSA_1' }), 'ValidationException', /at 'KeySpec' .* enum value set/);
    throwsAws(() => input('TrentService.ListKeys', 'nope'), 'SerializationException', /not valid JSON/);
  });

  test('output: modeled members only, timestamps as epoch seconds, blobs as base64; {} when empty', () => {
    const describe = KMS_MODEL.operations['DescribeKey'];
    const encrypt = KMS_MODEL.operations['Encrypt'];
    const cancel = KMS_MODEL.operations['TagResource'];
    assert.ok(describe && encrypt && cancel);
    const out = kms.writeOutput(describe, { KeyMetadata: { KeyId: 'k1', CreationDate: new Date(1716912000500), Enabled: true, Internal: 1 } }, 'r1');
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(out.body, '{"KeyMetadata":{"KeyId":"k1","CreationDate":1716912000.5,"Enabled":true}}');
    assert.equal(kms.writeOutput(encrypt, { CiphertextBlob: Buffer.from([1, 2, 3]) }, 'r').body, '{"CiphertextBlob":"AQID"}');
    assert.equal(kms.writeOutput(cancel, undefined, 'r').body, '{}');
  });

  test('the error envelope: {"__type", "message"} plus the type header', () => {
    const response = jsonRpcErrorResponse(new AwsError('NotFoundException', 'Key k not found'), 'r9');
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.body), { __type: 'NotFoundException', message: 'Key k not found' });
    assert.equal(response.headers['x-amzn-ErrorType'], 'NotFoundException');
    assert.equal(response.headers['x-amzn-RequestId'], 'r9');
  });
});
