/**
 * What every AWS protocol codec does (rest-json for Backup, json 1.1 for KMS): find the
 * operation a request names, read its input against the model, write an output or an error.
 * The HTTP handler drives codecs through this interface alone.
 */
import type { OperationModel } from './service-model.js';
import type { WireRequest, WireResponse } from './wire-message.js';

export interface Route {
  readonly operation: OperationModel;
  /** URI labels, percent-decoded (rest-json only). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface WireProtocol {
  /** Throws an AwsError when no operation of the model matches. */
  route(request: WireRequest): Route;
  /** The operation's input by member name, converted and validated; throws an AwsError listing every violation. */
  readInput(route: Route, request: WireRequest): Record<string, unknown>;
  writeOutput(operation: OperationModel, output: Readonly<Record<string, unknown>> | undefined, requestId: string): WireResponse;
}
