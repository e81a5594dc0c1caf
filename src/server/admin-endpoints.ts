/**
 * Coffer's own endpoints, outside the AWS namespace, under `/_coffer/`: health (for load
 * balancers and test harnesses), version, in sandbox mode reset, with the manual clock the clock,
 * and the coming schedule. Health and version reveal nothing about any account and are open;
 * reset and clock exist only in the insecure test modes that enable them; schedule lists an
 * account's plans and so takes a SigV4-signed request (as the AWS API does) and shows the
 * signer's account only (sandbox mode: unsigned requests see every account). The preflight of a
 * plan (`plans/{id}/preflight`) is signed too and finds the plan in the signer's account and
 * region only. Documented in docs/operations.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../aws/errors.js';
import { readWireRequest } from '../aws/node-wire.js';
import type { WireRequest } from '../aws/wire-message.js';
import { requireSigner, send } from './admin-endpoint.js';
import type { Endpoint, Signer } from './admin-endpoint.js';
import { consoleEndpoints } from './console-endpoints.js';
import type { ConsoleServices } from './console-endpoints.js';
import { notificationEndpoint } from './notification-endpoint.js';
import type { DeliveryQuery } from './notification-services.js';

export type { Signer } from './admin-endpoint.js';

export const ADMIN_PREFIX = '/_coffer/';

export type ServerPhase = 'starting' | 'ready' | 'stopping';

export interface AdminContext {
  readonly phase: () => ServerPhase;
  readonly version: string;
  readonly apiVersions: Readonly<Record<string, string>>;
  readonly sandbox: boolean;
  readonly reset: () => Promise<void>;
  /** Present only with `--clock manual`. */
  readonly clock?: AdminClock | undefined;
  /** The coming runs; `accountId` undefined means every account. */
  /** The coming runs; undefined when the query names a plan that is not live. */
  readonly schedule?: ((query: ScheduleQuery) => Promise<unknown>) | undefined;
  /** The signer of a SigV4-signed request (account, and region of its credential scope); throws AwsError when the signature is bad, undefined when unsigned. */
  readonly authenticate?: ((request: WireRequest) => Signer | undefined) | undefined;
  /** The preflight of a plan of the signer's account and region; undefined when there is no such plan. */
  readonly preflight?: ((signer: Signer, planId: string) => Promise<unknown>) | undefined;
  /** What the web console asks beyond the AWS API (console-endpoints.ts); undefined until ready. */
  readonly console?: ConsoleServices | undefined;
  /** The signer's vault notification deliveries (notification-endpoint.ts); undefined until ready. */
  readonly notifications?: ((signer: Signer, query: DeliveryQuery) => Promise<unknown>) | undefined;
}

export interface AdminClock {
  now(): Date;
  /** `{"advance": "P1D"}` or `{"set": "2027-01-01T00:00:00Z"}`; resolves with a report once due jobs are done. */
  move(request: { readonly advance?: string; readonly set?: string }): Promise<unknown>;
}

export interface ScheduleQuery {
  readonly accountId: string | undefined;
  readonly days: number;
  readonly planId: string | undefined;
}

const ADMIN_BODY_LIMIT = 64 * 1024;
const MAX_PREVIEW_DAYS = 3660;

export function isAdminPath(path: string): boolean {
  return path === '/_coffer' || path.startsWith(ADMIN_PREFIX);
}

function clockEndpoint(): Endpoint<AdminContext> {
  return {
    method: 'POST',
    run: async (res, ctx, request) => {
      if (ctx.clock === undefined) {
        send(res, 403, { error: 'POST /_coffer/clock needs the manual clock: start with coffer serve --clock manual. The real clock cannot be moved.' });
        return;
      }
      let body: unknown;
      try {
        body = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
      } catch {
        send(res, 400, { error: 'The body must be JSON: {"advance": "P1D"} or {"set": "2027-01-01T00:00:00Z"}.' });
        return;
      }
      const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      const advance = fields['advance'];
      const set = fields['set'];
      if (
        (advance === undefined) === (set === undefined)
        || (advance !== undefined && typeof advance !== 'string')
        || (set !== undefined && typeof set !== 'string')
      ) {
        send(res, 400, {
          error: 'Give exactly one of "advance" (an ISO-8601 duration such as "P1D") or "set" (an ISO-8601 time such as "2027-01-01T00:00:00Z").',
          now: ctx.clock.now().toISOString(),
        });
        return;
      }
      try {
        const report = await ctx.clock.move(advance !== undefined ? { advance: advance as string } : { set: set as string });
        send(res, 200, report);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        send(res, 400, { error: err.message, now: ctx.clock.now().toISOString() });
      }
    },
  };
}

