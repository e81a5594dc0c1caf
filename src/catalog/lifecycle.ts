/** A recovery point's lifecycle as AWS Backup states it: days after creation, either optional. */

export interface Lifecycle {
  readonly deleteAfterDays?: number | undefined;
  readonly moveToColdStorageAfterDays?: number | undefined;
}

/** The JSON column form (undefined members dropped). */
export function lifecycleJson(lifecycle: Lifecycle | undefined): { [key: string]: number } | undefined {
  if (lifecycle === undefined) return undefined;
  const out: { [key: string]: number } = {};
  if (lifecycle.deleteAfterDays !== undefined) out['deleteAfterDays'] = lifecycle.deleteAfterDays;
  if (lifecycle.moveToColdStorageAfterDays !== undefined) out['moveToColdStorageAfterDays'] = lifecycle.moveToColdStorageAfterDays;
  return out;
}
