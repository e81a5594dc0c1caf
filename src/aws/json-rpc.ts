/**
 * The AWS JSON 1.1 protocol (KMS): every call is `POST /` naming its operation in
 * `X-Amz-Target: <prefix>.<Operation>`; input and output are JSON objects shaped by the model;
 * errors are `{"__type": Name, "message": ...}`. Knows HTTP and AWS shapes only.
 */
import { AwsError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { structureOf } from './service-model.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import { readJsonMembers } from './shape-input.js';
import type { Violations } from './shape-input.js';
import { writeJsonMembers } from './shape-output.js';
import { validationError } from './validation-error.js';
import { headerValue, jsonResponse } from './wire-message.js';
import type { WireRequest, WireResponse } from './wire-message.js';
import type { Route, WireProtocol } from './wire-protocol.js';

export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

export class JsonRpcProtocol implements WireProtocol {
  constructor(private readonly model: ServiceModel) {}

  /** Unknown targets answer 400 UnknownOperationException, as AWS's JSON services do. */
  route(request: WireRequest): Route {
    if (request.method !== 'POST' || request.rawPath !== '/') {
      throw new AwsError('UnknownOperationException', `${this.model.serviceId} operations are called with POST /, not ${request.method} ${request.rawPath}.`);
    }
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    const prefix = `${this.model.targetPrefix ?? ''}.`;
    const operation = target.startsWith(prefix) ? this.model.operations[target.slice(prefix.length)] : undefined;
    if (operation === undefined) {
      throw new AwsError('UnknownOperationException', `${this.model.serviceId} has no operation '${target}': send X-Amz-Target: ${prefix}<Operation>.`);
    }
    return { operation, labels: {} };
  }

  readInput(route: Route, request: WireRequest): Record<string, unknown> {
    const body = parseJsonBody(request.body);
    if (route.operation.input === undefined) return {};
    const out: Violations = [];
    const input = readJsonMembers(this.model, structureOf(this.model, route.operation.input), body, '', out);
    if (out.length > 0) throw validationError(this.model, out);
    return input;
  }

  writeOutput(operation: OperationModel, output: Readonly<Record<string, unknown>> | undefined, requestId: string): WireResponse {
    const body = operation.output === undefined || output === undefined ? {} : writeJsonMembers(this.model, structureOf(this.model, operation.output), output);
    return jsonResponse(200, AMZ_JSON_1_1, body, requestId);
  }
}

/** The json 1.1 error envelope; the type is in the header too, which the SDKs read first. */
export function jsonRpcErrorResponse(error: AwsError, requestId: string): WireResponse {
  const response = jsonResponse(error.status, AMZ_JSON_1_1, { __type: error.code, message: error.message }, requestId);
  return { ...response, headers: { ...response.headers, 'x-amzn-ErrorType': error.code } };
}
