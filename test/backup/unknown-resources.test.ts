/** Which ARNs of a selection name a resource Coffer does not know, and what is said of them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namedResources, unknownNamedResources, unknownResourcesFix, unknownResourcesMessage } from '../../src/backup/unknown-resources.js';

const FS = 'arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-demo';
const TYPO = 'arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-dmeo';

test('only ARNs without a wildcard are named resources; unknown ones once each, in order', () => {
  const selection = { Resources: [FS, 'arn:aws:rds:us-east-1:000000000000:db:*', '*', TYPO, TYPO] };
  assert.deepEqual(namedResources(selection), [FS, TYPO, TYPO]);
  assert.deepEqual(unknownNamedResources(selection, (arn) => arn === FS), [TYPO]);
  assert.deepEqual(unknownNamedResources({}, () => false), []);
});

test('the message names the scope and every unknown ARN; the fix says what to do', () => {
  const scope = { accountId: '000000000000', region: 'us-east-1' };
  assert.equal(unknownResourcesMessage(scope, 'uploads', [TYPO]),
    `Selection uploads names a resource Coffer does not know in account 000000000000, region us-east-1: ${TYPO}; no backup job is made for it until it is configured.`);
  assert.match(unknownResourcesMessage(scope, 'two', [TYPO, FS]), /names 2 resources .*: .*fs-dmeo, .*fs-demo; no backup job is made for them until they are configured\.$/);
  assert.match(unknownResourcesFix([TYPO]), /under resources in the deployment config \(docs\/configuration\.md#resources\)/);
});
