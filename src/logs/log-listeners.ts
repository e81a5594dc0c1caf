/**
 * What goes into the log: every answered AWS request, and every job state change (progress
 * steps are not transitions and are left out).
 */
import type { Logger } from 'pino';
import type { JobEvent, JobEventListener } from '../backup/jobs/job-events.js';
import type { ServedRequest } from '../aws/http-handler.js';

export function requestLog(logger: Logger): (served: ServedRequest) => void {
  return (served) => {
    const entry = {
      requestId: served.requestId,
      accountId: served.accountId,
      region: served.region,
      service: served.service,
      operation: served.operation,
      status: served.status,
      errorCode: served.errorCode,
      durationMs: Math.round(served.seconds * 10_000) / 10,
    };
    if (served.status >= 500) logger.error(entry, 'request');
    else logger.info(entry, 'request');
  };
}

export function jobLog(logger: Logger): JobEventListener {
  return (event: JobEvent) => {
    if (event.from === event.to) return;
    if (event.type === 'job') {
      const entry = {
        kind: event.kind,
        jobId: event.jobId,
        accountId: event.accountId,
        region: event.region,
        resourceArn: event.resourceArn,
        from: event.from,
        to: event.to,
        step: event.step,
        by: event.by,
        statusMessage: event.statusMessage,
      };
      if (event.to === 'FAILED' || event.to === 'EXPIRED' || event.to === 'PARTIAL') logger.warn(entry, 'job');
      else logger.info(entry, 'job');
      return;
    }
    logger.info(
      {
        recoveryPointArn: event.arn,
        accountId: event.accountId,
        region: event.region,
        vault: event.vaultName,
        from: event.from,
        to: event.to,
        step: event.step,
      },
      'recovery point',
    );
  };
}
