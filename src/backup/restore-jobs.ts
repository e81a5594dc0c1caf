/**
 * Restore jobs: StartRestoreJob checks the recovery point and the metadata and creates a PENDING
 * job that the job runner (src/jobs/) runs; describe, list. What the metadata may say is each
 * resource type's connector's to check (docs/restore-metadata.md).
 */
import { RestoreMetadataError } from '../connectors/connector.js';
import { isMetadataOnly } from '../connectors/metadata-only.js';
import { connectorForName } from '../connectors/registry.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { IdSource } from './id-source.js';
import { createJobService } from './jobs/job-service.js';
import type { JobService, JobServiceDeps } from './jobs/job-service.js';
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

/** StartRestoreJob answers the new job's id. */
export type RestoreJobService = JobService<'restore', StartRestoreRequest, string>;

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

export function createRestoreJobService(deps: JobServiceDeps & { readonly ids: IdSource }): RestoreJobService {
  const { catalog, ledger, clock, ids } = deps;
  const create = async (scope: CallScope, request: StartRestoreRequest): Promise<string> => {
    const owner = ownerScopeOf(scope, request.recoveryPointArn);
    if (owner.accountId !== scope.accountId) {
      // Another account's point: refused by its vault's policy, or (if allowed) restored only where it is kept.
      const held = await ledger.point(owner, request.recoveryPointArn);
      await authorizeVaultAction(catalog, scope, { ...owner, name: held?.vaultName ?? '-' }, 'backup:StartRestoreJob', request.recoveryPointArn);
      throw invalid(
        `Recovery point ${request.recoveryPointArn} belongs to account ${owner.accountId}: restore it as that account, or copy it into a vault of account ${scope.accountId} first (StartCopyJob) and restore the copy.`,
        'RecoveryPointArn',
      );
    }
    const point = await ledger.point(scope, request.recoveryPointArn);
    if (point === undefined) throw recoveryPointNotFound(scope, request.recoveryPointArn);
    await authorizeVaultAction(catalog, scope, { ...scope, name: point.vaultName }, 'backup:StartRestoreJob', point.arn);
    if (point.state !== 'COMPLETED' && point.state !== 'AVAILABLE') {
      throw new BackupError('InvalidParameter', `Recovery point ${point.arn} is ${point.state}; only a completed one can be restored.`, { context: point.arn });
    }
    if (request.resourceType !== undefined && request.resourceType !== point.resourceType) {
      throw invalid(`ResourceType ${request.resourceType} does not match the recovery point's type ${point.resourceType}.`, 'ResourceType');
    }
    const metadata = { ...(point.restoreMetadata ?? {}), ...request.metadata };
    // A sandbox metadata-only point restores nothing, so there is no target to check.
    if (!isMetadataOnly(point.restoreMetadata)) checkRestoreMetadata(point.resourceType, metadata);
    const job = await ledger.createRestoreJob(scope, {
      id: ids.uuid().toUpperCase(),
      state: 'PENDING',
      createdAt: clock.now(),
      recoveryPointArn: point.arn,
      recoveryPointCreatedAt: point.createdAt,
      vaultName: point.vaultName,
      resourceArn: point.resourceArn,
      resourceType: point.resourceType,
      metadata,
      iamRoleArn: request.iamRoleArn,
      idempotencyToken: request.idempotencyToken,
    });
    return job.id;
  };

  return createJobService(deps, {
    kind: 'restore',
    operation: 'StartRestoreJob',
    check(request) {
      if (request.iamRoleArn !== undefined) checkIamRoleArn(request.iamRoleArn);
    },
    create,
    toStored: (id) => ({ restoreJobId: id }),
    fromStored: (stored) => (stored as { restoreJobId: string }).restoreJobId,
  });
}
