/** Region settings (merged per resource type) and per-account global settings. */
import assert from 'node:assert/strict';
import { DAY, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0, test, withCatalog } from './dialect-fixture.js';

test('region settings are absent until set, then merge per resource type', () =>
  withCatalog(async (catalog) => {
    assert.equal(await catalog.settings.getRegionSettings(SCOPE), undefined);
    const first = await catalog.settings.updateRegionSettings(SCOPE, { resourceTypeOptIn: { EFS: true, RDS: false } }, T0);
    assert.deepEqual(first, { resourceTypeOptIn: { EFS: true, RDS: false }, resourceTypeManagement: {}, updatedAt: T0 });
    const second = await catalog.settings.updateRegionSettings(
      SCOPE,
      { resourceTypeOptIn: { RDS: true }, resourceTypeManagement: { DynamoDB: true } },
      T0 + DAY,
    );
    assert.deepEqual(second, { resourceTypeOptIn: { EFS: true, RDS: true }, resourceTypeManagement: { DynamoDB: true }, updatedAt: T0 + DAY });
    assert.deepEqual(await catalog.settings.getRegionSettings(SCOPE), second);
    assert.equal(await catalog.settings.getRegionSettings(OTHER_REGION), undefined);
    assert.equal(await catalog.settings.getRegionSettings(OTHER_ACCOUNT), undefined);
  }));

test('global settings are per account and keep names not given', () =>
  withCatalog(async (catalog) => {
    assert.equal(await catalog.settings.getGlobalSettings(SCOPE.accountId), undefined);
    await catalog.settings.updateGlobalSettings(SCOPE.accountId, { isCrossAccountBackupEnabled: 'true', isMpaEnabled: 'false' }, T0);
    const updated = await catalog.settings.updateGlobalSettings(SCOPE.accountId, { isCrossAccountBackupEnabled: 'false' }, T0 + DAY);
    assert.deepEqual(updated, { values: { isCrossAccountBackupEnabled: 'false', isMpaEnabled: 'false' }, updatedAt: T0 + DAY });
    assert.deepEqual(await catalog.settings.getGlobalSettings(SCOPE.accountId), updated);
    assert.equal(await catalog.settings.getGlobalSettings(OTHER_ACCOUNT.accountId), undefined);
  }));
