/**
 * The AWS Backup binding against its tables: the handlers registered are exactly the operations
 * operations.ts marks implemented or partial, all of them in the model; every domain error code
 * maps to an exception that the model or AWS's common errors know, with the right status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupHandlers } from '../../src/aws/backup/backup-binding.js';
import { BACKUP_ERROR_MAP, toAwsError } from '../../src/aws/backup/error-map.js';
import { IMPLEMENTED } from '../../src/aws/backup/operations.js';
import { BACKUP_MODEL } from '../../src/aws/service-model.js';
import { BackupError } from '../../src/backup/backup-error.js';
import type { BackupDomain } from '../../src/backup/backup-domain.js';

const handlers = backupHandlers({} as BackupDomain);

test('the registered handlers are the operations marked implemented or partial', () => {
  const served = Object.keys(handlers).sort();
  const marked = Object.entries(IMPLEMENTED)
    .filter(([, s]) => s === 'implemented' || s === 'partial')
    .map(([op]) => op)
    .sort();
  assert.deepEqual(served, marked);
  assert.deepEqual(
    served.filter((op) => BACKUP_MODEL.operations[op] === undefined),
    [],
  );
});

test('every domain error code maps to a known exception with a fitting status (faults 500)', () => {
  const common = new Set(['AccessDeniedException']);
  for (const [code, row] of Object.entries(BACKUP_ERROR_MAP)) {
    const shape = BACKUP_MODEL.shapes[row.exception];
    assert.ok(common.has(row.exception) || (shape?.type === 'structure' && shape.exception === true), `${code} -> ${row.exception}`);
    // A fault (the model's `fault: true`, e.g. DependencyFailureException) is the service's side: 5xx.
    assert.equal(row.status, row.exception === 'AccessDeniedException' ? 403 : shape?.type === 'structure' && shape.fault === true ? 500 : 400, code);
  }
});

test('a domain error keeps its message, context and members on the wire', () => {
  const aws = toAwsError(new BackupError('VaultAlreadyExists', 'it exists', { context: 'v', details: { Arn: 'arn:x' } }));
  assert.equal(aws.code, 'AlreadyExistsException');
  assert.equal(aws.status, 400);
  assert.equal(aws.message, 'it exists');
  assert.equal(aws.context, 'v');
  assert.deepEqual(aws.members, { Arn: 'arn:x' });
});
