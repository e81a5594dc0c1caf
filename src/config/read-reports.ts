/**
 * `reports`: where report plans' reports go. A report plan names an S3 bucket
 * (ReportDeliveryChannel.S3BucketName); Coffer writes that bucket's reports to the location
 * `buckets` gives it (a directory or an S3-compatible bucket, as a storage URL), else to the
 * folder of that name below `location` (default `<dataDir>/reports`).
 *
 *   reports:
 *     location: file:./data/reports
 *     buckets:
 *       - { name: audit-reports, location: "s3:http://127.0.0.1:9000/audit-reports" }
 */
import { join } from 'node:path';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readList, readMap, readString, requireString } from './raw-fields.js';
import type { ReportsConfig, StorageLocation } from './schema.js';
import { parseStorageLocation } from './storage-location.js';

const FIELDS = ['location', 'buckets'] as const;
const BUCKET_FIELDS = ['name', 'location'] as const;
/** S3's bucket naming rules, the part that matters here: 3-63 of a-z, 0-9, '.', '-'. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function location(url: string, path: string, ctx: ConfigContext): StorageLocation | undefined {
  const parsed = parseStorageLocation(url, ctx.baseDir);
  if (typeof parsed === 'string') return void ctx.issues.add(path, parsed);
  return parsed;
}

export function readReports(value: unknown, dataDir: string, ctx: ConfigContext): ReportsConfig {
  const fallback: ReportsConfig = { location: { kind: 'file', path: join(dataDir, 'reports') }, buckets: [] };
  if (value === undefined || value === null) return fallback;
  const map = readMap(value, 'reports', FIELDS, ctx.issues);
  if (map === undefined) return fallback;
  const url = readString(map, 'location', 'reports', ctx.issues);
  const root = url === undefined ? fallback.location : (location(url, fieldPath('reports', 'location'), ctx) ?? fallback.location);
  const buckets: { name: string; location: StorageLocation }[] = [];
  for (const [item, path] of readList(map['buckets'], fieldPath('reports', 'buckets'), ctx.issues)) {
    const bucket = readMap(item, path, BUCKET_FIELDS, ctx.issues);
    if (bucket === undefined) continue;
    const name = requireString(bucket, 'name', path, ctx.issues);
    const where = requireString(bucket, 'location', path, ctx.issues);
    if (name !== undefined && !BUCKET_NAME.test(name))
      ctx.issues.add(fieldPath(path, 'name'), `must be an S3 bucket name (3-63 of a-z, 0-9, '.', '-'), got ${quote(name)}`);
    if (name !== undefined && buckets.some((b) => b.name === name)) ctx.issues.add(fieldPath(path, 'name'), `bucket ${quote(name)} is listed twice`);
    const parsed = where === undefined ? undefined : location(where, fieldPath(path, 'location'), ctx);
    if (name !== undefined && parsed !== undefined) buckets.push({ name, location: parsed });
  }
  return { location: root, buckets };
}
