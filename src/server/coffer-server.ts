/**
 * server/: the composition root. It reads the config, makes sure every account has an access
 * key, opens the catalog, builds the AWS Backup domain and the AWS HTTP handler on top, and
 * serves them (plus Coffer's `/_coffer/` endpoints) over node:http; it also stops all of it in
 * order. Only this room knows every other room; no other room imports it.
 *
 * Start order: the port is bound first, so that the actual address (port 0 works) is known when
 * the first-start notices are written; until everything is built, health answers 503 "starting"
 * and AWS calls a retryable 503. Stop order: refuse new connections, let requests in flight
 * finish (up to a deadline), close the catalog.
 */
import { createServer } from 'node:http';
import { answerClientError, MAX_HEADER_BYTES } from '../aws/client-error.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createBackupBinding } from '../aws/backup/backup-binding.js';
import { createKmsBinding } from '../aws/kms/kms-binding.js';
import { createIamBinding } from '../aws/iam/iam-binding.js';
import { createStsBinding } from '../aws/sts/sts-binding.js';
import { createIamIdentity } from '../iam/identity/iam-identity.js';
import { AwsError, restJsonErrorResponse } from '../aws/errors.js';
import { createAwsHttpHandler, SANDBOX_ACCOUNT_ID } from '../aws/http-handler.js';
import { sendWireResponse } from '../aws/node-wire.js';
import { BACKUP_MODEL, KMS_MODEL } from '../aws/service-model.js';
import { createBackupDomain } from '../backup/backup-domain.js';
import { randomIds } from '../backup/id-source.js';
import { createJobLedger } from '../backup/jobs/job-ledger.js';
import { preflightPlan } from '../backup/preflight.js';
import type { PreflightDeps } from '../backup/preflight.js';
import { createKmsDomain } from '../kms/kms-domain.js';
import type { Clock } from '../backup/clock.js';
import type { Catalog } from '../catalog/catalog.js';
import { openCatalog } from '../catalog/open-catalog.js';
import { ensureFirstStartCredentials } from '../config/first-start-credentials.js';
import { loadConfig } from '../config/load-config.js';
import type { CofferConfig, ListenAddress } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import { accessKeyLookup } from './access-keys.js';
import { handleAdminRequest, isAdminPath } from './admin-endpoints.js';
import type { AdminContext, ServerPhase, Signer } from './admin-endpoints.js';
import type { DeliveryQuery } from './notification-services.js';
import { bannerLines } from './banner.js';
import { isConsolePath, serveConsole } from './console-assets.js';
import { createConsoleServices } from './console-services.js';
import type { ConsoleServices } from './console-endpoints.js';
import { gracefulStop } from './graceful-stop.js';
import { isLoopback, listen, urlOf } from './http-listener.js';
import { createJobServices } from './job-services.js';
import { createNotificationServices } from './notification-services.js';
import { startIndexer } from '../jobs/index-recovery-points.js';
import { createSearchRunner } from '../jobs/run-search.js';
import { createSearchJobService } from '../backup/search-jobs.js';
import { createSearchBinding } from '../aws/backupsearch/search-binding.js';
import type { Indexer } from '../jobs/index-recovery-points.js';
import { createCofferMetrics } from '../metrics/coffer-metrics.js';
import type { CofferMetrics } from '../metrics/coffer-metrics.js';
import { jobEventMetrics } from '../metrics/job-event-metrics.js';
import { createCofferLogger } from '../logs/coffer-logger.js';
import type { LogFormat } from '../logs/coffer-logger.js';
import { jobLog, requestLog } from '../logs/log-listeners.js';
import { CURSOR as SCHEDULER_CURSOR } from '../scheduler/dispatch.js';
import { METRICS_PATH, serveMetrics } from './metrics-endpoint.js';
import type { NotificationServices } from './notification-services.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { packageVersion } from './package-version.js';
import { RequestTracker } from './request-tracker.js';
import { createRegionStorage } from './region-storage.js';
import { exportingChanges } from '../recovery/exporting-domain.js';
import { createReportSink, startDailyReports } from './report-services.js';
import { resetAllState } from './sandbox-reset.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { systemClock } from './system-clock.js';
import { loadRootKey } from './root-key.js';
import { startSchedulerServices } from './scheduler-services.js';
import { createRestoreTests } from '../scheduler/restore-tests.js';
import { metadataOnlyResource } from '../connectors/metadata-only.js';
import type { SchedulerServices } from './scheduler-services.js';
import { ManualClock } from '../scheduler/manual-clock.js';
import { shareManualClock } from '../scheduler/shared-manual-clock.js';
import { verifySigV4 } from '../aws/sigv4.js';
import { headerValue } from '../aws/wire-message.js';

