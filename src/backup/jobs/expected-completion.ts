/**
 * A backup job's ExpectedCompletionDate: its completion once it ended; while it runs, where its
 * progress points (the time it has taken so far, stretched to 100 percent, as of its last progress
 * report), never past the end of its completion window; before it starts, that window's end.
 */
export interface CompletionView {
  readonly startedAt: Date | undefined;
  readonly completedAt: Date | undefined;
  readonly completeBy: Date | undefined;
  readonly percentDone: number | undefined;
  /** When the job was last written (its last progress report while it runs). */
  readonly updatedAt: Date;
}

export function expectedCompletion(job: CompletionView): Date | undefined {
  if (job.completedAt !== undefined) return job.completedAt;
  if (job.startedAt === undefined || job.percentDone === undefined || job.percentDone <= 0) return job.completeBy;
  const elapsed = job.updatedAt.getTime() - job.startedAt.getTime();
  const estimate = job.startedAt.getTime() + (elapsed * 100) / job.percentDone;
  return new Date(job.completeBy === undefined ? estimate : Math.min(estimate, job.completeBy.getTime()));
}
