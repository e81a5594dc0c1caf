/**
 * The options every command that talks to a running server shares: --endpoint-url and --region
 * (as the AWS CLI names them), and the credentials found for it.
 */
import { CliError } from './cli-error.js';
import { DEFAULT_ENDPOINT, findCredentials } from './signed-request.js';
import type { ServerCall } from './signed-request.js';

export const SERVER_OPTIONS = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
} as const;

export const SERVER_OPTIONS_USAGE = `  --endpoint-url URL  the Coffer server (default: $COFFER_ENDPOINT or ${DEFAULT_ENDPOINT})
  --region NAME       the region to sign for (default: $AWS_REGION or us-east-1)`;

export async function serverCall(
  values: { readonly 'endpoint-url'?: string | undefined; readonly region?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<ServerCall> {
  const endpoint = values['endpoint-url'] ?? env['COFFER_ENDPOINT'] ?? DEFAULT_ENDPOINT;
  try {
    new URL(endpoint);
  } catch {
    throw new CliError(`--endpoint-url ${JSON.stringify(endpoint)} is not a URL such as ${DEFAULT_ENDPOINT}`, 2);
  }
  return { endpoint, region: values.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1', credentials: await findCredentials(env) };
}
