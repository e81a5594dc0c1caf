/**
 * Region settings of an account: which resource types selections by tag or wildcard may pick
 * (opt-in) and which get AWS Backup's full management (DynamoDB advanced features; EFS always).
 * Updates merge: types not named keep their setting. Described values are the defaults with the
 * account's choices over them.
 */
import type { Catalog } from '../catalog/catalog.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { KNOWN_RESOURCE_TYPES, MANAGEABLE_RESOURCE_TYPES } from './resource-types.js';

export type ResourceTypeFlags = Readonly<Record<string, boolean>>;

export interface RegionSettings {
  readonly resourceTypeOptInPreference: ResourceTypeFlags;
  readonly resourceTypeManagementPreference: ResourceTypeFlags;
}

export interface RegionSettingsUpdate {
  readonly resourceTypeOptInPreference?: ResourceTypeFlags | undefined;
  readonly resourceTypeManagementPreference?: ResourceTypeFlags | undefined;
}

export interface RegionSettingsService {
  describe(scope: CallScope): Promise<RegionSettings>;
  update(scope: CallScope, update: RegionSettingsUpdate): Promise<void>;
}

/**
 * Before an account chooses: every resource type AWS Backup knows is opted in (as selections
 * treat a type never set), and DescribeRegionSettings lists each with its value, as AWS does;
 * EFS is always fully managed, DynamoDB's advanced features are off until asked for.
 */
export const DEFAULT_OPT_IN: ResourceTypeFlags = Object.fromEntries(KNOWN_RESOURCE_TYPES.map((type) => [type, true]));
export const DEFAULT_MANAGEMENT: ResourceTypeFlags = { DynamoDB: false, EFS: true };

function checkTypes(flags: ResourceTypeFlags | undefined, allowed: readonly string[], member: string): void {
  const unknown = Object.keys(flags ?? {}).filter((type) => !allowed.includes(type));
  if (unknown.length === 0) return;
  throw new BackupError(
    'UnknownResourceType',
    `${member} names ${unknown.map((t) => JSON.stringify(t)).join(', ')}, which ${unknown.length === 1 ? 'is not a resource type' : 'are not resource types'} it accepts; use ${allowed.join(', ')}.`,
    { context: member },
  );
}

export function createRegionSettingsService({ catalog, clock }: { readonly catalog: Pick<Catalog, 'settings'>; readonly clock: Clock }): RegionSettingsService {
  return {
    async describe(scope) {
      const stored = await catalog.settings.getRegionSettings(scope);
      return {
        resourceTypeOptInPreference: { ...DEFAULT_OPT_IN, ...stored?.resourceTypeOptIn },
        resourceTypeManagementPreference: { ...DEFAULT_MANAGEMENT, ...stored?.resourceTypeManagement },
      };
    },

    async update(scope, update) {
      checkTypes(update.resourceTypeOptInPreference, KNOWN_RESOURCE_TYPES, 'ResourceTypeOptInPreference');
      checkTypes(update.resourceTypeManagementPreference, MANAGEABLE_RESOURCE_TYPES, 'ResourceTypeManagementPreference');
      await catalog.settings.updateRegionSettings(
        scope,
        {
          ...(update.resourceTypeOptInPreference === undefined ? {} : { resourceTypeOptIn: update.resourceTypeOptInPreference }),
          ...(update.resourceTypeManagementPreference === undefined ? {} : { resourceTypeManagement: update.resourceTypeManagementPreference }),
        },
        clock.now().getTime(),
      );
    },
  };
}
