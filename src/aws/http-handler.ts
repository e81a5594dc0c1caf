/**
 * The node:http request handler of the AWS API: reads the body (size-limited), authenticates
 * with SigV4, picks the protocol (X-Amz-Target: json 1.1, a form body: query, otherwise rest-json) and the service
 * (the credential scope's signing name), decodes and validates the input, calls the registered
 * operation handler with the caller's context and writes its output or an AWS error envelope.
 * Knows HTTP, SigV4 and AWS shapes; what operations do, and where state lives, is the handlers'.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { arns } from '../iam/arn.js';
import { AwsError, internalFailure, restJsonErrorResponse } from './errors.js';
import { JsonRpcProtocol, jsonRpcErrorResponse } from './json-rpc.js';
import { rawHeaderMap, readWireRequest, sendWireResponse } from './node-wire.js';
import { isQueryRequest, QueryProtocol, queryErrorResponse } from './query-protocol.js';
import { RestJsonProtocol } from './rest-json.js';
import type { ServiceModel } from './service-model.js';
import { verifySigV4 } from './sigv4.js';
import type { AccessKeySecret, SigV4Clock, SigV4Identity } from './sigv4.js';
import { parseQuery, queryValues } from './query-string.js';
import { headerValue } from './wire-message.js';
import type { WireRequest, WireResponse } from './wire-message.js';
import type { WireProtocol } from './wire-protocol.js';

export interface RequestContext {
  readonly accountId: string;
  readonly region: string;
  /** The caller as an IAM principal ARN: the account root for configured keys, the assumed role's session for STS credentials. */
  readonly principal: string;
  /** GetCallerIdentity's UserId when the caller is not the account root (`<role id>:<session>`). */
  readonly userId?: string;
  readonly requestId: string;
  readonly accessKeyId: string;
  readonly service: string;
  readonly operation: string;
}

export type OperationOutput = Readonly<Record<string, unknown>> | undefined | void;

/** Throw an AwsError to answer with an AWS exception; anything else becomes a 500 InternalFailure. */
export type OperationHandler = (ctx: RequestContext, input: Readonly<Record<string, unknown>>) => OperationOutput | Promise<OperationOutput>;

export interface ServiceBinding {
  readonly model: ServiceModel;
  /** By operation name; an operation of the model that is missing here answers NotImplemented. */
  readonly handlers: Readonly<Partial<Record<string, OperationHandler>>>;
  /** IAM and STS: served whatever region the request is signed for (IAM's is always us-east-1). */
  readonly global?: boolean;
}

/** Temporary credentials (STS sessions) by access key and session token. */
export interface SessionKeys {
  open(
    accessKeyId: string,
    token: string,
    now: Date,
  ):
    | {
        readonly secret: string;
        readonly expired: boolean;
        readonly claims: { readonly accountId: string; readonly principalArn: string; readonly userId: string };
      }
    | undefined;
}

export interface AwsHttpHandlerOptions {
  readonly services: readonly ServiceBinding[];
  readonly secretFor: (accessKeyId: string) => AccessKeySecret | undefined;
  /** Keys STS handed out: a request that carries a session token is checked against them. */
  readonly sessions?: SessionKeys;
  /** Regions this endpoint serves; a credential scoped to another is refused. */
  readonly regions: readonly string[];
  readonly clock: SigV4Clock;
  /** Insecure, for tests of infrastructure code: unknown access keys act as account 000000000000 unchecked. */
  readonly sandbox?: boolean;
  readonly maxBodyBytes?: number;
  readonly newRequestId?: () => string;
  /** Told about every unexpected error (a bug or an outage), with the request ID the caller saw. */
  readonly onFault?: (error: unknown, requestId: string) => void;
  /** Told about every answered request (metrics, request logs). */
  readonly onServed?: (served: ServedRequest) => void;
}

/** One answered request, as far as it got: unsigned or unroutable requests have no account or operation. */
export interface ServedRequest {
  readonly requestId: string;
  readonly service: string | undefined;
  readonly operation: string | undefined;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly status: number;
  /** The AWS error code of a failed request. */
  readonly errorCode: string | undefined;
  readonly seconds: number;
}

export const SANDBOX_ACCOUNT_ID = '000000000000';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

interface Service {
  readonly binding: ServiceBinding;
  readonly protocol: WireProtocol;
}

function protocolOf(model: ServiceModel): WireProtocol {
  if (model.protocol === 'query') return new QueryProtocol(model);
  return model.protocol === 'json' ? new JsonRpcProtocol(model) : new RestJsonProtocol(model);
}

/** The session token a request carries (header, or query string when presigned). */
function sessionTokenOf(request: WireRequest): string | undefined {
  return headerValue(request.headers, 'x-amz-security-token') ?? queryValues(parseQuery(request.rawQuery), 'X-Amz-Security-Token')[0];
}

/** The signing service of a request's credential scope, read loosely (for choosing an error format only). */
function scopeServiceOf(authorization: string | undefined, rawQuery: string): string | undefined {
  const credential = /Credential=[^/,&\s]+(?:\/|%2F)\d{8}(?:\/|%2F)[^/,&\s%]+(?:\/|%2F)([a-z0-9-]+)/i.exec(`${authorization ?? ''} ${rawQuery}`);
  return credential?.[1];
}