export interface ServeOptions {
  /** The YAML config; undefined runs on the embedded default. */
  readonly configFile?: string | undefined;
  readonly sandbox?: boolean | undefined;
  /** Overrides the config's `listen`. */
  readonly listen?: ListenAddress | undefined;
  /** Where relative paths of the embedded default resolve; default process.cwd(). */
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly clock?: Clock | undefined;
  /** `manual`: the domain's clock moves only through POST /_coffer/clock (tests); default real. */
  readonly clockMode?: 'real' | 'manual' | undefined;
  /** Where the manual clock starts; default now. */
  readonly clockStart?: Date | undefined;
  /** How long a stop waits for requests in flight; default 30 s. */
  readonly drainMs?: number | undefined;
  /** Lines for the operator (stdout). */
  readonly log: (line: string) => void;
  /** Faults (stderr). */
  readonly warn: (line: string) => void;
  /** Where the structured log (requests, job transitions) goes; default stdout. */
  readonly logStream?: { write(text: string): unknown; isTTY?: boolean } | undefined;
}

/** The config's log format, `auto` resolved: pretty on a terminal. */
function logFormat(config: CofferConfig, stream: { isTTY?: boolean }): LogFormat {
  return config.log.format === 'auto' ? (stream.isTTY === true ? 'pretty' : 'json') : config.log.format;
}

