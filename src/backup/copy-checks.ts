/**
 * Whether a copy of a recovery point into a vault may go ahead: every rule AWS Backup applies
 * to copies, in one place, each answering pass or fail with AWS's message, the reason in words
 * and the exact fix. The copy job runner stops at the first failure (a FAILED copy job); a
 * preflight can run them all to predict failures before any job exists.
 *
 * Cross-account only: (1) organization and isCrossAccountBackupEnabled, (2) the destination
 * vault's access policy allows the source account backup:CopyIntoBackupVault, (3) the key
 * protecting the source recovery point is usable by the destination account (never an AWS
 * managed key), (4) DynamoDB needs advanced features. Any copy: (5) the destination vault lock.
 *
 * A copy may be hypothetical (the preflight, before any backup): the source then names the key a
 * backup would use (`repositoryKey`), and when the vault has no repository under that key yet
 * the key check makes a sample password ciphertext as the source account would, so that every
 * verdict and message is the one the real copy job then gets.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CalculatedLifecycle, RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import { parsePolicyDocument } from '../iam/policy-document.js';
import { resourcePolicyAllows } from '../iam/resource-access.js';
import { parseStoredPassword, passwordContext, storedKeyArn } from './repository-passwords.js';
import type { PasswordKms, RepositoryKey, StoredPassword } from './repository-passwords.js';
import { lockRefusal, retentionDaysBetween } from './vault-lock.js';

export type CopyCheckName = 'organization' | 'vault-access-policy' | 'key-access' | 'dynamodb-advanced-features' | 'vault-lock';

export interface CopyCheckResult {
  readonly check: CopyCheckName;
  readonly passed: boolean;
  /** When failed: the copy job's StatusMessage (AWS's sentence where AWS has one). */
  readonly message?: string;
  /** Why, in words naming the accounts, vaults and keys involved. */
  readonly reason: string;
  /** When failed: what to change, e.g. the policy statement to add and where. */
  readonly fix?: string;
}

export const ORGANIZATION_MESSAGE = 'Copy job failed. Both source and destination account must be a member of the same organization.';
export const ACCESS_DENIED_MESSAGE = 'Access Denied trying to call AWS Backup service';
export const KEY_NOT_ACCESSIBLE_MESSAGE = 'Given key ID is not accessible';
export const DYNAMODB_MESSAGE =
  'Copy job failed. Cross-account copy of DynamoDB backups needs advanced DynamoDB backup features (ResourceTypeManagementPreference DynamoDB) in the source account and region.';

export interface CopyOrganization {
  readonly id: string;
  readonly managementAccountId: string;
  readonly memberAccountIds: readonly string[];
}

export interface CopyCheckDeps {
  readonly catalog: Pick<Catalog, 'settings' | 'repositoryKeys'>;
  readonly kms: PasswordKms;
  /** Undefined when the config names no organization. */
  readonly organization: CopyOrganization | undefined;
}

/** One copy to judge: the source recovery point (its own account and region), the destination vault, the copy's lifecycle. */
export interface CopyCase {
  readonly source: CopySource;
  readonly destination: Pick<VaultRecord, 'accountId' | 'region' | 'name' | 'arn' | 'accessPolicy' | 'lock'>;
  /** The copy's calculated lifecycle (from the source's creation date). */
  readonly calculated: CalculatedLifecycle;
  readonly now: number;
}

/**
 * The source: a recovery point, or (preflight) the recovery point a backup would make, with no
 * `arn` and the key it would be protected by (`repositoryKey`, keyId = `repositoryKeyId`).
 */
export type CopySource = Pick<RecoveryPointRecord, 'accountId' | 'region' | 'vaultName' | 'vaultArn' | 'resourceType' | 'repositoryKeyId' | 'createdAt'> & {
  readonly arn?: string | undefined;
  readonly repositoryKey?: Pick<RepositoryKey, 'keyArn' | 'service'> | undefined;
};

export type CopyCheck = (deps: CopyCheckDeps, copy: CopyCase) => Promise<CopyCheckResult>;

const pass = (check: CopyCheckName, reason: string): CopyCheckResult => ({ check, passed: true, reason });
const fail = (check: CopyCheckName, message: string, reason: string, fix: string): CopyCheckResult => ({ check, passed: false, message, reason, fix });

export const checkOrganization: CopyCheck = async ({ catalog, organization }, { source, destination }) => {
  const [a, b] = [source.accountId, destination.accountId];
  if (organization === undefined) {
    return fail(
      'organization',
      ORGANIZATION_MESSAGE,
      `The config names no organization, so accounts ${a} and ${b} stand alone.`,
      `Add an organization to the Coffer config with both accounts ${a} and ${b}.`,
    );
  }
  const members = new Set(organization.memberAccountIds);
  const outside = [a, b].filter((id) => !members.has(id));
  if (outside.length > 0) {
    return fail(
      'organization',
      ORGANIZATION_MESSAGE,
      `Account ${outside.join(' and ')} is not in organization ${organization.id}.`,
      `Add account ${outside.join(' and ')} to the Coffer config's accounts (organization ${organization.id}).`,
    );
  }
  const settings = await catalog.settings.getGlobalSettings(organization.managementAccountId);
  if (settings?.values['isCrossAccountBackupEnabled'] !== 'true') {
    return fail(
      'organization',
      ORGANIZATION_MESSAGE,
      `The management account ${organization.managementAccountId} of organization ${organization.id} has not enabled cross-account backup.`,
      `As account ${organization.managementAccountId}: aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true`,
    );
  }
  return pass('organization', `Accounts ${a} and ${b} are in organization ${organization.id}, which has cross-account backup enabled.`);
};

