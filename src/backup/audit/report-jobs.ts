/**
 * Report jobs (StartReportJob, DescribeReportJob, ListReportJobs, and the daily runs): a job
 * reads the report plan's records for the last 24 hours (jobs reports) or evaluates its
 * frameworks now (compliance reports), writes one file per format through the ReportSink, and
 * ends COMPLETED with the keys it wrote, or FAILED saying why (an unwritable location, a
 * framework deleted since). A job runs before StartReportJob answers: reports are small, and
 * the caller's DescribeReportJob then never sees a half-written one.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { JobKind, JobRecord } from '../../catalog/job-records.js';
import type { ReportJobRecord, ReportJobStatus } from '../../catalog/report-plans.js';
import { everyItem } from '../../catalog/pagination.js';
import { parseArn } from '../../iam/arn.js';
import { BackupError } from '../backup-error.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { BackupOrganization } from '../global-settings.js';
import type { IdSource } from '../id-source.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';
import type { FrameworkService } from './frameworks.js';
import { controlRows, inJobReport, jobRow, resourceRows, TEMPLATE_COLUMNS } from './report-content.js';
import type { JobTemplate, ReportPeriod } from './report-content.js';
import { reportCsv, reportJson, reportKey } from './report-files.js';
import type { ReportRow } from './report-files.js';
import { reportPlanNotFound, reportPlanOfRecord } from './report-plans.js';
import type { ReportPlan } from './report-plans.js';

/** Where report files go: the bucket a report plan names, mapped by the config (config `reports`). */
export interface ReportSink {
  /** Writes `body` under `key` in `bucket` atomically; throws with a message that says what is wrong. */
  write(bucket: string, key: string, body: Uint8Array): Promise<void>;
}

export interface ReportJob {
  readonly id: string;
  readonly planArn: string;
  readonly template: string;
  readonly status: ReportJobStatus;
  readonly statusMessage: string | undefined;
  readonly createdAt: Date;
  readonly completedAt: Date | undefined;
  readonly bucket: string;
  readonly keys: readonly string[];
}

export interface ReportJobFilterRequest extends ListRequest {
  readonly planName?: string | undefined;
  readonly status?: string | undefined;
  readonly createdAfter?: Date | undefined;
  readonly createdBefore?: Date | undefined;
}

export interface ReportJobService {
  start(scope: CallScope, planName: string, idempotencyToken?: string): Promise<ReportJob>;
  describe(scope: CallScope, id: string): Promise<ReportJob>;
  list(scope: CallScope, request: ReportJobFilterRequest): Promise<ListPage<ReportJob>>;
  /** Starts today's job of every report plan not yet attempted today (after 01:00 UTC, as AWS runs them); how many it started. */
  runDaily(): Promise<number>;
}

export interface ReportJobDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly organization?: BackupOrganization | undefined;
  readonly frameworks: FrameworkService;
  readonly reports?: ReportSink | undefined;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const JOB_KIND: Readonly<Record<JobTemplate, JobKind>> = { BACKUP_JOB_REPORT: 'backup', COPY_JOB_REPORT: 'copy', RESTORE_JOB_REPORT: 'restore' };

export function reportJobOfRecord(record: ReportJobRecord): ReportJob {
  return {
    id: record.id,
    planArn: record.planArn,
    template: record.template,
    status: record.status,
    statusMessage: record.statusMessage,
    createdAt: new Date(record.createdAt),
    completedAt: record.completedAt === undefined ? undefined : new Date(record.completedAt),
    bucket: record.bucket,
    keys: record.keys ?? [],
  };
}

