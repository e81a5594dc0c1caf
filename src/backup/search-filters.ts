/**
 * AWS Backup Search's item filters, as a pure match of one indexed item (an object of a bucket
 * backup, a file of a directory backup) against a search job's ItemFilters: the item matches
 * when any filter of its kind matches (none given: every item); a filter matches when each field
 * it names has at least one condition that holds. String conditions compare exactly (case
 * matters); times and sizes compare as numbers. S3 objects have no versions in Coffer's backups,
 * so a VersionIds condition holds only for NOT_EQUALS_TO / DOES_NOT_* operators.
 */
import type { IndexedItemView } from './search-item.js';

export type StringOperator =
  | 'EQUALS_TO'
  | 'NOT_EQUALS_TO'
  | 'CONTAINS'
  | 'DOES_NOT_CONTAIN'
  | 'BEGINS_WITH'
  | 'ENDS_WITH'
  | 'DOES_NOT_BEGIN_WITH'
  | 'DOES_NOT_END_WITH';
export type OrderOperator = 'EQUALS_TO' | 'NOT_EQUALS_TO' | 'LESS_THAN_EQUAL_TO' | 'GREATER_THAN_EQUAL_TO';

export interface StringCondition {
  readonly Value: string;
  readonly Operator?: StringOperator;
}
export interface TimeCondition {
  readonly Value: Date;
  readonly Operator?: OrderOperator;
}
export interface LongCondition {
  readonly Value: number;
  readonly Operator?: OrderOperator;
}

export interface S3ItemFilter {
  readonly ObjectKeys?: readonly StringCondition[];
  readonly Sizes?: readonly LongCondition[];
  readonly CreationTimes?: readonly TimeCondition[];
  readonly VersionIds?: readonly StringCondition[];
  readonly ETags?: readonly StringCondition[];
}

/** AWS's EBS filters; Coffer applies them to the files of directory (EFS-type) backups. */
export interface FileItemFilter {
  readonly FilePaths?: readonly StringCondition[];
  readonly Sizes?: readonly LongCondition[];
  readonly CreationTimes?: readonly TimeCondition[];
  readonly LastModificationTimes?: readonly TimeCondition[];
}

export interface ItemFilters {
  readonly S3ItemFilters?: readonly S3ItemFilter[];
  readonly EBSItemFilters?: readonly FileItemFilter[];
}

export function stringHolds(condition: StringCondition, value: string | undefined): boolean {
  const op = condition.Operator ?? 'EQUALS_TO';
  const v = condition.Value;
  if (value === undefined) return op.startsWith('DOES_NOT') || op === 'NOT_EQUALS_TO';
  switch (op) {
    case 'EQUALS_TO':
      return value === v;
    case 'NOT_EQUALS_TO':
      return value !== v;
    case 'CONTAINS':
      return value.includes(v);
    case 'DOES_NOT_CONTAIN':
      return !value.includes(v);
    case 'BEGINS_WITH':
      return value.startsWith(v);
    case 'ENDS_WITH':
      return value.endsWith(v);
    case 'DOES_NOT_BEGIN_WITH':
      return !value.startsWith(v);
    case 'DOES_NOT_END_WITH':
      return !value.endsWith(v);
  }
}

export function orderHolds(op: OrderOperator | undefined, value: number | undefined, against: number): boolean {
  if (value === undefined) return op === 'NOT_EQUALS_TO';
  switch (op ?? 'EQUALS_TO') {
    case 'EQUALS_TO':
      return value === against;
    case 'NOT_EQUALS_TO':
      return value !== against;
    case 'LESS_THAN_EQUAL_TO':
      return value <= against;
    case 'GREATER_THAN_EQUAL_TO':
      return value >= against;
  }
}

const anyHolds = <C>(conditions: readonly C[] | undefined, holds: (c: C) => boolean): boolean => conditions === undefined || conditions.some(holds);
const time = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

function s3Matches(filter: S3ItemFilter, item: IndexedItemView): boolean {
  return (
    anyHolds(filter.ObjectKeys, (c) => stringHolds(c, item.name))
    && anyHolds(filter.Sizes, (c) => orderHolds(c.Operator, item.size, c.Value))
    && anyHolds(filter.CreationTimes, (c) => orderHolds(c.Operator, time(item.modified), c.Value.getTime()))
    && anyHolds(filter.VersionIds, (c) => stringHolds(c, undefined))
    && anyHolds(filter.ETags, (c) => stringHolds(c, item.etag))
  );
}

function fileMatches(filter: FileItemFilter, item: IndexedItemView): boolean {
  const modified = time(item.modified);
  return (
    anyHolds(filter.FilePaths, (c) => stringHolds(c, item.name))
    && anyHolds(filter.Sizes, (c) => orderHolds(c.Operator, item.size, c.Value))
    && anyHolds(filter.CreationTimes, (c) => orderHolds(c.Operator, modified, c.Value.getTime()))
    && anyHolds(filter.LastModificationTimes, (c) => orderHolds(c.Operator, modified, c.Value.getTime()))
  );
}

/** Whether `item` of a recovery point of `resourceType` (S3 or EFS) is a result of the filters. */
export function itemMatches(filters: ItemFilters, resourceType: string, item: IndexedItemView): boolean {
  if (resourceType === 'S3') {
    const list = filters.S3ItemFilters ?? [];
    return list.length === 0 || list.some((f) => s3Matches(f, item));
  }
  const list = filters.EBSItemFilters ?? [];
  return list.length === 0 || list.some((f) => fileMatches(f, item));
}