/** The statement the destination vault's policy needs for copies from `sourceAccountId`. */
export function copyIntoStatement(sourceAccountId: string): Record<string, unknown> {
  return {
    Sid: `AllowCopyFrom${sourceAccountId}`,
    Effect: 'Allow',
    Action: 'backup:CopyIntoBackupVault',
    Resource: '*',
    Principal: { AWS: arns.accountRoot(sourceAccountId) },
  };
}

export const checkVaultAccessPolicy: CopyCheck = async (_deps, { source, destination }) => {
  const fix =
    `Add to the access policy of the destination vault ${destination.arn} (PutBackupVaultAccessPolicy as account ${destination.accountId}) the statement ${JSON.stringify(copyIntoStatement(source.accountId))}. `
    + 'It belongs on the destination vault: the source account writes into it. (A statement on the source vault is only needed to copy recovery points back.)';
  const parsed = destination.accessPolicy === undefined ? undefined : parsePolicyDocument(destination.accessPolicy);
  if (typeof parsed === 'string')
    return fail('vault-access-policy', ACCESS_DENIED_MESSAGE, `The access policy of vault ${destination.arn} is not a valid policy document: ${parsed}.`, fix);
  const answer = resourcePolicyAllows(
    parsed,
    {
      principal: { accountId: source.accountId, arn: arns.accountRoot(source.accountId), service: 'backup.amazonaws.com' },
      action: 'backup:CopyIntoBackupVault',
      resource: destination.arn,
      context: { 'aws:SourceAccount': source.accountId },
    },
    destination.accountId,
  );
  return answer.allowed ? pass('vault-access-policy', answer.reason) : fail('vault-access-policy', ACCESS_DENIED_MESSAGE, `${answer.reason}.`, fix);
};

/** A key policy statement that lets `accountId` use the key for copies. */
export function keyUseStatement(accountId: string): Record<string, unknown> {
  return {
    Sid: `AllowBackupAccount${accountId}`,
    Effect: 'Allow',
    Principal: { AWS: arns.accountRoot(accountId) },
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: '*',
  };
}

