/**
 * The resources of the deployment config, as loading it yields them: one per resource entry
 * (ARN, account, region, tags and how to reach it) and one per discovery entry (a server or
 * endpoint whose databases, tables or buckets the connectors find). They are the connectors'
 * input (connectors/connector.ts) and live here, with the config that makes them, so that
 * config/ imports nothing from the rooms that use it.
 *
 * Secrets are `ConfigSecret`s: `secret.reveal()` only where the value goes to the server (an
 * env var of a child process, a signing key), never into argv, messages, logs or metadata.
 */
import type { SecretSource } from './schema.js';
import type { Secret } from './secret.js';

/** AWS Backup resource types Coffer has a connector for. */
export type ResourceType = 'EFS' | 'RDS' | 'DynamoDB' | 'S3';

/** A secret from the config, with where it came from (for messages that say where, never what). */
export interface ConfigSecret {
  readonly secret: Secret;
  readonly source: SecretSource;
}

/** AWS-style credentials for an S3 or DynamoDB endpoint. */
export interface EndpointCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: ConfigSecret;
}

interface ResourceBase {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource's own id from its ARN, e.g. `fs-uploads`, `orders-db`, `Orders`, `my-bucket`. */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The discovery entry (its `name`) that found it; undefined when configured one by one. */
  readonly discoveredBy?: string;
  /** Sandbox only: a resource the config does not name, backed up as a metadata-only point (connectors/metadata-only.ts). */
  readonly metadataOnly?: true;
}

/** `arn:aws:elasticfilesystem:<region>:<account>:file-system/<id>`: a local directory. */
export interface DirectoryResourceConfig extends ResourceBase {
  readonly type: 'EFS';
  /** Absolute path of the directory. */
  readonly path: string;
}

export type DatabaseEngine = 'postgres' | 'mariadb';

/** `arn:aws:rds:<region>:<account>:db:<id>`: one database on a PostgreSQL or MariaDB server. */
export interface DatabaseResourceConfig extends ResourceBase {
  readonly type: 'RDS';
  readonly engine: DatabaseEngine;
  /** The server: `postgres://user@host:port` / `mysql://user@host:port` (never a password). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The database on that server. */
  readonly database: string;
  readonly password: ConfigSecret | undefined;
  /** The resource's own KMS key (RDS recovery points are encrypted under it); undefined: the vault's. */
  readonly kmsKeyId: string | undefined;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>`: a table on a DynamoDB-compatible endpoint. */
export interface TableResourceConfig extends ResourceBase {
  readonly type: 'DynamoDB';
  /** e.g. `http://127.0.0.1:8000`. */
  readonly endpoint: string;
  /** The region the endpoint is called with (default: the resource's region). */
  readonly endpointRegion: string;
  readonly table: string;
  readonly credentials: EndpointCredentials | undefined;
}

/** `arn:aws:s3:::<bucket>` (S3 ARNs have no account or region; the config's entry says them). */
export interface BucketResourceConfig extends ResourceBase {
  readonly type: 'S3';
  /** e.g. `http://127.0.0.1:9000`. */
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly bucket: string;
  /** Only keys below it ('' for the whole bucket). */
  readonly prefix: string;
  /** Path-style addressing (`endpoint/bucket/key`), the default for self-hosted S3. */
  readonly forcePathStyle: boolean;
  readonly credentials: EndpointCredentials | undefined;
}

export type ResourceConfig = DirectoryResourceConfig | DatabaseResourceConfig | TableResourceConfig | BucketResourceConfig;

export type ResourceOfType<T extends ResourceType> = Extract<ResourceConfig, { readonly type: T }>;

interface DiscoveryBase {
  /** The entry's name: the prefix of every ARN id it makes (e.g. `pg-main` -> `db:pg-main-orders`). */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Tags every found resource gets. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Every database of one server (PostgreSQL: all but templates; MariaDB: all but system schemas). */
export interface DatabaseDiscoveryConfig extends DiscoveryBase {
  readonly type: 'RDS';
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: ConfigSecret | undefined;
  readonly kmsKeyId: string | undefined;
}

/** Every table of one DynamoDB-compatible endpoint. */
export interface TableDiscoveryConfig extends DiscoveryBase {
  readonly type: 'DynamoDB';
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly credentials: EndpointCredentials | undefined;
}

/** Every bucket of one S3-compatible endpoint. */
export interface BucketDiscoveryConfig extends DiscoveryBase {
  readonly type: 'S3';
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly forcePathStyle: boolean;
  readonly credentials: EndpointCredentials | undefined;
}

export type DiscoveryConfig = DatabaseDiscoveryConfig | TableDiscoveryConfig | BucketDiscoveryConfig;

export type DiscoveryOfType<T extends ResourceType> = Extract<DiscoveryConfig, { readonly type: T }>;
