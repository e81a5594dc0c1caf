/** How the console writes sizes, times, durations and job messages. */

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `2027-01-01 05:00 UTC`, in `timeZone` (default UTC), with the zone's short name. */
export function formatTime(time: Date | string | undefined, timeZone = 'UTC'): string {
  if (time === undefined) return '—';
  const date = typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) return '—';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** `Mon 2027-01-04 05:00 CET` for schedule previews. */
export function formatRun(time: string, timeZone: string): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' }).format(new Date(time));
  return `${weekday} ${formatTime(time, timeZone)}`;
}

export function formatDays(days: number | undefined): string {
  if (days === undefined) return 'never';
  return days === 1 ? '1 day' : `${days} days`;
}

/**
 * A job's StatusMessage split into what happened and the fix, where Coffer wrote one
 * (`<AWS's sentence> (<why>. Fix: <what to do>)`).
 */
export function splitFix(message: string | undefined): { message: string; fix?: string } {
  if (message === undefined || message === '') return { message: '' };
  const at = message.indexOf(' Fix: ');
  if (at < 0) return { message };
  const fix = message.slice(at + ' Fix: '.length).replace(/\)\s*$/, '');
  return { message: `${message.slice(0, at)})`.replace(/\(\s*\)$/, ''), fix };
}

/** The last part of an ARN's resource (a vault name, a key id). */
export function arnName(arn: string | undefined): string {
  if (arn === undefined) return '—';
  const resource = arn.split(':').slice(5).join(':');
  return resource.split(/[/:]/).pop() || arn;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}
