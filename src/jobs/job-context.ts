/**
 * What a job runner is given: the ledger (the only way job and recovery-point state changes),
 * the catalog for everything else it reads (vaults, plans), the clock and ids, the vault
 * repositories, the resources it may read, and who it is (the holder of its claims).
 */
import type { Clock } from '../backup/clock.js';
import type { CopyCheckDeps } from '../backup/copy-checks.js';
import type { IdSource } from '../backup/id-source.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { Catalog } from '../catalog/catalog.js';
import { jobRoleProblem } from '../iam/identity/job-role.js';
import type { JobRoleRequest } from '../iam/identity/job-role.js';
import type { ResourceConfig } from '../config/resource-config.js';
import type { RestoreTargetConfig } from '../config/restore-target-config.js';
import type { RestoreTargetRules } from '../vault/restore-target.js';
import type { VaultRepositories } from './vault-repositories.js';

export interface JobRunnerDeps {
  readonly ledger: JobLedger;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly repositories: VaultRepositories;
  /** The configured (or discovered) resource an ARN names, with what it takes to reach it. */
  readonly resources: (arn: string) => Promise<ResourceConfig | undefined>;
  /** This process's worker id: the holder of the jobs it claims. */
  readonly owner: string;
  /** What copy jobs are checked against (organization, KMS); without it only the copy runs. */
  readonly copyChecks?: CopyCheckDeps;
  /** Where directory restores may go (restoreRoots) and the directories they never enter. */
  readonly restoreTargets?: RestoreTargetRules;
  /** The config's restoreTargets: where restores of each account and region go (connectors/restore-destination.ts). */
  readonly restoreDestinations?: readonly RestoreTargetConfig[];
  /** `--sandbox`: a resource the config does not name is backed up as a metadata-only point (connectors/metadata-only.ts). */
  readonly sandbox?: boolean;
  readonly warn?: (line: string) => void;
}

/** The message a job gets when the process that ran it died or stopped mid-way. */
export const RESTARTED_MESSAGE =
  'The Coffer node running this job stopped or restarted before it finished (its lease ran out), so the job was stopped; start it again.';

/** Why the job's IamRoleArn cannot run it (missing role, not assumable by AWS Backup, lacking the job's permission); undefined when it can, or when the job names no role. */
export function roleProblemOf(
  deps: JobRunnerDeps,
  request: Omit<JobRoleRequest, 'roleArn'> & { readonly roleArn: string | undefined },
): Promise<string | undefined> {
  if (request.roleArn === undefined) return Promise.resolve(undefined);
  return jobRoleProblem(deps.catalog.iam, { ...request, roleArn: request.roleArn }, () => deps.clock.now());
}

/** A job's stop signal when its node shuts down (SIGTERM) while it runs. */
export class NodeStoppingError extends Error {
  constructor() {
    super('the Coffer node running it was shut down');
    this.name = 'NodeStoppingError';
  }
}

/** A job's stop signal when another node took it over (this node paused longer than its lease). */
export class LeaseLostError extends Error {
  constructor(kind: string, id: string) {
    super(`another Coffer node took ${kind} job ${id} over (this node's lease on it ran out)`);
    this.name = 'LeaseLostError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Calls `tick` every `ms` while `work` runs; the timer stops however `work` ends. */
export async function whileTicking<T>(ms: number, tick: () => void, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(tick, ms);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
