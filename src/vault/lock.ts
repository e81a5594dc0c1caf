/**
 * restic's lock protocol (`locks/<id>`): shared locks for backups, exclusive ones for prune and
 * check. A lock is stale when older than 30 minutes or, on this host, when its process is gone;
 * Coffer removes stale locks it meets (as `restic unlock` would) and refreshes its own every
 * 5 minutes so that restic never takes them for stale. A writer that gets the lock also removes
 * the temp files of writers that are gone (BlobStore.removeDeadTemp), so a killed job's
 * leftovers never outlive the next backup, prune or repairing check.
 *
 * A lock that cannot be removed when its holder is done (the storage went away mid-job) is not
 * the holder's failure to report (that is whatever stopped the job) and must not stay: restic
 * takes a lock of a live process on this host for live, and would refuse `check` and `prune`
 * for half an hour. Its removal is tried again in the background, waiting longer each time,
 * until it works or the lock is stale anyway.
 */
import { hostname } from 'node:os';
import type { TempSweep } from '../storage/blob-store.js';
import { safeUsername } from './user-name.js';
import { RepositoryLockedError } from './errors.js';
import type { Id } from './id.js';
import type { Repository } from './repository.js';
import { formatTime } from './time-format.js';

export const STALE_AFTER_MS = 30 * 60 * 1000;
const REFRESH_EVERY_MS = 5 * 60 * 1000;
/** Waits between the background attempts to remove a lock whose removal failed: doubling from the first to the last. */
const REMOVE_AGAIN_MS = { first: 1_000, last: 15_000 } as const;

export interface LockJson {
  time: string;
  exclusive: boolean;
  hostname: string;
  username: string;
  pid: number;
  uid?: number;
  gid?: number;
}

export function isStale(lock: LockJson, now = Date.now()): boolean {
  if (now - Date.parse(lock.time) > STALE_AFTER_MS) return true;
  if (lock.hostname !== hostname()) return false;
  return !processAlive(lock.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(lock: LockJson): string {
  return `${lock.exclusive ? 'exclusive' : 'shared'} lock of PID ${lock.pid} on ${lock.hostname} by ${lock.username || '?'} since ${lock.time}`;
}

function conflicts(mine: boolean, theirs: LockJson): boolean {
  return mine || theirs.exclusive;
}

export interface AcquireOptions {
  /** Remove the temp files of writers that are gone (default true; a read-only holder says false). */
  readonly sweep?: boolean;
}

export class RepositoryLock {
  private id: Id | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What the sweep removed when the lock was taken. */
  swept: TempSweep = { files: 0, bytes: 0 };
  /** Whether no other live lock was there once this one was written (stale ones are removed). */
  alone = false;

  private constructor(
    private readonly repo: Repository,
    readonly exclusive: boolean,
  ) {}

  static async acquire(repo: Repository, exclusive: boolean, options: AcquireOptions = {}): Promise<RepositoryLock> {
    const lock = new RepositoryLock(repo, exclusive);
    await lock.checkOthers();
    lock.id = await lock.write();
    try {
      lock.alone = await lock.checkOthers();
    } catch (err) {
      await removeOrRetryLater(repo, lock.id);
      throw err;
    }
    lock.timer = setInterval(() => void lock.refresh().catch(() => undefined), REFRESH_EVERY_MS);
    lock.timer.unref();
    if (options.sweep !== false) lock.swept = (await repo.store.removeDeadTemp?.().catch(() => lock.swept)) ?? lock.swept;
    return lock;
  }

  private json(): LockJson {
    const json: LockJson = { time: formatTime(new Date()), exclusive: this.exclusive, hostname: hostname(), username: safeUsername(), pid: process.pid };
    if (process.getuid) json.uid = process.getuid();
    if (process.getgid) json.gid = process.getgid();
    return json;
  }

  private write(): Promise<Id> {
    return this.repo.saveUnpacked('locks', Buffer.from(JSON.stringify(this.json())));
  }

  /** Throws on a conflicting lock; returns true when there is no other live lock at all. */
  private async checkOthers(): Promise<boolean> {
    let alone = true;
    for (const id of await this.repo.listFiles('locks')) {
      if (id === this.id) continue;
      const other = await readLock(this.repo, id);
      if (!other) continue;
      if (isStale(other)) {
        await this.repo.removeFile('locks', id);
        continue;
      }
      if (conflicts(this.exclusive, other)) throw new RepositoryLockedError(describe(other));
      alone = false;
    }
    return alone;
  }

  async refresh(): Promise<void> {
    const old = this.id;
    this.id = await this.write();
    if (old) await this.repo.removeFile('locks', old);
  }

  /** Removes the lock; when the storage refuses, keeps trying in the background (see the file comment) and returns. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const id = this.id;
    this.id = undefined;
    if (id !== undefined) await removeOrRetryLater(this.repo, id);
  }
}

/** Locks whose removal failed and is being tried again, for tests: how many are still waiting. */
let locksLeftToRemove = 0;
export function pendingLockRemovals(): number {
  return locksLeftToRemove;
}

async function removeOrRetryLater(repo: Repository, id: Id): Promise<void> {
  try {
    await repo.removeFile('locks', id);
  } catch {
    locksLeftToRemove++;
    const giveUpAt = Date.now() + STALE_AFTER_MS;
    const tryAgain = (wait: number): void => {
      setTimeout(() => {
        repo.removeFile('locks', id).then(
          () => void locksLeftToRemove--,
          () => {
            if (Date.now() < giveUpAt) tryAgain(Math.min(wait * 2, REMOVE_AGAIN_MS.last));
            else locksLeftToRemove--;
          },
        );
      }, wait).unref();
    };
    tryAgain(REMOVE_AGAIN_MS.first);
  }
}

/** A lock that vanished or cannot be read is no lock (restic ignores those too). */
export async function readLock(repo: Repository, id: Id): Promise<LockJson | undefined> {
  try {
    return JSON.parse((await repo.loadUnpacked('locks', id)).toString('utf8')) as LockJson;
  } catch {
    return undefined;
  }
}

/** Removes stale locks (all locks with `all`), returning how many were removed. */
export async function removeLocks(repo: Repository, all: boolean): Promise<number> {
  let removed = 0;
  for (const id of await repo.listFiles('locks')) {
    const lock = await readLock(repo, id);
    if (all || !lock || isStale(lock)) {
      await repo.removeFile('locks', id);
      removed++;
    }
  }
  return removed;
}
