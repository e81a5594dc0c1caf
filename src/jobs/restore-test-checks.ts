/**
 * Restore testing's side of a completed restore job: compare what it created with the recovery
 * point (the resource type's connector's `checkRestored`) and delete it (`deleteRestored`). The
 * destination is worked out as the restore's own runner did (connectors/restore-destination.ts),
 * so a restore routed to another account's or region's restoreTargets server is checked and
 * deleted there. Nothing here writes job state: the scheduler records the outcome.
 */
import type { RestoreJob } from '../backup/jobs/job.js';
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { Connector, RestoreCheck } from '../connectors/connector.js';
import { isMetadataOnly } from '../connectors/metadata-only.js';
import { connectorForName } from '../connectors/registry.js';
import { restoreDestination } from '../connectors/restore-destination.js';
import type { JobRunnerDeps } from './job-context.js';
import { errorMessage } from './job-context.js';
import { pointRepository } from './vault-repositories.js';

export interface RestoreTestChecks {
  /** The verdict, or undefined when the resource type has no check. Throws when it cannot look. */
  validate(job: RestoreJob): Promise<RestoreCheck | undefined>;
  /** Deletes the restored resource; the sentence for DeletionStatusMessage. Throws when it could not. */
  remove(job: RestoreJob): Promise<string>;
}

const CHECK_TIMEOUT_MS = 30 * 60_000;

export function createRestoreTestChecks(deps: Omit<JobRunnerDeps, 'owner'>): RestoreTestChecks {
  const destinationOf = async (job: RestoreJob) => {
    const scope = scopeOf(job);
    const point = await deps.ledger.point(scope, job.recoveryPointArn);
    const source = await deps.resources(job.resourceArn).catch(() => undefined);
    const destination = restoreDestination({
      scope,
      resourceType: job.resourceType,
      resourceArn: job.resourceArn,
      source,
      targets: deps.restoreDestinations ?? [],
      metadata: job.metadata,
      recorded: point?.restoreMetadata,
    });
    return { scope, point, destination, connector: connectorForName(job.resourceType) as Connector | undefined };
  };

  return {
    async validate(job) {
      const { scope, point, destination, connector } = await destinationOf(job);
      if (isMetadataOnly(point?.restoreMetadata))
        return { ok: true, message: 'Sandbox: a metadata-only recovery point restores nothing, so there was nothing to compare.' };
      if (connector?.checkRestored === undefined) return undefined;
      const vault = await deps.catalog.vaults.get(scope, job.vaultName);
      if (point?.snapshotId === undefined || vault === undefined) {
        return { ok: false, message: `Recovery point ${job.recoveryPointArn} no longer exists, so the restore cannot be compared with it.` };
      }
      const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
      const repo = await deps.repositories.open(scope, vault, { ...pointRepository(point), signal });
      const snapshot = await repo.loadSnapshot(point.snapshotId);
      return connector.checkRestored({
        repo,
        snapshot,
        metadata: destination.metadata,
        resource: destination.resource,
        createdResourceArn: job.createdResourceArn,
        signal,
      });
    },

    async remove(job) {
      const { point, destination, connector } = await destinationOf(job);
      if (isMetadataOnly(point?.restoreMetadata)) return 'Nothing to delete: the restore of a metadata-only recovery point created nothing.';
      if (connector?.deleteRestored === undefined) {
        throw new Error(`Coffer cannot delete restored ${job.resourceType} resources; delete ${job.createdResourceArn ?? 'it'} by hand.`);
      }
      return connector
        .deleteRestored({
          metadata: destination.metadata,
          resource: destination.resource,
          createdResourceArn: job.createdResourceArn,
          signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        })
        .catch((err: unknown) => {
          throw new Error(`Deleting ${job.createdResourceArn ?? 'the restored resource'} failed: ${errorMessage(err)}`);
        });
    },
  };
}
