/** DescribeGlobalSettings, UpdateGlobalSettings: wire shapes to the domain's global settings. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalStringMap, scopeOf } from './wire-input.js';

export function globalSettingsHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async DescribeGlobalSettings(ctx) {
      const settings = await domain.globalSettings.describe(scopeOf(ctx));
      return { GlobalSettings: settings.values, LastUpdateTime: settings.lastUpdateTime };
    },

    async UpdateGlobalSettings(ctx, input) {
      await domain.globalSettings.update(scopeOf(ctx), optionalStringMap(input, 'GlobalSettings') ?? {});
    },
  };
}
