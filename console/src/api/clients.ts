/**
 * The AWS SDK clients the console uses, pointed at the origin it was loaded from and signing
 * with the session's key: AWS Backup and AWS KMS, exactly as any other SDK user calls Coffer.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Session } from '../session/session';
import { CofferApi } from './coffer-api';

export interface Clients {
  readonly backup: BackupClient;
  readonly kms: KMSClient;
  readonly coffer: CofferApi;
}

export function createClients(session: Session): Clients {
  const common = {
    endpoint: location.origin,
    region: session.region,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    maxAttempts: 2,
  };
  return { backup: new BackupClient(common), kms: new KMSClient(common), coffer: new CofferApi(session) };
}
