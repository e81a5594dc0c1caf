/**
 * The preflight of a backup plan: everything that would make its jobs or copies fail, checked
 * now, before any job exists, each check answering pass or fail with the exact change that
 * fixes it. Per rule: the target vault exists, the selections have an IAM role, name no
 * resource Coffer does not know (unknown-resources.ts) and pick resources, the target vault's
 * lock accepts the rule's retention, the key of each picked resource's repository is usable.
 * Per copy action: the destination vault exists, and every check a copy job meets
 * (copy-checks.ts), run on the copy a backup would make now.
 *
 * Failures carry the StatusMessage the job would get (the copy job's `refusalMessage`, the
 * scheduler's and backup runner's sentences), so that a preflight and the job agree word for word.
 * Which resources a rule picks is the scheduler's resolution (matchSelection over the registry,
 * with the region's opt-in).
 */
import { everyItem } from '../catalog/pagination.js';
import type { Catalog } from '../catalog/catalog.js';
import type { PlanRecord } from '../catalog/plans.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import type { Clock } from './clock.js';
import { applicableChecks, checkDynamoDbFeatures, checkKeyAccess, refusalMessage } from './copy-checks.js';
import type { CopyCase, CopyCheckDeps, CopySource } from './copy-checks.js';
import { copyLifecycle, vaultOfArn } from './copy-jobs.js';
import type { PlanCopyAction, PlanRule } from './plan-document.js';
import type { ProtectedResource } from './protected-resource.js';
import { jobRoleProblem } from '../iam/identity/job-role.js';
import { keyRefusal, parseStoredPassword, passwordContext, RepositoryKeyError } from './repository-passwords.js';
import type { KeyService, RepositoryKey } from './repository-passwords.js';
import type { SelectionDocument } from './selection-document.js';
import { matchSelection } from './selection-match.js';
import { namedResources, unknownNamedResources, unknownResourcesFix, unknownResourcesMessage } from './unknown-resources.js';
import { lockRefusal } from './vault-lock.js';
import { notificationCheck } from './notification-checks.js';
import type { DeclaredTopics } from './notification-checks.js';

export interface PreflightCheck {
  readonly rule: string;
  /** The copy action's destination vault ARN, for checks of a copy action. */
  readonly copyAction?: string;
  readonly check: string;
  readonly passed: boolean;
  /** Passed: why. Failed: the StatusMessage the job would get. */
  readonly message: string;
  /** Failed: the change that fixes it (the statement to add, the setting to flip, the command). */
  readonly fix?: string;
  /** The picked resources the check is about, when it depends on them (keys, resource types). */
  readonly resources?: readonly string[];
  /** A failed check that fails no backup or copy job, only a later restore there (restore-target); it does not fail the plan. */
  readonly warning?: true;
}

export interface PreflightReport {
  readonly plan: { readonly id: string; readonly name: string };
  readonly checks: readonly PreflightCheck[];
  readonly passed: boolean;
}

/** A registry resource; RDS resources may name their own key (the config's `kmsKeyId`) and have an engine. */
export type PreflightResource = ProtectedResource & { readonly kmsKeyId?: string | undefined; readonly engine?: string | undefined };

/** A configured restore target, as far as the preflight needs it (config/restore-target-config.ts). */
export interface PreflightRestoreTarget {
  readonly accountId: string;
  readonly region: string;
  readonly type: string;
  readonly engine?: string;
  /** Where it is in the config, e.g. `restoreTargets[0]`. */
  readonly at: string;
}

export interface PreflightDeps extends CopyCheckDeps {
  readonly catalog: CopyCheckDeps['catalog'] & Pick<Catalog, 'plans' | 'selections' | 'vaults' | 'iam'>;
  readonly clock: Clock;
  /** The registry's resources of an account and region (what the scheduler selects from). */
  readonly resources: (scope: CatalogScope) => Promise<readonly PreflightResource[]>;
  /** The config's restoreTargets: whether a copy could be restored where it is kept. */
  readonly restoreTargets?: readonly PreflightRestoreTarget[];
  /** The config's notification topics (subscriber counts by ARN): whether the vaults' messages reach anyone. */
  readonly notificationTopics?: DeclaredTopics;
}

