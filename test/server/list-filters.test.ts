/**
 * Every filter of every List operation Coffer serves, table-driven, through the AWS SDK against a
 * real server: ListBackupJobs, ListCopyJobs, ListRestoreJobs, ListRecoveryPointsByBackupVault,
 * ListRecoveryPointsByResource, ListBackupVaults and ListBackupPlans. Jobs and recovery points of
 * every kind of state are written into the server's catalog (as its ledger would), next to one
 * real backup; each row of the table is one request and the exact set of rows it must answer.
 * (ByRestoreTestingPlanArn is tested with restore testing.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DisassociateRecoveryPointCommand,
  DisassociateRecoveryPointFromParentCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  ListProtectedResourcesByBackupVaultCommand,
  ListRestoreJobsByProtectedResourceCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { ALPHA, ALPHA_CONFIG_HEAD, BETA } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const A = ALPHA.accountId;
const REGION = 'us-east-1';
const SCOPE = { accountId: A, region: REGION };
const efs = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${A}:file-system/${id}`;
const REAL = efs('fs-real');
const R1 = efs('fs-one');
const R2 = `arn:aws:rds:${REGION}:${A}:db:orders`;
const R3 = `arn:aws:dynamodb:${REGION}:${A}:table/carts`;
const vaultArn = (name: string, account = A, region = REGION) => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
const pointArn = (id: string) => `arn:aws:backup:${REGION}:${A}:recovery-point:${id}`;
const EU_VAULT = vaultArn('alpha', A, 'eu-west-1');
const BETA_VAULT = vaultArn('central', BETA.accountId);

const server = useCoffer({ yaml: `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${REAL}", path: ./source }\n` });

const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const at = (hours: number) => T0 + hours * HOUR;
const date = (hours: number) => new Date(at(hours));
/** Seeded active jobs are due long after the test, so the server's workers leave them alone. */
const NEVER = Date.UTC(2100, 0, 1);

/** Row name -> id; the real backup's job and point join as REAL once made. */
const ids = new Map<string, string>();
const named = (name: string) => ids.get(name) ?? name;

async function seedJobs(catalog: Catalog): Promise<void> {
  const ended = async (kind: 'backup' | 'copy' | 'restore', id: string, completedHours: number, messageCategory: string) =>
    catalog.jobs.update(kind, id, { updatedAt: at(completedHours), completedAt: at(completedHours), messageCategory });
  const backup = (id: string, hours: number, state: 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'RUNNING', more: Record<string, unknown>) =>
    catalog.jobs.createBackupJob(SCOPE, {
      id,
      state,
      createdAt: at(hours),
      resourceArn: R1,
      resourceType: 'EFS',
      vaultName: 'alpha',
      vaultArn: vaultArn('alpha'),
      iamRoleArn: BACKUP_ROLE(A),
      ...more,
    });
  await backup('B1', 1, 'COMPLETED', {});
  await ended('backup', 'B1', 2, 'SUCCESS');
  await backup('B2', 3, 'FAILED', { resourceArn: R2, resourceType: 'RDS', vaultName: 'beta', vaultArn: vaultArn('beta'), statusMessage: 'Access Denied' });
  await ended('backup', 'B2', 4, 'ACCESS_DENIED');
  await backup('B3', 5, 'EXPIRED', { resourceArn: R3, resourceType: 'DynamoDB', parentJobId: 'PARENT-1' });
  await ended('backup', 'B3', 6, 'EXPIRED');
  await backup('B4', 7, 'RUNNING', { vaultName: 'beta', vaultArn: vaultArn('beta'), notBefore: NEVER });

  const copy = (id: string, hours: number, state: 'COMPLETED' | 'FAILED' | 'RUNNING', more: Record<string, unknown>) =>
    catalog.jobs.createCopyJob(SCOPE, {
      id,
      state,
      createdAt: at(hours),
      resourceArn: R1,
      resourceType: 'EFS',
      sourceRecoveryPointArn: pointArn('P1'),
      sourceVaultArn: vaultArn('alpha'),
      destinationVaultArn: EU_VAULT,
      iamRoleArn: BACKUP_ROLE(A),
      ...more,
    });
  await copy('C1', 1, 'COMPLETED', {});
  await ended('copy', 'C1', 2, 'SUCCESS');
  await copy('C2', 3, 'FAILED', { resourceArn: R2, resourceType: 'RDS', sourceRecoveryPointArn: pointArn('P2'), destinationVaultArn: BETA_VAULT });
  await ended('copy', 'C2', 4, 'ACCESS_DENIED');
  await copy('C3', 5, 'RUNNING', { resourceArn: R3, resourceType: 'DynamoDB', parentJobId: 'PARENT-C', notBefore: NEVER });

  const restore = (id: string, hours: number, state: 'COMPLETED' | 'FAILED' | 'RUNNING', resourceArn: string, resourceType: string) =>
    catalog.jobs.createRestoreJob(SCOPE, {
      id,
      state,
      createdAt: at(hours),
      notBefore: NEVER,
      resourceArn,
      resourceType,
      recoveryPointArn: pointArn('P1'),
      recoveryPointCreatedAt: at(hours - 1),
      vaultName: 'alpha',
      metadata: {},
    });
  await restore('S1', 1, 'COMPLETED', R1, 'EFS');
  await ended('restore', 'S1', 2, 'SUCCESS');
  await restore('S2', 3, 'FAILED', R2, 'RDS');
  await ended('restore', 'S2', 4, 'RESOURCE_ERROR');
  await restore('S3', 5, 'RUNNING', R3, 'DynamoDB');
}

