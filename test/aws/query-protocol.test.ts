/** The query protocol codec on STS's and IAM's models: routing by Action, form binding (lists, maps, structures), XML output and error envelopes. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/aws/errors.js';
import { QueryProtocol, queryErrorResponse } from '../../src/aws/query-protocol.js';
import { IAM_MODEL, STS_MODEL } from '../../src/aws/service-model.js';
import type { WireRequest } from '../../src/aws/wire-message.js';

const iam = new QueryProtocol(IAM_MODEL);
const sts = new QueryProtocol(STS_MODEL);

function form(body: string, method = 'POST', rawQuery = ''): WireRequest {
  return { method, rawPath: '/', rawQuery, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(body) };
}

function input(protocol: QueryProtocol, body: string): Record<string, unknown> {
  const request = form(body);
  return protocol.readInput(protocol.route(request), request);
}

describe('query protocol (STS, IAM)', () => {
  test('routes by Action, from the form body or a GET query string', () => {
    assert.equal(sts.route(form('Action=GetCallerIdentity&Version=2011-06-15')).operation.name, 'GetCallerIdentity');
    assert.equal(iam.route(form('', 'GET', 'Action=ListRoles&Version=2010-05-08')).operation.name, 'ListRoles');
    assert.throws(
      () => iam.route(form('Action=toString')),
      (e: unknown) => e instanceof AwsError && e.code === 'InvalidAction',
    );
    assert.throws(
      () => iam.route(form('Version=2010-05-08')),
      (e: unknown) => e instanceof AwsError && /names no Action/.test(e.message),
    );
  });

  test('binds scalars, member lists, structures in lists, a + as a space, integers and booleans', () => {
    assert.deepEqual(
      input(
        iam,
        'Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%7B%7D&Description=a+b%2Bc&MaxSessionDuration=7200&Tags.member.2.Key=k2&Tags.member.2.Value=v2&Tags.member.1.Key=k1&Tags.member.1.Value=v1',
      ),
      {
        RoleName: 'r',
        AssumeRolePolicyDocument: '{}',
        Description: 'a b+c',
        MaxSessionDuration: 7200,
        Tags: [
          { Key: 'k1', Value: 'v1' },
          { Key: 'k2', Value: 'v2' },
        ],
      },
    );
    assert.deepEqual(input(iam, 'Action=UntagRole&RoleName=r&TagKeys.member.1=a&TagKeys.member.2=b'), { RoleName: 'r', TagKeys: ['a', 'b'] });
    assert.deepEqual(input(iam, 'Action=ListPolicies&OnlyAttached=true&MaxItems=3'), { OnlyAttached: true, MaxItems: 3 });
    assert.deepEqual(input(iam, 'Action=UntagRole&RoleName=r&TagKeys='), { RoleName: 'r', TagKeys: [] }, 'an empty list as the SDKs send it');
  });

  test('violations answer ValidationError listing each', () => {
    assert.throws(
      () => input(iam, 'Action=CreateRole&MaxSessionDuration=abc'),
      (e: unknown) => {
        assert.ok(e instanceof AwsError);
        assert.equal(e.code, 'ValidationError');
        assert.match(e.message, /^3 validation errors detected: /);
        assert.match(e.message, /at 'RoleName' failed to satisfy constraint: Member must not be null/);
        return true;
      },
    );
  });

  test('writes the result wrapper, member lists and ISO 8601 dates, escaping text', () => {
    const op = IAM_MODEL.operations['ListRoles'];
    assert.ok(op);
    const out = iam.writeOutput(
      op,
      { Roles: [{ RoleName: 'a&b', Path: '/', RoleId: 'AROA1', Arn: 'arn', CreateDate: new Date('2024-05-28T12:00:00Z') }], IsTruncated: false },
      'rid',
    );
    assert.equal(out.headers['content-type'], 'text/xml');
    assert.equal(
      out.body,
      '<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><Roles><member><Path>/</Path><RoleName>a&amp;b</RoleName>'
        + '<RoleId>AROA1</RoleId><Arn>arn</Arn><CreateDate>2024-05-28T12:00:00.000Z</CreateDate></member></Roles><IsTruncated>false</IsTruncated></ListRolesResult>'
        + '<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ListRolesResponse>',
    );
    const none = IAM_MODEL.operations['DeleteRole'];
    assert.ok(none);
    assert.equal(
      iam.writeOutput(none, undefined, 'r2').body,
      '<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DeleteRoleResponse>',
    );
  });

  test('errors: Sender or Receiver, the query codes of signature errors', () => {
    const e = queryErrorResponse(new AwsError('NoSuchEntity', 'The role with name <x> cannot be found.', { status: 404 }), 'rid', STS_MODEL.xmlNamespace);
    assert.equal(e.status, 404);
    assert.equal(
      e.body,
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name &lt;x&gt; cannot be found.</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
    );
    assert.match(queryErrorResponse(new AwsError('InvalidSignatureException', 'no', { status: 403 }), 'r').body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(queryErrorResponse(new AwsError('InternalFailure', 'x', { status: 500 }), 'r').body, /<Type>Receiver<\/Type>/);
  });
});
