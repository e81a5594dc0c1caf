/**
 * Reading many blobs of one pack: sorted by offset and grouped into spans that one read covers,
 * starting a new span where the gap to the next blob is larger than `maxGap` bytes, or where
 * the span would grow beyond `maxLength` bytes (a single larger blob is a span of its own).
 */
import type { PackedBlob } from './blob.js';

export function packSpans<T extends { readonly loc: PackedBlob }>(items: readonly T[], maxGap: number, maxLength = Number.POSITIVE_INFINITY): T[][] {
  const sorted = [...items].sort((a, b) => a.loc.offset - b.loc.offset);
  const spans: T[][] = [];
  let current: T[] = [];
  let end = -1;
  let start = 0;
  for (const item of sorted) {
    if (current.length > 0 && (item.loc.offset - end > maxGap || item.loc.offset + item.loc.length - start > maxLength)) {
      spans.push(current);
      current = [];
    }
    if (current.length === 0) start = item.loc.offset;
    current.push(item);
    end = item.loc.offset + item.loc.length;
  }
  if (current.length > 0) spans.push(current);
  return spans;
}

/** Byte range [start, end) of a span within its pack. */
export function spanRange(span: ReadonlyArray<{ readonly loc: PackedBlob }>): { start: number; end: number } {
  const last = span[span.length - 1]!.loc;
  return { start: span[0]!.loc.offset, end: last.offset + last.length };
}