async function seedPoints(catalog: Catalog): Promise<void> {
  const plan = (id: string) => ({ planId: id, planArn: `arn:aws:backup:${REGION}:${A}:backup-plan:${id}`, planVersion: 'v1', ruleId: 'rule' });
  const point = (id: string, vault: string, hours: number, resourceArn: string, resourceType: string, planId?: string) =>
    catalog.recoveryPoints.create(SCOPE, {
      arn: pointArn(id),
      id,
      vaultName: vault,
      vaultArn: vaultArn(vault),
      resourceArn,
      resourceType,
      state: 'COMPLETED',
      createdAt: at(hours),
      ...(planId === undefined ? {} : { createdBy: plan(planId) }),
    });
  await point('P1', 'alpha', 1, R1, 'EFS', 'PLAN-A');
  await point('P2', 'alpha', 3, R2, 'RDS', 'PLAN-B');
  await point('P3', 'alpha', 5, R3, 'DynamoDB');
  await point('P4', 'beta', 7, R1, 'EFS', 'PLAN-A');
}

test('the fixture: vaults, plans (one deleted), one real backup, and seeded jobs and points', async () => {
  const { endpoint, dir } = server();
  const client = sdk(endpoint, keysOf(ALPHA));
  for (const name of ['alpha', 'beta']) await client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'a.txt'), 'filters\n');
  const real = await backupAndWait(client, 'alpha', REAL, BACKUP_ROLE(A));
  ids.set('REAL', real.job.BackupJobId!);
  ids.set('REAL_POINT', real.rpArn);
  assert.equal(real.job.MessageCategory, 'SUCCESS', 'a real completed backup job is SUCCESS');
  const plan = (name: string) =>
    client.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'alpha' }] } }));
  ids.set('KEPT', (await plan('kept')).BackupPlanId!);
  const gone = (await plan('gone')).BackupPlanId!;
  ids.set('GONE', gone);
  await client.send(new DeleteBackupPlanCommand({ BackupPlanId: gone }));

  const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'data', 'catalog.sqlite') });
  try {
    await seedJobs(catalog);
    await seedPoints(catalog);
  } finally {
    await catalog.close();
  }
});

type Lister = (client: BackupClient, input: Record<string, unknown>, nextToken?: string) => Promise<{ names: string[]; next: string | undefined }>;

const pointName = (arn: string | undefined) => (arn === named('REAL_POINT') ? 'REAL_POINT' : arn!.slice(arn!.lastIndexOf(':') + 1));
const jobName = (id: string | undefined) => (id === named('REAL') ? 'REAL' : id!);
const planName = (id: string | undefined) => (id === named('KEPT') ? 'KEPT' : id === named('GONE') ? 'GONE' : id!);

