/**
 * Global settings (DescribeGlobalSettings, UpdateGlobalSettings): organization-wide switches such
 * as isCrossAccountBackupEnabled, which only the organization's management account may read or
 * change, as in AWS; an account outside any organization reads the defaults. They are stored under the management account's id, where copy jobs read them.
 */
import type { Catalog } from '../catalog/catalog.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';

/** The config's organization, as the domain needs it. */
export interface BackupOrganization {
  readonly id: string;
  readonly managementAccountId: string;
  readonly memberAccountIds: readonly string[];
}

/** The settings AWS Backup knows, each "true" or "false", with AWS's defaults. */
export const GLOBAL_SETTING_DEFAULTS: Readonly<Record<string, string>> = {
  isCrossAccountBackupEnabled: 'false',
  isDelegatedAdministratorEnabled: 'false',
  isMpaEnabled: 'false',
};

export interface GlobalSettings {
  readonly values: Readonly<Record<string, string>>;
  /** Undefined when never updated. */
  readonly lastUpdateTime: Date | undefined;
}

export interface GlobalSettingsService {
  describe(scope: CallScope): Promise<GlobalSettings>;
  update(scope: CallScope, values: Readonly<Record<string, string>>): Promise<void>;
}

export interface GlobalSettingsDeps {
  readonly catalog: Pick<Catalog, 'settings'>;
  readonly clock: Clock;
  /** Undefined when the config names no organization. */
  readonly organization?: BackupOrganization | undefined;
}

function requireManagementAccount(scope: CallScope, organization: BackupOrganization | undefined, operation: string): BackupOrganization {
  if (organization === undefined || !organization.memberAccountIds.includes(scope.accountId)) {
    throw new BackupError(
      'NotManagementAccount',
      `${operation} is refused: account ${scope.accountId} is not a member of an organization. Global settings belong to an organization's management account (add an organization to the Coffer config).`,
      { context: scope.accountId },
    );
  }
  if (organization.managementAccountId !== scope.accountId) {
    throw new BackupError(
      'NotManagementAccount',
      `${operation} is refused: account ${scope.accountId} is a member account of organization ${organization.id}; only its management account ${organization.managementAccountId} can use global settings.`,
      { context: scope.accountId },
    );
  }
  return organization;
}

function checkValues(values: Readonly<Record<string, string>>): void {
  const entries = Object.entries(values);
  if (entries.length === 0)
    throw new BackupError('InvalidParameter', 'GlobalSettings is empty; give at least one setting, e.g. isCrossAccountBackupEnabled=true.', {
      context: 'GlobalSettings',
    });
  for (const [name, value] of entries) {
    if (!(name in GLOBAL_SETTING_DEFAULTS)) {
      throw new BackupError(
        'InvalidParameter',
        `GlobalSettings has an unknown setting ${JSON.stringify(name)}; the settings are ${Object.keys(GLOBAL_SETTING_DEFAULTS).join(', ')}.`,
        { context: `GlobalSettings.${name}` },
      );
    }
    if (value !== 'true' && value !== 'false') {
      throw new BackupError('InvalidParameter', `GlobalSettings.${name} is ${JSON.stringify(value)}; it must be "true" or "false".`, {
        context: `GlobalSettings.${name}`,
      });
    }
  }
}

export function createGlobalSettingsService({ catalog, clock, organization }: GlobalSettingsDeps): GlobalSettingsService {
  return {
    async describe(scope) {
      // An account outside any organization gets AWS's answer: the defaults, never changed.
      if (organization === undefined || !organization.memberAccountIds.includes(scope.accountId))
        return { values: { ...GLOBAL_SETTING_DEFAULTS }, lastUpdateTime: undefined };
      const org = requireManagementAccount(scope, organization, 'DescribeGlobalSettings');
      const stored = await catalog.settings.getGlobalSettings(org.managementAccountId);
      return {
        values: { ...GLOBAL_SETTING_DEFAULTS, ...stored?.values },
        lastUpdateTime: stored === undefined ? undefined : new Date(stored.updatedAt),
      };
    },
    async update(scope, values) {
      const org = requireManagementAccount(scope, organization, 'UpdateGlobalSettings');
      checkValues(values);
      await catalog.settings.updateGlobalSettings(org.managementAccountId, values, clock.now().getTime());
    },
  };
}
