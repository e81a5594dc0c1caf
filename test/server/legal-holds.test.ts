/**
 * Legal holds through the real `coffer serve` on the manual clock: a hold covers the recovery
 * points its selection matches when it is created; they cannot be deleted and lifecycle expiry
 * passes them by (saying why) until the hold is cancelled (CancelDescription required; CANCELED).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelLegalHoldCommand,
  CreateBackupVaultCommand,
  CreateLegalHoldCommand,
  DeleteRecoveryPointCommand,
  DescribeRecoveryPointCommand,
  GetLegalHoldCommand,
  ListLegalHoldsCommand,
  ListRecoveryPointsByLegalHoldCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2027-09-01T00:00:00Z');
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-evidence`;

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

async function advance(endpoint: string, period: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: period }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof Error, 'the call should have failed');
  return err;
}

describe('legal holds', () => {
  test('a hold keeps its recovery points from deletion and expiry until it is cancelled', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'mail.txt'), 'evidence\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    const role = BACKUP_ROLE(ALPHA.accountId);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'evidence' }));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'daily' }));
    const held = await backupAndWait(client, 'evidence', RESOURCE_ARN, role);
    const free = await backupAndWait(client, 'daily', RESOURCE_ARN, role);
    const { UpdateRecoveryPointLifecycleCommand } = await import('@aws-sdk/client-backup');
    for (const [vault, rp] of [
      ['evidence', held.rpArn],
      ['daily', free.rpArn],
    ] as const) {
      await client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: rp, Lifecycle: { DeleteAfterDays: 10 } }));
    }

    const created = await client.send(
      new CreateLegalHoldCommand({
        Title: 'case-42',
        Description: 'litigation hold for case 42',
        RecoveryPointSelection: { VaultNames: ['evidence'] },
        IdempotencyToken: 'hold-42',
      }),
    );
    assert.equal(created.Status, 'ACTIVE');
    assert.match(created.LegalHoldArn ?? '', /^arn:aws:backup:us-east-1:111111111111:legal-hold:/);
    assert.deepEqual(created.RecoveryPointSelection?.VaultNames, ['evidence']);
    const again = await client.send(
      new CreateLegalHoldCommand({
        Title: 'case-42',
        Description: 'litigation hold for case 42',
        RecoveryPointSelection: { VaultNames: ['evidence'] },
        IdempotencyToken: 'hold-42',
      }),
    );
    assert.equal(again.LegalHoldId, created.LegalHoldId, 'same IdempotencyToken, same hold');
    const id = created.LegalHoldId!;

    const covered = await client.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: id }));
    assert.deepEqual(
      covered.RecoveryPoints?.map((p) => [p.RecoveryPointArn, p.BackupVaultName, p.ResourceArn, p.ResourceType]),
      [[held.rpArn, 'evidence', RESOURCE_ARN, 'EFS']],
    );
    const none = await client.send(
      new CreateLegalHoldCommand({
        Title: 'future',
        Description: 'nothing yet',
        RecoveryPointSelection: {
          ResourceIdentifiers: [RESOURCE_ARN],
          DateRange: { FromDate: new Date('2030-01-01T00:00:00Z'), ToDate: new Date('2030-02-01T00:00:00Z') },
        },
      }),
    );
    assert.deepEqual((await client.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: none.LegalHoldId! }))).RecoveryPoints, []);
    assert.deepEqual((await client.send(new ListLegalHoldsCommand({}))).LegalHolds?.map((h) => h.Title).sort(), ['case-42', 'future']);

    const refused = await failure(client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'evidence', RecoveryPointArn: held.rpArn })));
    assert.equal(refused.name, 'InvalidRequestException', refused.message);
    assert.match(refused.message, new RegExp(`under legal hold ${id} \\("case-42", ACTIVE\\)`));

    // Expiry: the free point goes, the held one stays and says why.
    const report = await advance(endpoint, 'P11D');
    assert.equal(report['recoveryPointsDeleted'], 1, JSON.stringify(report));
    assert.equal(
      (await failure(client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'daily', RecoveryPointArn: free.rpArn })))).name,
      'ResourceNotFoundException',
    );
    const kept = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'evidence', RecoveryPointArn: held.rpArn }));
    assert.equal(kept.Status, 'COMPLETED');
    assert.match(kept.StatusMessage ?? '', new RegExp(`Lifecycle expiry is suspended: the recovery point is under legal hold ${id}`));

    // Cancelling needs a CancelDescription (a required member of the model).
    const noReason = await signedRequest(endpoint, keysOf(ALPHA), { method: 'DELETE', path: `/legal-holds/${id}` });
    assert.equal(noReason.status, 400, noReason.text);
    assert.equal((await client.send(new GetLegalHoldCommand({ LegalHoldId: id }))).Status, 'ACTIVE');
    await client.send(new CancelLegalHoldCommand({ LegalHoldId: id, CancelDescription: 'case settled', RetainRecordInDays: 30 }));
    const cancelled = await client.send(new GetLegalHoldCommand({ LegalHoldId: id }));
    assert.equal(cancelled.Status, 'CANCELED');
    assert.equal(cancelled.CancelDescription, 'case settled');
    assert.equal(cancelled.CancellationDate?.toISOString(), new Date(START.getTime() + 11 * 86_400_000).toISOString());
    assert.equal(cancelled.RetainRecordUntil?.toISOString(), new Date(START.getTime() + 41 * 86_400_000).toISOString());
    const twice = await failure(client.send(new CancelLegalHoldCommand({ LegalHoldId: id, CancelDescription: 'again' })));
    assert.equal(twice.name, 'InvalidResourceStateException', twice.message);
    assert.equal((await failure(client.send(new GetLegalHoldCommand({ LegalHoldId: 'no-such-hold' })))).name, 'ResourceNotFoundException');

    // Released: the next expiry pass deletes it.
    const after = await advance(endpoint, 'PT1H');
    assert.equal(after['recoveryPointsDeleted'], 1, JSON.stringify(after));
    assert.equal(
      (await failure(client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'evidence', RecoveryPointArn: held.rpArn })))).name,
      'ResourceNotFoundException',
    );
  });
});
