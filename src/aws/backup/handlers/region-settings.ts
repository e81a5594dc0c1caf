/** DescribeRegionSettings, UpdateRegionSettings, GetSupportedResourceTypes: wire shapes to the domain. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalBooleanMap, scopeOf } from './wire-input.js';

export function regionSettingsHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async DescribeRegionSettings(ctx) {
      const settings = await domain.regionSettings.describe(scopeOf(ctx));
      return {
        ResourceTypeOptInPreference: settings.resourceTypeOptInPreference,
        ResourceTypeManagementPreference: settings.resourceTypeManagementPreference,
      };
    },

    async UpdateRegionSettings(ctx, input) {
      await domain.regionSettings.update(scopeOf(ctx), {
        resourceTypeOptInPreference: optionalBooleanMap(input, 'ResourceTypeOptInPreference'),
        resourceTypeManagementPreference: optionalBooleanMap(input, 'ResourceTypeManagementPreference'),
      });
    },

    GetSupportedResourceTypes() {
      return { ResourceTypes: [...domain.supportedResourceTypes()] };
    },
  };
}
