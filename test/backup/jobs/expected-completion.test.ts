/** ExpectedCompletionDate: the completion once ended; while running, its progress stretched to 100 percent, capped by its window. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedCompletion } from '../../../src/backup/jobs/expected-completion.js';

const at = (minutes: number) => new Date(Date.UTC(2027, 0, 1) + minutes * 60_000);

test('ended, running with progress, running without, not started', () => {
  const base = { startedAt: at(0), completedAt: undefined, completeBy: at(600), percentDone: 25, updatedAt: at(10) };
  assert.deepEqual(expectedCompletion({ ...base, completedAt: at(12) }), at(12));
  assert.deepEqual(expectedCompletion(base), at(40), 'a quarter done after 10 minutes: done at 40');
  assert.deepEqual(expectedCompletion({ ...base, percentDone: 1, updatedAt: at(10) }), at(600), 'never past its completion window');
  assert.deepEqual(expectedCompletion({ ...base, percentDone: 0 }), at(600), 'no progress yet: the window');
  assert.equal(expectedCompletion({ ...base, percentDone: 0, completeBy: undefined }), undefined, 'no window, no progress: unknown');
  assert.deepEqual(expectedCompletion({ ...base, completeBy: undefined, percentDone: 50 }), at(20));
  assert.deepEqual(expectedCompletion({ ...base, startedAt: undefined }), at(600), 'not started: the window');
});
