/**
 * aws-endpoint/: what the DynamoDB and S3 connectors share about reaching an AWS-API endpoint
 * (real AWS or a local one): SDK client options from a resource's endpoint, region and
 * credentials, and failures explained in words. Knows the AWS SDK's options, nothing of jobs.
 *
 * Secrets stay wrapped until the SDK's credential provider asks for them. Without configured
 * credentials the SDK's default chain is used (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, the
 * shared credentials file, ...).
 */
import { silenceNodeVersionSupportWarning } from '../../aws-sdk/node-version-warning.js';
import type { EndpointCredentials } from '../../config/resource-config.js';

export interface EndpointSettings {
  /** e.g. `http://127.0.0.1:4566`; '' means AWS's own endpoint for the region. */
  readonly endpoint: string;
  readonly endpointRegion: string;
  readonly credentials: EndpointCredentials | undefined;
  /** Attempts per request, SDK retries included (default 4). */
  readonly maxAttempts?: number;
}

export interface SdkClientOptions {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string }>;
}

/** The options every SDK v3 client takes; the secret is revealed only when a request is signed. */
export function sdkClientOptions(settings: EndpointSettings): SdkClientOptions {
  silenceNodeVersionSupportWarning();
  const { credentials } = settings;
  return {
    region: settings.endpointRegion,
    ...(settings.endpoint === '' ? {} : { endpoint: settings.endpoint }),
    maxAttempts: settings.maxAttempts ?? 4,
    ...(credentials === undefined
      ? {}
      : {
          credentials: async () => ({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey.secret.reveal() }),
        }),
  };
}

/** Where requests go, for messages: the configured URL or AWS's regional endpoint. */
export function endpointName(settings: EndpointSettings, service: 'dynamodb' | 's3'): string {
  return settings.endpoint !== '' ? settings.endpoint : `${service}.${settings.endpointRegion}.amazonaws.com`;
}