const LISTERS: Record<string, Lister> = {
  ListBackupJobs: async (c, input, NextToken) => {
    const out = await c.send(new ListBackupJobsCommand({ ...input, NextToken }));
    return { names: (out.BackupJobs ?? []).map((j) => jobName(j.BackupJobId)), next: out.NextToken };
  },
  ListCopyJobs: async (c, input, NextToken) => {
    const out = await c.send(new ListCopyJobsCommand({ ...input, NextToken }));
    return { names: (out.CopyJobs ?? []).map((j) => j.CopyJobId!), next: out.NextToken };
  },
  ListRestoreJobs: async (c, input, NextToken) => {
    const out = await c.send(new ListRestoreJobsCommand({ ...input, NextToken }));
    return { names: (out.RestoreJobs ?? []).map((j) => j.RestoreJobId!), next: out.NextToken };
  },
  ListRecoveryPointsByBackupVault: async (c, input, NextToken) => {
    const out = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'alpha', ...input, NextToken }));
    return { names: (out.RecoveryPoints ?? []).map((p) => pointName(p.RecoveryPointArn)), next: out.NextToken };
  },
  ListRecoveryPointsByResource: async (c, input, NextToken) => {
    const out = await c.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: R1, ...input, NextToken }));
    return { names: (out.RecoveryPoints ?? []).map((p) => pointName(p.RecoveryPointArn)), next: out.NextToken };
  },
  ListRestoreJobsByProtectedResource: async (c, input, NextToken) => {
    const out = await c.send(new ListRestoreJobsByProtectedResourceCommand({ ResourceArn: R1, ...input, NextToken }));
    return { names: (out.RestoreJobs ?? []).map((j) => j.RestoreJobId!), next: out.NextToken };
  },
  ListProtectedResourcesByBackupVault: async (c, input, NextToken) => {
    const out = await c.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: 'beta', ...input, NextToken }));
    return {
      names: (out.Results ?? []).map((r) => `${r.ResourceArn === R1 ? 'R1' : r.ResourceArn}:${pointName(r.LastRecoveryPointArn)}`),
      next: out.NextToken,
    };
  },
  ListBackupVaults: async (c, input, NextToken) => {
    const out = await c.send(new ListBackupVaultsCommand({ ...input, NextToken }));
    return { names: (out.BackupVaultList ?? []).map((v) => v.BackupVaultName!), next: out.NextToken };
  },
  ListBackupPlans: async (c, input, NextToken) => {
    const out = await c.send(new ListBackupPlansCommand({ ...input, NextToken }));
    return { names: (out.BackupPlansList ?? []).map((p) => planName(p.BackupPlanId)), next: out.NextToken };
  },
};