export function createReportJobService(deps: ReportJobDeps): ReportJobService {
  const { catalog, clock, ids } = deps;

  /** The accounts and regions a plan reports on. */
  const reach = (plan: ReportPlan): { accounts: readonly string[]; regions: readonly string[] | undefined } => {
    const asked = plan.setting.Accounts ?? [];
    const members = deps.organization?.memberAccountIds ?? [plan.accountId];
    const accounts = asked.length === 0 ? [plan.accountId] : asked.some((a) => a === '*' || a === 'ROOT') ? members : asked;
    const regions = plan.setting.Regions ?? [];
    return { accounts, regions: regions.length === 0 ? [plan.region] : regions.includes('*') ? undefined : regions };
  };

  const rowsOf = async (scope: CallScope, plan: ReportPlan, period: ReportPeriod): Promise<ReportRow[]> => {
    const template = plan.setting.ReportTemplate;
    if (template in JOB_KIND) {
      const { accounts, regions } = reach(plan);
      // A job active now may have been created long ago: read far enough back (AWS keeps 30 days of jobs in its reports' reach).
      const jobs: JobRecord[] = await catalog.auditEvidence.jobsSince(JOB_KIND[template as JobTemplate], accounts, period.end - 30 * DAY_MS, regions);
      return jobs.filter((j) => inJobReport(j, period)).map((j) => jobRow(template as JobTemplate, j, period));
    }
    const rows: ReportRow[] = [];
    for (const arn of plan.setting.FrameworkArns ?? []) {
      const parsed = parseArn(arn);
      const name = parsed?.resource.slice('framework:'.length).split('-')[0] ?? '';
      const frameworkScope = { ...scope, region: parsed?.region ?? scope.region };
      const compliance = await deps.frameworks.evaluate(frameworkScope, name);
      if (compliance.framework.arn !== arn) throw new Error(`framework ${arn} no longer exists (a framework of that name was made since)`);
      rows.push(
        ...(template === 'CONTROL_COMPLIANCE_REPORT' ? controlRows(compliance, frameworkScope, period) : resourceRows(compliance, frameworkScope, period)),
      );
    }
    return rows;
  };

  const run = async (scope: CallScope, plan: ReportPlan, job: ReportJobRecord): Promise<ReportJobRecord> => {
    const at = new Date(job.createdAt);
    const period = { start: job.createdAt - DAY_MS, end: job.createdAt };
    const keys: string[] = [];
    try {
      if (deps.reports === undefined) throw new Error('this Coffer has no report location (config reports)');
      const rows = await rowsOf(scope, plan, period);
      const columns = TEMPLATE_COLUMNS[plan.setting.ReportTemplate]!;
      for (const format of (plan.delivery.Formats ?? ['CSV']) as ('CSV' | 'JSON')[]) {
        const key = reportKey({
          prefix: plan.delivery.S3KeyPrefix,
          accountId: scope.accountId,
          region: scope.region,
          planName: plan.name,
          template: plan.setting.ReportTemplate,
          jobId: job.id,
          at,
          format,
        });
        const body = format === 'CSV' ? reportCsv(columns, rows) : reportJson(columns, rows);
        await deps.reports.write(plan.delivery.S3BucketName, key, new TextEncoder().encode(body));
        keys.push(key);
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const ended = await catalog.reportPlans.endJob(scope, job.id, {
        status: 'FAILED',
        statusMessage: `The report could not be written to bucket ${plan.delivery.S3BucketName}: ${reason}.`,
        keys,
        completedAt: clock.now().getTime(),
      });
      await catalog.reportPlans.update(scope, plan.name, { lastAttemptedAt: job.createdAt });
      return ended ?? job;
    }
    const ended = await catalog.reportPlans.endJob(scope, job.id, { status: 'COMPLETED', statusMessage: undefined, keys, completedAt: clock.now().getTime() });
    await catalog.reportPlans.update(scope, plan.name, { lastAttemptedAt: job.createdAt, lastSucceededAt: job.createdAt });
    return ended ?? job;
  };

  const startFor = async (scope: CallScope, plan: ReportPlan, idempotencyToken: string | undefined): Promise<ReportJobRecord> => {
    const job = await catalog.reportPlans.createJob(scope, {
      id: ids.uuid(),
      planName: plan.name,
      planArn: plan.arn,
      template: plan.setting.ReportTemplate,
      status: 'RUNNING',
      bucket: plan.delivery.S3BucketName,
      idempotencyToken,
      createdAt: clock.now().getTime(),
    });
    return run(scope, plan, job);
  };

  return {
    async start(scope, planName, idempotencyToken) {
      const record = await catalog.reportPlans.get(scope, planName);
      if (record === undefined) throw reportPlanNotFound(scope, planName);
      if (idempotencyToken !== undefined) {
        const earlier = await catalog.reportPlans.findJobByIdempotencyToken(scope, planName, idempotencyToken);
        if (earlier !== undefined) return reportJobOfRecord(earlier);
      }
      return reportJobOfRecord(await startFor(scope, reportPlanOfRecord(record), idempotencyToken));
    },

    async describe(scope, id) {
      const record = await catalog.reportPlans.getJob(scope, id);
      if (record === undefined) {
        throw new BackupError(
          'ReportJobNotFound',
          `Report job ${id} does not exist in account ${scope.accountId}, region ${scope.region} (ListReportJobs lists them).`,
          {
            context: id,
          },
        );
      }
      return reportJobOfRecord(record);
    },

    async list(scope, request) {
      if (request.planName !== undefined && (await catalog.reportPlans.get(scope, request.planName)) === undefined)
        throw reportPlanNotFound(scope, request.planName);
      return listPage(
        request,
        (page) =>
          catalog.reportPlans.listJobs(
            scope,
            {
              planName: request.planName,
              status: request.status,
              createdAfter: request.createdAfter?.getTime(),
              createdBefore: request.createdBefore?.getTime(),
            },
            page,
          ),
        reportJobOfRecord,
      );
    },

    async runDaily() {
      const now = clock.now().getTime();
      const due = Math.floor(now / DAY_MS) * DAY_MS + HOUR_MS;
      if (now < due) return 0;
      let started = 0;
      for await (const record of everyItem((page) => catalog.reportPlans.listAll(page))) {
        if (record.lastAttemptedAt !== undefined && record.lastAttemptedAt >= due) continue;
        if (record.createdAt >= due) continue;
        const scope: CallScope = {
          accountId: record.accountId,
          region: record.region,
          principal: `arn:aws:iam::${record.accountId}:root`,
          requestId: `daily-report-${ids.uuid()}`,
        };
        await startFor(scope, reportPlanOfRecord(record), undefined);
        started += 1;
      }
      return started;
    },
  };
}
