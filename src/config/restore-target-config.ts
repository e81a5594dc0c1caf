/**
 * `restoreTargets`: where restores run in an account and a region go, per resource type (and,
 * for RDS, engine). A restore job of account A in region R lands on A's and R's target, never on
 * another account's or region's server (connectors/restore-destination.ts decides). The first
 * entry of a kind is the default; restore metadata `Endpoint` picks another one.
 */
import type { ConfigSecret, DatabaseEngine, EndpointCredentials, ResourceType } from './resource-config.js';

interface TargetBase {
  readonly accountId: string;
  readonly region: string;
  /** Where the entry is in the config, e.g. `restoreTargets[2]` (for messages). */
  readonly at: string;
}

/** A PostgreSQL or MariaDB server new databases are created on. */
export interface DatabaseRestoreTarget extends TargetBase {
  readonly type: 'RDS';
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: ConfigSecret | undefined;
}

export interface TableRestoreTarget extends TargetBase {
  readonly type: 'DynamoDB';
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly credentials: EndpointCredentials | undefined;
}

export interface BucketRestoreTarget extends TargetBase {
  readonly type: 'S3';
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly forcePathStyle: boolean;
  readonly credentials: EndpointCredentials | undefined;
}

/** A directory below which directory (EFS) restores create their RestorePath. */
export interface DirectoryRestoreTarget extends TargetBase {
  readonly type: 'EFS';
  readonly path: string;
}

export type RestoreTargetConfig = DatabaseRestoreTarget | TableRestoreTarget | BucketRestoreTarget | DirectoryRestoreTarget;

/** How a target is named in messages and matched by the `Endpoint` restore metadata key. */
export function targetEndpoint(target: RestoreTargetConfig): string {
  switch (target.type) {
    case 'RDS':
      return `${target.host}:${target.port}`;
    case 'DynamoDB':
    case 'S3':
      return target.endpoint;
    case 'EFS':
      return target.path;
  }
}

/** The config line that would add a target: for messages about a missing one. */
export function missingTargetHint(accountId: string, region: string, type: ResourceType | string, engine?: string): string {
  const where =
    type === 'RDS'
      ? `url: "${engine === 'mariadb' ? 'mysql' : 'postgres'}://user@host:port"`
      : type === 'EFS'
        ? 'path: /srv/restores'
        : 'endpoint: "http://host:port"';
  return `restoreTargets: - { account: "${accountId}", region: ${region}, resourceType: ${type}, ${where} }`;
}