/**
 * An operation Coffer knows from the model but does not serve: 501, which no SDK or CLI
 * retries (they retry 500/502/503/504), with a message naming the operation, so a caller sees
 * at once that the gap is Coffer's and not their request's. Never an empty success.
 */
export function notImplemented(model: ServiceModel, operation: string): AwsError {
  return new AwsError('NotImplementedException', `Coffer does not implement the ${model.serviceId} operation ${operation} yet (see docs/api-coverage.md).`, {
    status: 501,
    context: operation,
  });
}

export function createAwsHttpHandler(options: AwsHttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const services = new Map<string, Service>(options.services.map((b) => [b.model.signingName, { binding: b, protocol: protocolOf(b.model) }]));
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const newRequestId = options.newRequestId ?? randomUUID;
  const sandbox = options.sandbox ? { sandboxAccountId: SANDBOX_ACCOUNT_ID } : {};

  /** Configured keys first; then, for a request with a session token, the STS session it names. */
  const keyLookup = (request: WireRequest) => {
    const token = sessionTokenOf(request);
    return (accessKeyId: string): AccessKeySecret | undefined => {
      const configured = options.secretFor(accessKeyId);
      if (configured !== undefined || token === undefined || options.sessions === undefined) return configured;
      const session = options.sessions.open(accessKeyId, token, options.clock.now());
      if (session === undefined) return undefined;
      if (session.expired) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired', { status: 403 });
      return { secret: session.secret, accountId: session.claims.accountId, principal: session.claims.principalArn, userId: session.claims.userId };
    };
  };

  type Seen = { service?: string; operation?: string; accountId?: string; region?: string };
  const serve = async (request: WireRequest, requestId: string, seen: Seen): Promise<WireResponse> => {
    const identity = verifySigV4(request, { secretFor: keyLookup(request), clock: options.clock, ...sandbox });
    Object.assign(seen, { service: identity.service, accountId: identity.accountId, region: identity.region });
    const service = serviceFor(services, identity, options.regions);
    const protocol = protocolFor(service, request);
    const route = protocol.route(request);
    seen.operation = route.operation.name;
    const handler = service.binding.handlers[route.operation.name];
    if (handler === undefined) throw notImplemented(service.binding.model, route.operation.name);
    const input = protocol.readInput(route, request);
    const ctx: RequestContext = {
      accountId: identity.accountId,
      region: identity.region,
      principal: identity.principal ?? arns.accountRoot(identity.accountId),
      ...(identity.userId !== undefined && { userId: identity.userId }),
      requestId,
      accessKeyId: identity.accessKeyId,
      service: identity.service,
      operation: route.operation.name,
    };
    return protocol.writeOutput(route.operation, (await handler(ctx, input)) ?? undefined, requestId);
  };

  return async (req, res) => {
    const requestId = newRequestId();
    const started = performance.now();
    const seen: Seen = {};
    let errorCode: string | undefined;
    const headers = rawHeaderMap(req.rawHeaders);
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const queryService = isQueryRequest(headers, rawQuery) ? services.get(scopeServiceOf(headerValue(headers, 'authorization'), rawQuery) ?? '') : undefined;
    const writeError = isQueryRequest(headers, rawQuery)
      ? (error: AwsError, id: string) => queryErrorResponse(error, id, queryService?.binding.model.xmlNamespace)
      : req.headers['x-amz-target'] === undefined
        ? restJsonErrorResponse
        : jsonRpcErrorResponse;
    try {
      const request = await readWireRequest(req, limit);
      sendWireResponse(res, await serve(request, requestId, seen), options.clock.now(), false);
    } catch (error) {
      if (!(error instanceof AwsError)) options.onFault?.(error, requestId);
      const awsError = error instanceof AwsError ? error : internalFailure(requestId);
      errorCode = awsError.name;
      sendWireResponse(res, writeError(awsError, requestId), options.clock.now(), awsError.status === 413);
    }
    options.onServed?.({
      requestId,
      service: seen.service,
      operation: seen.operation,
      accountId: seen.accountId,
      region: seen.region,
      status: res.statusCode,
      errorCode,
      seconds: (performance.now() - started) / 1000,
    });
  };
}

function serviceFor(services: ReadonlyMap<string, Service>, identity: SigV4Identity, regions: readonly string[]): Service {
  const service = services.get(identity.service);
  if (service === undefined) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: one of '${[...services.keys()].join("', '")}', not '${identity.service}'.`,
      { status: 403 },
    );
  }
  if (!service.binding.global && !regions.includes(identity.region)) {
    throw new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${identity.region}'. This endpoint serves ${regions.join(', ')}.`,
      { status: 403 },
    );
  }
  return service;
}

function protocolFor(service: Service, request: WireRequest): WireProtocol {
  const wantsJson = headerValue(request.headers, 'x-amz-target') !== undefined;
  const model = service.binding.model;
  if (model.protocol === 'query') {
    if (wantsJson)
      throw new AwsError('InvalidAction', `${model.serviceId} is called with the query protocol: POST / with a form body naming the Action, no X-Amz-Target.`);
    return service.protocol;
  }
  if (wantsJson !== (model.protocol === 'json')) {
    const how = model.protocol === 'json' ? `POST / with X-Amz-Target: ${model.targetPrefix ?? ''}.<Operation>` : 'rest-json (no X-Amz-Target header)';
    throw new AwsError('UnknownOperationException', `${model.serviceId} is called with ${how}.`);
  }
  return service.protocol;
}
