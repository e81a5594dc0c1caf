/**
 * A job's IamRoleArn, checked as AWS Backup uses it: the role must be of the job's account, exist,
 * trust backup.amazonaws.com, and its identity policies must allow the job's action on its
 * resource; AWS Backup's default role exists in every account with AWS's policies attached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIamIdentity } from '../../src/iam/identity/iam-identity.js';
import { jobRoleProblem } from '../../src/iam/identity/job-role.js';
import { withCatalog } from '../catalog/catalog-fixture.js';

const A = '111111111111';
const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const TRUST_BACKUP = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const TRUST_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }],
});
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/orders`;
const BUCKET = 'arn:aws:s3:::photos';

test('missing, foreign, unassumable and powerless roles are refused, each with its fix; AWS policies grant what jobs need', async () => {
  await withCatalog(async (catalog) => {
    const iam = createIamIdentity({ store: catalog.iam, clock, rootKey: Buffer.alloc(32, 7) });
    const check = (roleArn: string, kind: 'backup' | 'restore' | 'copy' = 'backup', resourceType = 'DynamoDB', resourceArn = TABLE) =>
      jobRoleProblem(catalog.iam, { kind, accountId: A, roleArn, resourceType, resourceArn }, clock.now);

    assert.match(
      (await check(`arn:aws:iam::${A}:role/nobody`)) ?? '',
      /^IAM role arn:aws:iam::111111111111:role\/nobody does not exist in account 111111111111\. Create it/,
    );
    assert.match((await check('arn:aws:iam::222222222222:role/x')) ?? '', /belongs to account 222222222222/);
    assert.match((await check('backup-role')) ?? '', /is not an IAM role ARN/);
    assert.equal(await check(`arn:aws:iam::${A}:role/service-role/AWSBackupDefaultServiceRole`), undefined, 'the default role exists in every account');
    assert.equal(await check(`arn:aws:iam::${A}:role/service-role/AWSBackupDefaultServiceRole`, 'restore', 'S3', BUCKET), undefined);

    await iam.roles.create(A, { RoleName: 'people-only', AssumeRolePolicyDocument: TRUST_ACCOUNT });
    assert.match(
      (await check(`arn:aws:iam::${A}:role/people-only`)) ?? '',
      /^AWS Backup cannot assume IAM role .*does not allow the service principal backup\.amazonaws\.com/,
    );

    await iam.roles.create(A, { RoleName: 'bare', Path: '/svc/', AssumeRolePolicyDocument: TRUST_BACKUP });
    const bare = `arn:aws:iam::${A}:role/svc/bare`;
    assert.equal(await check(`arn:aws:iam::${A}:role/bare`).then((m) => /does not exist/.test(m ?? '')), true, 'the path is part of the ARN');
    assert.match(
      (await check(bare)) ?? '',
      new RegExp(
        `^IAM role ${bare} is not authorized to perform: dynamodb:CreateBackup on resource: ${TABLE} because no identity-based policy allows the action\\. Attach arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
      ),
    );

    await iam.entityPolicies.attach(A, 'role', 'bare', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup');
    assert.equal(await check(bare), undefined);
    assert.equal(await check(bare, 'copy', 'DynamoDB', `arn:aws:backup:us-east-1:${A}:backup-vault:dr`), undefined);
    assert.match((await check(bare, 'restore')) ?? '', /dynamodb:RestoreTableFromBackup.*AWSBackupServiceRolePolicyForRestores/);
    assert.match((await check(bare, 'backup', 'S3', BUCKET)) ?? '', /s3:GetObject.*AWSBackupServiceRolePolicyForS3Backup/);

    await iam.entityPolicies.putInline(
      A,
      'role',
      'bare',
      'no-orders',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'dynamodb:*', Resource: TABLE }] }),
    );
    assert.match((await check(bare)) ?? '', /with an explicit deny in an identity-based policy/);
  });
});
