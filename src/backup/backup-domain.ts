/**
 * The AWS Backup domain assembled: one service per concept, built from the catalog, the clock
 * and where each region's vaults are stored. The composition root (server/) builds it once.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from './clock.js';
import { createRegionSettingsService } from './region-settings.js';
import type { RegionSettingsService } from './region-settings.js';
import { createResourceTagService } from './resource-tags.js';
import type { ResourceTagService } from './resource-tags.js';
import { SUPPORTED_RESOURCE_TYPES } from './resource-types.js';
import { createVaultAccessPolicyService } from './vault-access-policy.js';
import type { VaultAccessPolicyService } from './vault-access-policy.js';
import { createVaultNotificationService } from './vault-notifications.js';
import type { VaultNotificationService } from './vault-notifications.js';
import { createVaultService } from './vaults.js';
import type { VaultService } from './vaults.js';

export interface BackupDomainDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** The storage root URL (`file:/srv/coffer/vaults/us-east-1`) of a region the service serves. */
  readonly storageRoot: (region: string) => string;
}

export interface BackupDomain {
  readonly vaults: VaultService;
  readonly vaultAccessPolicies: VaultAccessPolicyService;
  readonly vaultNotifications: VaultNotificationService;
  readonly tags: ResourceTagService;
  readonly regionSettings: RegionSettingsService;
  readonly supportedResourceTypes: () => readonly string[];
}

export function createBackupDomain(deps: BackupDomainDeps): BackupDomain {
  return {
    vaults: createVaultService(deps),
    vaultAccessPolicies: createVaultAccessPolicyService(deps),
    vaultNotifications: createVaultNotificationService(deps),
    tags: createResourceTagService(deps),
    regionSettings: createRegionSettingsService(deps),
    supportedResourceTypes: () => SUPPORTED_RESOURCE_TYPES,
  };
}
