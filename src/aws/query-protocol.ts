/**
 * The AWS query protocol (STS, IAM): every call is `POST /` with a form body naming its operation
 * in `Action` (a GET with the same parameters in the query string works too); the output is XML,
 * `<OpResponse><OpResult>..</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`;
 * errors are `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * Knows HTTP and AWS shapes only.
 */
import { AwsError } from './errors.js';
import { parseForm, readQueryMembers } from './query-input.js';
import { xmlEscape, xmlMembers } from './query-output.js';
import { structureOf } from './service-model.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import type { Violations } from './shape-input.js';
import { validationError } from './validation-error.js';
import { headerValue } from './wire-message.js';
import type { WireRequest, WireResponse } from './wire-message.js';
import type { Route, WireProtocol } from './wire-protocol.js';

const XML = 'text/xml';

/** Whether a request speaks the query protocol: a form body, or `Action=` in the query string. */
export function isQueryRequest(headers: WireRequest['headers'], rawQuery: string): boolean {
  const type = headerValue(headers, 'content-type') ?? '';
  return type.toLowerCase().startsWith('application/x-www-form-urlencoded') || /(^|&)Action=/.test(rawQuery);
}

function formOf(request: WireRequest): Map<string, string> {
  const fromQuery = parseForm(request.rawQuery);
  const fromBody = request.method === 'POST' ? parseForm(request.body.toString('utf8')) : new Map<string, string>();
  return new Map([...fromQuery, ...fromBody]);
}

export class QueryProtocol implements WireProtocol {
  constructor(private readonly model: ServiceModel) {}

  route(request: WireRequest): Route {
    if ((request.method !== 'POST' && request.method !== 'GET') || request.rawPath !== '/') {
      throw new AwsError(
        'InvalidAction',
        `${this.model.serviceId} operations are called with POST / and a form body naming the Action, not ${request.method} ${request.rawPath}.`,
      );
    }
    const action = formOf(request).get('Action') ?? '';
    const operation = Object.hasOwn(this.model.operations, action) ? this.model.operations[action] : undefined;
    if (operation === undefined) {
      const hint = action === '' ? 'the request names no Action' : `there is no Action '${action}'`;
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${this.model.apiVersion}: ${hint}.`);
    }
    return { operation, labels: {} };
  }

  readInput(route: Route, request: WireRequest): Record<string, unknown> {
    if (route.operation.input === undefined) return {};
    const out: Violations = [];
    const input = readQueryMembers(this.model, structureOf(this.model, route.operation.input), formOf(request), '', out);
    if (out.length > 0) {
      const error = validationError(this.model, out);
      throw new AwsError('ValidationError', error.message);
    }
    return input;
  }

  writeOutput(operation: OperationModel, output: Readonly<Record<string, unknown>> | undefined, requestId: string): WireResponse {
    const ns = this.model.xmlNamespace === undefined ? '' : ` xmlns="${this.model.xmlNamespace}"`;
    let result = '';
    if (operation.output !== undefined) {
      const wrapper = operation.resultWrapper ?? `${operation.name}Result`;
      const inner = output === undefined ? '' : xmlMembers(this.model, structureOf(this.model, operation.output), output);
      result = `<${wrapper}>${inner}</${wrapper}>`;
    }
    const body = `<${operation.name}Response${ns}>${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation.name}Response>`;
    return { status: 200, headers: { 'content-type': XML, 'x-amzn-RequestId': requestId }, body };
  }
}

/** The query protocol's wire codes for the signature errors the other protocols name their own way. */
const QUERY_CODES: Readonly<Record<string, string>> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  NotImplementedException: 'NotImplemented',
  ExpiredTokenException: 'ExpiredToken',
};

/** The query protocol's XML error envelope; `xmlNamespace` when the service is known. */
export function queryErrorResponse(error: AwsError, requestId: string, xmlNamespace?: string): WireResponse {
  const ns = xmlNamespace === undefined ? '' : ` xmlns="${xmlNamespace}"`;
  const type = error.fault ? 'Receiver' : 'Sender';
  const code = QUERY_CODES[error.code] ?? error.code;
  const body = `<ErrorResponse${ns}><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': XML, 'x-amzn-RequestId': requestId }, body };
}
