/**
 * Micro-benchmark of the content-defined chunker, to catch regressions in its hot loop. Reports the
 * streaming API (what backups use) and the bare cut-point scan, which shows what copying costs.
 *
 *   node --import tsx bench/chunker.ts [--size-mb 256] [--push-mb 8] [--runs 5]
 *
 * MB/s is 10^6 bytes of input per second of wall-clock time, median of the runs.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Chunker, DEFAULT_PARAMS, findCutPoint } from '../src/vault/chunker.js';

const MiB = 1024 * 1024;

interface Run {
  /** Wall-clock time. */
  readonly seconds: number;
  /** User + system CPU time: steadier than wall time when other processes share the machine. */
  readonly cpuSeconds: number;
  readonly chunks: number;
}

interface Clock {
  readonly wall: bigint;
  readonly cpu: NodeJS.CpuUsage;
}

function streamRun(data: Uint8Array, pushSize: number): Run {
  const start = clock();
  const chunker = new Chunker();
  let chunks = 0;
  for (let pos = 0; pos < data.length; pos += pushSize) {
    chunks += chunker.push(data.subarray(pos, pos + pushSize)).length;
  }
  if (chunker.finish()) chunks++;
  return { ...elapsed(start), chunks };
}

function scanRun(data: Uint8Array): Run {
  const start = clock();
  let chunks = 0;
  for (let pos = 0; pos < data.length; chunks++) {
    pos = findCutPoint(data, pos, data.length, DEFAULT_PARAMS);
  }
  return { ...elapsed(start), chunks };
}

function clock(): Clock {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

function elapsed(start: Clock): { seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage(start.cpu);
  return {
    seconds: Number(process.hrtime.bigint() - start.wall) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function report(label: string, size: number, runs: readonly Run[]): void {
  const rates = runs.map((r) => size / 1e6 / r.seconds);
  const cpuRates = runs.map((r) => size / 1e6 / r.cpuSeconds);
  const chunks = runs[0]!.chunks;
  const all = rates.map((r) => r.toFixed(0)).join(' ');
  console.log(
    `${label.padEnd(22)} median ${median(rates).toFixed(0).padStart(5)} MB/s`
      + ` (per CPU-second ${median(cpuRates).toFixed(0).padStart(5)})  runs: ${all}`
      + `  | ${chunks} chunks, mean ${(size / chunks / MiB).toFixed(3)} MiB`,
  );
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string', default: '256' },
      'push-mb': { type: 'string', default: '8' },
      runs: { type: 'string', default: '5' },
    },
  });
  const size = Number(values['size-mb']) * MiB;
  const pushSize = Math.round(Number(values['push-mb']) * MiB);
  const runs = Number(values.runs);
  const { minSize, avgSize, maxSize } = DEFAULT_PARAMS;
  console.log(
    `chunker: ${size / MiB} MiB random data, ${pushSize / 1024} KiB pushes, ${runs} runs; `
      + `min/avg/max ${minSize / 1024}/${avgSize / 1024}/${maxSize / 1024} KiB; node ${process.version}`,
  );
  const data = randomBytes(size);
  streamRun(data, pushSize); // warm-up, not counted: lets V8 optimize the hot loop first
  const stream: Run[] = [];
  const scan: Run[] = [];
  for (let i = 0; i < runs; i++) {
    stream.push(streamRun(data, pushSize));
    scan.push(scanRun(data));
  }
  report('Chunker.push (copies)', size, stream);
  report('findCutPoint (no copy)', size, scan);
}

main();