function scheduleEndpoint(): Endpoint<AdminContext> {
  return {
    method: 'GET',
    run: async (res, ctx, request) => {
      const query = new URLSearchParams(request.rawQuery);
      const daysText = query.get('days') ?? '7';
      const days = Number(daysText);
      if (!Number.isInteger(days) || days < 1 || days > MAX_PREVIEW_DAYS) {
        send(res, 400, { error: `days must be a whole number from 1 to ${MAX_PREVIEW_DAYS}, not ${JSON.stringify(daysText)}.` });
        return;
      }
      let accountId: string | undefined;
      try {
        accountId = ctx.authenticate?.(request)?.accountId;
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        send(res, err.status, { error: err.message, type: err.name });
        return;
      }
      if (accountId === undefined && !ctx.sandbox) {
        send(res, 403, {
          error: "GET /_coffer/schedule lists an account's plans: sign the request with SigV4 (coffer plan preview does), or run in sandbox mode.",
        });
        return;
      }
      if (ctx.schedule === undefined) {
        send(res, 503, { error: 'The scheduler is not running yet; retry when /_coffer/health answers ok.' });
        return;
      }
      const planId = query.get('planId') ?? undefined;
      const answer = await ctx.schedule({ accountId, days, planId });
      if (answer === undefined) {
        const where = accountId === undefined ? 'any account' : `account ${accountId}`;
        send(res, 404, {
          error: `No backup plan ${planId} in ${where} (or it was deleted): aws backup list-backup-plans lists the plans and their BackupPlanId.`,
        });
        return;
      }
      send(res, 200, answer);
    },
  };
}

const PREFLIGHT_PATH = /^plans\/([^/]+)\/preflight$/;

/** GET /_coffer/plans/{id}/preflight: signed; the plan is looked up in the signer's account and region. */
function preflightEndpoint(planId: string): Endpoint<AdminContext> {
  return {
    method: 'GET',
    run: async (res, ctx, request) => {
      const signer = requireSigner(
        res,
        ctx.authenticate,
        request,
        "GET /_coffer/plans/{id}/preflight checks a plan of the signer's account and region: sign the request with SigV4 (coffer doctor does).",
      );
      if (signer === undefined) return;
      if (ctx.preflight === undefined || ctx.phase() !== 'ready') {
        send(res, 503, { error: 'Coffer is not ready yet; retry when /_coffer/health answers ok.' });
        return;
      }
      const report = await ctx.preflight(signer, planId);
      if (report === undefined) {
        send(res, 404, { error: `No backup plan ${planId} in account ${signer.accountId}, region ${signer.region} (sign for the plan's region: --region).` });
        return;
      }
      send(res, 200, report);
    },
  };
}

const ENDPOINTS: Readonly<Record<string, Endpoint<AdminContext>>> = {
  health: {
    method: 'GET',
    run: (res, ctx) => {
      const phase = ctx.phase();
      send(res, phase === 'ready' ? 200 : 503, { status: phase === 'ready' ? 'ok' : phase });
    },
  },
  version: {
    method: 'GET',
    run: (res, ctx) => send(res, 200, { name: 'coffer', version: ctx.version, apiVersions: ctx.apiVersions, sandbox: ctx.sandbox }),
  },
  reset: {
    method: 'POST',
    run: async (res, ctx) => {
      if (!ctx.sandbox) {
        send(res, 403, { error: 'POST /_coffer/reset is available only in sandbox mode (coffer serve --sandbox); nothing was changed.' });
        return;
      }
      if (ctx.phase() !== 'ready') {
        send(res, 503, { error: `Coffer is ${ctx.phase()}; retry the reset when /_coffer/health answers ok.` });
        return;
      }
      await ctx.reset();
      send(res, 200, { status: 'reset' });
    },
  },
  clock: clockEndpoint(),
  schedule: scheduleEndpoint(),
  notifications: notificationEndpoint,
  ...consoleEndpoints,
};

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, path: string, ctx: AdminContext): Promise<void> {
  let request: WireRequest;
  try {
    request = await readWireRequest(req, ADMIN_BODY_LIMIT);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    send(res, err.status, { error: err.message });
    return;
  }
  const name = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const planId = PREFLIGHT_PATH.exec(name)?.[1];
  const endpoint = planId !== undefined ? preflightEndpoint(safeDecode(planId)) : Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name] : undefined;
  if (endpoint === undefined) {
    const names = [...Object.keys(ENDPOINTS), 'plans/{id}/preflight'].map((n) => ADMIN_PREFIX + n);
    send(res, 404, { error: `No Coffer endpoint ${path}; there are ${names.join(', ')} (see docs/operations.md).` });
    return;
  }
  const method = req.method === 'HEAD' && endpoint.method === 'GET' ? 'GET' : req.method;
  if (method !== endpoint.method) {
    send(res, 405, { error: `${ADMIN_PREFIX}${name} answers ${endpoint.method}, not ${req.method ?? '?'}.` }, { allow: endpoint.method });
    return;
  }
  await endpoint.run(res, ctx, request);
}
