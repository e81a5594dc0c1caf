/**
 * AWS's MessageCategory of a job: one word for why a job ended as it did, so that failures can
 * be counted and filtered by cause (ListBackupJobs/ListCopyJobs ByMessageCategory, the job
 * summaries). A job gets its category when it ends; an active job has none. COMPLETED with no
 * issue is SUCCESS ("Completed with issues" in AWS's console is COMPLETED with any other).
 *
 * AWS documents the vocabulary only by example (SUCCESS, AccessDenied / ACCESS_DENIED,
 * InvalidParameters / INVALID_PARAMETERS); Coffer writes upper snake case and matches a filter
 * whatever its case and underscores, so both spellings AWS's documentation uses select the same
 * jobs. The categories Coffer gives, from the job's end state and its status message:
 */
import type { JobKind, StateOf } from './job-states.js';

export const MESSAGE_CATEGORIES = [
  'SUCCESS',
  /** A role, vault access policy, key policy or organization setting refused the job. */
  'ACCESS_DENIED',
  /** What the job was asked to do is not allowed (retention outside a vault lock, a bad lifecycle). */
  'INVALID_PARAMETERS',
  /** The resource, vault or recovery point the job needs does not exist (any more). */
  'RESOURCE_NOT_FOUND',
  /** Stopped: by StopBackupJob or its completion window. */
  'ABORTED',
  /** It never started within its start window. */
  'EXPIRED',
  /** Anything else that failed while the job ran: the resource, the storage, the node running it. */
  'RESOURCE_ERROR',
  /** It completed, but with warnings (files it could not read, nodes not restored). */
  'COMPLETED_WITH_ISSUES',
] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

/** Ordered: the first pattern a failure's message matches names its category. */
const FAILURE_PATTERNS: readonly (readonly [RegExp, MessageCategory])[] = [
  [
    /access denied|accessdenied|not authorized|is not accessible|cannot assume|must be a member of the same organization|belongs to account|not allowed|is disabled|pending deletion/i,
    'ACCESS_DENIED',
  ],
  [/does not exist|no longer exists|not found|is missing/i, 'RESOURCE_NOT_FOUND'],
  [/invalid|vault lock|retention|lifecycle|must be|out of range|outside/i, 'INVALID_PARAMETERS'],
];

/** The category of a job that ended in `state` with `statusMessage`; undefined while it is active. */
export function messageCategoryOf<K extends JobKind>(state: StateOf<K>, statusMessage: string | undefined): MessageCategory | undefined {
  switch (state) {
    case 'COMPLETED':
      return statusMessage === undefined || /^Completed on attempt \d+/.test(statusMessage) ? 'SUCCESS' : 'COMPLETED_WITH_ISSUES';
    case 'ABORTED':
      return 'ABORTED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'FAILED':
    case 'PARTIAL': {
      const message = statusMessage ?? '';
      return FAILURE_PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? 'RESOURCE_ERROR';
    }
    default:
      return undefined;
  }
}

/** A ByMessageCategory value as it is compared: upper case, letters and digits only. */
export function normalizedCategory(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * What a ByMessageCategory filter asks for: undefined for every category (AWS's `ANY`, `*` and
 * `AGGREGATE_ALL`), else the category it names (matched without regard to case or underscores);
 * a name Coffer never gives matches no job.
 */
export function categoryFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const wanted = normalizedCategory(value);
  if (wanted === '' || wanted === 'ANY' || wanted === 'AGGREGATEALL') return undefined;
  return MESSAGE_CATEGORIES.find((c) => normalizedCategory(c) === wanted) ?? value;
}
