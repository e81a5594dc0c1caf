/**
 * How a backup job is made, for StartBackupJob and for a plan's scheduled run alike: its id and
 * its recovery point's ARN (chosen at once, so the caller learns it, as with AWS), its windows,
 * and what it carries to its recovery point. A scheduled run whose rule names a vault that does
 * not exist makes a job that is FAILED at once, saying so (the run stays visible).
 */
import type { CatalogScope } from '../../catalog/scope.js';
import { arns } from '../../iam/arn.js';
import type { IdSource } from '../id-source.js';
import type { BackupJobDraft, JobOrigin } from './job.js';
import type { Lifecycle } from './lifecycle.js';

export interface BackupJobOrder {
  readonly scope: CatalogScope;
  readonly resource: { readonly arn: string; readonly type: string; readonly name?: string | undefined };
  readonly vaultName: string;
  readonly vaultArn: string;
  /** Why the job cannot run at all (its vault is missing): it is made FAILED with this message. */
  readonly refusal?: string | undefined;
  /** When it was asked for; a scheduled job is also due (and scheduled) then. */
  readonly createdAt: Date;
  readonly scheduled?: boolean | undefined;
  readonly startBy?: Date | undefined;
  readonly completeBy?: Date | undefined;
  readonly lifecycle?: Lifecycle | undefined;
  readonly recoveryPointTags?: Readonly<Record<string, string>> | undefined;
  readonly iamRoleArn?: string | undefined;
  readonly idempotencyToken?: string | undefined;
  readonly createdBy?: JobOrigin | undefined;
  /** The vault's key: what protects the recovery point unless the resource has its own (RDS; known when the job starts). */
  readonly vaultKeyArn?: string | undefined;
}

/** One literal, no spreads: the scheduler makes thousands a tick (see catalog/job-rows.ts on spreads). */
export function newBackupJob(order: BackupJobOrder, ids: IdSource): BackupJobDraft {
  const refused = order.refusal !== undefined;
  const scheduled = order.scheduled === true ? order.createdAt : undefined;
  return {
    id: ids.uuid().toUpperCase(),
    state: refused ? 'FAILED' : 'CREATED',
    statusMessage: order.refusal,
    recoveryPointArn: refused ? undefined : arns.recoveryPoint(order.scope, ids.uuid()),
    createdAt: order.createdAt,
    notBefore: scheduled,
    scheduledAt: scheduled,
    resourceArn: order.resource.arn,
    resourceType: order.resource.type,
    resourceName: order.resource.name,
    vaultName: order.vaultName,
    vaultArn: order.vaultArn,
    startBy: order.startBy,
    completeBy: order.completeBy,
    lifecycle: order.lifecycle,
    recoveryPointTags: order.recoveryPointTags,
    iamRoleArn: order.iamRoleArn,
    idempotencyToken: order.idempotencyToken,
    createdBy: order.createdBy,
    encryptionKeyArn: order.resource.type === 'RDS' ? undefined : order.vaultKeyArn,
  };
}
