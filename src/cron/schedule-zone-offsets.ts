/**
 * A time zone's UTC offsets as spans of constant offset, learnt from Intl.DateTimeFormat (Node's
 * only zone rules) one UTC year at a time and kept, so that converting between instants and wall
 * clocks afterwards is arithmetic. A year costs about 1,500 Intl calls (a sample every 6 hours,
 * then a binary search to the second for each change). A change and its reversal less than 6
 * hours apart would be missed; zones change their offsets weeks or months apart.
 *
 * A year's table reaches a day into the years either side, so the span found for an instant is
 * cut only at real transitions near it: whatever happens around a transition (the gap before
 * it, the repeat after it) is seen from one span, even across a UTC new year.
 */

export interface OffsetSpan {
  /** Instants in [start, end), epoch ms. */
  readonly start: number;
  readonly end: number;
  /** Wall clock minus UTC, ms, within the span and just before it. */
  readonly offset: number;
  readonly offsetBefore: number;
}

const SAMPLE_MS = 6 * 3_600_000;
const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

export class ZoneOffsets {
  readonly #format: Intl.DateTimeFormat;
  readonly #years = new Map<number, readonly OffsetSpan[]>();

  /** Throws a RangeError when Intl does not know `timeZone`. */
  constructor(readonly timeZone: string) {
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The span holding instant `ms`; it starts or ends at least a day from `ms` unless at a transition. */
  spanAt(ms: number): OffsetSpan {
    const spans = this.#yearSpans(new Date(ms).getUTCFullYear());
    let i = spans.length - 1;
    while (spans[i]!.start > ms) i--;
    return spans[i]!;
  }

  /** Wall clock minus UTC at instant `ms`, straight from Intl (to the second). */
  offsetAt(ms: number): number {
    const instant = Math.floor(ms / SECOND_MS) * SECOND_MS;
    // en-US numeric parts come as month, day, year, hour, minute, second whatever the separators.
    const [month, day, year, hour, minute, second] = this.#format.format(instant).match(/\d+/g)!.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(year, month - 1, day, hour, minute, second) - instant;
  }

  #yearSpans(year: number): readonly OffsetSpan[] {
    let spans = this.#years.get(year);
    if (spans === undefined) {
      spans = this.#measure(Date.UTC(year, 0, 1) - DAY_MS, Date.UTC(year + 1, 0, 1) + DAY_MS);
      this.#years.set(year, spans);
    }
    return spans;
  }

  /** The spans of [start, end), the first and last cut at `start` and `end`. */
  #measure(start: number, end: number): readonly OffsetSpan[] {
    const spans: OffsetSpan[] = [];
    let spanStart = start;
    let offsetBefore = this.offsetAt(start - SECOND_MS);
    let offset = this.offsetAt(start);
    for (let at = start; at < end; ) {
      const next = Math.min(at + SAMPLE_MS, end - SECOND_MS);
      const nextOffset = this.offsetAt(next);
      if (nextOffset !== offset) {
        const change = this.#firstSecondWith(nextOffset, at, next);
        spans.push({ start: spanStart, end: change, offset, offsetBefore });
        [spanStart, offsetBefore, offset] = [change, offset, nextOffset];
      }
      at = next === end - SECOND_MS ? end : next;
    }
    spans.push({ start: spanStart, end, offset, offsetBefore });
    return spans;
  }

  /** The first second in (before, after] whose offset is `offset`, which `after` has and `before` not. */
  #firstSecondWith(offset: number, before: number, after: number): number {
    let [lo, hi] = [before / SECOND_MS, after / SECOND_MS];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offsetAt(mid * SECOND_MS) === offset) hi = mid;
      else lo = mid;
    }
    return hi * SECOND_MS;
  }
}

const zones = new Map<string, ZoneOffsets>();

/**
 * The shared, memoised offsets of `timeZone` (Intl's rules do not change while we run). Keyed
 * case-insensitively, as Intl reads zone names, so the memo holds at most one entry per zone.
 */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  const key = timeZone.toLowerCase();
  let zone = zones.get(key);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    zones.set(key, zone);
  }
  return zone;
}
