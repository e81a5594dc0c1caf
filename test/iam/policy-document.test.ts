/** Policy documents: what passes, and the reason given for each kind of broken one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';

test('accepts documents with a Version and statements with Effect and an action', () => {
  const single = parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotAction":"backup:Describe*","Resource":"*"}}');
  assert.ok(typeof single !== 'string');
  assert.equal(single.Statement.length, 1, 'a lone statement object counts as a list of one');
  const many = parsePolicyDocument(
    '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":["backup:CopyIntoBackupVault"]},{"Effect":"Deny","Action":"*"}]}',
  );
  assert.ok(typeof many !== 'string');
  assert.equal(many.Statement.length, 2);
});

test('says what is wrong with a broken document', () => {
  const cases: [string, RegExp][] = [
    ['not json', /^the policy is not valid JSON/],
    ['"text"', /must be a JSON object with Version and Statement/],
    ['{"Statement":[]}', /has no Version; add "Version": "2012-10-17"/],
    ['{"Version":"2024-01-01","Statement":[]}', /Version must be "2012-10-17" or "2008-10-17", not "2024-01-01"/],
    ['{"Version":"2012-10-17"}', /has no Statement/],
    ['{"Version":"2012-10-17","Statement":[]}', /Statement list is empty/],
    ['{"Version":"2012-10-17","Statement":["x"]}', /^Statement\[0\] must be a JSON object/],
    ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"},{"Action":"*"}]}', /^Statement\[1\] has Effect null/],
    ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}', /^Statement\[0\] names no Action \(or NotAction\)/],
  ];
  for (const [text, reason] of cases) {
    const result = parsePolicyDocument(text);
    assert.equal(typeof result, 'string', text);
    assert.match(result as string, reason);
  }
});