const DAY_MS = 86_400_000;

type Draft = Omit<PreflightCheck, 'rule' | 'copyAction'>;
const ok = (check: string, message: string, resources?: readonly string[]): Draft => ({
  check,
  passed: true,
  message,
  ...(resources === undefined ? {} : { resources }),
});
const bad = (check: string, message: string, fix: string, resources?: readonly string[]): Draft => ({
  check,
  passed: false,
  message,
  fix,
  ...(resources === undefined ? {} : { resources }),
});
const warn = (check: string, message: string, fix: string, resources?: readonly string[]): Draft => ({ ...bad(check, message, fix, resources), warning: true });

/** The preflight of one plan of `scope`; undefined when the plan does not exist (or was deleted). */
export async function preflightPlan(deps: PreflightDeps, scope: CatalogScope, planId: string): Promise<PreflightReport | undefined> {
  const plan = await deps.catalog.plans.get(scope, planId);
  if (plan === undefined || plan.deletedAt !== undefined) return undefined;
  const now = deps.clock.now().getTime();
  const selections = await selectionsOf(deps, plan);
  const candidates = selections.length === 0 ? [] : await deps.resources(plan);
  const known = new Set(candidates.map((r) => r.arn));
  const picked = await pickedResources(deps, plan, selections, candidates);
  const roles = await roleProblems(deps, plan, selections, candidates);
  const checks: PreflightCheck[] = [];
  for (const rule of (plan.document['Rules'] ?? []) as unknown as readonly PlanRule[]) {
    const target = await deps.catalog.vaults.get(plan, rule.TargetBackupVaultName);
    const add = (drafts: readonly Draft[], copyAction?: string) => {
      for (const d of drafts) checks.push({ rule: rule.RuleName, ...(copyAction === undefined ? {} : { copyAction }), ...d });
    };
    add(ruleChecks(plan, rule, target, selections, picked, known, now, roles));
    // Without the target vault no key can be checked; the copy actions' other checks still can.
    const keys = target === undefined ? [] : await keyGroups(deps, plan, target, picked);
    add(keys.map((g) => g.check));
    const source = target ?? { name: rule.TargetBackupVaultName, arn: arns.backupVault(plan, rule.TargetBackupVaultName) };
    add(restoreTargetChecks(deps, plan, picked, 'here'));
    add(notificationChecks(deps, target));
    for (const action of rule.CopyActions ?? []) {
      add(await copyActionChecks(deps, plan, rule, action, source, keys, now), action.DestinationBackupVaultArn);
      const where = destinationScope(action.DestinationBackupVaultArn);
      if (where !== undefined) {
        add(restoreTargetChecks(deps, where, picked, 'copy'), action.DestinationBackupVaultArn);
        const destination = await deps.catalog.vaults.get(where, vaultOfArn(action.DestinationBackupVaultArn).name);
        add(notificationChecks(deps, destination), action.DestinationBackupVaultArn);
      }
    }
  }
  return { plan: { id: plan.id, name: plan.name }, checks, passed: checks.every((c) => c.passed || c.warning === true) };
}

/** A vault's notification check (the target's backup and copy jobs, a destination's restores), when it sends any. */
function notificationChecks(deps: PreflightDeps, vault: VaultRecord | undefined): Draft[] {
  if (vault === undefined || deps.notificationTopics === undefined) return [];
  const check = notificationCheck(vault, deps.notificationTopics);
  return check === undefined ? [] : [check];
}

function destinationScope(arn: string): CatalogScope | undefined {
  try {
    const where = vaultOfArn(arn);
    return { accountId: where.accountId, region: where.region };
  } catch {
    return undefined;
  }
}

/**
 * Per picked resource type (and RDS engine): where a restore of its recovery points in `scope`
 * would go. In the resources' own account and region without a target they go to the resources'
 * own servers; elsewhere a restoreTargets entry is needed (connectors/restore-destination.ts).
 */
