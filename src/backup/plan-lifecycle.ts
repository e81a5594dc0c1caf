/**
 * A rule's or copy action's Lifecycle: when a recovery point moves to cold storage and when it
 * is deleted. DeleteAfterDays is 1..36500 (a copy may say -1: keep the source's expiry); with
 * cold storage, deletion comes at least 90 days after the move.
 */
import { fieldError, optionalBoolean, optionalInteger, optionalString } from './document-fields.js';
import type { Fields } from './document-fields.js';

export interface PlanLifecycle {
  readonly MoveToColdStorageAfterDays?: number;
  readonly DeleteAfterDays?: number;
  readonly OptInToArchiveForSupportedResources?: boolean;
  readonly DeleteAfterEvent?: string;
}

export const MAX_LIFECYCLE_DAYS = 36500;
export const MIN_DAYS_IN_COLD_STORAGE = 90;
/** AWS's own words for the cold-storage rule, kept so that callers who match on them still do. */
export const COLD_STORAGE_MESSAGE = 'Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays';

export interface LifecycleProblem {
  readonly message: string;
  readonly field: string | undefined;
}

export function lifecycleOf(value: Fields, path: string): PlanLifecycle {
  const cold = optionalInteger(value, 'MoveToColdStorageAfterDays', path);
  const del = optionalInteger(value, 'DeleteAfterDays', path);
  const archive = optionalBoolean(value, 'OptInToArchiveForSupportedResources', path);
  const event = optionalString(value, 'DeleteAfterEvent', path);
  if (event !== undefined && event !== 'DELETE_AFTER_COPY')
    throw fieldError(`${path}.DeleteAfterEvent`, `is ${JSON.stringify(event)}; the only value is DELETE_AFTER_COPY`);
  return {
    ...(cold === undefined ? {} : { MoveToColdStorageAfterDays: cold }),
    ...(del === undefined ? {} : { DeleteAfterDays: del }),
    ...(archive === undefined ? {} : { OptInToArchiveForSupportedResources: archive }),
    ...(event === undefined ? {} : { DeleteAfterEvent: event }),
  };
}

/** What is wrong with the lifecycle, or undefined. `isCopy`: a copy action's, where -1 means "inherit". */
export function isLifecycleProblem(lifecycle: PlanLifecycle, isCopy: boolean): LifecycleProblem | undefined {
  const { DeleteAfterDays: del, MoveToColdStorageAfterDays: cold } = lifecycle;
  const inherit = isCopy && del === -1;
  if (del !== undefined && !inherit && (del < 1 || del > MAX_LIFECYCLE_DAYS)) {
    return {
      message: `Invalid lifecycle. DeleteAfterDays is ${del}; it must be between 1 and ${MAX_LIFECYCLE_DAYS}${isCopy ? " (or -1 to keep the source recovery point's expiry)" : ''}`,
      field: 'DeleteAfterDays',
    };
  }
  if (cold !== undefined && (cold < 1 || cold > MAX_LIFECYCLE_DAYS)) {
    return {
      message: `Invalid lifecycle. MoveToColdStorageAfterDays is ${cold}; it must be between 1 and ${MAX_LIFECYCLE_DAYS}`,
      field: 'MoveToColdStorageAfterDays',
    };
  }
  if (cold !== undefined && del !== undefined && !inherit && del < cold + MIN_DAYS_IN_COLD_STORAGE) {
    return {
      message: `${COLD_STORAGE_MESSAGE}: DeleteAfterDays is ${del}, MoveToColdStorageAfterDays ${cold}, so make DeleteAfterDays at least ${cold + MIN_DAYS_IN_COLD_STORAGE}`,
      field: undefined,
    };
  }
  return undefined;
}
