/**
 * Restore jobs: StartRestoreJob checks the recovery point and the metadata and creates a PENDING
 * job that the job runner (src/jobs/) runs; describe, list. What the metadata may say is each
 * resource type's connector's to check (docs/restore-metadata.md).
 */
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { RestoreMetadataError } from '../connectors/connector.js';
import { connectorForName } from '../connectors/registry.js';
import type { JobFilter, RestoreJobRecord, RestoreJobState } from '../catalog/job-records.js';
import { BackupError } from './backup-error.js';
import { jobNotFound, requestHash } from './backup-jobs.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { withPageToken } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkIamRoleArn } from './protected-resource.js';
import { recoveryPointNotFound } from './recovery-points.js';
import { authorizeVaultAction, ownerScopeOf } from './vault-authorization.js';

export interface StartRestoreRequest {
  readonly recoveryPointArn: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly iamRoleArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly idempotencyToken?: string | undefined;
}

export interface RestoreJobListRequest extends ListRequest {
  readonly state?: RestoreJobState | undefined;
  readonly resourceType?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
  readonly completeBefore?: Date | undefined;
  readonly completeAfter?: Date | undefined;
  readonly accountId?: string | undefined;
}

export interface RestoreJobService {
  start(scope: CallScope, request: StartRestoreRequest): Promise<string>;
  describe(scope: CallScope, jobId: string): Promise<RestoreJobRecord>;
  list(scope: CallScope, request: RestoreJobListRequest): Promise<ListPage<RestoreJobRecord>>;
}

const TOKEN_TTL = 24 * 60 * 60_000;

function invalid(message: string, context: string): BackupError {
  return new BackupError('InvalidParameter', message, { context });
}

/**
 * The metadata a restore of `resourceType` will run with: the recorded map overlaid by the
 * caller's, checked by the type's connector; a bad key is InvalidParameterValue naming it.
 */
export function checkRestoreMetadata(resourceType: string, metadata: Readonly<Record<string, string>>): void {
  const connector = connectorForName(resourceType);
  if (connector === undefined) throw invalid(`Recovery points of resource type ${resourceType} cannot be restored by this Coffer.`, 'ResourceType');
  try {
    connector.validateRestoreMetadata(metadata);
  } catch (err) {
    if (err instanceof RestoreMetadataError) throw invalid(err.message, err.key);
    throw err;
  }
}

export function createRestoreJobService({ catalog, clock }: { readonly catalog: Catalog; readonly clock: Clock }): RestoreJobService {
  const create = async (scope: CallScope, request: StartRestoreRequest): Promise<string> => {
    const owner = ownerScopeOf(scope, request.recoveryPointArn);
    if (owner.accountId !== scope.accountId) {
      // Another account's point: refused by its vault's policy, or (if allowed) restored only where it is kept.
      const held = await catalog.recoveryPoints.get(owner, request.recoveryPointArn);
      await authorizeVaultAction(catalog, scope, { ...owner, name: held?.vaultName ?? '-' }, 'backup:StartRestoreJob', request.recoveryPointArn);
      throw invalid(`Recovery point ${request.recoveryPointArn} belongs to account ${owner.accountId}: restore it as that account, or copy it into a vault of account ${scope.accountId} first (StartCopyJob) and restore the copy.`, 'RecoveryPointArn');
    }
    const point = await catalog.recoveryPoints.get(scope, request.recoveryPointArn);
    if (point === undefined) throw recoveryPointNotFound(scope, request.recoveryPointArn);
    await authorizeVaultAction(catalog, scope, { ...scope, name: point.vaultName }, 'backup:StartRestoreJob', point.arn);
    if (point.state !== 'COMPLETED' && point.state !== 'AVAILABLE') {
      throw new BackupError('InvalidParameter', `Recovery point ${point.arn} is ${point.state}; only a completed one can be restored.`, { context: point.arn });
    }
    if (request.resourceType !== undefined && request.resourceType !== point.resourceType) {
      throw invalid(`ResourceType ${request.resourceType} does not match the recovery point's type ${point.resourceType}.`, 'ResourceType');
    }
    const metadata = { ...(point.restoreMetadata ?? {}), ...request.metadata };
    checkRestoreMetadata(point.resourceType, metadata);
    const id = randomUUID().toUpperCase();
    await catalog.jobs.createRestoreJob(scope, {
      id, state: 'PENDING', createdAt: clock.now().getTime(), recoveryPointArn: point.arn, vaultName: point.vaultName,
      resourceArn: point.resourceArn, resourceType: point.resourceType, metadata,
      ...(request.iamRoleArn === undefined ? {} : { iamRoleArn: request.iamRoleArn }),
      ...(request.idempotencyToken === undefined ? {} : { idempotencyToken: request.idempotencyToken }),
    });
    return id;
  };

  return {
    async start(scope, request) {
      if (request.iamRoleArn !== undefined) checkIamRoleArn(request.iamRoleArn);
      const token = request.idempotencyToken;
      if (token === undefined) return create(scope, request);
      const hash = requestHash({ ...request, idempotencyToken: undefined });
      const now = clock.now().getTime();
      const replay = (response: unknown, requestHashOf: string): string => {
        if (requestHashOf !== hash) throw new BackupError('IdempotencyTokenReused', `IdempotencyToken ${JSON.stringify(token)} was already used for a different StartRestoreJob request.`, { context: token });
        return (response as { restoreJobId: string }).restoreJobId;
      };
      const earlier = await catalog.idempotency.find(scope, 'StartRestoreJob', token, now);
      if (earlier !== undefined) return replay(earlier.response, earlier.requestHash);
      const id = await create(scope, request);
      const kept = await catalog.idempotency.remember(scope, { operation: 'StartRestoreJob', token, requestHash: hash, createdAt: now, expiresAt: now + TOKEN_TTL, response: { restoreJobId: id } });
      return replay(kept.response, kept.requestHash);
    },

    async describe(scope, jobId) {
      const job = await catalog.jobs.get('restore', scope, jobId);
      if (job === undefined) throw jobNotFound(scope, 'restore', jobId);
      return job;
    },

    async list(scope, request) {
      if (request.accountId !== undefined && request.accountId !== scope.accountId) return { items: [], nextToken: undefined };
      const filter: JobFilter<'restore'> = {
        ...(request.state === undefined ? {} : { state: request.state }),
        ...(request.resourceType === undefined ? {} : { resourceType: request.resourceType }),
        ...(request.createdBefore === undefined ? {} : { createdBefore: request.createdBefore.getTime() }),
        ...(request.createdAfter === undefined ? {} : { createdAfter: request.createdAfter.getTime() }),
        ...(request.completeBefore === undefined ? {} : { completedBefore: request.completeBefore.getTime() }),
        ...(request.completeAfter === undefined ? {} : { completedAfter: request.completeAfter.getTime() }),
      };
      const page = await withPageToken(request, (p) => catalog.jobs.list('restore', scope, filter, p));
      return { items: page.items, nextToken: page.nextCursor };
    },
  };
}
