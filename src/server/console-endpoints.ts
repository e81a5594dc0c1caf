/**
 * The `/_coffer/` endpoints the web console needs beyond the AWS API (docs/operations.md):
 *
 * - `GET console/session` (unsigned): what the sign-in page needs before it has a key: the
 *   regions served, the clock, and in sandbox mode the credentials that act as the sandbox account;
 * - `GET whoami`: the signer's account (with its configured name) and organization;
 * - `GET resources`: every resource of the signer's account and region a selection can pick;
 * - `POST selections/match`: which of those a draft BackupSelection picks now;
 * - `POST schedule/preview`: the next runs of a rule's schedule in its time zone.
 *
 * All but the session are SigV4-signed like AWS calls and answer for the signer's account and
 * region only. A bad draft answers 400 with the same message CreateBackupSelection or
 * CreateBackupPlan would give.
 */
import { BackupError } from '../backup/backup-error.js';
import type { Fields } from '../backup/document-fields.js';
import type { WireRequest } from '../aws/wire-message.js';
import type { ServerResponse } from 'node:http';
import { requireSigner, send } from './admin-endpoint.js';
import type { Authenticate, Endpoint, Signer } from './admin-endpoint.js';

export interface ConsoleSession {
  readonly sandbox: boolean;
  readonly regions: readonly string[];
  readonly clock: { readonly mode: 'real' | 'manual'; readonly now: string };
  /** Sandbox mode only: a key that acts as the sandbox account (its signature is not checked there). */
  readonly sandboxCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly accountId: string };
}

export interface ConsoleServices {
  session(): ConsoleSession;
  whoami(signer: Signer): unknown;
  resources(signer: Signer): Promise<unknown>;
  /** Throws BackupError for a draft CreateBackupSelection would refuse. */
  matchSelection(signer: Signer, draft: Fields): Promise<unknown>;
  /** Throws BackupError for an expression or zone CreateBackupPlan would refuse. */
  previewSchedule(expression: string, timezone: string | undefined, count: number): unknown;
}

export interface ConsoleEndpointContext {
  readonly authenticate?: Authenticate | undefined;
  readonly console?: ConsoleServices | undefined;
}

const notReady = (res: ServerResponse): void => send(res, 503, { error: 'Coffer is not ready yet; retry when /_coffer/health answers ok.' });

/** A signed endpoint of the console: the signer is found (or the request answered) first. */
function signed(
  method: 'GET' | 'POST',
  what: string,
  run: (res: ServerResponse, services: ConsoleServices, signer: Signer, request: WireRequest) => Promise<void> | void,
): Endpoint<ConsoleEndpointContext> {
  return {
    method,
    run: async (res, ctx, request) => {
      const signer = requireSigner(
        res,
        ctx.authenticate,
        request,
        `${what} answers for the signer's account and region: sign the request with SigV4, as the console does.`,
      );
      if (signer === undefined) return;
      if (ctx.console === undefined) return notReady(res);
      try {
        await run(res, ctx.console, signer, request);
      } catch (err) {
        if (!(err instanceof BackupError)) throw err;
        send(res, 400, { error: err.message, type: err.code });
      }
    },
  };
}

/** The body as a JSON object, or undefined after answering 400. */
function jsonObject(res: ServerResponse, request: WireRequest, example: string): Fields | undefined {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    send(res, 400, { error: `The body must be a JSON object such as ${example}.` });
    return undefined;
  }
  return body as Fields;
}

const SELECTION_EXAMPLE = '{"BackupSelection": {"Resources": ["arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/*"]}}';
const SCHEDULE_EXAMPLE = '{"ScheduleExpression": "cron(0 5 ? * * *)", "ScheduleExpressionTimezone": "Europe/Berlin", "count": 5}';

export const consoleEndpoints: Readonly<Record<string, Endpoint<ConsoleEndpointContext>>> = {
  'console/session': {
    method: 'GET',
    run: (res, ctx) => (ctx.console === undefined ? notReady(res) : send(res, 200, ctx.console.session())),
  },
  whoami: signed('GET', 'GET /_coffer/whoami', (res, services, signer) => send(res, 200, services.whoami(signer))),
  resources: signed('GET', 'GET /_coffer/resources', async (res, services, signer) => send(res, 200, await services.resources(signer))),
  'selections/match': signed('POST', 'POST /_coffer/selections/match', async (res, services, signer, request) => {
    const body = jsonObject(res, request, SELECTION_EXAMPLE);
    if (body === undefined) return;
    const draft = body['BackupSelection'];
    if (draft === null || typeof draft !== 'object' || Array.isArray(draft)) {
      send(res, 400, { error: `Give the draft selection as "BackupSelection", e.g. ${SELECTION_EXAMPLE}.` });
      return;
    }
    send(res, 200, await services.matchSelection(signer, draft as Fields));
  }),
  'schedule/preview': signed('POST', 'POST /_coffer/schedule/preview', (res, services, _signer, request) => {
    const body = jsonObject(res, request, SCHEDULE_EXAMPLE);
    if (body === undefined) return;
    const expression = body['ScheduleExpression'];
    const timezone = body['ScheduleExpressionTimezone'];
    const count = body['count'] ?? 5;
    if (typeof expression !== 'string' || (timezone !== undefined && typeof timezone !== 'string') || typeof count !== 'number') {
      send(res, 400, {
        error: `Give "ScheduleExpression" (a string), optionally "ScheduleExpressionTimezone" (an IANA zone) and "count" (a number), e.g. ${SCHEDULE_EXAMPLE}.`,
      });
      return;
    }
    send(res, 200, services.previewSchedule(expression, timezone, count));
  }),
};
