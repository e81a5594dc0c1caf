/**
 * The rest-json protocol (AWS Backup): routes a request to an operation of the model, binds its
 * input from URI labels, query parameters, headers and the JSON body, validates it against the
 * model, and writes outputs (JSON body, header members, the operation's success code) and
 * errors (see errors.ts). Knows HTTP and AWS shapes only; what an operation does is the
 * handler's business.
 */
import { AwsError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { parseQuery, queryValues } from './query-string.js';
import type { QueryPairs } from './query-string.js';
import { RestJsonRouter } from './rest-json-router.js';
import { structureOf } from './service-model.js';
import type { MemberRef, OperationModel, ServiceModel } from './service-model.js';
import { missing, readJsonMembers, readText } from './shape-input.js';
import type { Violations } from './shape-input.js';
import { writeHeaderText, writeJsonMembers } from './shape-output.js';
import { validationError } from './validation-error.js';
import { headerValues } from './wire-message.js';
import type { WireRequest, WireResponse } from './wire-message.js';
import type { Route, WireProtocol } from './wire-protocol.js';

const isBodyMember = (ref: MemberRef): boolean => ref.location === undefined;

export class RestJsonProtocol implements WireProtocol {
  private readonly router: RestJsonRouter;

  constructor(private readonly model: ServiceModel) {
    this.router = new RestJsonRouter(model);
  }

  /**
   * An unknown path answers 404 UnknownOperationException, as AWS's REST front ends do: the
   * SDKs and the CLI surface it as an error naming the exception and never retry a 4xx.
   */
  route(request: WireRequest): Route {
    const found = this.router.match(request.method, request.rawPath, parseQuery(request.rawQuery));
    if ('operation' in found) return found;
    const hint = found.allowed.length > 0 ? `; this path accepts ${found.allowed.join(', ')}` : '';
    throw new AwsError('UnknownOperationException', `No ${this.model.serviceId} operation matches ${request.method} ${request.rawPath}${hint}.`, {
      status: 404,
    });
  }

  readInput(route: Route, request: WireRequest): Record<string, unknown> {
    const name = route.operation.input;
    if (name === undefined) return {};
    const shape = structureOf(this.model, name);
    const out: Violations = [];
    const query = parseQuery(request.rawQuery);
    const input: Record<string, unknown> = {};
    for (const [member, ref] of Object.entries(shape.members)) {
      const texts = this.wireTexts(ref, member, route, query, request);
      if (texts === undefined) continue;
      if (texts.length === 0) {
        if (ref.required) missing(out, member);
        continue;
      }
      const value = readText(this.model, ref, texts, member, out, ref.location === 'header' ? 'rfc822' : 'iso8601');
      if (value !== undefined) input[member] = value;
    }
    if (Object.values(shape.members).some(isBodyMember)) {
      Object.assign(input, readJsonMembers(this.model, shape, parseJsonBody(request.body), '', out, isBodyMember));
    }
    if (out.length > 0) throw validationError(this.model, out);
    return input;
  }

  /**
   * The strings a URI, query or header member arrived as (empty: absent); undefined for body
   * members, and for prefixed-header maps (`headers`), which neither Backup nor KMS uses.
   */
  private wireTexts(ref: MemberRef, member: string, route: Route, query: QueryPairs, request: WireRequest): readonly string[] | undefined {
    const wireName = ref.locationName ?? member;
    switch (ref.location) {
      case 'uri': {
        const label = route.labels[wireName];
        return label === undefined ? [] : [label];
      }
      case 'querystring':
        return queryValues(query, wireName);
      case 'header':
        return headerValues(request.headers, wireName.toLowerCase());
      default:
        return undefined;
    }
  }

  writeOutput(operation: OperationModel, output: Readonly<Record<string, unknown>> | undefined, requestId: string): WireResponse {
    const headers: Record<string, string> = { 'x-amzn-RequestId': requestId };
    let status = operation.successCode;
    let body = '';
    if (operation.output !== undefined && output !== undefined) {
      const shape = structureOf(this.model, operation.output);
      for (const [member, ref] of Object.entries(shape.members)) {
        const value = output[member];
        if (value === undefined || value === null) continue;
        if (ref.location === 'header') headers[ref.locationName ?? member] = writeHeaderText(this.model, ref, value);
        if (ref.location === 'statusCode' && typeof value === 'number') status = value;
      }
      if (status !== 204) body = JSON.stringify(writeJsonMembers(this.model, shape, output, isBodyMember));
    }
    if (body !== '') headers['content-type'] = 'application/json';
    return { status, headers, body };
  }
}
