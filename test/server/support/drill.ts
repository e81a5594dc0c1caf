/**
 * The disaster recovery drill (docs/disaster-recovery.md), end to end with the real `coffer`, on
 * whatever storage the calling test file gives the two regions (file: directories, S3-compatible
 * buckets): production (111111111111) and backup (222222222222) in one organization; a PostgreSQL
 * database and a DynamoDB table (moto) backed up in eu-central-1 and copied to the backup
 * account's vault in eu-west-1. Then the data dir (catalog, data dir key) and eu-central-1's
 * storage are deleted. `coffer recover` rebuilds the catalog from eu-west-1's storage with the
 * root key kept offline; the backup account lists the copies and restores both into its
 * eu-west-1 restoreTargets, data identical; restic opens the same copies through
 * `coffer vault restic-env`.
 */
// test-needs: coffer, restic, postgres, moto
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetBackupVaultAccessPolicyCommand,
  GetBackupVaultNotificationsCommand,
  ListBackupPlanVersionsCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  PutBackupVaultNotificationsCommand,
  StartCopyJobCommand,
  TagResourceCommand,
  UpdateBackupPlanCommand,
  UpdateGlobalSettingsCommand,
  UpdateRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { pg, uniqueName } from '../../connectors/support/sql-servers.js';
import { MOTO_CREDENTIALS, startMoto } from '../../connectors/support/moto-server.js';
import type { MotoServer } from '../../connectors/support/moto-server.js';
import { COFFER_BIN } from '../../support/restic.js';
import { accountsYaml, ALPHA, BETA } from './accounts.js';
import { isolatedAwsEnv, keysOf, sdk } from './clients.js';
import { startCofferProcess, writeConfig } from './coffer-process.js';
import type { CofferProcess } from './coffer-process.js';
import { KEY_POLICY, VAULT_POLICY, vaultArn } from './cross-account.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait, waitFor } from './jobs.js';

export const DRILL_CENTRAL = 'eu-central-1';
export const DRILL_WEST = 'eu-west-1';

/** Where the drill's two regions keep their vaults. */
export interface DrillStorage {
  /** The `regions:` block of the config (both regions), relative paths against the test directory. */
  readonly regionsYaml: string;
  /** Environment of coffer serve, coffer recover and restic-env (AWS credentials for storage that has no storageCredentials). */
  readonly env: NodeJS.ProcessEnv;
  /** The disaster: everything in eu-central-1's storage goes. */
  loseCentral(): Promise<void>;
  /** What RESTIC_REPOSITORY looks like, and the export lines restic-env prints between RESTIC_PASSWORD and COFFER_SNAPSHOT. */
  readonly repository: RegExp;
  readonly credentialLines: RegExp;
  stop(): Promise<void>;
}

export interface DrillContext {
  /** The test directory (the config's directory). */
  readonly dir: string;
  /** The moto server that serves the DynamoDB tables (and may serve storage too). */
  readonly moto: MotoServer;
}

