/**
 * Contexts for the DynamoDB and S3 connector tests: a fresh repository, backup and restore
 * contexts as the job runner would build them, and endpoint credentials for moto.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BackupContext, BackupOutcome, RestoreContext } from '../../../src/connectors/connector.js';
import type { EndpointCredentials, ResourceConfig } from '../../../src/config/resource-config.js';
import { Secret } from '../../../src/config/secret.js';
import { LocalBlobStore } from '../../../src/storage/local-blob-store.js';
import { newProgress } from '../../../src/vault/progress.js';
import { Repository } from '../../../src/vault/repository.js';
import type { Snapshot } from '../../../src/vault/snapshot.js';
import { MOTO_CREDENTIALS } from './moto-server.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export function motoCredentials(): EndpointCredentials {
  return { accessKeyId: MOTO_CREDENTIALS.accessKeyId, secretAccessKey: { secret: new Secret(MOTO_CREDENTIALS.secretAccessKey), source: { kind: 'inline' } } };
}

export async function freshRepo(dir: string): Promise<Repository> {
  return Repository.init(new LocalBlobStore(join(dir, 'repo')), Buffer.from('pw'), { N: 1024, r: 8, p: 1 });
}

export function recoveryPointArn(): string {
  return `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${randomUUID()}`;
}

export function backupContext(repo: Repository, resourceArn: string, parent: Snapshot | undefined, signal = new AbortController().signal): BackupContext {
  const rp = recoveryPointArn();
  return {
    repo,
    signal,
    progress: newProgress(),
    parent,
    recoveryPointArn: rp,
    snapshot: { time: new Date(), hostname: 'coffer', tags: [`coffer:rp=${rp}`], coffer: { 'recovery-point-arn': rp, 'resource-arn': resourceArn } },
  };
}

export async function restoreContext<R extends ResourceConfig>(
  repo: Repository,
  outcome: BackupOutcome,
  resource: R | undefined,
  metadata: Record<string, string>,
  signal = new AbortController().signal,
): Promise<RestoreContext<R>> {
  return {
    repo,
    snapshot: await repo.loadSnapshot(outcome.snapshotId),
    metadata: { ...outcome.restoreMetadata, ...metadata },
    resource,
    resourceArn: resource?.arn ?? 'arn:aws:unknown',
    recoveryPointArn: recoveryPointArn(),
    jobId: randomUUID(),
    signal,
    progress: newProgress(),
  };
}
