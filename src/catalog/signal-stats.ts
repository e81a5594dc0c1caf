/**
 * Figures across every account for /metrics: jobs by kind, state and resource type; the last
 * successful backup and copy of each resource; each vault's recovery points and their size.
 * Plain GROUP BY queries, the same on every dialect; read at each scrape, so every node of a
 * shared catalog reports the same figures.
 */
import type { StoreContext } from './dialect.js';
import { JOB_TABLES } from './job-rows.js';
import type { EpochMillis } from './scope.js';

export interface JobCount {
  readonly kind: 'backup' | 'restore' | 'copy';
  readonly state: string;
  readonly resourceType: string;
  readonly count: number;
}

export interface LastSuccess {
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  /** The copy's destination vault; undefined for backups. */
  readonly destinationVaultArn: string | undefined;
  readonly at: EpochMillis;
}

export interface VaultFigures {
  readonly accountId: string;
  readonly region: string;
  readonly vaultName: string;
  readonly recoveryPoints: number;
  readonly bytes: number;
}

export interface SignalStatsStore {
  jobCounts(): Promise<JobCount[]>;
  lastSuccessfulBackups(): Promise<LastSuccess[]>;
  lastSuccessfulCopies(): Promise<LastSuccess[]>;
  vaults(): Promise<VaultFigures[]>;
}

export function createSignalStatsStore({ db }: StoreContext): SignalStatsStore {
  return {
    async jobCounts() {
      const counts: JobCount[] = [];
      for (const kind of ['backup', 'restore', 'copy'] as const) {
        const rows = await db
          .selectFrom(JOB_TABLES[kind] as 'backup_jobs')
          .select(['state', 'resource_type', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(['state', 'resource_type'])
          .execute();
        for (const r of rows) counts.push({ kind, state: r.state, resourceType: r.resource_type, count: Number(r.n) });
      }
      return counts;
    },
    async lastSuccessfulBackups() {
      const rows = await db
        .selectFrom('backup_jobs')
        .select(['account_id', 'region', 'resource_arn', 'resource_type', (eb) => eb.fn.max<number>('completed_at').as('at')])
        .where('state', '=', 'COMPLETED')
        .groupBy(['account_id', 'region', 'resource_arn', 'resource_type'])
        .execute();
      return rows.map((r) => ({
        accountId: r.account_id,
        region: r.region,
        resourceArn: r.resource_arn,
        resourceType: r.resource_type,
        destinationVaultArn: undefined,
        at: Number(r.at),
      }));
    },
    async lastSuccessfulCopies() {
      const rows = await db
        .selectFrom('copy_jobs')
        .select(['account_id', 'region', 'resource_arn', 'resource_type', 'destination_vault_arn', (eb) => eb.fn.max<number>('completed_at').as('at')])
        .where('state', '=', 'COMPLETED')
        .groupBy(['account_id', 'region', 'resource_arn', 'resource_type', 'destination_vault_arn'])
        .execute();
      return rows.map((r) => ({
        accountId: r.account_id,
        region: r.region,
        resourceArn: r.resource_arn,
        resourceType: r.resource_type,
        destinationVaultArn: r.destination_vault_arn,
        at: Number(r.at),
      }));
    },
    async vaults() {
      const rows = await db
        .selectFrom('vaults')
        .leftJoin('recovery_points', (join) =>
          join
            .onRef('recovery_points.account_id', '=', 'vaults.account_id')
            .onRef('recovery_points.region', '=', 'vaults.region')
            .onRef('recovery_points.vault_name', '=', 'vaults.name'),
        )
        .select([
          'vaults.account_id',
          'vaults.region',
          'vaults.name',
          (eb) => eb.fn.count<number>('recovery_points.arn').as('points'),
          (eb) => eb.fn.sum<number>('recovery_points.backup_size_bytes').as('bytes'),
        ])
        .groupBy(['vaults.account_id', 'vaults.region', 'vaults.name'])
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, region: r.region, vaultName: r.name, recoveryPoints: Number(r.points), bytes: Number(r.bytes ?? 0) }));
    },
  };
}
