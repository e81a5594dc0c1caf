/**
 * restic's S3 repository URLs, which Coffer accepts unchanged so that one string opens a vault
 * with either tool:
 *
 *   s3:http://HOST[:PORT]/BUCKET[/PREFIX]      any S3-compatible server (path-style requests)
 *   s3:https://HOST[:PORT]/BUCKET[/PREFIX]
 *   s3:s3.amazonaws.com/BUCKET[/PREFIX]        AWS S3 (also s3.REGION.amazonaws.com)
 *   s3:HOST/BUCKET[/PREFIX]                    https://HOST
 *
 * Messages never echo user info: a URL with `user:secret@` is refused without repeating it.
 */

export interface S3Location {
  readonly kind: 's3';
  /** `http(s)://host[:port]` of an S3-compatible server; undefined for AWS S3 itself. */
  readonly endpoint: string | undefined;
  /** AWS S3's region when the host names one (`s3.eu-west-1.amazonaws.com`). */
  readonly region: string | undefined;
  readonly bucket: string;
  /** Key prefix of the repository, without leading or trailing `/`; '' for the bucket's root. */
  readonly prefix: string;
}

/** restic's form of a location: `s3:http://127.0.0.1:9000/bucket/prefix`. */
export function formatS3Location(location: S3Location): string {
  const host = location.endpoint ?? (location.region === undefined ? 's3.amazonaws.com' : `s3.${location.region}.amazonaws.com`);
  return `s3:${host}/${location.bucket}${location.prefix === '' ? '' : `/${location.prefix}`}`;
}

/** Whether `url` is meant as an S3 location (so its errors are S3 errors, not file: ones). */
export function looksLikeS3(url: string): boolean {
  return /^s3:/i.test(url);
}

const BUCKET = /^[a-z0-9][a-z0-9.\-_]{1,254}$/i;
const AWS_HOST = /^s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/i;

/** The location, or the reason `url` is not a usable S3 location. */
export function parseS3Location(url: string): S3Location | string {
  if (!looksLikeS3(url)) return 'is not an s3: URL';
  const rest = url.slice('s3:'.length);
  if (rest.startsWith('//')) {
    return "uses the AWS CLI's s3://BUCKET form; use restic's form s3:https://HOST/BUCKET/PREFIX or s3:s3.amazonaws.com/BUCKET/PREFIX";
  }
  const scheme = /^(https?):\/\//i.exec(rest);
  const withScheme = scheme === null ? `https://${rest}` : rest;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return 'is not a valid URL; use s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials; put them in storageCredentials or the AWS environment variables';
  if (parsed.search !== '' || parsed.hash !== '') return 'must not have a query or fragment';
  const segments = decodeURIComponent(parsed.pathname)
    .split('/')
    .filter((s) => s !== '');
  const bucket = segments[0];
  if (bucket === undefined) return 'names no bucket; use s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]';
  if (!BUCKET.test(bucket)) return `names an invalid bucket ${JSON.stringify(bucket)}`;
  const prefix = segments.slice(1);
  if (prefix.some((s) => s === '.' || s === '..')) return 'has a "." or ".." segment in its prefix';
  const aws = scheme === null ? AWS_HOST.exec(parsed.hostname) : null;
  const endpoint = aws === null ? `${parsed.protocol}//${parsed.host}` : undefined;
  const region = aws?.[1] !== undefined && aws[1] !== 'external-1' ? aws[1] : undefined;
  return { kind: 's3', endpoint, region, bucket, prefix: prefix.join('/') };
}

/** The location of `child` below `location` (`child` a relative '/'-separated path). */
export function s3Child(location: S3Location, child: string): S3Location {
  const parts = [location.prefix, ...child.split('/')].filter((s) => s !== '');
  return { ...location, prefix: parts.join('/') };
}