export function defineDrill(name: string, makeStorage: (context: DrillContext) => Promise<DrillStorage>): void {
  const ROOT_KEY = randomBytes(32).toString('base64');
  const SOURCE_DB = uniqueName('coffer_drill');
  const RESTORED_DB = uniqueName('coffer_drill_restored');
  const CENTRAL = DRILL_CENTRAL;
  const WEST = DRILL_WEST;
  const DB_ARN = `arn:aws:rds:${CENTRAL}:${ALPHA.accountId}:db:orders`;
  const TABLE_ARN = `arn:aws:dynamodb:${CENTRAL}:${ALPHA.accountId}:table/Orders`;
  const COPIES = vaultArn(BETA, WEST, 'copies');

  let moto: MotoServer;
  let dir: string;
  let storage: DrillStorage | undefined;
  let coffer: CofferProcess | undefined;
  const env = (): NodeJS.ProcessEnv => ({ ...storage!.env, COFFER_ROOT_KEY: ROOT_KEY });

  const config = (): string => `listen: 127.0.0.1:0
dataDir: ./data
organization: { managementAccount: "${ALPHA.accountId}" }
${accountsYaml([ALPHA, BETA])}${storage!.regionsYaml}resources:
  - { arn: "${DB_ARN}", url: "postgres://postgres@127.0.0.1:5432/${SOURCE_DB}", kmsKeyId: alias/production-backups }
  - { arn: "${TABLE_ARN}", endpoint: "${moto.endpoint}", accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKey: ${MOTO_CREDENTIALS.secretAccessKey} }
restoreTargets:
  - { account: "${BETA.accountId}", region: ${WEST}, resourceType: RDS, url: "postgres://postgres@127.0.0.1:5432" }
  - { account: "${BETA.accountId}", region: ${WEST}, resourceType: DynamoDB, endpoint: "${moto.endpoint}", accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKey: ${MOTO_CREDENTIALS.secretAccessKey} }
`;

  const dynamo = (region: string): DynamoDBClient => new DynamoDBClient({ endpoint: moto.endpoint, region, credentials: MOTO_CREDENTIALS });

  before(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'coffer-drill-'));
    storage = await makeStorage({ dir, moto });
    pg(`CREATE DATABASE ${SOURCE_DB}`);
    pg(
      `CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2));
      INSERT INTO orders (customer, total) SELECT 'customer ' || i, i * 1.5 FROM generate_series(1, 5000) i;`,
      SOURCE_DB,
    );
    const table = dynamo(CENTRAL);
    await table.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let start = 0; start < 100; start += 25) {
      const items = Array.from({ length: 25 }, (_, i) => ({
        PutRequest: { Item: { id: { S: `order-${start + i}` }, total: { N: String((start + i) * 3) }, lines: { L: [{ S: 'a' }, { N: '1' }] } } },
      }));
      await table.send(new BatchWriteItemCommand({ RequestItems: { Orders: items } }));
    }
    table.destroy();
  });

  after(async () => {
    await coffer?.stop('SIGTERM');
    await storage?.stop();
    await moto?.stop();
    for (const db of [SOURCE_DB, RESTORED_DB]) pg(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function serve(): Promise<CofferProcess> {
    const file = await writeConfig(dir, config());
    coffer = await startCofferProcess({ args: ['--config', file], cwd: dir, env: env() });
    return coffer;
  }

  async function stop(): Promise<void> {
    const exit = await coffer!.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, coffer!.stderr());
    assert.equal(coffer!.stderr(), '', 'nothing on stderr');
    coffer = undefined;
  }

  function cofferCli(args: readonly string[], extraEnv: NodeJS.ProcessEnv = env()): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [COFFER_BIN, ...args], { cwd: dir, env: { ...process.env, ...extraEnv }, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  const rows = (db: string): string => pg("SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY id)) FROM orders t", db);

  async function items(region: string, table: string): Promise<string[]> {
    const client = dynamo(region);
    const out: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    client.destroy();
    return out.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();
  }

  async function copyToBackupAccount(alpha: BackupClient, point: string): Promise<string> {
    const started = await alpha.send(
      new StartCopyJobCommand({
        RecoveryPointArn: point,
        SourceBackupVaultName: 'production',
        DestinationBackupVaultArn: COPIES,
        IamRoleArn: BACKUP_ROLE(ALPHA.accountId),
      }),
    );
    const done = await waitFor(
      'copy job',
      () => alpha.send(new DescribeCopyJobCommand({ CopyJobId: started.CopyJobId! })),
      (r) => ['COMPLETED', 'FAILED'].includes(r.CopyJob?.State ?? ''),
    );
    assert.equal(done.CopyJob?.State, 'COMPLETED', done.CopyJob?.StatusMessage);
    return done.CopyJob!.DestinationRecoveryPointArn!;
  }

  /** A plan document: one rule into `vault`, at a time that never comes during the test. */
  const planDocument = (planName: string, vault: string, days: number) => ({
    BackupPlanName: planName,
    Rules: [
      {
        RuleName: 'yearly',
        TargetBackupVaultName: vault,
        ScheduleExpression: 'cron(0 3 1 1 ? *)',
        Lifecycle: { DeleteAfterDays: days },
        CopyActions: vault === 'production' ? [{ DestinationBackupVaultArn: COPIES, Lifecycle: { DeleteAfterDays: days } }] : undefined,
      },
    ],
  });

  /** Plans in both accounts (one updated, one deleted) and vault settings changed after the last recovery point change. */
  async function plansAndSettings(alpha: BackupClient, betaWest: BackupClient, copyArn: string): Promise<string[]> {
    const production = await alpha.send(
      new CreateBackupPlanCommand({ BackupPlan: planDocument('production-yearly', 'production', 400), BackupPlanTags: { team: 'orders' } }),
    );
    await alpha.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: production.BackupPlanId!,
        BackupSelection: { SelectionName: 'orders', IamRoleArn: BACKUP_ROLE(ALPHA.accountId), Resources: [DB_ARN, TABLE_ARN] },
      }),
    );
    await alpha.send(new UpdateBackupPlanCommand({ BackupPlanId: production.BackupPlanId!, BackupPlan: planDocument('production-yearly', 'production', 500) }));
    const gone = await alpha.send(new CreateBackupPlanCommand({ BackupPlan: planDocument('gone', 'production', 30) }));
    await alpha.send(new DeleteBackupPlanCommand({ BackupPlanId: gone.BackupPlanId! }));
    const west = await betaWest.send(new CreateBackupPlanCommand({ BackupPlan: planDocument('copies-yearly', 'copies', 30) }));
    await betaWest.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: west.BackupPlanId!,
        BackupSelection: {
          SelectionName: 'tagged',
          IamRoleArn: BACKUP_ROLE(BETA.accountId),
          Resources: ['*'],
          ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }],
        },
      }),
    );
    await betaWest.send(
      new PutBackupVaultNotificationsCommand({
        BackupVaultName: 'copies',
        SNSTopicArn: `arn:aws:sns:${WEST}:${BETA.accountId}:copies-events`,
        BackupVaultEvents: ['COPY_JOB_FAILED'],
      }),
    );
    await betaWest.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'copies', MinRetentionDays: 1, MaxRetentionDays: 3650 }));
    await betaWest.send(new TagResourceCommand({ ResourceArn: COPIES, Tags: { purpose: 'disaster-recovery' } }));
    await betaWest.send(new TagResourceCommand({ ResourceArn: copyArn, Tags: { checked: 'yes' } }));
    return [production.BackupPlanId!, west.BackupPlanId!];
  }

  /** What the API says of the plans and the backup vault's settings (compared before the disaster and after recover). */
  async function plansAndSettingsView(alpha: BackupClient, betaWest: BackupClient, planIds: readonly string[], copyArn: string): Promise<unknown> {
    const strip = <T extends { $metadata?: unknown }>(out: T): Omit<T, '$metadata'> => {
      const { $metadata: _, ...rest } = out;
      return rest;
    };
    const plans = [];
    for (const [client, id] of [
      [alpha, planIds[0]!],
      [betaWest, planIds[1]!],
    ] as const) {
      const selections = (await client.send(new ListBackupSelectionsCommand({ BackupPlanId: id }))).BackupSelectionsList ?? [];
      plans.push({
        plan: strip(await client.send(new GetBackupPlanCommand({ BackupPlanId: id }))),
        versions: (await client.send(new ListBackupPlanVersionsCommand({ BackupPlanId: id }))).BackupPlanVersionsList,
        selections: await Promise.all(
          selections.map(async (s) => strip(await client.send(new GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: s.SelectionId! })))),
        ),
      });
    }
    const vault = strip(await betaWest.send(new DescribeBackupVaultCommand({ BackupVaultName: 'copies' })));
    return {
      plans,
      livePlans: ((await alpha.send(new ListBackupPlansCommand({}))).BackupPlansList ?? []).map((p) => p.BackupPlanName).sort(),
      planTags: (await alpha.send(new ListTagsCommand({ ResourceArn: (plans[0]!.plan as { BackupPlanArn?: string }).BackupPlanArn! }))).Tags,
      vault: { ...vault, NumberOfRecoveryPoints: undefined },
      standby: strip(await betaWest.send(new DescribeBackupVaultCommand({ BackupVaultName: 'standby' }))),
      policy: (await betaWest.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'copies' }))).Policy,
      notifications: strip(await betaWest.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: 'copies' }))),
      vaultTags: (await betaWest.send(new ListTagsCommand({ ResourceArn: COPIES }))).Tags,
      pointTags: (await betaWest.send(new ListTagsCommand({ ResourceArn: copyArn }))).Tags,
    };
  }

  test(name, async () => {
    // 1. Production backs up in eu-central-1 and copies to the backup account's vault in eu-west-1.
    const server = await serve();
    const alpha = sdk(server.endpoint, keysOf(ALPHA), CENTRAL);
    const kms = new KMSClient({ endpoint: server.endpoint, region: CENTRAL, maxAttempts: 1, credentials: keysOf(ALPHA) });
    const key = await kms.send(new CreateKeyCommand({ Description: 'production backups', Policy: KEY_POLICY(true) }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/production-backups', TargetKeyId: key.KeyMetadata!.KeyId! }));
    await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'production', EncryptionKeyArn: key.KeyMetadata!.Arn! }));
    await alpha.send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { DynamoDB: true } }));
    await alpha.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: 'true' } }));
    const betaWest = sdk(server.endpoint, keysOf(BETA), WEST);
    await betaWest.send(new CreateBackupVaultCommand({ BackupVaultName: 'copies' }));
    await betaWest.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'copies', Policy: VAULT_POLICY }));
    // A vault that never holds a recovery point comes back too, with its lock.
    await betaWest.send(new CreateBackupVaultCommand({ BackupVaultName: 'standby' }));
    await betaWest.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: 'standby', MinRetentionDays: 7 }));
    const db = await backupAndWait(alpha, 'production', DB_ARN, BACKUP_ROLE(ALPHA.accountId));
    const table = await backupAndWait(alpha, 'production', TABLE_ARN, BACKUP_ROLE(ALPHA.accountId));
    const dbCopy = await copyToBackupAccount(alpha, db.rpArn);
    const tableCopy = await copyToBackupAccount(alpha, table.rpArn);
    const before = (await betaWest.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'copies' }))).RecoveryPoints ?? [];
    // Plans and vault settings changed after the last recovery point change reach storage at once.
    const planIds = await plansAndSettings(alpha, betaWest, dbCopy);
    const settingsBefore = await plansAndSettingsView(alpha, betaWest, planIds, dbCopy);
    kms.destroy();
    await stop();

    // 2. The disaster: the catalog and data dir, and eu-central-1's storage, are gone.
    await rm(join(dir, 'data'), { recursive: true, force: true });
    await storage!.loseCentral();
    // restic itself adds a snapshot to the backup vault's repository: recover lists it, does not import it.
    await writeFile(join(dir, 'by-restic.txt'), 'written by restic\n');
    const byRestic = spawnSync(
      'sh',
      [
        '-c',
        `eval "$(node '${COFFER_BIN}' vault restic-env --config '${join(dir, 'coffer.yaml')}' '${dbCopy}' 2>/dev/null)" && restic --no-cache backup --host drill-host '${join(dir, 'by-restic.txt')}'`,
      ],
      { cwd: dir, env: isolatedAwsEnv({ COFFER_ROOT_KEY: ROOT_KEY }), encoding: 'utf8' },
    );
    assert.equal(byRestic.status, 0, byRestic.stdout + byRestic.stderr);

    // 3. coffer recover from what is left, with the config and the root key kept offline; twice.
    const recovered = cofferCli(['recover', '--config', join(dir, 'coffer.yaml')]);
    process.stdout.write(recovered.stdout);
    assert.equal(recovered.status, 0, recovered.stdout + recovered.stderr);
    assert.match(
      recovered.stdout,
      new RegExp(
        `region ${WEST} .*: 2 vault\\(s\\) found, 2 added; 1 repository key\\(s\\) found, 1 added; 2 recovery point\\(s\\) found, 2 added; 2 plan record\\(s\\) found, 2 plan\\(s\\) added`,
      ),
    );
    assert.match(recovered.stdout, new RegExp(`region ${CENTRAL} .*: 0 vault\\(s\\) found`));
    assert.match(
      recovered.stdout,
      /\n {2}not imported: snapshot [0-9a-f]{8} in backup vault copies \(222222222222, repository [^)]+\) of [^,]+, made outside Coffer \(host drill-host, paths [^)]*by-restic\.txt\); restic reads it/,
    );
    assert.ok(!recovered.stdout.includes(ROOT_KEY) && !recovered.stderr.includes(ROOT_KEY), 'the root key is never printed');
    assert.ok(!`${recovered.stdout}${recovered.stderr}`.includes(MOTO_CREDENTIALS.secretAccessKey), 'no storage secret is printed');
    const again = cofferCli(['recover', '--config', join(dir, 'coffer.yaml')]);
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.match(
      again.stdout,
      /2 vault\(s\) found, 0 added; 1 repository key\(s\) found, 0 added; 2 recovery point\(s\) found, 0 added; 2 plan record\(s\) found, 0 plan\(s\) added/,
    );
    const withoutKey = cofferCli(['recover', '--config', join(dir, 'coffer.yaml')], { ...storage!.env, COFFER_ROOT_KEY: '' });
    assert.equal(withoutKey.status, 1);
    assert.match(withoutKey.stderr, /no root key: COFFER_ROOT_KEY is not set, the config gives no rootKeyFile/);

    // 4. The backup account sees its copies as they were, and restores both into its eu-west-1 targets.
    const after = await serve();
    const beta = sdk(after.endpoint, keysOf(BETA), WEST);
    const listed = (await beta.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'copies' }))).RecoveryPoints ?? [];
    const view = (points: typeof listed) =>
      points
        .map((p) => [
          p.RecoveryPointArn,
          p.ResourceArn,
          p.ResourceType,
          p.Status,
          p.CreationDate?.toISOString(),
          p.SourceBackupVaultArn,
          p.BackupSizeInBytes,
          p.CalculatedLifecycle?.DeleteAt?.toISOString(),
          p.EncryptionKeyArn,
        ])
        .sort();
    assert.deepEqual(view(listed), view(before));
    assert.deepEqual(listed.map((p) => p.RecoveryPointArn).sort(), [dbCopy, tableCopy].sort());
    // Production's plans come back from eu-west-1's storage (eu-central-1's is gone); the deleted one does not.
    const alphaAfter = sdk(after.endpoint, keysOf(ALPHA), CENTRAL);
    assert.deepEqual(await plansAndSettingsView(alphaAfter, beta, planIds, dbCopy), settingsBefore);

    const dbRestore = await restoreAndWait(beta, dbCopy, BACKUP_ROLE(BETA.accountId), { DBName: RESTORED_DB });
    assert.equal(dbRestore.Status, 'COMPLETED', dbRestore.StatusMessage);
    assert.match(dbRestore.CreatedResourceArn ?? '', new RegExp(`^arn:aws:rds:${WEST}:${BETA.accountId}:db:`));
    assert.equal(rows(RESTORED_DB), rows(SOURCE_DB));
    const tableRestore = await restoreAndWait(beta, tableCopy, BACKUP_ROLE(BETA.accountId), {});
    assert.equal(tableRestore.Status, 'COMPLETED', tableRestore.StatusMessage);
    const restoredTable = (tableRestore.CreatedResourceArn ?? '').split('/').pop()!;
    assert.match(tableRestore.CreatedResourceArn ?? '', new RegExp(`^arn:aws:dynamodb:${WEST}:${BETA.accountId}:table/Orders-restore-`));
    assert.deepEqual(await items(WEST, restoredTable), await items(CENTRAL, 'Orders'));
    await stop();

    // 5. restic opens the same copies through coffer vault restic-env (no server, no catalog needed),
    // in a shell without the machine's AWS settings: what restic needs comes from restic-env.
    // Both copies share the backup vault's repository (its key): COFFER_SNAPSHOT names each one, latest the newest.
    const output = new RegExp(
      `^export RESTIC_REPOSITORY='${storage!.repository.source}'\\nexport RESTIC_PASSWORD='[0-9a-f]{64}'\\n${storage!.credentialLines.source}export COFFER_SNAPSHOT='[0-9a-f]{64}'\\n$`,
    );
    for (const [point, file] of [
      [dbCopy, `${SOURCE_DB}.pg_dump`],
      [tableCopy, 'table.json'],
    ] as const) {
      const envOut = cofferCli(['vault', 'restic-env', '--config', join(dir, 'coffer.yaml'), point]);
      assert.equal(envOut.status, 0, envOut.stderr);
      assert.match(envOut.stdout, output);
      assert.match(envOut.stderr, /password not shown/);
      assert.doesNotMatch(envOut.stderr, /[0-9a-f]{64}'/);
      assert.ok(!envOut.stderr.includes(MOTO_CREDENTIALS.secretAccessKey), 'the storage secret is not logged');
      const target = join(dir, `restic-${file}`);
      const script = `eval "$(node '${COFFER_BIN}' vault restic-env --config '${join(dir, 'coffer.yaml')}' '${point}' 2>/dev/null)" && restic --no-cache check && restic --no-cache restore "$COFFER_SNAPSHOT" --target '${target}' && restic --no-cache restore latest --target '${target}-latest'`;
      const sh = spawnSync('sh', ['-c', script], { cwd: dir, env: isolatedAwsEnv({ COFFER_ROOT_KEY: ROOT_KEY }), encoding: 'utf8' });
      assert.equal(sh.status, 0, sh.stdout + sh.stderr);
      assert.match(sh.stdout, /no errors were found/);
      assert.ok(
        (await readdir(target, { recursive: true })).some((name) => String(name).endsWith(file)),
        `restic restored ${file}`,
      );
    }
  });
}
