/**
 * A legal hold as the domain sees it: readonly, tagged by `status`, Dates; and the catalog's
 * row as one.
 */
import type { LegalHoldRecord, LegalHoldSelection as StoredSelection, LegalHoldStatus } from '../catalog/legal-holds.js';

export type { HeldPoint, LegalHoldStatus } from '../catalog/legal-holds.js';

export interface LegalHoldSelection {
  readonly vaultNames?: readonly string[] | undefined;
  readonly resourceIdentifiers?: readonly string[] | undefined;
  readonly dateRange?: { readonly from: Date; readonly to: Date } | undefined;
}

export interface LegalHold {
  readonly accountId: string;
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly title: string;
  readonly description: string;
  readonly status: LegalHoldStatus;
  readonly selection: LegalHoldSelection | undefined;
  readonly createdAt: Date;
  readonly cancelDescription: string | undefined;
  readonly cancelledAt: Date | undefined;
  readonly retainRecordUntil: Date | undefined;
}

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export function selectionOfStored(stored: StoredSelection | undefined): LegalHoldSelection | undefined {
  if (stored === undefined) return undefined;
  const range = stored.dateRange;
  return {
    vaultNames: stored.vaultNames,
    resourceIdentifiers: stored.resourceIdentifiers,
    dateRange: range === undefined ? undefined : { from: new Date(range.from), to: new Date(range.to) },
  };
}

export function storedSelection(selection: LegalHoldSelection | undefined): StoredSelection | undefined {
  if (selection === undefined) return undefined;
  const range = selection.dateRange;
  return {
    ...(selection.vaultNames === undefined ? {} : { vaultNames: selection.vaultNames }),
    ...(selection.resourceIdentifiers === undefined ? {} : { resourceIdentifiers: selection.resourceIdentifiers }),
    ...(range === undefined ? {} : { dateRange: { from: range.from.getTime(), to: range.to.getTime() } }),
  };
}

export function legalHoldOfRecord(record: LegalHoldRecord): LegalHold {
  return {
    accountId: record.accountId,
    region: record.region,
    id: record.id,
    arn: record.arn,
    title: record.title,
    description: record.description,
    status: record.status,
    selection: selectionOfStored(record.selection),
    createdAt: new Date(record.createdAt),
    cancelDescription: record.cancelDescription,
    cancelledAt: date(record.cancelledAt),
    retainRecordUntil: date(record.retainRecordUntil),
  };
}
