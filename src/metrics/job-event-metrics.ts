/**
 * The ledger listener that feeds job metrics: every job state change counts; a job's end reads
 * the job once (after the commit) for its bytes and run time.
 */
import type { JobEvent, JobEventListener } from '../backup/jobs/job-events.js';
import type { LedgerReads } from '../backup/jobs/ledger-reads.js';
import type { CofferMetrics } from './coffer-metrics.js';
import { endsJob } from './coffer-metrics.js';

export function jobEventMetrics(reads: Pick<LedgerReads, 'job'>, metrics: CofferMetrics): JobEventListener {
  return (event: JobEvent) => {
    if (event.type !== 'job' || !endsJob(event)) return metrics.jobEvent(event, undefined);
    reads.job(event.kind, event, event.jobId).then(
      (job) => metrics.jobEvent(event, job),
      // The catalog may be closing (a stop right after the job ended): the change still counts.
      () => metrics.jobEvent(event, undefined),
    );
  };
}
