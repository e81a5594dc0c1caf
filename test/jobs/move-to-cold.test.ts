/**
 * The mover to cold storage, crash by crash: a move interrupted after its copy (the next run
 * finds the snapshot in the cold repository and just finishes), one interrupted after it was
 * recorded (the next tick's listing still returns it, and the run forgets the warm copy), and a
 * region without a cold location (only the class changes).
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RepositoryPasswords } from '../../src/backup/repository-passwords.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { RecoveryPointRecord } from '../../src/catalog/recovery-points.js';
import { createJobLedger } from '../../src/backup/jobs/job-ledger.js';
import { createColdMover } from '../../src/jobs/move-to-cold.js';
import { createVaultRepositories } from '../../src/jobs/vault-repositories.js';
import type { VaultRepositories } from '../../src/jobs/vault-repositories.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { copySnapshots } from '../../src/vault/copy.js';
import { randomData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';
import { DAY, SCOPE, T0 } from '../catalog/catalog-fixture.js';

const KEY_ID = 'k-1';
const VAULT = 'archive';

interface Setup {
  readonly catalog: Catalog;
  readonly repositories: VaultRepositories;
  readonly coldLocation: string;
  readonly coldRoot: string;
  readonly point: RecoveryPointRecord;
}

/** A vault whose warm repository holds one backup, recorded as a COMPLETED point due for cold storage. */
async function setup(t: test.TestContext): Promise<Setup> {
  const dir = await tempDir(t);
  const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'catalog.sqlite') });
  t.after(() => catalog.close());
  const passwords = { passwordFor: async () => Buffer.from('one password per vault and key'), stored: async () => undefined } as unknown as RepositoryPasswords;
  const repositories = createVaultRepositories(passwords);
  await catalog.vaults.create(SCOPE, { ...(await vaultFields()), storageLocation: `file:${join(dir, 'warm', SCOPE.accountId, VAULT)}/` });
  const source = join(dir, 'source');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'data.bin'), randomData(2 * 1024 * 1024, 7));
  const vault = (await catalog.vaults.get(SCOPE, VAULT))!;
  const warm = await repositories.open(SCOPE, vault, { keyId: KEY_ID, create: true });
  const { snapshotId } = await backupPaths(warm, [source]);
  const arn = `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:recovery-point:rp-1`;
  await catalog.recoveryPoints.create(SCOPE, {
    arn,
    id: 'rp-1',
    vaultName: VAULT,
    vaultArn: vault.arn,
    resourceArn: 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1',
    resourceType: 'EFS',
    state: 'COMPLETED',
    createdAt: T0,
    calculatedLifecycle: { deleteAt: T0 + 91 * DAY, moveToColdStorageAt: T0 + DAY },
  });
  const point = (await catalog.recoveryPoints.update(SCOPE, arn, { updatedAt: T0, snapshotId, repositoryKeyId: KEY_ID }))!;
  const coldRoot = `file:${join(dir, 'cold')}`;
  return { catalog, repositories, coldRoot, coldLocation: `${coldRoot}/${SCOPE.accountId}/${VAULT}/`, point };
}

async function vaultFields() {
  return {
    name: VAULT,
    arn: `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:backup-vault:${VAULT}`,
    encryptionKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/k-1',
    createdAt: T0,
  };
}

const mover = (s: Setup, coldRoot: string | undefined) =>
  createColdMover({
    catalog: s.catalog,
    repositories: s.repositories,
    ledger: createJobLedger({ catalog: s.catalog, clock: { now: () => new Date(T0 + 2 * DAY) } }),
    coldRoot: () => coldRoot,
    warn: (line) => assert.fail(line),
  });

async function snapshotIds(s: Setup, location?: string): Promise<string[]> {
  const vault = (await s.catalog.vaults.get(SCOPE, VAULT))!;
  return (await (await s.repositories.open(SCOPE, vault, { keyId: KEY_ID, location })).snapshots()).map((x) => x.id);
}

test('a move interrupted after its copy: the next run reuses the cold copy and finishes', async (t) => {
  const s = await setup(t);
  const vault = (await s.catalog.vaults.get(SCOPE, VAULT))!;
  const warm = await s.repositories.open(SCOPE, vault, { keyId: KEY_ID });
  const cold = await s.repositories.open(SCOPE, vault, { keyId: KEY_ID, location: s.coldLocation, create: true });
  const [copied] = await copySnapshots(warm, cold, { snapshots: [s.point.snapshotId!] });

  const [due] = (await s.catalog.recoveryPoints.listDueForColdStorage(T0 + 2 * DAY)).items;
  assert.equal(await mover(s, s.coldRoot)(SCOPE, due!), true);
  const after = (await s.catalog.recoveryPoints.get(SCOPE, s.point.arn))!;
  assert.equal(after.storageClass, 'COLD');
  assert.equal(after.storageLocation, s.coldLocation);
  assert.equal(after.snapshotId, copied!.targetId, "the copy made before the crash is the point's snapshot");
  assert.equal(after.warmSnapshotId, undefined);
  assert.deepEqual(await snapshotIds(s, s.coldLocation), [copied!.targetId]);
  assert.deepEqual(await snapshotIds(s), []);
  assert.equal((await s.catalog.recoveryPoints.listDueForColdStorage(T0 + 2 * DAY)).items.length, 0);
});

test('a move interrupted after it was recorded: still listed, and the run forgets the warm copy', async (t) => {
  const s = await setup(t);
  const vault = (await s.catalog.vaults.get(SCOPE, VAULT))!;
  const warm = await s.repositories.open(SCOPE, vault, { keyId: KEY_ID });
  const cold = await s.repositories.open(SCOPE, vault, { keyId: KEY_ID, location: s.coldLocation, create: true });
  const [copied] = await copySnapshots(warm, cold, { snapshots: [s.point.snapshotId!] });
  await s.catalog.recoveryPoints.update(SCOPE, s.point.arn, {
    updatedAt: T0 + DAY,
    storageClass: 'COLD',
    storageLocation: s.coldLocation,
    snapshotId: copied!.targetId!,
    warmSnapshotId: s.point.snapshotId!,
  });

  const due = (await s.catalog.recoveryPoints.listDueForColdStorage(T0 + 2 * DAY)).items;
  assert.deepEqual(
    due.map((p) => p.warmSnapshotId),
    [s.point.snapshotId],
    'the pending warm copy keeps the point listed',
  );
  assert.equal(await mover(s, s.coldRoot)(SCOPE, due[0]!), true);
  assert.deepEqual(await snapshotIds(s), []);
  assert.deepEqual(await snapshotIds(s, s.coldLocation), [copied!.targetId]);
  assert.equal((await s.catalog.recoveryPoints.get(SCOPE, s.point.arn))!.warmSnapshotId, undefined);
  assert.equal((await s.catalog.recoveryPoints.listDueForColdStorage(T0 + 2 * DAY)).items.length, 0);
});

test('a region without a cold location: only the class changes', async (t) => {
  const s = await setup(t);
  assert.equal(await mover(s, undefined)(SCOPE, s.point), true);
  const after = (await s.catalog.recoveryPoints.get(SCOPE, s.point.arn))!;
  assert.equal(after.storageClass, 'COLD');
  assert.equal(after.storageLocation, undefined);
  assert.deepEqual(await snapshotIds(s), [s.point.snapshotId]);
});
