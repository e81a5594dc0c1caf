/** Putting a bad policy: each kind of mistake IAM refuses, and a message that says what to fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const base = { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'backup:CopyIntoBackupVault', Resource: '*' };
const withCondition = (Condition: unknown): string => doc({ ...base, Condition });

test('accepts the policies AWS users write', () => {
  const good = [
    doc({ Sid: 'A', ...base, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } } }),
    doc({
      Sid: 'B',
      Effect: 'Deny',
      NotPrincipal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::222222222222:role/Admin'] },
      NotAction: 'backup:Describe*',
      NotResource: 'arn:aws:backup:*:222222222222:backup-vault:keep*',
    }),
    doc({
      ...base,
      Principal: { Service: 'backup.amazonaws.com', AWS: '*' },
      Action: ['kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true }, 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'x*' } },
    }),
    withCondition({
      NumericLessThan: { 'backup:RetentionDays': 35 },
      DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
      Null: { 'aws:SourceArn': 'false' },
      'ForAllValues:ArnLike': { 'aws:SourceArn': '${aws:SourceArn}' },
    }),
    JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: base }),
  ];
  for (const text of good) assert.equal(typeof parsePolicyDocument(text), 'object', `${text}: ${String(parsePolicyDocument(text))}`);
});

test('says what to fix in a bad policy', () => {
  const cases: [string, RegExp][] = [
    [JSON.stringify({ Version: '2012-10-17', Statment: [] }), /unknown element "Statment"; a policy document may have only Version, Id, Statement/],
    [doc({ ...base, effect: 'Allow' }), /^Statement\[0\] has an unknown element "effect"; a statement may have only Sid, Effect, /],
    [doc({ ...base, Effect: 'allow' }), /^Statement\[0\] has Effect "allow"; it must be "Allow" or "Deny"/],
    [doc({ ...base, NotAction: 'backup:List*' }), /^Statement\[0\] has both Action and NotAction; use only one of them/],
    [doc({ ...base, Action: undefined }), /^Statement\[0\] names no Action \(or NotAction\)/],
    [doc({ ...base, Action: 'CopyIntoBackupVault' }), /has Action "CopyIntoBackupVault", which is not "\*" or of the form "service:action"/],
    [doc({ ...base, Action: [] }), /has Action \[\]; give an action such as/],
    [
      doc({ ...base, Principal: 'arn:aws:iam::111111111111:root' }),
      /has Principal "arn:aws:iam::111111111111:root"; it must be "\*" or an object such as \{"AWS": /,
    ],
    [doc({ ...base, Principal: { Aws: '111111111111' } }), /has Principal type "Aws"; use AWS, Service, Federated, CanonicalUser/],
    [doc({ ...base, Principal: { AWS: '11111111111' } }), /has Principal AWS "11111111111", which is not a 12-digit account id/],
    [doc({ ...base, Principal: { AWS: 111111111111 } }), /has Principal AWS 111111111111, a number; write the account id as a string, "111111111111"/],
    [doc({ ...base, Principal: { AWS: 'arn:aws:iam::1111:root' } }), /whose account "1111" is not a 12-digit account id/],
    [doc({ ...base, Principal: { AWS: 'arn:aws:iam::*:root' } }), /a Principal allows no wildcard other than "\*" alone/],
    [doc({ ...base, Principal: { AWS: 'alice' } }), /which is not "\*", a 12-digit account id or an IAM ARN/],
    [doc({ ...base, Principal: { Service: 'backup' } }), /which is not a service principal such as "backup.amazonaws.com"/],
    [doc({ ...base, Principal: {} }), /has an empty Principal object/],
    [doc({ ...base, NotPrincipal: '*' }), /has both Principal and NotPrincipal; use only one of them/],
    [doc({ ...base, Resource: 'central' }), /has Resource "central", which is not "\*" or an ARN/],
    [doc({ ...base, NotResource: '*' }), /has both Resource and NotResource/],
    [withCondition('aws:SourceAccount'), /has a Condition that is not an object/],
    [withCondition({ StringEqual: { 'aws:SourceAccount': '1' } }), /uses unknown condition operator "StringEqual"; use one of StringEquals, /],
    [
      withCondition({ stringequalsifexists: { 'aws:SourceAccount': '1' } }),
      /unknown condition operator "stringequalsifexists"; did you mean "StringEqualsIfExists"\? Operator names are case-sensitive/,
    ],
    [withCondition({ 'forAnyValue:stringLike': { 'aws:TagKeys': 'a' } }), /did you mean "ForAnyValue:StringLike"/],
    [withCondition({ NullIfExists: { 'aws:SourceArn': 'true' } }), /Null takes no IfExists suffix/],
    [withCondition({ StringEquals: 'o-1' }), /condition operator StringEquals whose value is not an object of condition keys/],
    [withCondition({ StringEquals: { 'aws:SourceAccount': [] } }), /StringEquals "aws:SourceAccount" with an empty list of values/],
    [withCondition({ StringEquals: { 'aws:SourceAccount': { a: 1 } } }), /not a string, number, boolean or a list of them/],
    [withCondition({ NumericLessThan: { 'backup:RetentionDays': 'many' } }), /NumericLessThan "backup:RetentionDays": "many" is not a number/],
    [withCondition({ DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }), /"tomorrow" is not a date/],
    [withCondition({ Bool: { 'aws:SecureTransport': 'yes' } }), /"yes" is not "true" or "false"/],
    [withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }), /is not an IP address or CIDR block/],
    [doc({ Sid: 'Same', ...base }, { Sid: 'Same', ...base }), /^Statement\[1\] repeats the Sid "Same" of Statement\[0\]/],
  ];
  for (const [text, reason] of cases) {
    const result = parsePolicyDocument(text);
    assert.equal(typeof result, 'string', text);
    assert.match(result as string, reason);
  }
});

test('resource policies may be required to name a principal', () => {
  const text = doc({ Effect: 'Allow', Action: 'backup:CopyIntoBackupVault' });
  assert.equal(typeof parsePolicyDocument(text), 'object', 'the default stays lenient');
  assert.match(
    parsePolicyDocument(text, { requirePrincipal: true }) as string,
    /^Statement\[0\] names no Principal; a resource policy must say whom it applies to/,
  );
});
