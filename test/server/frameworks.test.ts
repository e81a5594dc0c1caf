/**
 * Audit frameworks through the real server (AWS SDK and AWS CLI): create with AWS's controls,
 * their parameters and scopes; describe and list (as given, defaults not filled in); update;
 * tags; idempotency; the checks (unknown control or parameter, bad values, duplicates, AWS's
 * limit of 10); delete. What the controls find is tested with the compliance reports
 * (test/server/report-plans.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFrameworkCommand,
  DeleteFrameworkCommand,
  DescribeFrameworkCommand,
  ListFrameworksCommand,
  ListTagsCommand,
  TagResourceCommand,
  UpdateFrameworkCommand,
} from '@aws-sdk/client-backup';
import type { FrameworkControl } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer({ yaml: ALPHA_CONFIG_HEAD });
const client = () => sdk(server().endpoint, keysOf(ALPHA));

const CONTROLS: FrameworkControl[] = [
  { ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', ControlScope: { ComplianceResourceTypes: ['EFS', 'RDS'] } },
  {
    ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    ControlInputParameters: [
      { ParameterName: 'requiredFrequencyUnit', ParameterValue: 'hours' },
      { ParameterName: 'requiredFrequencyValue', ParameterValue: '12' },
      { ParameterName: 'requiredRetentionDays', ParameterValue: '35' },
    ],
  },
  { ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
  { ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', ControlInputParameters: [{ ParameterName: 'crossRegionList', ParameterValue: 'eu-west-1' }] },
  { ControlName: 'BACKUP_LAST_RECOVERY_POINT_CREATED', ControlScope: { Tags: { tier: 'gold' } } },
];

describe('frameworks', () => {
  test('CreateFramework, then DescribeFramework: COMPLETED and ACTIVE, controls as given', async () => {
    const created = await client().send(
      new CreateFrameworkCommand({
        FrameworkName: 'main_audit',
        FrameworkDescription: 'what the auditors ask',
        FrameworkControls: CONTROLS,
        IdempotencyToken: 'token-1',
        FrameworkTags: { team: 'ops' },
      }),
    );
    assert.equal(created.FrameworkName, 'main_audit');
    assert.match(created.FrameworkArn!, new RegExp(`^arn:aws:backup:us-east-1:${ALPHA.accountId}:framework:main_audit-[0-9a-f-]{36}$`));
    const described = await client().send(new DescribeFrameworkCommand({ FrameworkName: 'main_audit' }));
    assert.equal(described.FrameworkArn, created.FrameworkArn);
    assert.equal(described.FrameworkDescription, 'what the auditors ask');
    assert.equal(described.DeploymentStatus, 'COMPLETED');
    assert.equal(described.FrameworkStatus, 'ACTIVE');
    assert.equal(described.IdempotencyToken, 'token-1');
    assert.ok(described.CreationTime instanceof Date);
    assert.deepEqual(
      described.FrameworkControls,
      CONTROLS.map((c) => ({ ControlInputParameters: [], ...c })),
    );
    const tags = await client().send(new ListTagsCommand({ ResourceArn: created.FrameworkArn }));
    assert.deepEqual(tags.Tags, { team: 'ops' });
  });

  test('the same IdempotencyToken returns the framework; another is AlreadyExistsException', async () => {
    const again = await client().send(new CreateFrameworkCommand({ FrameworkName: 'main_audit', FrameworkControls: CONTROLS, IdempotencyToken: 'token-1' }));
    assert.equal(again.FrameworkName, 'main_audit');
    await assert.rejects(client().send(new CreateFrameworkCommand({ FrameworkName: 'main_audit', FrameworkControls: CONTROLS, IdempotencyToken: 'token-2' })), {
      name: 'AlreadyExistsException',
    });
  });

  test('refused: unknown control, unknown parameter, bad values, a control twice, no controls, two scope tags, a bad name', async () => {
    const refuse = async (controls: FrameworkControl[], pattern: RegExp, name = 'bad') =>
      assert.rejects(client().send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: controls })), (err: Error) => {
        assert.equal(err.name, 'InvalidParameterValueException');
        assert.match(err.message, pattern);
        return true;
      });
    await refuse([{ ControlName: 'BACKUP_EVERYTHING_FINE' }], /is not a control Coffer knows; use one of BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN/);
    await refuse(
      [{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED', ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '3' }] }],
      /has no parameter "requiredRetentionDays"; it takes none/,
    );
    await refuse(
      [
        {
          ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
          ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: 'ten' }],
        },
      ],
      /requiredRetentionDays is "ten"; it must be a whole number from 1 to 36500/,
    );
    await refuse(
      [{ ControlName: 'BACKUP_LAST_RECOVERY_POINT_CREATED', ControlInputParameters: [{ ParameterName: 'recoveryPointAgeUnit', ParameterValue: 'weeks' }] }],
      /must be one of hours, days/,
    );
    await refuse(
      [
        {
          ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT',
          ControlInputParameters: [{ ParameterName: 'crossAccountList', ParameterValue: '12345' }],
        },
      ],
      /a comma-separated list of 1 to 5 account ids/,
    );
    await refuse(
      [
        {
          ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
          ControlInputParameters: [
            { ParameterName: 'minRetentionDays', ParameterValue: '30' },
            { ParameterName: 'maxRetentionDays', ParameterValue: '7' },
          ],
        },
      ],
      /minRetentionDays \(30\) is more than maxRetentionDays \(7\)/,
    );
    await refuse([{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }, { ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }], /appears twice/);
    await refuse([], /FrameworkControls is empty/);
    await refuse([{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED', ControlScope: { Tags: { a: '1', b: '2' } } }], /one tag per control scope/);
    await refuse([{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }], /FrameworkName/, 'has-hyphens');
  });

  test('UpdateFramework replaces the controls and description; DescribeFramework shows them', async () => {
    const updated = await client().send(
      new UpdateFrameworkCommand({
        FrameworkName: 'main_audit',
        FrameworkDescription: 'tighter',
        FrameworkControls: [
          {
            ControlName: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
            ControlInputParameters: [{ ParameterName: 'requiredRetentionDays', ParameterValue: '90' }],
          },
        ],
      }),
    );
    assert.equal(updated.FrameworkName, 'main_audit');
    const described = await client().send(new DescribeFrameworkCommand({ FrameworkName: 'main_audit' }));
    assert.equal(described.FrameworkDescription, 'tighter');
    assert.deepEqual(
      described.FrameworkControls?.map((c) => c.ControlName),
      ['BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK'],
    );
    await assert.rejects(client().send(new UpdateFrameworkCommand({ FrameworkName: 'missing', FrameworkDescription: 'x' })), {
      name: 'ResourceNotFoundException',
    });
    await assert.rejects(client().send(new UpdateFrameworkCommand({ FrameworkName: 'main_audit', FrameworkControls: [{ ControlName: 'NOPE' }] })), {
      name: 'InvalidParameterValueException',
    });
  });

  test('ListFrameworks: NumberOfControls, paging; AWS limit of 10 frameworks', async () => {
    for (let i = 2; i <= 10; i += 1) {
      await client().send(
        new CreateFrameworkCommand({
          FrameworkName: `audit_${String(i).padStart(2, '0')}`,
          FrameworkControls: [{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }],
        }),
      );
    }
    await assert.rejects(
      client().send(new CreateFrameworkCommand({ FrameworkName: 'eleventh', FrameworkControls: [{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }] })),
      { name: 'LimitExceededException' },
    );
    const first = await client().send(new ListFrameworksCommand({ MaxResults: 4 }));
    assert.equal(first.Frameworks?.length, 4);
    const names: string[] = first.Frameworks!.map((f) => f.FrameworkName!);
    let token = first.NextToken;
    while (token !== undefined) {
      const page = await client().send(new ListFrameworksCommand({ MaxResults: 4, NextToken: token }));
      names.push(...page.Frameworks!.map((f) => f.FrameworkName!));
      token = page.NextToken;
    }
    assert.equal(names.length, 10);
    assert.deepEqual(names, [...names].sort());
    const main = (await client().send(new ListFrameworksCommand({}))).Frameworks!.find((f) => f.FrameworkName === 'main_audit')!;
    assert.equal(main.NumberOfControls, 1);
    assert.equal(main.DeploymentStatus, 'COMPLETED');
    assert.equal(main.FrameworkDescription, 'tighter');
  });

  test('the AWS CLI: describe-framework, list-frameworks, tag-resource on a framework', async () => {
    const { endpoint } = server();
    const described = cliJson(await awsCli(endpoint, keysOf(ALPHA), ['backup', 'describe-framework', '--framework-name', 'main_audit']));
    assert.equal(described['DeploymentStatus'], 'COMPLETED');
    const listed = cliJson(await awsCli(endpoint, keysOf(ALPHA), ['backup', 'list-frameworks']));
    assert.equal((listed['Frameworks'] as unknown[]).length, 10);
    await client().send(new TagResourceCommand({ ResourceArn: described['FrameworkArn'] as string, Tags: { env: 'prod' } }));
    const tags = await client().send(new ListTagsCommand({ ResourceArn: described['FrameworkArn'] as string }));
    assert.deepEqual(tags.Tags, { team: 'ops', env: 'prod' });
  });

  test('DeleteFramework; then it is gone (ResourceNotFoundException) and its name free again', async () => {
    for (let i = 2; i <= 10; i += 1) await client().send(new DeleteFrameworkCommand({ FrameworkName: `audit_${String(i).padStart(2, '0')}` }));
    await client().send(new DeleteFrameworkCommand({ FrameworkName: 'main_audit' }));
    await assert.rejects(client().send(new DescribeFrameworkCommand({ FrameworkName: 'main_audit' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(client().send(new DeleteFrameworkCommand({ FrameworkName: 'main_audit' })), { name: 'ResourceNotFoundException' });
    assert.deepEqual((await client().send(new ListFrameworksCommand({}))).Frameworks, []);
    const again = await client().send(
      new CreateFrameworkCommand({ FrameworkName: 'main_audit', FrameworkControls: [{ ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED' }] }),
    );
    assert.equal(again.FrameworkName, 'main_audit');
  });
});
