/**
 * backup/audit/: AWS Backup Audit Manager: frameworks of controls evaluated against the
 * catalog's real state, report plans and the report jobs that write AWS's report files, and the
 * job summaries. It reads the rest of the domain's records (plans, selections, vaults, jobs,
 * recovery points) through the catalog; it writes only its own. No HTTP, no storage kinds: a
 * report's bytes go through the injected ReportSink.
 *
 * This file: the audit services assembled from the domain's deps.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { Clock } from '../clock.js';
import type { BackupOrganization } from '../global-settings.js';
import type { IdSource } from '../id-source.js';
import type { ResourceLister } from '../protected-resource.js';
import { createFrameworkService } from './frameworks.js';
import type { FrameworkService } from './frameworks.js';
import { createJobSummaryService } from './job-summaries.js';
import { createReportJobService } from './report-jobs.js';
import type { ReportJobService, ReportSink } from './report-jobs.js';
import { createReportPlanService } from './report-plans.js';
import type { ReportPlanService } from './report-plans.js';
import type { JobSummaryService } from './job-summaries.js';

export interface AuditDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly organization?: BackupOrganization | undefined;
  /** Every resource of an account and region (the controls evaluate them); default: none. */
  readonly listResources?: ResourceLister | undefined;
  /** Where report files are written; without one, report jobs fail saying so. */
  readonly reports?: ReportSink | undefined;
}

export interface AuditDomain {
  readonly jobSummaries: JobSummaryService;
  readonly frameworks: FrameworkService;
  readonly reportPlans: ReportPlanService;
  readonly reportJobs: ReportJobService;
}

export function createAuditDomain(deps: AuditDeps): AuditDomain {
  const frameworks = createFrameworkService(deps);
  return {
    jobSummaries: createJobSummaryService(deps),
    frameworks,
    reportPlans: createReportPlanService(deps),
    reportJobs: createReportJobService({ ...deps, frameworks }),
  };
}
