/**
 * bench/lib/text.ts: fast generators of text-like, compressible content (log lines, CSV rows,
 * prose) for the benchmark data set. Output is deterministic for a given Rng and compresses
 * roughly 3-5x with zstd at its default level, like real logs and exports.
 *
 * Words are pseudo-words built from syllables and drawn from a Zipf-like distribution through
 * a 64 Ki-entry lookup table, so each word costs one 16-bit draw and a short byte copy.
 */
import type { Rng } from './rng.js';

export type TextKind = 'log' | 'csv' | 'prose';
export const TEXT_KINDS: readonly TextKind[] = ['log', 'csv', 'prose'];

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  're',
  'tu',
  'san',
  'ver',
  'do',
  'qua',
  'ne',
  'pi',
  'stor',
  'ba',
  'fel',
  'in',
  'ga',
  'tro',
  'ly',
  'con',
  'ex',
  'ma',
  'ri',
  'te',
  'un',
  'sho',
  'pe',
  'ar',
  'vi',
  'zu',
  'lem',
  'or',
  'dan',
  'cy',
  'bro',
  'ti',
  'na',
  'es',
  'mon',
  'wa',
  'el',
];
const enc = new TextEncoder();
const bytesOf = (list: string[]): Uint8Array[] => list.map((s) => enc.encode(s));
const LEVELS = bytesOf(['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARN', 'ERROR']);
const STATUSES = bytesOf(['ok', 'ok', 'ok', 'pending', 'failed', 'refunded']);
const COUNTRIES = bytesOf(['DE', 'US', 'FR', 'GB', 'JP', 'BR', 'IN', 'NL', 'SE', 'CA', 'ES', 'IT']);
const VOCAB_SIZE = 6000;

/** A vocabulary shared by all text streams of one data set. */
export class Vocabulary {
  readonly words: Uint8Array[];
  /** 65536 entries: a 16-bit draw maps to a word index with Zipf-like probability. */
  private readonly table: Uint16Array;

  constructor(rng: Rng) {
    const seen = new Set<string>();
    this.words = [];
    while (this.words.length < VOCAB_SIZE) {
      let w = '';
      const n = 1 + Math.min(3, Math.floor(-Math.log(1 - rng.float()) * 1.2));
      for (let i = 0; i < n; i++) w += rng.pick(SYLLABLES);
      if (!seen.has(w)) {
        seen.add(w);
        this.words.push(enc.encode(w));
      }
    }
    this.table = zipfTable(VOCAB_SIZE, 1.05);
  }

  /** One word drawn from the distribution. */
  draw(rng: Rng): Uint8Array {
    return this.words[this.table[rng.u16()]!]!;
  }
}

