/**
 * Legal holds: a hold covers the recovery points that match its selection when it is created
 * (the list is fixed then, as AWS's is) and keeps them from being deleted, on request or by
 * lifecycle expiry, until it is cancelled. Coffer creates holds synchronously (ACTIVE at once)
 * and cancels them in one step (CANCELING, then CANCELED before the call returns).
 */
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import { formatArn, PARTITION } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import type { IdSource } from './id-source.js';
import type { JobLedger } from './jobs/job-ledger.js';
import type { RecoveryPoint } from './jobs/recovery-point.js';
import { legalHoldOfRecord, storedSelection } from './legal-hold.js';
import type { HeldPoint, LegalHold, LegalHoldSelection } from './legal-hold.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkTags } from './tag-rules.js';
import type { Tags } from './tag-rules.js';

export interface NewLegalHoldRequest {
  readonly title: string;
  readonly description: string;
  readonly idempotencyToken?: string | undefined;
  readonly selection?: LegalHoldSelection | undefined;
  readonly tags?: Tags | undefined;
}

export interface LegalHoldService {
  create(scope: CallScope, request: NewLegalHoldRequest): Promise<LegalHold>;
  get(scope: CallScope, id: string): Promise<LegalHold>;
  list(scope: CallScope, request: ListRequest): Promise<ListPage<LegalHold>>;
  cancel(scope: CallScope, id: string, cancelDescription: string, retainRecordInDays?: number): Promise<void>;
  listRecoveryPoints(scope: CallScope, id: string, request: ListRequest): Promise<ListPage<HeldPoint>>;
}

/** States a point can be held in: anything that still exists and is not being deleted. */
const HOLDABLE = new Set(['COMPLETED', 'AVAILABLE', 'PARTIAL', 'EXPIRED', 'STOPPED', 'CREATING']);
const DAY_MS = 86_400_000;

function legalHoldNotFound(scope: CallScope, id: string): BackupError {
  return new BackupError(
    'LegalHoldNotFound',
    `Legal hold ${id} does not exist in account ${scope.accountId}, region ${scope.region} (ListLegalHolds lists them).`,
    { context: id },
  );
}

function invalid(message: string, member: string): BackupError {
  return new BackupError('InvalidParameter', message, { context: member });
}

function checkSelection(selection: LegalHoldSelection | undefined): void {
  const range = selection?.dateRange;
  if (range !== undefined && range.from.getTime() > range.to.getTime()) {
    throw invalid(
      `RecoveryPointSelection.DateRange.FromDate (${range.from.toISOString()}) is after ToDate (${range.to.toISOString()}).`,
      'RecoveryPointSelection.DateRange',
    );
  }
}

/** Whether a recovery point matches a selection: every criterion given must hold; none given matches every point. */
export function matchesSelection(point: RecoveryPoint, selection: LegalHoldSelection | undefined): boolean {
  if (selection === undefined) return true;
  if (selection.vaultNames !== undefined && selection.vaultNames.length > 0 && !selection.vaultNames.includes(point.vaultName)) return false;
  if (selection.resourceIdentifiers !== undefined && selection.resourceIdentifiers.length > 0 && !selection.resourceIdentifiers.includes(point.resourceArn))
    return false;
  const range = selection.dateRange;
  if (range !== undefined && (point.createdAt.getTime() < range.from.getTime() || point.createdAt.getTime() > range.to.getTime())) return false;
  return true;
}

export interface LegalHoldDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly ids: IdSource;
}

