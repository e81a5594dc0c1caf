/**
 * Which resources exist for a selection to pick, and which a draft selection picks now: what the
 * console shows beside a resource assignment while it is written. The same resolution as the
 * scheduler's and the preflight's (matchSelection over the registry, with the region's opt-in).
 * A draft needs no name or role yet: missing ones are filled in, as they do not change the match.
 */
import type { CatalogScope } from '../catalog/scope.js';
import type { SettingsStore } from '../catalog/settings.js';
import type { Fields } from './document-fields.js';
import type { ProtectedResource, ResourceLister } from './protected-resource.js';
import { checkSelectionDocument } from './selection-document.js';
import { matchSelection } from './selection-match.js';

export interface SelectionPreviewDeps {
  readonly resources: ResourceLister;
  readonly settings: Pick<SettingsStore, 'getRegionSettings'>;
}

export interface ScopeResources {
  readonly resources: readonly ProtectedResource[];
  /** The region's ResourceTypeOptInPreference as set (a type not named is opted in). */
  readonly optIn: Readonly<Record<string, boolean>>;
}

export async function resourcesOfScope(deps: SelectionPreviewDeps, scope: CatalogScope): Promise<ScopeResources> {
  const resources = await deps.resources(scope);
  const optIn = (await deps.settings.getRegionSettings(scope))?.resourceTypeOptIn ?? {};
  return { resources, optIn };
}

const PREVIEW_ROLE = 'arn:aws:iam::000000000000:role/service-role/AWSBackupDefaultServiceRole';

/** The resources `draft` (a BackupSelection, checked as CreateBackupSelection checks it) picks in `scope` now. */
export async function previewSelection(deps: SelectionPreviewDeps, scope: CatalogScope, draft: Fields): Promise<readonly ProtectedResource[]> {
  const named = {
    ...draft,
    SelectionName: typeof draft['SelectionName'] === 'string' && draft['SelectionName'] !== '' ? draft['SelectionName'] : 'preview',
    IamRoleArn: typeof draft['IamRoleArn'] === 'string' && draft['IamRoleArn'] !== '' ? draft['IamRoleArn'] : PREVIEW_ROLE,
  };
  const document = checkSelectionDocument(named);
  const { resources, optIn } = await resourcesOfScope(deps, scope);
  return matchSelection(document, resources, optIn);
}