/** [operation, filter, the rows it answers]. Every filter member of each operation appears at least once. */
const CASES: readonly (readonly [string, Record<string, unknown>, readonly string[]])[] = [
  ['ListBackupJobs', {}, ['REAL', 'B1', 'B2', 'B3', 'B4']],
  ['ListBackupJobs', { ByResourceArn: R2 }, ['B2']],
  ['ListBackupJobs', { ByState: 'FAILED' }, ['B2']],
  ['ListBackupJobs', { ByState: 'COMPLETED' }, ['REAL', 'B1']],
  ['ListBackupJobs', { ByBackupVaultName: 'beta' }, ['B2', 'B4']],
  ['ListBackupJobs', { ByCreatedBefore: date(3) }, ['B1']],
  ['ListBackupJobs', { ByCreatedAfter: date(3), ByCreatedBefore: date(100) }, ['B3', 'B4']],
  ['ListBackupJobs', { ByResourceType: 'DynamoDB' }, ['B3']],
  ['ListBackupJobs', { ByAccountId: A, ByResourceType: 'EFS' }, ['REAL', 'B1', 'B4']],
  ['ListBackupJobs', { ByAccountId: BETA.accountId }, []],
  ['ListBackupJobs', { ByCompleteAfter: date(2), ByCompleteBefore: date(100) }, ['B2', 'B3']],
  ['ListBackupJobs', { ByCompleteBefore: date(4) }, ['B1']],
  ['ListBackupJobs', { ByParentJobId: 'PARENT-1' }, ['B3']],
  ['ListBackupJobs', { ByMessageCategory: 'SUCCESS' }, ['REAL', 'B1']],
  ['ListBackupJobs', { ByMessageCategory: 'AccessDenied' }, ['B2']],
  ['ListBackupJobs', { ByMessageCategory: 'ACCESS_DENIED', ByState: 'FAILED' }, ['B2']],
  ['ListBackupJobs', { ByMessageCategory: 'InvalidParameters' }, []],
  ['ListBackupJobs', { ByMessageCategory: 'ANY' }, ['REAL', 'B1', 'B2', 'B3', 'B4']],
  ['ListBackupJobs', { ByMessageCategory: 'AGGREGATE_ALL', ByBackupVaultName: 'alpha' }, ['REAL', 'B1', 'B3']],

  ['ListCopyJobs', {}, ['C1', 'C2', 'C3']],
  ['ListCopyJobs', { ByResourceArn: R2 }, ['C2']],
  ['ListCopyJobs', { ByState: 'RUNNING' }, ['C3']],
  ['ListCopyJobs', { ByCreatedBefore: date(3) }, ['C1']],
  ['ListCopyJobs', { ByCreatedAfter: date(1) }, ['C2', 'C3']],
  ['ListCopyJobs', { ByResourceType: 'EFS' }, ['C1']],
  ['ListCopyJobs', { ByDestinationVaultArn: BETA_VAULT }, ['C2']],
  ['ListCopyJobs', { ByAccountId: A }, ['C1', 'C2', 'C3']],
  ['ListCopyJobs', { ByAccountId: BETA.accountId }, []],
  ['ListCopyJobs', { ByCompleteBefore: date(3) }, ['C1']],
  ['ListCopyJobs', { ByCompleteAfter: date(3) }, ['C2']],
  ['ListCopyJobs', { ByParentJobId: 'PARENT-C' }, ['C3']],
  ['ListCopyJobs', { ByMessageCategory: 'accessdenied' }, ['C2']],
  ['ListCopyJobs', { ByMessageCategory: 'Success' }, ['C1']],
  ['ListCopyJobs', { BySourceRecoveryPointArn: pointArn('P1') }, ['C1', 'C3']],

  ['ListRestoreJobs', {}, ['S1', 'S2', 'S3']],
  ['ListRestoreJobs', { ByAccountId: A, ByResourceType: 'RDS' }, ['S2']],
  ['ListRestoreJobs', { ByAccountId: BETA.accountId }, []],
  ['ListRestoreJobs', { ByCreatedBefore: date(5) }, ['S1', 'S2']],
  ['ListRestoreJobs', { ByCreatedAfter: date(1) }, ['S2', 'S3']],
  ['ListRestoreJobs', { ByStatus: 'COMPLETED' }, ['S1']],
  ['ListRestoreJobs', { ByCompleteBefore: date(3) }, ['S1']],
  ['ListRestoreJobs', { ByCompleteAfter: date(3) }, ['S2']],
  ['ListRestoreJobs', { ByParentJobId: 'S1' }, []],

  ['ListRecoveryPointsByBackupVault', {}, ['REAL_POINT', 'P1', 'P2', 'P3']],
  ['ListRecoveryPointsByBackupVault', { BackupVaultAccountId: A, ByResourceArn: R1 }, ['P1']],
  ['ListRecoveryPointsByBackupVault', { ByResourceType: 'RDS' }, ['P2']],
  ['ListRecoveryPointsByBackupVault', { ByBackupPlanId: 'PLAN-A' }, ['P1']],
  ['ListRecoveryPointsByBackupVault', { ByBackupPlanId: 'PLAN-B' }, ['P2']],
  ['ListRecoveryPointsByBackupVault', { ByBackupPlanId: 'NO-SUCH-PLAN' }, []],
  ['ListRecoveryPointsByBackupVault', { ByCreatedBefore: date(3) }, ['P1']],
  ['ListRecoveryPointsByBackupVault', { ByCreatedAfter: date(1), ByCreatedBefore: date(100) }, ['P2', 'P3']],
  ['ListRecoveryPointsByBackupVault', { ByParentRecoveryPointArn: pointArn('P1') }, []],

  ['ListRecoveryPointsByResource', {}, ['P1', 'P4']],
  ['ListRecoveryPointsByResource', { ManagedByAWSBackupOnly: true }, ['P1', 'P4']],
  ['ListRecoveryPointsByResource', { ManagedByAWSBackupOnly: false }, ['P1', 'P4']],

  ['ListRestoreJobsByProtectedResource', {}, ['S1']],
  ['ListRestoreJobsByProtectedResource', { ByStatus: 'COMPLETED' }, ['S1']],
  ['ListRestoreJobsByProtectedResource', { ByStatus: 'FAILED' }, []],
  ['ListRestoreJobsByProtectedResource', { ByRecoveryPointCreationDateAfter: date(-1) }, ['S1']],
  ['ListRestoreJobsByProtectedResource', { ByRecoveryPointCreationDateBefore: date(-1) }, []],

  ['ListProtectedResourcesByBackupVault', {}, ['R1:P4']],
  ['ListProtectedResourcesByBackupVault', { BackupVaultAccountId: A }, ['R1:P4']],

  ['ListBackupVaults', {}, ['alpha', 'beta']],
  ['ListBackupVaults', { ByVaultType: 'BACKUP_VAULT' }, ['alpha', 'beta']],
  ['ListBackupVaults', { ByVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' }, []],
  ['ListBackupVaults', { ByShared: true }, []],

  ['ListBackupPlans', {}, ['KEPT']],
  ['ListBackupPlans', { IncludeDeleted: true }, ['KEPT', 'GONE']],
  ['ListBackupPlans', { IncludeDeleted: false }, ['KEPT']],
];

test('each filter answers exactly its rows, in one page and one row a page', async () => {
  const client = sdk(server().endpoint, keysOf(ALPHA));
  const failures: string[] = [];
  for (const [operation, input, expected] of CASES) {
    const list = LISTERS[operation]!;
    const whole = await list(client, input);
    const paged: string[] = [];
    for (let token: string | undefined, pages = 0; pages === 0 || token !== undefined; pages++) {
      const page = await list(client, { ...input, MaxResults: 1 }, token);
      paged.push(...page.names);
      token = page.next;
      assert.ok(pages < 20, `${operation} ${JSON.stringify(input)}: paging does not end`);
    }
    const want = [...expected].sort();
    if (JSON.stringify([...whole.names].sort()) !== JSON.stringify(want) || JSON.stringify([...paged].sort()) !== JSON.stringify(want)) {
      failures.push(`${operation} ${JSON.stringify(input)}: want ${JSON.stringify(want)}, got ${JSON.stringify(whole.names)} (paged ${JSON.stringify(paged)})`);
    }
  }
  assert.deepEqual(failures, []);
});

test('the table covers every filter member of each operation in the model', async () => {
  const { readFile } = await import('node:fs/promises');
  const model = JSON.parse(await readFile('src/aws/models/backup.json', 'utf8')) as {
    operations: Record<string, { input: string }>;
    shapes: Record<string, { members: Record<string, { location?: string }> }>;
  };
  const PAGING = new Set(['MaxResults', 'NextToken']);
  const LEFT_TO_OTHERS = new Set(['ListRestoreJobs.ByRestoreTestingPlanArn']);
  const PATH = new Set([
    'ListRecoveryPointsByBackupVault.BackupVaultName',
    'ListRecoveryPointsByResource.ResourceArn',
    'ListRestoreJobsByProtectedResource.ResourceArn',
    'ListProtectedResourcesByBackupVault.BackupVaultName',
  ]);
  for (const operation of Object.keys(LISTERS)) {
    const members = model.shapes[model.operations[operation]!.input]!.members;
    for (const member of Object.keys(members)) {
      const key = `${operation}.${member}`;
      if (PAGING.has(member) || LEFT_TO_OTHERS.has(key) || PATH.has(key)) continue;
      assert.ok(
        CASES.some(([op, input]) => op === operation && member in input),
        `${key} has no row in the table`,
      );
    }
  }
});

test('DisassociateRecoveryPoint / FromParent: a snapshot point is refused as AWS refuses one; a missing one is not found', async () => {
  const client = sdk(server().endpoint, keysOf(ALPHA));
  for (const Command of [DisassociateRecoveryPointCommand, DisassociateRecoveryPointFromParentCommand]) {
    await assert.rejects(client.send(new Command({ BackupVaultName: 'alpha', RecoveryPointArn: pointArn('P1') })), (err: Error) => {
      assert.equal(err.name, 'InvalidRequestException');
      assert.match(err.message, /Coffer makes none/);
      return true;
    });
    await assert.rejects(client.send(new Command({ BackupVaultName: 'alpha', RecoveryPointArn: pointArn('NOPE') })), { name: 'ResourceNotFoundException' });
  }
});