export function createLegalHoldService({ catalog, ledger, clock, ids }: LegalHoldDeps): LegalHoldService {
  const require = async (scope: CallScope, id: string): Promise<LegalHold> => {
    const hold = await catalog.legalHolds.get(scope, id);
    if (hold === undefined) throw legalHoldNotFound(scope, id);
    return legalHoldOfRecord(hold);
  };

  /** Every recovery point of the scope the selection covers now. */
  const coveredPoints = async (scope: CallScope, selection: LegalHoldSelection | undefined): Promise<HeldPoint[]> => {
    let vaultNames = selection?.vaultNames ?? [];
    for (const name of vaultNames) {
      if ((await catalog.vaults.get(scope, name)) === undefined) {
        throw invalid(
          `RecoveryPointSelection.VaultNames names backup vault ${name}, which does not exist in account ${scope.accountId}, region ${scope.region}.`,
          'RecoveryPointSelection.VaultNames',
        );
      }
    }
    if (vaultNames.length === 0) {
      const all: string[] = [];
      for await (const v of everyItem((page) => catalog.vaults.list(scope, {}, page))) all.push(v.name);
      vaultNames = all;
    }
    const held: HeldPoint[] = [];
    for (const vaultName of vaultNames) {
      for await (const p of everyItem((page) => ledger.pointsByVault(scope, vaultName, {}, page))) {
        if (HOLDABLE.has(p.state) && matchesSelection(p, selection)) {
          held.push({ recoveryPointArn: p.arn, resourceArn: p.resourceArn, resourceType: p.resourceType, vaultName: p.vaultName });
        }
      }
    }
    return held;
  };

  return {
    async create(scope, request) {
      if (request.tags !== undefined) checkTags(request.tags, 'Tags');
      checkSelection(request.selection);
      if (request.idempotencyToken !== undefined) {
        const earlier = await catalog.legalHolds.findByIdempotencyToken(scope, request.idempotencyToken);
        if (earlier !== undefined) return legalHoldOfRecord(earlier);
      }
      const id = ids.uuid();
      const arn = formatArn({ partition: PARTITION, service: 'backup', region: scope.region, accountId: scope.accountId, resource: `legal-hold:${id}` });
      const points = await coveredPoints(scope, request.selection);
      const hold = await catalog.legalHolds.create(
        scope,
        {
          id,
          arn,
          title: request.title,
          description: request.description,
          status: 'ACTIVE',
          selection: storedSelection(request.selection),
          idempotencyToken: request.idempotencyToken,
          createdAt: clock.now().getTime(),
        },
        points,
      );
      if (request.tags !== undefined && Object.keys(request.tags).length > 0) await catalog.tags.tag(scope, arn, request.tags);
      return legalHoldOfRecord(hold);
    },

    get: require,

    async list(scope, request) {
      return listPage(request, (p) => catalog.legalHolds.list(scope, p), legalHoldOfRecord);
    },

    async cancel(scope, id, cancelDescription, retainRecordInDays) {
      if (cancelDescription.trim() === '') throw invalid('CancelDescription is empty; say why the legal hold is cancelled.', 'CancelDescription');
      if (retainRecordInDays !== undefined && retainRecordInDays < 0)
        throw invalid(`RetainRecordInDays is ${retainRecordInDays}; it must be 0 or more.`, 'RetainRecordInDays');
      const hold = await require(scope, id);
      const now = clock.now().getTime();
      const cancel = { cancelDescription, cancelledAt: now, retainRecordUntil: now + (retainRecordInDays ?? 0) * DAY_MS, status: 'CANCELING' as const };
      const canceling = await catalog.legalHolds.setStatus(scope, id, 'CANCELING', ['CREATING', 'ACTIVE'], cancel);
      if (canceling === undefined) {
        throw new BackupError('LegalHoldNotCancelable', `Legal hold ${id} is ${hold.status}; only an ACTIVE legal hold can be cancelled.`, { context: id });
      }
      // Releasing the points is only the status change: whether a point is held is read from the active holds.
      await catalog.legalHolds.setStatus(scope, id, 'CANCELED', ['CANCELING']);
    },

    async listRecoveryPoints(scope, id, request) {
      await require(scope, id);
      return listPage(request, (p) => catalog.legalHolds.listPoints(scope, id, p));
    },
  };
}
