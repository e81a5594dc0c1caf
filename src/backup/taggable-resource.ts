/**
 * Which resource a tagging call names: the ARN must be a Backup vault, plan, recovery point,
 * restore testing plan, framework or report plan of
 * the caller's account and region, and exist. Another account's resource is refused with
 * ResourceInOtherAccount whether it exists or not (the answer must not tell one account what
 * another has); another region's is ResourceInOtherRegion, with the region to call instead.
 */
import type { Catalog } from '../catalog/catalog.js';
import { parseArn } from '../iam/arn.js';
import type { Arn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';

export type TaggableKind = 'backup-vault' | 'backup-plan' | 'recovery-point' | 'restore-testing-plan' | 'framework' | 'report-plan';

export interface TaggableResource {
  readonly kind: TaggableKind;
  /** The vault name, plan id or recovery point id. */
  readonly id: string;
  readonly arn: string;
}

const KINDS: readonly TaggableKind[] = ['backup-vault', 'backup-plan', 'recovery-point', 'restore-testing-plan', 'framework', 'report-plan'];

function parseTaggable(text: string): { readonly arn: Arn; readonly kind: TaggableKind; readonly id: string } {
  const arn = parseArn(text);
  if (arn === undefined) {
    throw new BackupError(
      'InvalidArn',
      `ResourceArn ${JSON.stringify(text)} is not an ARN; give one such as arn:aws:backup:us-east-1:111111111111:backup-vault:my-vault.`,
      { context: text },
    );
  }
  const [kind, ...rest] = arn.resource.split(':');
  const id = rest.join(':');
  if (arn.service !== 'backup' || !(KINDS as readonly string[]).includes(kind ?? '') || id === '') {
    throw new BackupError(
      'UntaggableResource',
      `ResourceArn ${text} is not a Backup vault, plan, recovery point, restore testing plan, framework or report plan ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>, ...:backup-plan:<id>, ...:recovery-point:<id>, ...:restore-testing-plan:<name>-<id>, ...:framework:<name>-<id> or ...:report-plan:<name>-<id>); only those can be tagged here.`,
      { context: text },
    );
  }
  return { arn, kind: kind as TaggableKind, id };
}

/** The resource `text` names, checked against the caller's scope and the catalog. */
export async function resolveTaggable(
  catalog: Pick<Catalog, 'vaults' | 'plans' | 'recoveryPoints' | 'restoreTesting' | 'frameworks' | 'reportPlans'>,
  scope: CallScope,
  text: string,
): Promise<TaggableResource> {
  const { arn, kind, id } = parseTaggable(text);
  if (arn.accountId !== scope.accountId) {
    throw new BackupError(
      'ResourceInOtherAccount',
      `Account ${scope.accountId} is not authorized to act on ${text}: it belongs to account ${arn.accountId}. Call with that account's credentials.`,
      { context: text },
    );
  }
  if (arn.region !== scope.region) {
    throw new BackupError(
      'ResourceInOtherRegion',
      `${text} is in region ${arn.region || '(none)'}, not ${scope.region}: call the API in region ${arn.region || '(none)'} (e.g. --region ${arn.region}).`,
      { context: text },
    );
  }
  if (!(await exists(catalog, scope, kind, id, text))) {
    throw new BackupError(
      'ResourceNotFound',
      `No ${kind.replace('-', ' ')} ${id} exists in account ${scope.accountId}, region ${scope.region} (ARN ${text}).`,
      { context: text },
    );
  }
  return { kind, id, arn: text };
}

async function exists(
  catalog: Pick<Catalog, 'vaults' | 'plans' | 'recoveryPoints' | 'restoreTesting' | 'frameworks' | 'reportPlans'>,
  scope: CallScope,
  kind: TaggableKind,
  id: string,
  arn: string,
): Promise<boolean> {
  switch (kind) {
    case 'backup-vault':
      return (await catalog.vaults.get(scope, id)) !== undefined;
    case 'backup-plan': {
      const plan = await catalog.plans.get(scope, id);
      return plan !== undefined && plan.deletedAt === undefined;
    }
    case 'recovery-point':
      return (await catalog.recoveryPoints.get(scope, arn)) !== undefined;
    case 'restore-testing-plan':
      // The id is `<name>-<uuid>`; names have no hyphens.
      return (await catalog.restoreTesting.getPlan(scope, id.split('-')[0]!))?.arn === arn;
    case 'framework':
      return (await catalog.frameworks.get(scope, id.split('-')[0]!))?.arn === arn;
    case 'report-plan':
      return (await catalog.reportPlans.get(scope, id.split('-')[0]!))?.arn === arn;
  }
}
