/**
 * One self-rewriting status line on a terminal: bytes, files, rate and ETA. Silent when stderr is
 * not a terminal or output is JSON, so scripts and logs get only the results.
 */
import type { Progress } from '../vault/progress.js';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}` : `${m}:${String(rest).padStart(2, '0')}`;
}

export function renderProgress(p: Readonly<Progress>, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? p.bytes / elapsedSeconds : 0;
  const files = p.totalFiles ? `${p.files}/${p.totalFiles} files` : `${p.files} files`;
  const bytes = p.totalBytes ? `${formatBytes(p.bytes)}/${formatBytes(p.totalBytes)}` : formatBytes(p.bytes);
  let eta = '';
  if (p.totalBytes && rate > 0 && p.bytes < p.totalBytes) eta = `, ETA ${formatDuration((p.totalBytes - p.bytes) / rate)}`;
  return `[${formatDuration(elapsedSeconds)}] ${bytes}, ${files}, ${formatBytes(rate)}/s${eta}`;
}

export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly progress: Readonly<Progress>,
    enabled: boolean,
    private readonly out = process.stderr,
  ) {
    if (!enabled) return;
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  private draw(): void {
    const line = renderProgress(this.progress, (Date.now() - this.started) / 1000);
    this.out.write(`\r\x1b[2K${line}`);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.out.write('\r\x1b[2K');
  }
}

export function progressWanted(json: boolean): boolean {
  return !json && process.stderr.isTTY === true;
}
