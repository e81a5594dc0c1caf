/** ARNs: parsing (colons inside the resource, global services, junk) and the builders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arns, formatArn, parseArn } from '../../src/iam/arn.js';

test('parses ARNs, keeping colons and slashes in the resource', () => {
  assert.deepEqual(parseArn('arn:aws:backup:eu-west-1:111111111111:backup-vault:daily'), {
    partition: 'aws',
    service: 'backup',
    region: 'eu-west-1',
    accountId: '111111111111',
    resource: 'backup-vault:daily',
  });
  assert.equal(parseArn('arn:aws:rds:eu-west-1:111111111111:snapshot:awsbackup:job-1')?.resource, 'snapshot:awsbackup:job-1');
  assert.deepEqual(parseArn('arn:aws:s3:::bucket'), { partition: 'aws', service: 's3', region: '', accountId: '', resource: 'bucket' });
  assert.equal(parseArn('arn:aws:iam::111111111111:root')?.accountId, '111111111111');
  for (const bad of ['', 'arn', 'arn:aws:backup', 'arn:aws:backup:eu-west-1:1111:backup-vault:x', 'urn:aws:s3:::b', 'arn:aws:backup:r:111111111111:']) {
    assert.equal(parseArn(bad), undefined, bad);
  }
  const text = 'arn:aws:kms:us-east-1:111111111111:key/1234';
  assert.equal(formatArn(parseArn(text)!), text);
});

test('builds every ARN Coffer hands out', () => {
  const scope = { accountId: '111111111111', region: 'us-east-1' };
  assert.equal(arns.backupVault(scope, 'v'), 'arn:aws:backup:us-east-1:111111111111:backup-vault:v');
  assert.equal(arns.backupPlan(scope, 'p'), 'arn:aws:backup:us-east-1:111111111111:backup-plan:p');
  assert.equal(arns.recoveryPoint(scope, 'r'), 'arn:aws:backup:us-east-1:111111111111:recovery-point:r');
  assert.equal(arns.kmsKey(scope, 'k'), 'arn:aws:kms:us-east-1:111111111111:key/k');
  assert.equal(arns.kmsAlias(scope, 'aws/backup'), 'arn:aws:kms:us-east-1:111111111111:alias/aws/backup');
  assert.equal(arns.accountRoot('111111111111'), 'arn:aws:iam::111111111111:root');
});
