/**
 * Cross-region and cross-account copies through the real `coffer serve` on the manual clock,
 * driven by the AWS SDK (Backup and KMS) and the AWS CLI. Two accounts in one organization
 * (management account 111111111111 = production, 222222222222 = backup), two regions.
 *
 * The reference scenario: a customer managed key whose policy allows the backup account protects
 * the production vault; a plan rule backs a directory up and copies it to a vault in the other
 * region and to the backup account's vault (whose policy allows CopyIntoBackupVault). Both copies
 * arrive, keep the source's creation date, and the cross-account one restores in the backup
 * account and passes `restic check --read-data`. Then each failure mode alone gives a FAILED copy
 * job with AWS's message, and a disabled key makes a restore fail naming the key.
 *
 * isCrossAccountBackupEnabled is written with UpdateGlobalSettings (the AWS CLI, as the
 * management account) and the vault lock with PutBackupVaultLockConfiguration.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, CopyJob } from '@aws-sdk/client-backup';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  KMSClient,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { resticOk } from '../support/restic.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';
import { ALPHA, BETA } from './support/accounts.js';
import { CENTRAL, DR, EAST, KEY_POLICY, ORGANIZATION_CONFIG_HEAD, VAULT_POLICY, vaultArn, WEST } from './support/cross-account.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const START = new Date('2026-12-30T12:00:00Z');
const DAY = 86_400_000;
const RESOURCE_ARN = `arn:aws:elasticfilesystem:${EAST}:${ALPHA.accountId}:file-system/fs-orders`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const BETA_ROLE = `arn:aws:iam::${BETA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;

const yaml = `${ORGANIZATION_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

interface State {
  keyArn: string;
  planId: string;
  selectionId: string;
  sourcePoint: string;
  plainPoint: string;
}
const state: Partial<State> = {};
const alpha = () => sdk(server().endpoint, keysOf(ALPHA), EAST);
const beta = () => sdk(server().endpoint, keysOf(BETA), EAST);
const kms = () => new KMSClient({ endpoint: server().endpoint, region: EAST, maxAttempts: 1, credentials: keysOf(ALPHA) });

async function setCrossAccount(on: boolean): Promise<void> {
  cliJson(await awsCli(server().endpoint, keysOf(ALPHA), ['backup', 'update-global-settings', '--global-settings', `isCrossAccountBackupEnabled=${on}`], EAST));
}

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function copyJobDone(client: BackupClient, id: string): Promise<CopyJob> {
  const out = await waitFor(
    'copy job',
    () => client.send(new DescribeCopyJobCommand({ CopyJobId: id })),
    (r) => ['COMPLETED', 'FAILED', 'PARTIAL'].includes(r.CopyJob?.State ?? ''),
  );
  return out.CopyJob!;
}

/** StartCopyJob of `point` (in vault `from` of the production account) into `to`, run to the end. */
async function copy(point: string, from: string, to: string, lifecycle?: { DeleteAfterDays: number }): Promise<CopyJob> {
  const started = await alpha().send(
    new StartCopyJobCommand({ RecoveryPointArn: point, SourceBackupVaultName: from, DestinationBackupVaultArn: to, IamRoleArn: ROLE, Lifecycle: lifecycle }),
  );
  return copyJobDone(alpha(), started.CopyJobId!);
}

/** The StatusMessage a failure mode gives, in the test output (a TAP comment). */
const note = (message: string | undefined): void => void process.stdout.write(`${message ?? '(no message)'}\n`);

