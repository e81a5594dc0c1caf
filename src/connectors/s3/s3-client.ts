/**
 * An S3 client for a bucket resource or a discovery entry. Checksums are computed only where the
 * API requires them, so S3-compatible servers that predate flexible checksums work too.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { sdkClientOptions } from '../aws-endpoint/endpoint-settings.js';
import type { EndpointSettings } from '../aws-endpoint/endpoint-settings.js';

export interface S3Settings extends EndpointSettings {
  readonly forcePathStyle: boolean;
}

export type S3ClientFactory = (settings: S3Settings) => S3Client;

export const makeS3Client: S3ClientFactory = (settings) =>
  new S3Client({
    ...sdkClientOptions(settings),
    forcePathStyle: settings.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