function restoreTargetChecks(deps: PreflightDeps, scope: CatalogScope, picked: readonly PreflightResource[], kind: 'here' | 'copy'): Draft[] {
  const groups = new Map<string, PreflightResource[]>();
  for (const r of picked) {
    const id = `${r.type}${r.type === 'RDS' && r.engine !== undefined ? ` (${r.engine})` : ''}`;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const out: Draft[] = [];
  for (const [label, resources] of groups) {
    const first = resources[0]!;
    const target = (deps.restoreTargets ?? []).find(
      (t) =>
        t.accountId === scope.accountId
        && t.region === scope.region
        && t.type === first.type
        && (t.type !== 'RDS' || first.engine === undefined || t.engine === first.engine),
    );
    const arnsOf = resources.map((r) => r.arn);
    if (target !== undefined)
      out.push(ok('restore-target', `Restores of ${label} recovery points in account ${scope.accountId}, ${scope.region} go to ${target.at}.`, arnsOf));
    else if (kind === 'here')
      out.push(
        ok(
          'restore-target',
          `Restores of ${label} recovery points in account ${scope.accountId}, ${scope.region} go to each resource's own ${first.type === 'EFS' ? "directory's host" : 'server'} (no restoreTargets entry for it).`,
          arnsOf,
        ),
      );
    else {
      const where =
        first.type === 'RDS'
          ? `url: "${first.engine === 'mariadb' ? 'mysql' : 'postgres'}://user@host:port"`
          : first.type === 'EFS'
            ? 'path: /srv/restores'
            : 'endpoint: "http://host:port"';
      out.push(
        warn(
          'restore-target',
          `No restore target for ${label} in account ${scope.accountId}, ${scope.region}: the copies there could not be restored there${first.type === 'EFS' ? ' unless each restore names its RestorePath' : ''} (a restore never goes to another account's or region's server).`,
          `Add to the config: restoreTargets: - { account: "${scope.accountId}", region: ${scope.region}, resourceType: ${first.type}, ${where} }`,
          arnsOf,
        ),
      );
    }
  }
  return out;
}

async function selectionsOf(deps: PreflightDeps, plan: PlanRecord): Promise<SelectionDocument[]> {
  const out: SelectionDocument[] = [];
  for await (const s of everyItem((page) => deps.catalog.selections.list(plan, plan.id, page))) out.push(s.document as unknown as SelectionDocument);
  return out;
}

async function pickedResources(
  deps: PreflightDeps,
  plan: PlanRecord,
  selections: readonly SelectionDocument[],
  candidates: readonly PreflightResource[],
): Promise<PreflightResource[]> {
  if (selections.length === 0) return [];
  const optIn = (await deps.catalog.settings.getRegionSettings(plan))?.resourceTypeOptIn ?? {};
  const picked = new Map<string, PreflightResource>();
  for (const selection of selections) for (const r of matchSelection(selection, candidates, optIn)) picked.set(r.arn, r);
  return [...picked.values()];
}

/**
 * Per selection, why its IamRoleArn could not run the jobs it makes (jobRoleProblem: missing, not
 * assumable by AWS Backup, lacking the backup permission for a resource it picks), as the job would fail.
 */
async function roleProblems(
  deps: PreflightDeps,
  plan: PlanRecord,
  selections: readonly SelectionDocument[],
  candidates: readonly PreflightResource[],
): Promise<Map<string, string | undefined>> {
  const optIn = (await deps.catalog.settings.getRegionSettings(plan))?.resourceTypeOptIn ?? {};
  const out = new Map<string, string | undefined>();
  const now = () => deps.clock.now();
  for (const selection of selections) {
    const base = { kind: 'backup' as const, accountId: plan.accountId, roleArn: selection.IamRoleArn };
    let problem = await jobRoleProblem(deps.catalog.iam, { ...base, resourceType: undefined, resourceArn: '*' }, now);
    for (const r of problem === undefined ? matchSelection(selection, candidates, optIn) : []) {
      problem ??= await jobRoleProblem(deps.catalog.iam, { ...base, resourceType: r.type, resourceArn: r.arn }, now);
    }
    out.set(selection.SelectionName, problem);
  }
  return out;
}

function ruleChecks(
  plan: PlanRecord,
  rule: PlanRule,
  target: VaultRecord | undefined,
  selections: readonly SelectionDocument[],
  picked: readonly PreflightResource[],
  known: ReadonlySet<string>,
  now: number,
  roles: ReadonlyMap<string, string | undefined>,
): Draft[] {
  const vaultName = rule.TargetBackupVaultName;
  const out: Draft[] = [
    target === undefined
      ? bad(
          'target-vault',
          `Backup vault ${vaultName} of rule ${rule.RuleName} does not exist in ${plan.accountId}/${plan.region}; create it or change the rule's TargetBackupVaultName.`,
          `aws backup create-backup-vault --backup-vault-name ${vaultName} --region ${plan.region} (as account ${plan.accountId}), or update the plan's rule ${rule.RuleName} to name an existing vault.`,
        )
      : ok('target-vault', `Backup vault ${target.arn} exists.`),
  ];
  if (selections.length === 0) {
    out.push(
      bad(
        'selection',
        `Plan ${plan.name} has no backup selection: its rules back nothing up.`,
        `aws backup create-backup-selection --backup-plan-id ${plan.id} --backup-selection '{"SelectionName":"all","IamRoleArn":"arn:aws:iam::${plan.accountId}:role/service-role/AWSBackupDefaultServiceRole","Resources":["<resource ARN>"]}'`,
      ),
    );
  }
  for (const selection of selections) {
    const problem = roles.get(selection.SelectionName);
    if (problem === undefined)
      out.push(
        ok(
          'iam-role',
          `Selection ${selection.SelectionName} runs its jobs as ${selection.IamRoleArn}, which AWS Backup can assume and which may back up what it picks.`,
        ),
      );
    else {
      out.push(
        bad(
          'iam-role',
          `Selection ${selection.SelectionName}: its backup jobs will fail: ${problem}`,
          `Fix the role as the message says, or re-create selection ${selection.SelectionName} (selections cannot be updated) with IamRoleArn arn:aws:iam::${plan.accountId}:role/service-role/AWSBackupDefaultServiceRole.`,
        ),
      );
    }
    if (namedResources(selection).length > 0) out.push(namedResourcesCheck(plan, selection, known));
  }
  if (selections.length > 0) {
    out.push(
      picked.length === 0
        ? bad(
            'resources',
            `The selections of plan ${plan.name} pick no resource in ${plan.accountId}/${plan.region} now: rule ${rule.RuleName} would back nothing up.`,
            "Check the selections' Resources, tags and conditions against the configured resources (coffer plan preview shows what they pick), and the region's ResourceTypeOptInPreference.",
          )
        : ok(
            'resources',
            `The selections pick ${picked.length} resource${picked.length === 1 ? '' : 's'}: ${picked.map((r) => r.arn).join(', ')}.`,
            picked.map((r) => r.arn),
          ),
    );
  }
  if (target !== undefined) {
    const refusal = lockRefusal(target.lock, rule.Lifecycle?.DeleteAfterDays, now);
    out.push(
      refusal === undefined
        ? ok('vault-lock', target.lock === undefined ? `Vault ${target.arn} has no lock.` : `The lock of vault ${target.arn} accepts the rule's retention.`)
        : bad(
            'vault-lock',
            `Backup job failed: the recovery point's retention does not meet the vault lock of backup vault ${target.name}. ${refusal}`,
            `Give rule ${rule.RuleName} a Lifecycle DeleteAfterDays inside the lock's range (aws backup update-backup-plan), or, unless the lock is in compliance mode past its LockDate, change it (aws backup put-backup-vault-lock-configuration --backup-vault-name ${target.name}).`,
          ),
    );
  }
  return out;
}

/** Whether every resource the selection names by ARN is one Coffer knows (unknown-resources.ts). */
function namedResourcesCheck(plan: PlanRecord, selection: SelectionDocument, known: ReadonlySet<string>): Draft {
  const unknown = unknownNamedResources(selection, (arn) => known.has(arn));
  return unknown.length === 0
    ? ok('selection-resources', `Every resource selection ${selection.SelectionName} names by ARN is configured.`)
    : bad('selection-resources', unknownResourcesMessage(plan, selection.SelectionName, unknown), unknownResourcesFix(unknown), unknown);
}

/** The resources that share one repository key in the target vault, with that key's check. */
interface KeyGroup {
  readonly type: string;
  readonly resources: readonly PreflightResource[];
  readonly key: RepositoryKey | undefined;
  readonly check: Draft;
}

const keyRefOf = (vault: VaultRecord, r: PreflightResource): string => (r.type === 'RDS' ? (r.kmsKeyId ?? 'alias/aws/rds') : vault.encryptionKeyArn);

/**
 * Per resource type and key: whether the account can use the key through its service, as the
 * backup does (open the vault's repository password, or make one when there is none yet).
 */
async function keyGroups(deps: PreflightDeps, plan: PlanRecord, vault: VaultRecord, picked: readonly PreflightResource[]): Promise<KeyGroup[]> {
  const groups = new Map<string, PreflightResource[]>();
  for (const r of picked) {
    const id = `${r.type}\u0000${keyRefOf(vault, r)}`;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const out: KeyGroup[] = [];
  for (const resources of groups.values()) {
    const first = resources[0]!;
    const ref = keyRefOf(vault, first);
    const service: KeyService = first.type === 'RDS' ? 'rds' : 'backup';
    const arnsOf = resources.map((r) => r.arn);
    try {
      const key = await usableKey(deps, plan, vault, ref, service);
      out.push({
        type: first.type,
        resources,
        key,
        check: ok(
          'vault-key',
          `Account ${plan.accountId} may use KMS key ${key.keyArn} (${key.keyManager === 'AWS' ? 'AWS managed' : 'customer managed'}) for ${first.type} recovery points in vault ${vault.name}.`,
          arnsOf,
        ),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = err instanceof RepositoryKeyError ? err.kmsCode : undefined;
      out.push({
        type: first.type,
        resources,
        key: undefined,
        check: bad('vault-key', `Backup of ${first.arn} failed: ${message}`, keyFix(code, ref, plan.accountId, service), arnsOf),
      });
    }
  }
  return out;
}

/** The key `ref` names, once the account has used it as a backup would: open the stored repository password, or make one (not stored). */
async function usableKey(deps: PreflightDeps, plan: PlanRecord, vault: VaultRecord, ref: string, service: KeyService): Promise<RepositoryKey> {
  const on = { accountId: plan.accountId, region: plan.region, requestId: 'coffer-preflight' };
  const kms = deps.kms.forService(service);
  let keyArn = ref;
  try {
    const described = await kms.describeKey(on, ref);
    keyArn = described.arn;
    const context = passwordContext(vault.arn, described.keyId);
    const text = await deps.catalog.repositoryKeys.get(plan, vault.name, described.keyId);
    const stored = text === undefined ? undefined : parseStoredPassword(text);
    if (stored === undefined) await kms.generateDataKey(on, keyArn, context);
    else if (stored.ciphertext !== undefined) await deps.kms.forService(stored.service ?? service).decrypt(on, stored.ciphertext, context);
    return { keyId: described.keyId, keyArn, service, keyManager: described.keyManager };
  } catch (err) {
    throw keyRefusal(err, keyArn, vault.name);
  }
}

function keyFix(code: string | undefined, ref: string, accountId: string, service: KeyService): string {
  switch (code) {
    case 'Disabled':
      return `aws kms enable-key --key-id ${ref} (as account ${accountId})`;
    case 'InvalidState':
      return `aws kms cancel-key-deletion --key-id ${ref} && aws kms enable-key --key-id ${ref} (as account ${accountId})`;
    case 'NotFound':
      return service === 'rds'
        ? `The key is gone: set the resource's kmsKeyId in the config to a usable key (re-create the database under it).`
        : `The key is gone: a vault's key is fixed at creation, so create a new vault under a usable key and point the rule at it.`;
    case 'AccessDenied':
      return `Add to the key policy of ${ref} (aws kms put-key-policy as the key's account) the statement ${JSON.stringify({ Sid: `AllowBackup${accountId}`, Effect: 'Allow', Principal: { AWS: arns.accountRoot(accountId) }, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:CreateGrant'], Resource: '*' })}.`;
    default:
      return `Check key ${ref}'s state and policy (aws kms describe-key --key-id ${ref}).`;
  }
}

async function copyActionChecks(
  deps: PreflightDeps,
  plan: PlanRecord,
  rule: PlanRule,
  action: PlanCopyAction,
  source: Pick<VaultRecord, 'name' | 'arn'>,
  keys: readonly KeyGroup[],
  now: number,
): Promise<Draft[]> {
  const arn = action.DestinationBackupVaultArn;
  let where: ReturnType<typeof vaultOfArn>;
  try {
    where = vaultOfArn(arn);
  } catch (err) {
    return [
      bad(
        'destination-vault',
        err instanceof Error ? err.message : String(err),
        `Update the plan's rule ${rule.RuleName} with a DestinationBackupVaultArn of the form arn:aws:backup:<region>:<account>:backup-vault:<name>.`,
      ),
    ];
  }
  const destination = await deps.catalog.vaults.get({ accountId: where.accountId, region: where.region }, where.name);
  if (destination === undefined) {
    return [
      bad(
        'destination-vault',
        `Copy job failed. Destination backup vault ${arn} does not exist.`,
        `aws backup create-backup-vault --backup-vault-name ${where.name} --region ${where.region} (as account ${where.accountId}${where.accountId === plan.accountId ? '' : ', the destination account'}).`,
      ),
    ];
  }
  const out: Draft[] = [ok('destination-vault', `Destination backup vault ${arn} exists.`)];
  const lifecycle =
    action.Lifecycle === undefined
      ? undefined
      : {
          ...(action.Lifecycle.DeleteAfterDays === undefined ? {} : { deleteAfterDays: action.Lifecycle.DeleteAfterDays }),
          ...(action.Lifecycle.MoveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: action.Lifecycle.MoveToColdStorageAfterDays }),
        };
  const days = rule.Lifecycle?.DeleteAfterDays;
  // The recovery point a backup would make now: its lifecycle is the rule's.
  const point = {
    createdAt: now,
    lifecycle: days === undefined ? undefined : { deleteAfterDays: days },
    calculatedLifecycle: { deleteAt: days === undefined ? undefined : now + days * DAY_MS, moveToColdStorageAt: undefined },
  };
  const { calculated } = copyLifecycle(point, lifecycle);
  const base: Omit<CopySource, 'resourceType'> = {
    accountId: plan.accountId,
    region: plan.region,
    vaultName: source.name,
    vaultArn: source.arn,
    createdAt: now,
    repositoryKeyId: undefined,
  };
  const copyOf = (source: CopySource): CopyCase => ({ source, destination, calculated, now });
  // Checks about the destination, once; checks about the resource's type and key, per key group.
  const general = copyOf({ ...base, resourceType: keys[0]?.type ?? 'EFS' });
  for (const check of applicableChecks(general)) {
    if (check === checkKeyAccess || check === checkDynamoDbFeatures) {
      for (const group of keys) {
        if (group.key === undefined) continue;
        const result = await check(deps, copyOf({ ...base, resourceType: group.type, repositoryKeyId: group.key.keyId, repositoryKey: group.key }));
        out.push(
          result.passed
            ? ok(
                result.check,
                result.reason,
                group.resources.map((r) => r.arn),
              )
            : bad(
                result.check,
                refusalMessage(result),
                result.fix ?? result.reason,
                group.resources.map((r) => r.arn),
              ),
        );
      }
      continue;
    }
    const result = await check(deps, general);
    out.push(result.passed ? ok(result.check, result.reason) : bad(result.check, refusalMessage(result), result.fix ?? result.reason));
  }
  return out;
}
