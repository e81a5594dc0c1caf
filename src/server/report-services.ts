/**
 * Where report plans' reports go and when the daily ones run. A report plan's S3BucketName is
 * mapped by config `reports` to a storage location (its own entry under `buckets`, else the
 * folder of that name below `reports.location`), and the file written there through the storage
 * factory, atomically. The daily reports: every five minutes, each plan not yet run today
 * (after 01:00 UTC) runs once; on many nodes each may run it, the last write winning (keys carry
 * the job id, so nothing is overwritten).
 */
import { join } from 'node:path';
import type { ReportJobService, ReportSink } from '../backup/audit/report-jobs.js';
import type { ReportsConfig } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import type { StorageFactory } from '../storage/storage-factory.js';

export function bucketLocation(config: ReportsConfig, bucket: string): string {
  const own = config.buckets.find((b) => b.name === bucket);
  if (own !== undefined) return formatStorageLocation(own.location);
  const root = config.location;
  return root.kind === 'file' ? formatStorageLocation({ kind: 'file', path: join(root.path, bucket) }) : `${root.url.replace(/\/+$/, '')}/${bucket}`;
}

export function createReportSink(config: ReportsConfig, storage: StorageFactory): ReportSink {
  return {
    async write(bucket, key, body) {
      const url = bucketLocation(config, bucket);
      try {
        // A vault's store never makes its own root (a missing disk must not look empty); a report bucket's folder is made here.
        await storage.create(url);
        await storage.open(url, { owner: `report bucket ${bucket}` }).write(key, body);
      } catch (err) {
        const fault = storage.faultOf(url, err, 'write a report', `report bucket ${bucket}`);
        throw fault instanceof Error ? fault : new Error(String(fault));
      }
    },
  };
}

const DAILY_CHECK_MS = 5 * 60_000;

export function startDailyReports(jobs: ReportJobService, warn: (line: string) => void): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running !== undefined) return;
    running = jobs
      .runDaily()
      .then(() => undefined)
      .catch((err: unknown) => warn(`coffer: daily reports failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, DAILY_CHECK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