async function postClock(body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server().endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

describe('cross-region and cross-account copies', () => {
  test('reference scenario: a plan copies to another region and to the backup account; restorable there; restic check passes', async () => {
    const { dir } = server();
    await mkdir(join(dir, 'source', 'sub'), { recursive: true });
    await writeFile(join(dir, 'source', 'orders.csv'), 'id,total\n1,10\n2,20\n');
    await writeFile(join(dir, 'source', 'sub', 'blob.bin'), Buffer.alloc(200_000, 7));

    const key = await kms().send(new CreateKeyCommand({ Description: 'production backups', Policy: KEY_POLICY(true) }));
    state.keyArn = key.KeyMetadata!.Arn!;
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'prod', EncryptionKeyArn: state.keyArn }));
    await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new CreateBackupVaultCommand({ BackupVaultName: 'dr' }));
    await beta().send(new CreateBackupVaultCommand({ BackupVaultName: 'central' }));
    await beta().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'central', Policy: VAULT_POLICY }));
    await setCrossAccount(true);

    const plan = await alpha().send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'production',
          // The reference plan: daily, weekly (Sundays) and monthly (the 1st), each copying to both places.
          Rules: (
            [
              ['daily', 'cron(0 5 ? * * *)', 30],
              ['weekly', 'cron(0 5 ? * 1 *)', 35],
              ['monthly', 'cron(0 5 1 * ? *)', 371],
            ] as const
          ).map(([name, cron, days]) => ({
            RuleName: name,
            TargetBackupVaultName: 'prod',
            ScheduleExpression: cron,
            StartWindowMinutes: 60,
            Lifecycle: { DeleteAfterDays: days },
            RecoveryPointTags: { plan: 'production', rule: name },
            CopyActions: [
              { DestinationBackupVaultArn: DR, Lifecycle: { DeleteAfterDays: -1 } },
              { DestinationBackupVaultArn: CENTRAL, Lifecycle: { DeleteAfterDays: 60 } },
            ],
          })),
        },
      }),
    );
    const selection = await alpha().send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: { SelectionName: 'orders', IamRoleArn: ROLE, Resources: [RESOURCE_ARN] },
      }),
    );
    state.planId = plan.BackupPlanId!;
    state.selectionId = selection.SelectionId!;

    const report = await postClock({ advance: 'P1D' });
    assert.equal(report['jobsCreated'], 1, JSON.stringify(report));

    // The copy jobs live in the source account and region; the AWS CLI lists them.
    const listed = cliJson(await awsCli(server().endpoint, keysOf(ALPHA), ['backup', 'list-copy-jobs'], EAST))['CopyJobs'] as Record<string, unknown>[];
    assert.equal(listed.length, 2, JSON.stringify(listed));
    const jobs = await Promise.all(listed.map((j) => copyJobDone(alpha(), j['CopyJobId'] as string)));
    for (const job of jobs) {
      assert.equal(job.State, 'COMPLETED', job.StatusMessage);
      assert.equal(job.CreatedBy?.BackupPlanId, plan.BackupPlanId);
      assert.equal(job.SourceBackupVaultArn, vaultArn(ALPHA, EAST, 'prod'));
      assert.ok(job.DestinationRecoveryPointArn);
    }
    const source = await alpha().send(new DescribeRecoveryPointCommand({ BackupVaultName: 'prod', RecoveryPointArn: jobs[0]!.SourceRecoveryPointArn! }));
    state.sourcePoint = source.RecoveryPointArn!;
    const byDestination = await alpha().send(new ListCopyJobsCommand({ ByDestinationVaultArn: CENTRAL, ByState: 'COMPLETED' }));
    assert.equal(byDestination.CopyJobs?.length, 1);
    const paged = await alpha().send(new ListCopyJobsCommand({ MaxResults: 1 }));
    assert.equal(paged.CopyJobs?.length, 1);
    assert.ok(paged.NextToken);

    // Cross-region: same account, the other region's storage, the source's expiry (-1).
    const dr = await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr' }));
    assert.equal(dr.RecoveryPoints?.length, 1);
    const drPoint = dr.RecoveryPoints![0]!;
    assert.equal(drPoint.SourceBackupVaultArn, vaultArn(ALPHA, EAST, 'prod'));
    assert.equal(drPoint.CreationDate?.getTime(), source.CreationDate?.getTime());
    assert.equal(drPoint.CalculatedLifecycle?.DeleteAt?.getTime(), source.CalculatedLifecycle?.DeleteAt?.getTime());
    // Both copies carry the source recovery point's tags, as AWS's copies do.
    const sourceTags = (await alpha().send(new ListTagsCommand({ ResourceArn: source.RecoveryPointArn! }))).Tags;
    assert.deepEqual(sourceTags, { plan: 'production', rule: 'daily' });
    const drTags = await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new ListTagsCommand({ ResourceArn: drPoint.RecoveryPointArn! }));
    assert.deepEqual(drTags.Tags, sourceTags, "cross-region copy: the source's tags");

    // Cross-account: in the backup account, re-encrypted under its own key, kept 60 days from the source's creation.
    const central = await beta().send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'central' }));
    assert.equal(central.RecoveryPoints?.length, 1);
    const copyPoint = central.RecoveryPoints![0]!;
    assert.equal(copyPoint.SourceBackupVaultArn, vaultArn(ALPHA, EAST, 'prod'));
    assert.equal(copyPoint.Status, 'COMPLETED');
    assert.equal(copyPoint.CreationDate?.getTime(), source.CreationDate?.getTime());
    assert.equal(copyPoint.CalculatedLifecycle?.DeleteAt?.getTime(), source.CreationDate!.getTime() + 60 * DAY);
    assert.match(copyPoint.EncryptionKeyArn ?? '', new RegExp(`^arn:aws:kms:${EAST}:${BETA.accountId}:key/`));
    assert.deepEqual(
      (await beta().send(new ListTagsCommand({ ResourceArn: copyPoint.RecoveryPointArn! }))).Tags,
      sourceTags,
      "cross-account copy: the source's tags",
    );
    const toCentral = jobs.find((j) => j.DestinationBackupVaultArn === CENTRAL);
    assert.equal(toCentral?.DestinationEncryptionKeyArn, copyPoint.EncryptionKeyArn, 'the copy job names the key of the copy');

    const target = join(dir, 'restored-in-beta');
    const restore = await beta().send(
      new StartRestoreJobCommand({ RecoveryPointArn: copyPoint.RecoveryPointArn!, IamRoleArn: BETA_ROLE, Metadata: { RestorePath: target } }),
    );
    const restored = await waitFor(
      'restore',
      () => beta().send(new DescribeRestoreJobCommand({ RestoreJobId: restore.RestoreJobId! })),
      (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
    );
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(join(dir, 'source')), await digestTree(target)), []);

    const betaScope = { accountId: BETA.accountId, region: EAST };
    const repo = vaultRepoPath(join(dir, 'data'), betaScope, 'central');
    const password = await writeVaultPasswordFile(join(dir, 'data'), betaScope, 'central', join(dir, 'central.pw'));
    resticOk(repo, password, ['check', '--read-data']);
    const westScope = { accountId: ALPHA.accountId, region: WEST };
    resticOk(vaultRepoPath(join(dir, 'data'), westScope, 'dr'), await writeVaultPasswordFile(join(dir, 'data'), westScope, 'dr', join(dir, 'dr.pw')), [
      'check',
    ]);

    // Three more days: the monthly run on the 1st, a daily on the 2nd, the weekly on Sunday the 3rd; each copies to both places.
    const more = await postClock({ advance: 'P3D' });
    assert.equal(more['jobsCreated'], 3, JSON.stringify(more));
    const all = (await alpha().send(new ListCopyJobsCommand({ MaxResults: 100 }))).CopyJobs ?? [];
    assert.equal(all.length, 8);
    assert.ok(
      all.every((j) => j.State === 'COMPLETED'),
      JSON.stringify(all.map((j) => [j.State, j.StatusMessage])),
    );
    const rulesCopied = new Set(all.map((j) => j.CreatedBy?.BackupRuleId));
    assert.equal(rulesCopied.size, 3, 'copies from the daily, weekly and monthly rules');
    assert.equal((await beta().send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'central' }))).RecoveryPoints?.length, 4);
    assert.equal(
      (await sdk(server().endpoint, keysOf(ALPHA), WEST).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'dr' }))).RecoveryPoints?.length,
      4,
    );
    resticOk(repo, password, ['check', '--read-data']);
  });

  test('on demand: StartCopyJob of the same point again makes a second recovery point of its own', async () => {
    const job = await copy(state.sourcePoint!, 'prod', CENTRAL, { DeleteAfterDays: 90 });
    assert.equal(job.State, 'COMPLETED', job.StatusMessage);
    assert.equal(job.DestinationRecoveryPointLifecycle?.DeleteAfterDays, 90);
    const points = (await beta().send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'central' }))).RecoveryPoints ?? [];
    assert.equal(points.length, 5);
    const betaScope = { accountId: BETA.accountId, region: EAST };
    const dataDir = join(server().dir, 'data');
    const snapshots = JSON.parse(
      resticOk(vaultRepoPath(dataDir, betaScope, 'central'), await writeVaultPasswordFile(dataDir, betaScope, 'central', join(server().dir, 'central.pw')), [
        'snapshots',
        '--json',
      ]),
    ) as unknown[];
    assert.equal(snapshots.length, 5, 'one snapshot per recovery point');
  });

  test('no organization setting: FAILED, same organization message', async () => {
    await setCrossAccount(false);
    try {
      const job = await copy(state.sourcePoint!, 'prod', CENTRAL);
      assert.equal(job.State, 'FAILED');
      note(job.StatusMessage);
      assert.ok(
        job.StatusMessage?.startsWith('Copy job failed. Both source and destination account must be a member of the same organization.'),
        job.StatusMessage,
      );
      assert.match(job.StatusMessage ?? '', /isCrossAccountBackupEnabled=true/);
    } finally {
      await setCrossAccount(true);
    }
  });

  test('no vault access policy: FAILED, Access Denied, with the statement to add', async () => {
    await beta().send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'central' }));
    try {
      const job = await copy(state.sourcePoint!, 'prod', CENTRAL);
      assert.equal(job.State, 'FAILED');
      note(job.StatusMessage);
      assert.ok(job.StatusMessage?.startsWith('Access Denied trying to call AWS Backup service'), job.StatusMessage);
      assert.match(job.StatusMessage ?? '', /backup:CopyIntoBackupVault/);
    } finally {
      await beta().send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'central', Policy: VAULT_POLICY }));
    }
  });

  test('key policy without the backup account: FAILED, Given key ID is not accessible', async () => {
    await kms().send(new PutKeyPolicyCommand({ KeyId: state.keyArn!, PolicyName: 'default', Policy: KEY_POLICY(false) }));
    try {
      const job = await copy(state.sourcePoint!, 'prod', CENTRAL);
      assert.equal(job.State, 'FAILED');
      note(job.StatusMessage);
      assert.ok(job.StatusMessage?.startsWith('Given key ID is not accessible'), job.StatusMessage);
      assert.match(job.StatusMessage ?? '', new RegExp(state.keyArn!));
    } finally {
      await kms().send(new PutKeyPolicyCommand({ KeyId: state.keyArn!, PolicyName: 'default', Policy: KEY_POLICY(true) }));
    }
  });

  test('AWS managed key on the source vault: FAILED, Given key ID is not accessible', async () => {
    await alpha().send(new CreateBackupVaultCommand({ BackupVaultName: 'plain' }));
    const started = await alpha().send(new StartBackupJobCommand({ BackupVaultName: 'plain', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
    const done = await waitFor(
      'backup',
      () => alpha().send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
      (j) => ['COMPLETED', 'FAILED'].includes(j.State ?? ''),
    );
    assert.equal(done.State, 'COMPLETED', done.StatusMessage);
    state.plainPoint = started.RecoveryPointArn!;
    const job = await copy(state.plainPoint, 'plain', CENTRAL);
    assert.equal(job.State, 'FAILED');
    note(job.StatusMessage);
    assert.ok(job.StatusMessage?.startsWith('Given key ID is not accessible'), job.StatusMessage);
    assert.match(job.StatusMessage ?? '', /AWS managed key/);
    // The same point copies fine within the account (another region).
    const local = await copy(state.plainPoint, 'plain', DR);
    assert.equal(local.State, 'COMPLETED', local.StatusMessage);
  });

  test('destination vault lock refuses the retention: FAILED naming the range', async () => {
    await beta().send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'central', MinRetentionDays: 90 }));
    try {
      const job = await copy(state.sourcePoint!, 'prod', CENTRAL, { DeleteAfterDays: 60 });
      assert.equal(job.State, 'FAILED');
      note(job.StatusMessage);
      assert.match(job.StatusMessage ?? '', /MinRetentionDays 90/);
      const ok = await copy(state.sourcePoint!, 'prod', CENTRAL, { DeleteAfterDays: 120 });
      assert.equal(ok.State, 'COMPLETED', ok.StatusMessage);
    } finally {
      await beta().send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: 'central' }));
    }
  });

  test('a disabled key makes a restore fail with a message naming the key', async () => {
    await kms().send(new DisableKeyCommand({ KeyId: state.keyArn! }));
    try {
      const restore = await alpha().send(
        new StartRestoreJobCommand({ RecoveryPointArn: state.sourcePoint!, IamRoleArn: ROLE, Metadata: { RestorePath: join(server().dir, 'never') } }),
      );
      const job = await waitFor(
        'restore',
        () => alpha().send(new DescribeRestoreJobCommand({ RestoreJobId: restore.RestoreJobId! })),
        (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
      );
      assert.equal(job.Status, 'FAILED');
      note(job.StatusMessage);
      assert.match(job.StatusMessage ?? '', new RegExp(`KMS key ${state.keyArn!}.* is disabled`));
    } finally {
      await kms().send(new EnableKeyCommand({ KeyId: state.keyArn! }));
    }
  });

  test('the scheduler tick purges keys past their deletion date', async () => {
    await alpha().send(new DeleteBackupSelectionCommand({ BackupPlanId: state.planId!, SelectionId: state.selectionId! }));
    await alpha().send(new DeleteBackupPlanCommand({ BackupPlanId: state.planId! }));
    const doomed = await kms().send(new CreateKeyCommand({ Description: 'to be purged' }));
    await kms().send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyMetadata!.KeyId!, PendingWindowInDays: 7 }));
    const listed = async () => ((await kms().send(new ListKeysCommand({}))).Keys ?? []).map((k) => k.KeyId);
    assert.ok((await listed()).includes(doomed.KeyMetadata!.KeyId));
    await postClock({ advance: 'P8D' });
    assert.ok(!(await listed()).includes(doomed.KeyMetadata!.KeyId), 'ListKeys does not name the key, so only the tick can have purged it');
  });
});
