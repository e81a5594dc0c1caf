/**
 * Recovery point indexes (UpdateRecoveryPointIndexSettings, GetRecoveryPointIndexDetails,
 * ListIndexedRecoveryPoints): a file index of a bucket (S3) or directory (EFS) recovery point, so
 * that AWS Backup Search can find objects and files in it. The index is the snapshot's restic
 * trees, already in the vault; asking for one makes it PENDING, a node's indexer (jobs/) checks
 * the trees and counts what they hold, and it becomes ACTIVE (or FAILED, saying why). Disabling
 * removes it. Each end is a vault event (RECOVERY_POINT_INDEX_COMPLETED, ..._INDEXING_FAILED,
 * ..._INDEX_DELETED) for the vault's notifications.
 */
import type { Catalog, CatalogStores } from '../catalog/catalog.js';
import type { IndexFilter, IndexStatus, RecoveryPointIndexRecord } from '../catalog/recovery-point-indexes.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import type { JobLedger } from './jobs/job-ledger.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { recoveryPointNotFound } from './recovery-points.js';
import { authorizeVaultAction, ownerScopeOf } from './vault-authorization.js';

export type { IndexFilter, IndexStatus } from '../catalog/recovery-point-indexes.js';

/** The resource types whose recovery points can be indexed: their snapshots are file trees. */
export const INDEXABLE_TYPES: readonly string[] = ['S3', 'EFS'];

/** An index's end, for the vault's notifications (written in the transaction that records it). */
export interface RecoveryPointIndexChanged {
  readonly type: 'recovery-point-index';
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly to: 'ACTIVE' | 'FAILED' | 'DELETED';
  readonly at: Date;
  readonly statusMessage?: string | undefined;
  readonly totalItems?: number | undefined;
}

export type IndexEventSink = (events: readonly RecoveryPointIndexChanged[], stores: CatalogStores) => Promise<void>;

export interface RecoveryPointIndex extends RecoveryPointIndexRecord {
  readonly vaultArn: string;
}

export interface RecoveryPointIndexService {
  /** ENABLED: asks for the index (PENDING); DISABLED: removes it. The status after the call (undefined once removed). */
  update(
    scope: CallScope,
    vaultName: string,
    recoveryPointArn: string,
    index: 'ENABLED' | 'DISABLED',
    iamRoleArn: string | undefined,
  ): Promise<IndexStatus | undefined>;
  get(scope: CallScope, vaultName: string, recoveryPointArn: string): Promise<RecoveryPointIndex>;
  /** The point's index status, undefined when it has none (DescribeRecoveryPoint). */
  statusOf(scope: CallScope, recoveryPointArn: string): Promise<Pick<RecoveryPointIndexRecord, 'status' | 'statusMessage'> | undefined>;
  list(scope: CallScope, filter: IndexFilter, request: ListRequest): Promise<ListPage<RecoveryPointIndex>>;
}

export interface RecoveryPointIndexDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  /** Where index events go (the notification outbox); default: nowhere. */
  readonly sink?: IndexEventSink | undefined;
  /** Tells this node's indexer that a PENDING index waits. */
  readonly nudge?: (() => void) | undefined;
}

function withVaultArn(record: RecoveryPointIndexRecord): RecoveryPointIndex {
  return { ...record, vaultArn: arns.backupVault(record, record.vaultName) };
}

export function createRecoveryPointIndexService(deps: RecoveryPointIndexDeps): RecoveryPointIndexService {
  const { catalog, ledger, clock } = deps;
  const pointFor = async (scope: CallScope, vaultName: string, arn: string, action: string) => {
    const owner = ownerScopeOf(scope, arn);
    await authorizeVaultAction(catalog, scope, { ...owner, name: vaultName }, action, arn);
    const point = await ledger.point(owner, arn);
    if (point === undefined || point.vaultName !== vaultName) throw recoveryPointNotFound(owner, arn, vaultName);
    return { owner, point };
  };
  const noIndex = (arn: string): BackupError =>
    new BackupError('ResourceNotFound', `Recovery point ${arn} has no index; create one with UpdateRecoveryPointIndexSettings (Index ENABLED).`, {
      context: arn,
    });

  return {
    async update(scope, vaultName, arn, index, iamRoleArn) {
      const { owner, point } = await pointFor(scope, vaultName, arn, 'backup:UpdateRecoveryPointIndexSettings');
      if (index === 'DISABLED') {
        const removed = await catalog.transaction(async (stores) => {
          const gone = await stores.recoveryPointIndexes.remove(owner, arn);
          if (gone !== undefined)
            await deps.sink?.(
              [{ type: 'recovery-point-index', ...owner, arn, vaultName, resourceArn: point.resourceArn, to: 'DELETED', at: clock.now() }],
              stores,
            );
          return gone;
        });
        if (removed === undefined) throw noIndex(arn);
        return undefined;
      }
      if (!INDEXABLE_TYPES.includes(point.resourceType))
        throw new BackupError(
          'InvalidParameter',
          `Recovery point ${arn} is a ${point.resourceType} backup; Coffer indexes the recovery points of S3 buckets and EFS-type directories only (their snapshots are file trees).`,
          { context: 'Index' },
        );
      if (point.state !== 'COMPLETED' || point.snapshotId === undefined)
        throw new BackupError('InvalidParameter', `Recovery point ${arn} is ${point.state}; only a COMPLETED recovery point can be indexed.`, {
          context: 'RecoveryPointArn',
        });
      const requested = await catalog.recoveryPointIndexes.request(owner, {
        recoveryPointArn: arn,
        vaultName,
        sourceResourceArn: point.resourceArn,
        resourceType: point.resourceType,
        backupCreatedAt: point.createdAt.getTime(),
        iamRoleArn: iamRoleArn ?? point.iamRoleArn,
        createdAt: clock.now().getTime(),
      });
      deps.nudge?.();
      // Already PENDING or ACTIVE: the call changes nothing (as AWS answers it).
      return requested?.status ?? (await catalog.recoveryPointIndexes.get(owner, arn))?.status;
    },

    async get(scope, vaultName, arn) {
      const { owner } = await pointFor(scope, vaultName, arn, 'backup:GetRecoveryPointIndexDetails');
      const record = await catalog.recoveryPointIndexes.get(owner, arn);
      if (record === undefined) throw noIndex(arn);
      return withVaultArn(record);
    },

    async statusOf(scope, arn) {
      return catalog.recoveryPointIndexes.get(ownerScopeOf(scope, arn), arn);
    },

    list: (scope, filter, request) => listPage(request, (page) => catalog.recoveryPointIndexes.list(scope, filter, page), withVaultArn),
  };
}
