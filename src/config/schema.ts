/**
 * The deployment config after loading: every default filled in, every path absolute, every
 * secret read. This is the shape the rest of Coffer receives; the YAML contract it comes from is
 * documented in docs/configuration.md. config/ knows nothing of HTTP, the catalog or the engine.
 */
import type { Secret } from './secret.js';

/** Where the API listens. `port` 0 asks the OS for a free port (tests). */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Where the catalog lives: an SQLite file (embedded) or a PostgreSQL database (many nodes). */
export type CatalogLocation = SqliteCatalogLocation | PostgresCatalogLocation;

export interface SqliteCatalogLocation {
  readonly kind: 'sqlite';
  readonly file: string;
}

/** `catalog: postgres://USER[:PASS]@HOST[:PORT]/DB`, or the mapping form with passwordFile/passwordEnv. */
export interface PostgresCatalogLocation {
  readonly kind: 'postgres';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Undefined: none given (the server trusts the user, or PGPASSWORD / ~/.pgpass has it). */
  readonly password: Secret | undefined;
  /** Connections per node; default 10. */
  readonly poolSize: number;
  /** TLS to the server, from the URL's `sslmode` (and `sslrootcert`); absent: `disable`. */
  readonly ssl?: PostgresSsl | undefined;
}

/**
 * libpq's sslmode, without its fallbacks: `require` encrypts without checking the server's
 * certificate, `verify-ca` checks it against the CA, `verify-full` also checks the host name.
 */
export interface PostgresSsl {
  readonly mode: 'require' | 'verify-ca' | 'verify-full';
  /** The CA certificate file (PEM) the server's certificate must chain to; absent: the system's CAs. */
  readonly rootCertFile?: string | undefined;
}

/** Where a region's vault bytes live: a local directory, or a bucket (and prefix) of S3-compatible storage. */
export type StorageLocation =
  | { readonly kind: 'file'; readonly path: string }
  /** `url` in restic's canonical form, e.g. `s3:http://127.0.0.1:9000/bucket/vaults`. */
  | { readonly kind: 's3'; readonly url: string };

/** How an access key's secret was given, for messages that say where it is (never what). */
export type SecretSource =
  | { readonly kind: 'inline' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'generated'; readonly path: string };

export interface AccessKeyConfig {
  readonly id: string;
  readonly secret: Secret;
  readonly source: SecretSource;
}

export interface AccountConfig {
  /** Twelve digits, as AWS account ids. */
  readonly id: string;
  readonly name: string;
  readonly accessKeys: readonly AccessKeyConfig[];
}

export interface OrganizationConfig {
  /** `o-` and 10..32 lower-case letters or digits; derived from the management account if not set. */
  readonly id: string;
  /** A configured account; only it may change organization-wide settings. */
  readonly managementAccount: string;
}

export interface RegionConfig {
  readonly name: string;
  readonly storage: StorageLocation;
  /**
   * Where recovery points of this region's vaults go at their MoveToColdStorageAt (same
   * `<account>/<vault>/` layout as `storage`); absent: only their StorageClass changes.
   */
  readonly coldStorage?: StorageLocation;
  /** For s3: locations; absent: the AWS environment variables and shared credentials of the process. */
  readonly storageCredentials?: EndpointCredentials;
}

/** Resource configs (the connectors' input) are in resource-config.ts. */
import type { DiscoveryConfig, EndpointCredentials, ResourceConfig } from './resource-config.js';
import type { RestoreTargetConfig } from './restore-target-config.js';

export interface CofferConfig {
  /** Absolute path of the file it came from; undefined for the embedded default. */
  readonly source: string | undefined;
  readonly listen: ListenAddress;
  readonly dataDir: string;
  readonly catalog: CatalogLocation;
  /** Undefined when the config names no organization: every account stands alone. */
  readonly organization: OrganizationConfig | undefined;
  /** Never empty; the first one is the default account. */
  readonly accounts: readonly AccountConfig[];
  /** Never empty. */
  readonly regions: readonly RegionConfig[];
  /** Resources named one by one. */
  readonly resources: readonly ResourceConfig[];
  /** Servers and endpoints whose databases, tables or buckets are found at run time. */
  readonly discoveries: readonly DiscoveryConfig[];
  /** Directories below which directory restores may go; empty: anywhere but Coffer's own directories. */
  readonly restoreRoots: readonly string[];
  /** Where restores run in an account and region go, per resource type (restore-target-config.ts). */
  readonly restoreTargets: readonly RestoreTargetConfig[];
  /**
   * Absolute path of the file holding the root key (`rootKeyFile`); undefined: env
   * COFFER_ROOT_KEY, else `<dataDir>/root.key` (server/root-key.ts).
   */
  readonly rootKeyFile: string | undefined;
  /** The SNS topics vault notifications may name, and where their messages go. */
  readonly notifications: NotificationsConfig;
  /** Who may read /metrics. */
  readonly metrics: MetricsConfig;
  /** The structured log on stdout. */
  readonly log: LogConfig;
  /** Where report plans' reports are written (config/read-reports.ts). */
  readonly reports: ReportsConfig;
}

export interface ReportsConfig {
  /** Each bucket a report plan names is the folder of that name below this location, unless `buckets` places it. */
  readonly location: StorageLocation;
  readonly buckets: readonly { readonly name: string; readonly location: StorageLocation }[];
}

export interface LogConfig {
  readonly format: 'auto' | 'json' | 'pretty';
  readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** Loopback clients always read /metrics; others with the bearer token, or anyone when public. */
export interface MetricsConfig {
  readonly public: boolean;
  readonly token: Secret | undefined;
}

/** An SNS topic PutBackupVaultNotifications may name, and its subscribers. */
export interface NotificationTopicConfig {
  readonly arn: string;
  /** `https://...` / `http://...` (SNS HTTP JSON POSTs) and `mailto:...` (e-mail through `smtp`). */
  readonly subscribers: readonly string[];
}

/** implicit: TLS from the first byte (port 465); starttls: upgrade when the server offers it; off: plain text. */
export type SmtpTls = 'implicit' | 'starttls' | 'off';

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly from: string;
  readonly username: string | undefined;
  readonly password: Secret | undefined;
  readonly tls: SmtpTls;
}

/** Deliveries are retried with doubling delays from firstRetrySeconds up to maxRetrySeconds, maxAttempts times in all. */
export interface RetryConfig {
  readonly maxAttempts: number;
  readonly firstRetrySeconds: number;
  readonly maxRetrySeconds: number;
}

export interface NotificationsConfig {
  readonly topics: readonly NotificationTopicConfig[];
  readonly smtp: SmtpConfig | undefined;
  readonly retry: RetryConfig;
}