export interface RunningCoffer {
  readonly url: string;
  readonly config: CofferConfig;
  /** Stops accepting, lets requests in flight finish, closes the catalog. Idempotent. */
  stop(): Promise<void>;
  /** Cuts a stop short: requests still in flight lose their connections now. */
  forceStop(): void;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface App {
  readonly catalog: Catalog;
  readonly storage: StorageFactory;
  readonly aws: NodeHandler;
  readonly workers: WorkerPool;
  /** Builds the recovery point indexes asked for (jobs/index-recovery-points.ts). */
  readonly indexer: Indexer;
  /** The search jobs this node runs (jobs/run-search.ts). */
  readonly searches: { idle(): Promise<void> };
  readonly scheduling: SchedulerServices;
  readonly preflight: PreflightDeps;
  readonly console: ConsoleServices;
  /** Where the root key came from (never the key). */
  readonly rootKeyFrom: string;
  readonly notifications: NotificationServices;
  readonly metrics: CofferMetrics;
  /** Lets the records still being written to vault storage finish. */
  readonly stopExporting: () => Promise<void>;
  readonly dailyReports: { stop(): Promise<void> };
}

export const DEFAULT_DRAIN_MS = 30_000;
const KEEP_ALIVE_MS = 65_000;

function coldStorageRoots(config: CofferConfig): (region: string) => string | undefined {
  const roots = new Map(config.regions.flatMap((r) => (r.coldStorage === undefined ? [] : [[r.name, formatStorageLocation(r.coldStorage)] as const])));
  return (region) => roots.get(region);
}

function storageRoots(config: CofferConfig): (region: string) => string {
  const roots = new Map(config.regions.map((r) => [r.name, formatStorageLocation(r.storage)]));
  return (region) => {
    const root = roots.get(region);
    if (root === undefined) throw new Error(`region ${region} is not configured; the HTTP layer should have refused the call`);
    return root;
  };
}

/** The config's organization as the Backup domain needs it (global settings): every configured account is a member. */
function backupOrganization(config: CofferConfig): { id: string; managementAccountId: string; memberAccountIds: string[] } | undefined {
  const org = config.organization;
  return org === undefined ? undefined : { id: org.id, managementAccountId: org.managementAccount, memberAccountIds: config.accounts.map((a) => a.id) };
}

/** The organization of a configured account (key policies may name it in aws:PrincipalOrgID). */
function organizationOf(config: CofferConfig): (accountId: string) => string | undefined {
  const members = new Set(config.accounts.map((a) => a.id));
  return (accountId) => (config.organization !== undefined && members.has(accountId) ? config.organization.id : undefined);
}

/**
 * `clock` is the domain's (manual in tests); `wallClock` is the real one, which SigV4 and HTTP
 * dates always use: clients sign with the time of day whatever the manual clock says.
 */
async function buildApp(config: CofferConfig, options: ServeOptions, clock: Clock, wallClock: Clock): Promise<App> {
  // Before the catalog: a missing or malformed configured key stops the start with its fix.
  const loadedKey = await loadRootKey(config, options.env ?? process.env);
  const rootKey = loadedKey.key;
  const catalog = await openCatalog(config.catalog);
  const kms = createKmsDomain({ catalog, clock, rootKey, organizationOf: organizationOf(config) });
  const ids = randomIds;
  const metrics = createCofferMetrics({ catalog, clock, schedulerCursor: () => catalog.schedulerState.get(SCHEDULER_CURSOR) });
  const notifications = createNotificationServices({
    config: config.notifications,
    catalog,
    wallClock,
    ids,
    warn: options.warn,
    onAttempt: (record, outcome, _error, seconds) => metrics.delivery(record, outcome, seconds),
  });
  // The one writer of job and recovery-point state, shared by the domain, the workers and the
  // scheduler; its changes' notifications go to the outbox in the same transaction.
  const ledger = createJobLedger({ catalog, clock, leaseClock: wallClock, outbox: notifications.sink, warn: options.warn });
  notifications.start(ledger.events);
  ledger.events.subscribe(jobEventMetrics(ledger, metrics));
  const logger = createCofferLogger({
    stream: options.logStream ?? process.stdout,
    format: logFormat(config, options.logStream ?? process.stdout),
    level: config.log.level,
  });
  const logRequest = requestLog(logger);
  ledger.events.subscribe(jobLog(logger));
  const storage = createRegionStorage(config);
  const jobs = await createJobServices({ config, catalog, ledger, clock, ids, kms, rootKey, storage, warn: options.warn, sandbox: options.sandbox === true });
  let indexer: Indexer | undefined;
  const domain = createBackupDomain({
    catalog,
    ledger,
    clock,
    ids,
    keyStates: kms.heldKeys,
    storageRoot: storageRoots(config),
    coldStorageRoot: coldStorageRoots(config),
    removeStorage: async (location) => (location === undefined ? undefined : storage.removeAll(location)),
    // In the sandbox a resource the config does not name is backed up as a metadata-only point.
    resources: options.sandbox === true ? async (arn) => (await jobs.resources(arn)) ?? metadataOnlyResource(arn) : jobs.resources,
    listResources: jobs.listResources,
    reports: createReportSink(config.reports, storage),
    eraseRecoveryPoint: jobs.eraseRecoveryPoint,
    organization: backupOrganization(config),
    // Warnings about what a caller asked for go to the log (stdout); stderr is for Coffer's own faults.
    warn: options.log,
    indexEvents: notifications.sink,
    nudgeIndexer: () => indexer?.nudge(),
  });
  const iam = createIamIdentity({ store: catalog.iam, clock, rootKey });
  const keys = accessKeyLookup(config);
  const sts = createStsBinding({ iam, clock: wallClock, organizationOf: organizationOf(config), accountOfKey: (id) => keys(id)?.accountId });
  const searchRunner = createSearchRunner({
    catalog,
    ledger,
    repositories: jobs.repositories,
    clock,
    wallClock,
    holder: `${hostname()}:${process.pid}:search`,
    warn: options.warn,
  });
  const search = createSearchJobService({ catalog, clock, wallClock, ids, holder: `${hostname()}:${process.pid}:search`, run: searchRunner.run });
  const aws = createAwsHttpHandler({
    // Every change a vault's or plan's record in storage holds reaches storage before the call returns.
    services: [
      createBackupBinding(exportingChanges(domain, jobs.exporter, catalog)),
      createKmsBinding(kms),
      createIamBinding(iam),
      sts,
      createSearchBinding(search),
    ],
    secretFor: keys,
    sessions: iam.sessions,
    regions: config.regions.map((r) => r.name),
    clock: wallClock,
    sandbox: options.sandbox === true,
    onServed: (served) => {
      metrics.request(served);
      logRequest(served);
    },
    onFault: (error, requestId) =>
      options.warn(`coffer: internal error in request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  // Before any job runs: what killed jobs or a crashed Coffer left in vault storage goes.
  await jobs.sweepDeadWriters(options.log, options.sandbox === true ? [SANDBOX_ACCOUNT_ID] : []);
  await jobs.resumeDeletions(options.log, options.sandbox === true ? [SANDBOX_ACCOUNT_ID] : []);
  const workers = jobs.start();
  indexer = startIndexer({
    catalog,
    ledger,
    repositories: jobs.repositories,
    clock,
    wallClock,
    holder: `${hostname()}:${process.pid}:indexer`,
    sink: notifications.sink,
    warn: options.warn,
  });
  // Many nodes on one PostgreSQL catalog keep one manual clock (scheduler/shared-manual-clock.ts).
  const sharedClock =
    clock instanceof ManualClock && config.catalog.kind === 'postgres' ? await shareManualClock(clock, catalog.schedulerState, options.warn) : undefined;
  // Vault records written before this version (or missed by a crash) reach storage now.
  const everyScope = config.accounts.flatMap((a) => config.regions.map((r) => ({ accountId: a.id, region: r.name })));
  void jobs.exporter
    .exportAll(everyScope)
    .catch((err: unknown) => options.warn(`coffer: exporting vault records to storage failed: ${err instanceof Error ? err.message : String(err)}`));
  const scheduling = startSchedulerServices({
    sharedClock,
    catalog,
    ledger,
    clock,
    ids,
    wallClock,
    listResources: jobs.listResources,
    eraseNow: jobs.eraseRecoveryPointNow,
    moveToCold: jobs.moveToCold,
    restoreTests: createRestoreTests({
      catalog,
      ledger,
      ids,
      resources: jobs.listResources,
      hooks: {
        startRestore: (scope, request) => domain.restoreJobs.start(scope, request),
        validate: (job) => jobs.restoreTestChecks.validate(job),
        remove: (job) => jobs.restoreTestChecks.remove(job),
      },
      // What a plan could not do (no recovery point to test) is the caller's to know: the log.
      warn: options.log,
    }),
    workers,
    warn: options.warn,
    purgeKeys: (now) => kms.maintain(new Date(now)),
    node: `coffer-${process.pid}-${ids.uuid()}`,
  });
  const preflight: PreflightDeps = {
    catalog,
    kms,
    organization: backupOrganization(config),
    clock,
    resources: jobs.listResources,
    restoreTargets: config.restoreTargets,
    notificationTopics: new Map(config.notifications.topics.map((t) => [t.arn, t.subscribers.length])),
  };
  const consoleServices = createConsoleServices({
    config: () => config,
    sandbox: options.sandbox === true,
    manualClock: clock instanceof ManualClock,
    clock,
    resources: jobs.listResources,
    settings: catalog.settings,
  });
  return {
    catalog,
    storage,
    aws,
    workers,
    indexer,
    searches: searchRunner,
    scheduling,
    preflight,
    console: consoleServices,
    rootKeyFrom: loadedKey.from,
    notifications,
    metrics,
    stopExporting: jobs.stopExporting,
    dailyReports: startDailyReports(domain.audit.reportJobs, options.warn),
  };
}

function notReady(res: ServerResponse, phase: ServerPhase, clock: Clock): void {
  const error = new AwsError('ServiceUnavailableException', `Coffer is ${phase}; retry in a moment.`, { status: 503 });
  sendWireResponse(res, restJsonErrorResponse(error, randomUUID()), clock.now(), true);
}

export async function startCoffer(options: ServeOptions): Promise<RunningCoffer> {
  const wallClock = options.clock ?? systemClock;
  const clock: Clock = options.clockMode === 'manual' ? new ManualClock(options.clockStart ?? wallClock.now()) : wallClock;
  const loaded = await loadConfig(options.configFile, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const version = await packageVersion();
  const tracker = new RequestTracker();
  let phase: ServerPhase = 'starting';
  let app: App | undefined;
  let config = loaded;

  const admin: AdminContext = {
    phase: () => phase,
    version,
    apiVersions: { [BACKUP_MODEL.signingName]: BACKUP_MODEL.apiVersion, [KMS_MODEL.signingName]: KMS_MODEL.apiVersion },
    sandbox: options.sandbox === true,
    reset: () => resetAllState(app!.catalog, config, app!.storage, [...config.accounts.map((a) => a.id), SANDBOX_ACCOUNT_ID]),
    get clock() {
      return app?.scheduling.adminClock;
    },
    schedule: (query) => {
      if (app === undefined) throw new Error('Coffer is not ready');
      return app.scheduling.schedule(query);
    },
    authenticate: (request) => {
      const signed = headerValue(request.headers, 'authorization') !== undefined || request.rawQuery.includes('X-Amz-Signature=');
      if (!signed) return undefined;
      const { accountId, region } = verifySigV4(request, {
        secretFor: accessKeyLookup(config),
        clock: wallClock,
        ...(options.sandbox === true ? { sandboxAccountId: SANDBOX_ACCOUNT_ID } : {}),
      });
      return { accountId, region };
    },
    get console() {
      return phase === 'ready' ? app?.console : undefined;
    },
    get notifications() {
      const current = phase === 'ready' ? app : undefined;
      return current === undefined ? undefined : (signer: Signer, query: DeliveryQuery) => current.notifications.list(signer, query);
    },
    preflight: (signer, planId) => {
      if (app === undefined) throw new Error('Coffer is not ready');
      return preflightPlan(app.preflight, signer, planId);
    },
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    tracker.track(res);
    if (phase === 'stopping') res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (isAdminPath(path)) await handleAdminRequest(req, res, path, admin);
      else if (path === METRICS_PATH) await serveMetrics(req, res, phase === 'ready' ? app?.metrics : undefined, config.metrics);
      else if (isConsolePath(path)) await serveConsole(req, res, path);
      else if (app === undefined || phase === 'starting') notReady(res, phase, wallClock);
      else await app.aws(req, res);
    } catch (err) {
      options.warn(`coffer: internal error on ${req.method ?? '?'} ${path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      if (!res.writableEnded) res.end(JSON.stringify({ error: 'internal error; see the server log' }));
    }
  };

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => void route(req, res));
  // Idle keep-alive connections stay open a minute, as AWS's endpoints keep them: SDK clients
  // pool sockets with no idle limit of their own, so Node's 5 s default made a request sent as the
  // server closed its socket fail with ECONNRESET (seen with a client pausing a few seconds).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  server.on('clientError', answerClientError);
  const address = await listen(server, options.listen ?? loaded.listen);
  const url = urlOf(address);
  try {
    const firstStart = await ensureFirstStartCredentials({ ...loaded, listen: address });
    config = firstStart.config;
    app = await buildApp(config, options, clock, wallClock);
    phase = 'ready';
    const facts = {
      version,
      config,
      sandbox: options.sandbox === true,
      credentialNotices: firstStart.notices,
      rootKeyFrom: app.rootKeyFrom,
      url,
      loopback: isLoopback(address.host),
      ...(clock instanceof ManualClock ? { manualClockAt: clock.now() } : {}),
    };
    for (const line of bannerLines(facts)) options.log(line);
  } catch (err) {
    server.close();
    server.closeAllConnections();
    throw err;
  }

  const graceful = gracefulStop(server, tracker, options.drainMs ?? DEFAULT_DRAIN_MS);
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    phase = 'stopping';
    await graceful.stop();
    const current = app;
    app = undefined;
    await current?.dailyReports.stop();
    await current?.scheduling.stop();
    await current?.workers.stop();
    await current?.indexer.stop();
    await current?.searches.idle();
    await current?.notifications.stop();
    await current?.stopExporting();
    await current?.catalog.close();
  };

  return {
    url,
    get config() {
      return config;
    },
    stop: () => (stopped ??= stop()),
    forceStop: () => graceful.force(),
  };
}
