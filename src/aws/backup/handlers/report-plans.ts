/**
 * CreateReportPlan, DescribeReportPlan, ListReportPlans, UpdateReportPlan, DeleteReportPlan,
 * StartReportJob, DescribeReportJob, ListReportJobs: AWS's ReportSetting and
 * ReportDeliveryChannel pass through as the caller gave them; report jobs to AWS's ReportJob.
 */
import type { ReportJob } from '../../../backup/audit/report-jobs.js';
import type { ReportDeliveryChannel, ReportPlan, ReportSetting } from '../../../backup/audit/report-plans.js';
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

function planOut(plan: ReportPlan): Record<string, unknown> {
  return {
    ReportPlanArn: plan.arn,
    ReportPlanName: plan.name,
    ReportPlanDescription: plan.description,
    ReportSetting: plan.setting,
    ReportDeliveryChannel: plan.delivery,
    DeploymentStatus: plan.deploymentStatus,
    CreationTime: plan.createdAt,
    LastAttemptedExecutionTime: plan.lastAttemptedAt,
    LastSuccessfulExecutionTime: plan.lastSucceededAt,
  };
}

function jobOut(job: ReportJob): Record<string, unknown> {
  return {
    ReportJobId: job.id,
    ReportPlanArn: job.planArn,
    ReportTemplate: job.template,
    CreationTime: job.createdAt,
    CompletionTime: job.completedAt,
    Status: job.status,
    StatusMessage: job.statusMessage,
    ReportDestination: { S3BucketName: job.bucket, S3Keys: job.keys },
  };
}

export function reportPlanHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const plans = () => domain.audit.reportPlans;
  const jobs = () => domain.audit.reportJobs;
  return {
    async CreateReportPlan(ctx, input) {
      const plan = await plans().create(scopeOf(ctx), {
        name: requiredString(input, 'ReportPlanName'),
        description: optionalString(input, 'ReportPlanDescription'),
        setting: input['ReportSetting'] as ReportSetting,
        delivery: input['ReportDeliveryChannel'] as ReportDeliveryChannel,
        tags: optionalStringMap(input, 'ReportPlanTags'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
      });
      return { ReportPlanName: plan.name, ReportPlanArn: plan.arn, CreationTime: plan.createdAt };
    },

    async DescribeReportPlan(ctx, input) {
      return { ReportPlan: planOut(await plans().describe(scopeOf(ctx), requiredString(input, 'ReportPlanName'))) };
    },

    async ListReportPlans(ctx, input) {
      const page = await plans().list(scopeOf(ctx), listRequestOf(input));
      return { ReportPlans: page.items.map(planOut), NextToken: page.nextToken };
    },

    async UpdateReportPlan(ctx, input) {
      const plan = await plans().update(scopeOf(ctx), requiredString(input, 'ReportPlanName'), {
        description: optionalString(input, 'ReportPlanDescription'),
        setting: input['ReportSetting'] as ReportSetting | undefined,
        delivery: input['ReportDeliveryChannel'] as ReportDeliveryChannel | undefined,
      });
      return { ReportPlanName: plan.name, ReportPlanArn: plan.arn, CreationTime: plan.createdAt };
    },

    async DeleteReportPlan(ctx, input) {
      await plans().delete(scopeOf(ctx), requiredString(input, 'ReportPlanName'));
    },

    async StartReportJob(ctx, input) {
      const job = await jobs().start(scopeOf(ctx), requiredString(input, 'ReportPlanName'), optionalString(input, 'IdempotencyToken'));
      return { ReportJobId: job.id };
    },

    async DescribeReportJob(ctx, input) {
      return { ReportJob: jobOut(await jobs().describe(scopeOf(ctx), requiredString(input, 'ReportJobId'))) };
    },

    async ListReportJobs(ctx, input) {
      const page = await jobs().list(scopeOf(ctx), {
        ...listRequestOf(input),
        planName: optionalString(input, 'ByReportPlanName'),
        status: optionalString(input, 'ByStatus'),
        createdAfter: input['ByCreationAfter'] as Date | undefined,
        createdBefore: input['ByCreationBefore'] as Date | undefined,
      });
      return { ReportJobs: page.items.map(jobOut), NextToken: page.nextToken };
    },
  };
}
