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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createBackupBinding } from '../aws/backup/backup-binding.js';
import { AwsError, restJsonErrorResponse } from '../aws/errors.js';
import { createAwsHttpHandler, SANDBOX_ACCOUNT_ID } from '../aws/http-handler.js';
import { sendWireResponse } from '../aws/node-wire.js';
import { BACKUP_MODEL } from '../aws/service-model.js';
import { createBackupDomain } from '../backup/backup-domain.js';
import type { Clock } from '../backup/clock.js';
import type { Catalog } from '../catalog/catalog.js';
import { openCatalog } from '../catalog/open-catalog.js';
import { ensureFirstStartCredentials } from '../config/first-start-credentials.js';
import { loadConfig } from '../config/load-config.js';
import type { CofferConfig, ListenAddress } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import { accessKeyLookup } from './access-keys.js';
import { handleAdminRequest, isAdminPath } from './admin-endpoints.js';
import type { AdminContext, ServerPhase } from './admin-endpoints.js';
import { bannerLines } from './banner.js';
import { gracefulStop } from './graceful-stop.js';
import { isLoopback, listen, urlOf } from './http-listener.js';
import { createJobServices } from './job-services.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { packageVersion } from './package-version.js';
import { RequestTracker } from './request-tracker.js';
import { resetAllState } from './sandbox-reset.js';
import { systemClock } from './system-clock.js';

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
  /** How long a stop waits for requests in flight; default 30 s. */
  readonly drainMs?: number | undefined;
  /** Lines for the operator (stdout). */
  readonly log: (line: string) => void;
  /** Faults (stderr). */
  readonly warn: (line: string) => void;
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
  readonly aws: NodeHandler;
  readonly workers: WorkerPool;
}

export const DEFAULT_DRAIN_MS = 30_000;

function storageRoots(config: CofferConfig): (region: string) => string {
  const roots = new Map(config.regions.map((r) => [r.name, formatStorageLocation(r.storage)]));
  return (region) => {
    const root = roots.get(region);
    if (root === undefined) throw new Error(`region ${region} is not configured; the HTTP layer should have refused the call`);
    return root;
  };
}

async function buildApp(config: CofferConfig, options: ServeOptions, clock: Clock): Promise<App> {
  const catalog = await openCatalog(config.catalog);
  const jobs = await createJobServices(config, catalog, clock, options.env ?? process.env, options.warn);
  const domain = createBackupDomain({ catalog, clock, storageRoot: storageRoots(config), resources: jobs.resources, eraseRecoveryPoint: jobs.eraseRecoveryPoint });
  const aws = createAwsHttpHandler({
    services: [createBackupBinding(domain)],
    secretFor: accessKeyLookup(config),
    regions: config.regions.map((r) => r.name),
    clock,
    sandbox: options.sandbox === true,
    onFault: (error, requestId) => options.warn(`coffer: internal error in request ${requestId}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
  });
  return { catalog, aws, workers: jobs.start() };
}

function notReady(res: ServerResponse, phase: ServerPhase, clock: Clock): void {
  const error = new AwsError('ServiceUnavailableException', `Coffer is ${phase}; retry in a moment.`, { status: 503 });
  sendWireResponse(res, restJsonErrorResponse(error, randomUUID()), clock.now(), true);
}

export async function startCoffer(options: ServeOptions): Promise<RunningCoffer> {
  const clock = options.clock ?? systemClock;
  const loaded = await loadConfig(options.configFile, { ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...(options.env === undefined ? {} : { env: options.env }) });
  const version = await packageVersion();
  const tracker = new RequestTracker();
  let phase: ServerPhase = 'starting';
  let app: App | undefined;
  let config = loaded;

  const admin: AdminContext = {
    phase: () => phase,
    version,
    apiVersions: { [BACKUP_MODEL.signingName]: BACKUP_MODEL.apiVersion },
    sandbox: options.sandbox === true,
    reset: () => resetAllState(app!.catalog, config, [...config.accounts.map((a) => a.id), SANDBOX_ACCOUNT_ID]),
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    tracker.track(res);
    if (phase === 'stopping') res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (isAdminPath(path)) await handleAdminRequest(req, res, path, admin);
      else if (app === undefined || phase === 'starting') notReady(res, phase, clock);
      else await app.aws(req, res);
    } catch (err) {
      options.warn(`coffer: internal error on ${req.method ?? '?'} ${path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      if (!res.writableEnded) res.end(JSON.stringify({ error: 'internal error; see the server log' }));
    }
  };

  const server = createServer((req, res) => void route(req, res));
  const address = await listen(server, options.listen ?? loaded.listen);
  const url = urlOf(address);
  try {
    const firstStart = await ensureFirstStartCredentials({ ...loaded, listen: address });
    config = firstStart.config;
    app = await buildApp(config, options, clock);
    phase = 'ready';
    const facts = { version, config, sandbox: options.sandbox === true, credentialNotices: firstStart.notices, url, loopback: isLoopback(address.host) };
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
    await current?.workers.stop();
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