/** The source repository's stored password, or for a hypothetical copy a fresh one under the key a backup would use. */
async function sourcePassword({ catalog, kms }: CopyCheckDeps, source: CopySource): Promise<StoredPassword | undefined> {
  const keyId = source.repositoryKeyId;
  if (keyId === undefined) return undefined;
  const text = await catalog.repositoryKeys.get(source, source.vaultName, keyId);
  if (text !== undefined) return parseStoredPassword(text);
  if (source.repositoryKey === undefined) return undefined;
  const own = { accountId: source.accountId, region: source.region, requestId: 'coffer-copy-check' };
  const { ciphertext } = await kms
    .forService(source.repositoryKey.service)
    .generateDataKey(own, source.repositoryKey.keyArn, passwordContext(source.vaultArn, keyId));
  return { service: source.repositoryKey.service, ciphertext, legacy: undefined };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const checkKeyAccess: CopyCheck = async (deps, { source, destination }) => {
  const { kms } = deps;
  const keyId = source.repositoryKeyId;
  const points = `${source.resourceType} recovery points in vault ${source.vaultArn}`;
  let stored: StoredPassword | undefined;
  try {
    stored = await sourcePassword(deps, source);
  } catch (err) {
    const keyArn = source.repositoryKey?.keyArn ?? 'of the source vault';
    return fail(
      'key-access',
      KEY_NOT_ACCESSIBLE_MESSAGE,
      `KMS key ${keyArn} cannot be used by account ${source.accountId}: ${errorText(err)}`,
      `Check key ${keyArn}'s state and policy.`,
    );
  }
  if (keyId === undefined || stored === undefined) {
    return fail(
      'key-access',
      KEY_NOT_ACCESSIBLE_MESSAGE,
      `Recovery point ${source.arn ?? `of ${points}`} has no readable repository key.`,
      'Make a new backup and copy that one.',
    );
  }
  const keyArn = storedKeyArn(stored);
  const managedFix =
    `An AWS managed key can never be used by another account. Create a customer managed key whose policy allows account ${destination.accountId} (${JSON.stringify(keyUseStatement(destination.accountId))}), `
    + (source.resourceType === 'RDS'
      ? "re-create the database encrypted with it (an RDS database's key cannot be changed in place), "
      : `use it for a new source vault (a vault's key is fixed at creation), `)
    + 'and back up again.';
  if (keyArn === undefined)
    return fail('key-access', KEY_NOT_ACCESSIBLE_MESSAGE, `${points} are protected by the account's default AWS Backup key.`, managedFix);
  const own = { accountId: source.accountId, region: source.region, requestId: 'coffer-copy-check' };
  try {
    const key = await kms.forService(stored.service ?? 'backup').describeKey(own, keyArn);
    if (key.keyManager === 'AWS')
      return fail('key-access', KEY_NOT_ACCESSIBLE_MESSAGE, `${points} are protected by the AWS managed key ${keyArn}.`, managedFix);
  } catch (err) {
    return fail(
      'key-access',
      KEY_NOT_ACCESSIBLE_MESSAGE,
      `KMS key ${keyArn} cannot be described by account ${source.accountId}: ${errorText(err)}`,
      `Check key ${keyArn}'s state and policy.`,
    );
  }
  try {
    const asDestination = { accountId: destination.accountId, region: source.region, requestId: 'coffer-copy-check' };
    await kms.forService('backup').decrypt(asDestination, stored.ciphertext!, passwordContext(source.vaultArn, keyId));
    return pass('key-access', `Account ${destination.accountId} may decrypt with KMS key ${keyArn} through AWS Backup.`);
  } catch (err) {
    return fail(
      'key-access',
      KEY_NOT_ACCESSIBLE_MESSAGE,
      `Account ${destination.accountId} cannot use KMS key ${keyArn}: ${errorText(err)}`,
      `Add to the key policy of ${keyArn} (PutKeyPolicy as account ${source.accountId}) the statement ${JSON.stringify(keyUseStatement(destination.accountId))}, and make sure the key is enabled.`,
    );
  }
};

export const checkDynamoDbFeatures: CopyCheck = async ({ catalog }, { source }) => {
  if (source.resourceType !== 'DynamoDB') return pass('dynamodb-advanced-features', `Resource type ${source.resourceType} needs no advanced features.`);
  const settings = await catalog.settings.getRegionSettings(source);
  if (settings?.resourceTypeManagement['DynamoDB'] === true)
    return pass('dynamodb-advanced-features', `Advanced DynamoDB backup features are on in account ${source.accountId}, region ${source.region}.`);
  return fail(
    'dynamodb-advanced-features',
    DYNAMODB_MESSAGE,
    `Advanced DynamoDB backup features are off in account ${source.accountId}, region ${source.region}.`,
    `As account ${source.accountId} in ${source.region}: aws backup update-region-settings --resource-type-management-preference DynamoDB=true`,
  );
};

export const checkVaultLock: CopyCheck = async (_deps, { source, destination, calculated, now }) => {
  const days = retentionDaysBetween(source.createdAt, calculated.deleteAt);
  const refusal = lockRefusal(destination.lock, days, now);
  if (refusal === undefined)
    return pass(
      'vault-lock',
      destination.lock === undefined ? `Vault ${destination.arn} has no lock.` : `The lock of vault ${destination.arn} accepts the copy's retention.`,
    );
  return fail(
    'vault-lock',
    refusal,
    `The copy would be kept ${days === undefined ? 'indefinitely' : `${days} days`} in vault ${destination.arn}.`,
    "Give the copy a Lifecycle DeleteAfterDays inside the destination vault lock's range.",
  );
};

const CROSS_ACCOUNT: readonly CopyCheck[] = [checkOrganization, checkVaultAccessPolicy, checkKeyAccess, checkDynamoDbFeatures];

/** The checks that apply to the copy, in the order a copy job meets them. */
export function applicableChecks(copy: Pick<CopyCase, 'source' | 'destination'>): readonly CopyCheck[] {
  return copy.source.accountId === copy.destination.accountId ? [checkVaultLock] : [...CROSS_ACCOUNT, checkVaultLock];
}

/** Every check that applies to the copy, in the order a copy job meets them. */
export async function runCopyChecks(deps: CopyCheckDeps, copy: CopyCase): Promise<readonly CopyCheckResult[]> {
  const results: CopyCheckResult[] = [];
  for (const check of applicableChecks(copy)) results.push(await check(deps, copy));
  return results;
}

const sentence = (text: string): string => (/[.!?)]$/.test(text) ? text : `${text}.`);

/** A failed check as a copy job's StatusMessage: AWS's sentence first, then why and the fix. */
export function refusalMessage(result: CopyCheckResult): string {
  return `${result.message ?? 'Copy job failed.'} (${sentence(result.reason)} Fix: ${sentence(result.fix ?? 'see the reason')})`;
}

/** The first failing check (the copy job's failure), or undefined when the copy may go ahead. */
export async function firstCopyRefusal(deps: CopyCheckDeps, copy: CopyCase): Promise<CopyCheckResult | undefined> {
  for (const check of applicableChecks(copy)) {
    const result = await check(deps, copy);
    if (!result.passed) return result;
  }
  return undefined;
}
