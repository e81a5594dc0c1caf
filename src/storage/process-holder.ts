/**
 * Who holds something a writer leaves in storage while it works (a temp file, a restore's
 * staging directory): host, process id and, on Linux, the process's start time, so that a
 * process id reused after a restart (a container's PID 1) is not taken for the old holder.
 * Leftovers of a holder that is gone may be removed by the next one; of a live holder, never.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Holder {
  readonly hostname: string;
  readonly pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat), where the system tells it. */
  readonly start?: string | undefined;
}

function startOf(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: Holder | undefined;

export function thisProcess(): Holder {
  if (self === undefined || self.pid !== process.pid) self = { hostname: hostname(), pid: process.pid, start: startOf('self') };
  return self;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function onThisHost(holder: Holder): boolean {
  return safeHost(holder.hostname) === safeHost(hostname());
}

/** True only when sure: the holder ran on this host and its process is gone (or is another one now). */
export function holderGone(holder: Holder): boolean {
  if (!onThisHost(holder)) return false;
  if (holder.pid === process.pid && holder.start === thisProcess().start) return false;
  if (!processExists(holder.pid)) return true;
  const start = startOf(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

function safeHost(name: string): string {
  return name.replace(/[^A-Za-z0-9-]/g, '-') || 'host';
}

/** `<host>.<pid>.<start>`: a file-name-safe tag (host with only letters, digits and '-'). */
export function holderTag(holder: Holder = thisProcess()): string {
  return `${safeHost(holder.hostname)}.${holder.pid}.${holder.start ?? 'x'}`;
}

/** The holder of a tag made by holderTag, or undefined when `tag` is not one. */
export function parseHolderTag(tag: string): Holder | undefined {
  const m = /^([A-Za-z0-9-]+)\.(\d+)\.(\d+|x)$/.exec(tag);
  if (m === null) return undefined;
  return { hostname: m[1]!, pid: Number(m[2]), start: m[3] === 'x' ? undefined : m[3] };
}
