/**
 * A lock whose removal fails (the storage went away as the job ended) neither hides why the job
 * failed nor stays behind: the removal is tried again in the background until it works, so that
 * restic's `check` and `prune` are not refused for half an hour afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultyBlobStore } from '../../src/storage/faulty-blob-store.js';
import { MemoryBlobStore } from '../../src/storage/memory-blob-store.js';
import { backupStream } from '../../src/vault/archiver.js';
import { pendingLockRemovals, RepositoryLock } from '../../src/vault/lock.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';

const LOCKS = (name: string): boolean => name.startsWith('locks/');

async function faultyRepo(): Promise<{ repo: Repository; store: FaultyBlobStore }> {
  const store = new FaultyBlobStore(new MemoryBlobStore());
  return { repo: await Repository.init(store, Buffer.from('pw'), { N: 1024, r: 8, p: 1 }), store };
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('release resolves when the lock cannot be removed, and removes it once the storage works again', async () => {
  const { repo, store } = await faultyRepo();
  const lock = await RepositoryLock.acquire(repo, true);
  store.failRemoveIf = LOCKS;
  await lock.release();
  assert.equal((await repo.listFiles('locks')).length, 1, 'the lock is still there');
  assert.equal(pendingLockRemovals(), 1);
  store.heal();
  await until('the lock to go', async () => (await repo.listFiles('locks')).length === 0);
  assert.equal(pendingLockRemovals(), 0);
  const again = await RepositoryLock.acquire(repo, true);
  await again.release();
});

test('a backup whose pack upload fails rejects with that failure, not with its lock removal failing after it', async () => {
  const { repo, store } = await faultyRepo();
  store.failWriteIf = (name) => name.startsWith('data/');
  store.failRemoveIf = LOCKS;
  async function* data(): AsyncGenerator<Buffer> {
    yield randomData(2 * 1024 * 1024, 51);
  }
  await assert.rejects(backupStream(repo, 'db.dump', data()), /injected fault: write #\d+ of data\//);
  store.heal();
  await until('the lock to go', async () => (await repo.listFiles('locks')).length === 0);
});
