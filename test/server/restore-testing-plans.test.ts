/**
 * Restore testing plans and selections through the real `coffer serve` and the AWS SDK: AWS's
 * shapes with their defaults, AWS's validation, paging, tags on a plan, a plan deleted only
 * once its selections are; GetRestoreTestingInferredMetadata, GetRestoreJobMetadata and
 * PutRestoreValidationResult on an ordinary restore job.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  DeleteRestoreTestingPlanCommand,
  DeleteRestoreTestingSelectionCommand,
  DescribeRestoreJobCommand,
  GetRestoreJobMetadataCommand,
  GetRestoreTestingInferredMetadataCommand,
  GetRestoreTestingPlanCommand,
  GetRestoreTestingSelectionCommand,
  ListRestoreTestingPlansCommand,
  ListRestoreTestingSelectionsCommand,
  ListTagsCommand,
  PutRestoreValidationResultCommand,
  UpdateRestoreTestingPlanCommand,
  UpdateRestoreTestingSelectionCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-plans`;
const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;
const server = useCoffer({ yaml });
const ROLE = BACKUP_ROLE(ALPHA.accountId);

async function refused(promise: Promise<unknown>, name: string, pattern: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, 'the call should have been refused');
  assert.equal(err.name, name, err.message);
  assert.match(err.message, pattern);
}

const selection = { Algorithm: 'LATEST_WITHIN_WINDOW' as const, IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT' as const] };

async function createPlan(client: BackupClient, name: string, extra: Record<string, unknown> = {}) {
  return client.send(
    new CreateRestoreTestingPlanCommand({
      RestoreTestingPlan: { RestoreTestingPlanName: name, ScheduleExpression: 'cron(0 3 ? * * *)', RecoveryPointSelection: selection, ...extra },
    }),
  );
}

describe('restore testing plans and selections', () => {
  test('a plan: created with AWS defaults, listed by name and paged, updated, tagged', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    const created = await client.send(
      new CreateRestoreTestingPlanCommand({
        CreatorRequestId: 'req-1',
        Tags: { team: 'dr' },
        RestoreTestingPlan: { RestoreTestingPlanName: 'weekly_test', ScheduleExpression: 'cron(0 3 ? * 1 *)', RecoveryPointSelection: selection },
      }),
    );
    assert.match(created.RestoreTestingPlanArn!, new RegExp(`^arn:aws:backup:us-east-1:${ALPHA.accountId}:restore-testing-plan:weekly_test-[0-9a-f-]{36}$`));
    assert.ok(created.CreationTime instanceof Date);
    // The same request again (same CreatorRequestId) answers the same plan; another is AlreadyExists.
    const again = await client.send(
      new CreateRestoreTestingPlanCommand({
        CreatorRequestId: 'req-1',
        RestoreTestingPlan: { RestoreTestingPlanName: 'weekly_test', ScheduleExpression: 'cron(0 3 ? * 1 *)', RecoveryPointSelection: selection },
      }),
    );
    assert.equal(again.RestoreTestingPlanArn, created.RestoreTestingPlanArn);
    await refused(createPlan(client, 'weekly_test'), 'AlreadyExistsException', /weekly_test exists already/);

    const got = (await client.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: 'weekly_test' }))).RestoreTestingPlan!;
    assert.equal(got.RestoreTestingPlanArn, created.RestoreTestingPlanArn);
    assert.equal(got.CreatorRequestId, 'req-1');
    assert.equal(got.ScheduleExpression, 'cron(0 3 ? * 1 *)');
    assert.equal(got.ScheduleExpressionTimezone, 'Etc/UTC');
    assert.equal(got.StartWindowHours, 24);
    assert.deepEqual(got.RecoveryPointSelection, { ...selection, ExcludeVaults: [], SelectionWindowDays: 30 });
    assert.equal(got.LastExecutionTime, undefined);

    const tags = await client.send(new ListTagsCommand({ ResourceArn: created.RestoreTestingPlanArn! }));
    assert.deepEqual(tags.Tags, { team: 'dr' });

    await createPlan(client, 'a_first');
    await createPlan(client, 'z_last');
    const page1 = await client.send(new ListRestoreTestingPlansCommand({ MaxResults: 2 }));
    assert.deepEqual(
      page1.RestoreTestingPlans!.map((p) => p.RestoreTestingPlanName),
      ['a_first', 'weekly_test'],
    );
    assert.ok(page1.NextToken);
    const page2 = await client.send(new ListRestoreTestingPlansCommand({ MaxResults: 2, NextToken: page1.NextToken }));
    assert.deepEqual(
      page2.RestoreTestingPlans!.map((p) => p.RestoreTestingPlanName),
      ['z_last'],
    );
    assert.equal(page2.NextToken, undefined);
    assert.equal(page1.RestoreTestingPlans![1]!.StartWindowHours, 24);

    const updated = await client.send(
      new UpdateRestoreTestingPlanCommand({
        RestoreTestingPlanName: 'weekly_test',
        RestoreTestingPlan: {
          StartWindowHours: 8,
          ScheduleExpressionTimezone: 'Europe/Berlin',
          RecoveryPointSelection: { ...selection, Algorithm: 'RANDOM_WITHIN_WINDOW', SelectionWindowDays: 7 },
        },
      }),
    );
    assert.ok(updated.UpdateTime instanceof Date);
    const after = (await client.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: 'weekly_test' }))).RestoreTestingPlan!;
    assert.equal(after.StartWindowHours, 8);
    assert.equal(after.ScheduleExpressionTimezone, 'Europe/Berlin');
    assert.equal(after.ScheduleExpression, 'cron(0 3 ? * 1 *)', 'members not given stay');
    assert.equal(after.RecoveryPointSelection!.Algorithm, 'RANDOM_WITHIN_WINDOW');
    assert.equal(after.RecoveryPointSelection!.SelectionWindowDays, 7);

    for (const name of ['a_first', 'z_last']) await client.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: name }));
    await refused(client.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: 'a_first' })), 'ResourceNotFoundException', /a_first does not exist/);
  });

  test("a plan's members are checked as AWS checks them", async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    await refused(createPlan(client, 'bad-name'), 'InvalidParameterValueException', /RestoreTestingPlanName "bad-name" is not a valid name/);
    await refused(createPlan(client, 'x', { ScheduleExpression: 'cron(nope)' }), 'InvalidParameterValueException', /ScheduleExpression "cron\(nope\)"/);
    await refused(createPlan(client, 'x', { ScheduleExpressionTimezone: 'Mars/Olympus' }), 'InvalidParameterValueException', /not an IANA time zone/);
    await refused(
      createPlan(client, 'x', { StartWindowHours: 169 }),
      'InvalidParameterValueException',
      /StartWindowHours is 169; it must be a whole number from 1 to 168/,
    );
    await refused(
      createPlan(client, 'x', { RecoveryPointSelection: { ...selection, SelectionWindowDays: 366 } }),
      'InvalidParameterValueException',
      /SelectionWindowDays is 366/,
    );
    await refused(
      createPlan(client, 'x', { RecoveryPointSelection: { ...selection, IncludeVaults: [] } }),
      'InvalidParameterValueException',
      /IncludeVaults must name at least one/,
    );
    await refused(
      createPlan(client, 'x', { RecoveryPointSelection: { ...selection, IncludeVaults: ['my-vault'] } }),
      'InvalidParameterValueException',
      /"my-vault", which is neither "\*" nor a backup vault ARN/,
    );
    await refused(
      createPlan(client, 'x', { RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: ['*'] } }),
      'InvalidParameterValueException',
      /RecoveryPointTypes is \[\]; give SNAPSHOT and\/or CONTINUOUS/,
    );
    await refused(
      createPlan(client, 'x', { RecoveryPointSelection: { IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT'] } }),
      'InvalidParameterValueException',
      /Algorithm is missing/,
    );
    await refused(
      client.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: 'none_such', RestoreTestingPlan: { StartWindowHours: 2 } })),
      'ResourceNotFoundException',
      /none_such does not exist/,
    );
  });

  test('selections: created, checked, listed, updated; the plan goes only after them', async () => {
    const client = sdk(server().endpoint, keysOf(ALPHA));
    const plan = await createPlan(client, 'with_selections');
    const create = (name: string, extra: Record<string, unknown> = {}) =>
      client.send(
        new CreateRestoreTestingSelectionCommand({
          RestoreTestingPlanName: 'with_selections',
          RestoreTestingSelection: {
            RestoreTestingSelectionName: name,
            ProtectedResourceType: 'EFS',
            IamRoleArn: ROLE,
            ProtectedResourceArns: [RESOURCE_ARN],
            ...extra,
          },
        }),
      );
    const made = await create('by_arn', { RestoreMetadataOverrides: { ItemsToRestore: '["/a"]' }, ValidationWindowHours: 4 });
    assert.equal(made.RestoreTestingPlanArn, plan.RestoreTestingPlanArn);
    assert.equal(made.RestoreTestingSelectionName, 'by_arn');
    await create('by_tag', {
      ProtectedResourceArns: undefined,
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/tier', Value: 'gold' }] },
    });
    await refused(create('by_arn'), 'AlreadyExistsException', /selection named by_arn already/);
    await refused(create('mixed', { ProtectedResourceArns: ['*', RESOURCE_ARN] }), 'InvalidParameterValueException', /holds "\*" and specific ARNs/);
    await refused(
      create('wrong_type', { ProtectedResourceArns: ['arn:aws:rds:us-east-1:111111111111:db:x'] }),
      'InvalidParameterValueException',
      /not the ARN of a EFS resource/,
    );
    await refused(create('no_type', { ProtectedResourceType: 'EC2' }), 'InvalidParameterValueException', /ProtectedResourceType is "EC2"/);
    await refused(create('bad_role', { IamRoleArn: 'role' }), 'InvalidParameterValueException', /IamRoleArn "role" is not an IAM role ARN/);
    await refused(create('bad_window', { ValidationWindowHours: 200 }), 'InvalidParameterValueException', /ValidationWindowHours is 200/);
    await refused(
      create('bad_key', { ProtectedResourceArns: ['*'], ProtectedResourceConditions: { StringEquals: [{ Key: 'tier', Value: 'gold' }] } }),
      'InvalidParameterValueException',
      /give aws:ResourceTag\/<tag key>/,
    );
    await refused(
      client.send(
        new CreateRestoreTestingSelectionCommand({
          RestoreTestingPlanName: 'no_plan',
          RestoreTestingSelection: { RestoreTestingSelectionName: 's', ProtectedResourceType: 'EFS', IamRoleArn: ROLE, ProtectedResourceArns: ['*'] },
        }),
      ),
      'ResourceNotFoundException',
      /no_plan does not exist/,
    );

    const got = (await client.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: 'with_selections', RestoreTestingSelectionName: 'by_tag' })))
      .RestoreTestingSelection!;
    assert.deepEqual(got.ProtectedResourceArns, ['*']);
    assert.deepEqual(got.ProtectedResourceConditions, { StringEquals: [{ Key: 'aws:ResourceTag/tier', Value: 'gold' }] });
    assert.equal(got.ValidationWindowHours, 0);
    assert.equal(got.IamRoleArn, ROLE);
    assert.equal(got.ProtectedResourceType, 'EFS');

    const page = await client.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: 'with_selections', MaxResults: 1 }));
    assert.deepEqual(
      page.RestoreTestingSelections!.map((s) => [s.RestoreTestingSelectionName, s.ValidationWindowHours]),
      [['by_arn', 4]],
    );
    const rest = await client.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: 'with_selections', NextToken: page.NextToken }));
    assert.deepEqual(
      rest.RestoreTestingSelections!.map((s) => s.RestoreTestingSelectionName),
      ['by_tag'],
    );

    const updated = await client.send(
      new UpdateRestoreTestingSelectionCommand({
        RestoreTestingPlanName: 'with_selections',
        RestoreTestingSelectionName: 'by_arn',
        RestoreTestingSelection: { ValidationWindowHours: 1 },
      }),
    );
    assert.ok(updated.UpdateTime instanceof Date);
    const after = (
      await client.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: 'with_selections', RestoreTestingSelectionName: 'by_arn' }))
    ).RestoreTestingSelection!;
    assert.equal(after.ValidationWindowHours, 1);
    assert.deepEqual(after.RestoreMetadataOverrides, { ItemsToRestore: '["/a"]' }, 'members not given stay');

    await refused(
      client.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: 'with_selections' })),
      'InvalidRequestException',
      /still has selections/,
    );
    for (const name of ['by_arn', 'by_tag']) {
      await client.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: 'with_selections', RestoreTestingSelectionName: name }));
    }
    await refused(
      client.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: 'with_selections', RestoreTestingSelectionName: 'by_arn' })),
      'ResourceNotFoundException',
      /by_arn does not exist/,
    );
    await client.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: 'with_selections' }));
  });

  test('inferred metadata names a scratch target; a restore job answers its metadata and takes a validation result', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'a.txt'), 'a\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'tested' }));
    const { rpArn } = await backupAndWait(client, 'tested', RESOURCE_ARN, ROLE);

    const inferred = await client.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: 'tested', RecoveryPointArn: rpArn }));
    assert.match(inferred.InferredMetadata!['RestorePath']!, new RegExp(`^${join(dir, 'source')}-restore-test-[0-9a-f]{8}$`));
    assert.equal(inferred.InferredMetadata!['SourcePath'], join(dir, 'source'));
    await refused(
      client.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: 'other', RecoveryPointArn: rpArn })),
      'ResourceNotFoundException',
      /does not exist in backup vault other/,
    );

    const target = join(dir, 'restored');
    const restored = await restoreAndWait(client, rpArn, ROLE, { RestorePath: target });
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    const metadata = await client.send(new GetRestoreJobMetadataCommand({ RestoreJobId: restored.RestoreJobId! }));
    assert.equal(metadata.RestoreJobId, restored.RestoreJobId);
    assert.equal(metadata.Metadata!['RestorePath'], target);
    await refused(client.send(new GetRestoreJobMetadataCommand({ RestoreJobId: 'NOPE' })), 'ResourceNotFoundException', /No restore job NOPE/);

    await client.send(
      new PutRestoreValidationResultCommand({
        RestoreJobId: restored.RestoreJobId!,
        ValidationStatus: 'SUCCESSFUL',
        ValidationStatusMessage: 'checked by hand',
      }),
    );
    const described = await client.send(new DescribeRestoreJobCommand({ RestoreJobId: restored.RestoreJobId! }));
    assert.equal(described.ValidationStatus, 'SUCCESSFUL');
    assert.equal(described.ValidationStatusMessage, 'checked by hand');
    assert.equal(described.CreatedBy, undefined, 'not a restore test: no CreatedBy');
    await refused(
      client.send(new PutRestoreValidationResultCommand({ RestoreJobId: 'NOPE', ValidationStatus: 'FAILED' })),
      'ResourceNotFoundException',
      /No restore job NOPE/,
    );
  });
});