function zipfTable(n: number, s: number): Uint16Array {
  const weights = Array.from({ length: n }, (_, r) => 1 / (r + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint16Array(65536);
  let acc = 0;
  let at = 0;
  for (let r = 0; r < n; r++) {
    acc += weights[r]! / total;
    const end = r === n - 1 ? 65536 : Math.min(65536, Math.round(acc * 65536));
    while (at < end) table[at++] = r;
  }
  return table;
}

/** Appends ASCII bytes into a fixed buffer; callers flush when `room` runs low. */
class ByteWriter {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  get room(): number {
    return this.buf.length - this.pos;
  }
  put(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.pos = p;
  }
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }
  /** Non-negative integer in decimal, at least `width` digits (zero-padded). */
  dec(n: number, width = 1): void {
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    digits = Math.max(digits, width);
    let p = this.pos + digits;
    this.pos = p;
    for (let i = 0; i < digits; i++, n = Math.floor(n / 10)) this.buf[--p] = 0x30 + (n % 10);
  }
  hex(n: number, digits: number): void {
    let p = this.pos + digits;
    this.pos = p;
    for (let i = 0; i < digits; i++, n >>>= 4) this.buf[--p] = HEX[n & 15]!;
  }
}

const HEX = enc.encode('0123456789abcdef');

/** ISO-8601 timestamps, re-formatting the date part only when the day changes. */
class Clock {
  private day = -1;
  private prefix: Uint8Array = new Uint8Array(0);
  constructor(public ms: number) {}
  /** `YYYY-MM-DDTHH:MM:SS` and, with `millis`, `.mmmZ`. */
  write(w: ByteWriter, millis: boolean): void {
    const day = Math.floor(this.ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.prefix = enc.encode(new Date(day * 86_400_000).toISOString().slice(0, 11));
    }
    const s = Math.floor(this.ms / 1000) % 86_400;
    w.put(this.prefix);
    w.dec(Math.floor(s / 3600), 2);
    w.byte(0x3a);
    w.dec(Math.floor(s / 60) % 60, 2);
    w.byte(0x3a);
    w.dec(s % 60, 2);
    if (!millis) return;
    w.byte(0x2e);
    w.dec(this.ms % 1000, 3);
    w.byte(0x5a);
  }
}

const SPACE = 0x20;
const NL = 0x0a;
const MAX_LINE = 4096;

/**
 * An endless text stream of one kind. `next(max)` returns whole lines, at most `max` bytes
 * (and at least one line); state (timestamps, row ids) carries over between calls.
 */
export class TextStream {
  private readonly clock: Clock;
  private row = 0;
  private started = false;

  constructor(
    readonly kind: TextKind,
    private readonly rng: Rng,
    private readonly vocab: Vocabulary,
  ) {
    this.clock = new Clock(Date.UTC(2024, 0, 1) + rng.int(0, 300 * 86_400_000));
  }

  next(max: number): Buffer {
    const w = new ByteWriter(Math.max(max, MAX_LINE) + MAX_LINE);
    while (w.pos === 0 || w.pos + MAX_LINE <= max) this.line(w);
    return w.buf.subarray(0, w.pos);
  }

  private line(w: ByteWriter): void {
    if (this.kind === 'log') this.logLine(w);
    else if (this.kind === 'csv') this.csvLine(w);
    else this.proseParagraph(w);
  }

  private words(w: ByteWriter, n: number): void {
    for (let i = 0; i < n; i++) {
      if (i > 0) w.byte(SPACE);
      w.put(this.vocab.draw(this.rng));
    }
  }

  private logLine(w: ByteWriter): void {
    const rng = this.rng;
    this.clock.ms += rng.u16() % 250;
    this.clock.write(w, true);
    w.byte(SPACE);
    w.put(rng.pick(LEVELS));
    w.ascii(' [');
    w.put(this.vocab.words[rng.int(0, 24)]!);
    w.ascii('] ');
    this.words(w, 3 + (rng.u16() & 7));
    w.ascii(' req=');
    w.hex(rng.u16(), 4);
    w.ascii(' user=');
    w.dec(1000 + (rng.u16() & 1023));
    w.ascii(' dur=');
    w.dec(rng.u16() & 511);
    w.ascii('ms');
    w.byte(NL);
  }

  private csvLine(w: ByteWriter): void {
    const rng = this.rng;
    if (!this.started) {
      this.started = true;
      w.ascii('id,created,customer,country,amount,status,note\n');
    }
    this.clock.ms += rng.u32() % 60_000;
    w.dec(++this.row);
    w.byte(0x2c);
    this.clock.write(w, false);
    w.byte(0x2c);
    w.put(this.vocab.draw(rng));
    w.byte(0x2e);
    w.put(this.vocab.draw(rng));
    w.byte(0x2c);
    w.put(rng.pick(COUNTRIES));
    w.byte(0x2c);
    w.dec(rng.u16() & 4095);
    w.byte(0x2e);
    w.dec(rng.u16() % 100, 2);
    w.byte(0x2c);
    w.put(rng.pick(STATUSES));
    w.ascii(',"');
    this.words(w, 2 + (rng.u16() & 7));
    w.ascii('"\n');
  }

  private proseParagraph(w: ByteWriter): void {
    const sentences = 2 + (this.rng.u16() & 7);
    for (let s = 0; s < sentences; s++) {
      if (s > 0) w.byte(SPACE);
      const start = w.pos;
      this.words(w, 5 + (this.rng.u16() & 15));
      const c = w.buf[start]!;
      if (c >= 0x61 && c <= 0x7a) w.buf[start] = c - 0x20;
      w.byte(0x2e);
    }
    w.ascii('\n\n');
  }
}
