/** IAM wildcards and IP blocks, the building blocks of action, resource and condition matching. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arnWildcardMatch, wildcardMatch } from '../../src/iam/wildcard-match.js';
import { ipInBlock, parseIpBlock } from '../../src/iam/ip-address.js';

test('* and ? over whole strings', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything', true],
    ['backup:*', 'backup:CopyIntoBackupVault', true],
    ['kms:ReEncrypt*', 'kms:ReEncryptFrom', true],
    ['kms:ReEncrypt*', 'kms:Re', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c', 'abcab', false],
    ['backup:Copy*Vault', 'backup:CopyIntoBackupVault', true],
    ['exact', 'exact!', false],
  ];
  for (const [pattern, text, expected] of cases) assert.equal(wildcardMatch(pattern, text), expected, `${pattern} ~ ${text}`);
  assert.equal(wildcardMatch('BACKUP:copy*', 'backup:CopyIntoBackupVault', true), true);
  assert.equal(wildcardMatch('BACKUP:copy*', 'backup:CopyIntoBackupVault'), false);
});

test('ArnLike matches the six parts separately', () => {
  assert.equal(arnWildcardMatch('arn:aws:backup:*:111111111111:backup-vault:*', 'arn:aws:backup:eu-west-1:111111111111:backup-vault:a:b'), true);
  assert.equal(arnWildcardMatch('arn:aws:backup:*:111111111111:*', 'arn:aws:backup:eu-west-1:222222222222:backup-vault:111111111111'), false);
  assert.equal(arnWildcardMatch('*', 'arn:aws:kms:us-east-1:111111111111:key/k'), true);
  assert.equal(arnWildcardMatch('arn:aws:kms:*:*:key/*', 'not-an-arn'), false);
});

test('IPv4 and IPv6 blocks', () => {
  assert.equal(ipInBlock('10.0.0.0/8', '10.200.3.4'), true);
  assert.equal(ipInBlock('10.0.0.0/8', '11.0.0.1'), false);
  assert.equal(ipInBlock('192.168.1.7', '192.168.1.7'), true);
  assert.equal(ipInBlock('0.0.0.0/0', '8.8.8.8'), true);
  assert.equal(ipInBlock('2001:db8::/32', '2001:db8:ffff::1'), true);
  assert.equal(ipInBlock('2001:db8::/32', '2001:db9::1'), false);
  assert.equal(ipInBlock('::ffff:10.0.0.0/104', '::ffff:10.1.2.3'), true);
  assert.equal(ipInBlock('10.0.0.0/8', '::1'), false);
  for (const bad of ['10.0.0.256', '10.0.0/8', '1::2::3', '10.0.0.0/33', 'x', '1:2:3:4:5:6:7:8:9']) assert.equal(parseIpBlock(bad), undefined, bad);
});
