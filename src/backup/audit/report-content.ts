/**
 * What each of AWS's report templates holds, as columns and rows: the jobs reports
 * (BACKUP_JOB_REPORT, COPY_JOB_REPORT, RESTORE_JOB_REPORT: jobs that ended in the report's period
 * and every job still active) and the compliance reports (CONTROL_COMPLIANCE_REPORT: one row per
 * framework control; RESOURCE_COMPLIANCE_REPORT: one row per control and evaluated resource).
 * Pure over the records it is given.
 */
import type { BackupJobRecord, CopyJobRecord, JobRecord, RestoreJobRecord } from '../../catalog/job-records.js';
import type { FrameworkCompliance } from './frameworks.js';
import type { ReportRow } from './report-files.js';

export const JOB_TEMPLATES = ['BACKUP_JOB_REPORT', 'COPY_JOB_REPORT', 'RESTORE_JOB_REPORT'] as const;
export const COMPLIANCE_TEMPLATES = ['CONTROL_COMPLIANCE_REPORT', 'RESOURCE_COMPLIANCE_REPORT'] as const;
export const REPORT_TEMPLATES: readonly string[] = [...JOB_TEMPLATES, ...COMPLIANCE_TEMPLATES];
export type JobTemplate = (typeof JOB_TEMPLATES)[number];

export interface ReportPeriod {
  readonly start: number;
  readonly end: number;
}

const PERIOD = ['reportTimePeriodStart', 'reportTimePeriodEnd'];

export const TEMPLATE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  BACKUP_JOB_REPORT: [
    ...PERIOD,
    'accountId',
    'region',
    'backupJobId',
    'jobStatus',
    'statusMessage',
    'messageCategory',
    'resourceType',
    'resourceArn',
    'resourceName',
    'backupPlanArn',
    'backupRuleId',
    'creationDate',
    'completionDate',
    'jobRunTime',
    'recoveryPointArn',
    'backupSizeInBytes',
    'backupVaultName',
    'backupVaultArn',
    'iamRoleArn',
  ],
  COPY_JOB_REPORT: [
    ...PERIOD,
    'accountId',
    'region',
    'copyJobId',
    'jobStatus',
    'statusMessage',
    'messageCategory',
    'resourceType',
    'resourceArn',
    'sourceBackupVaultArn',
    'sourceRecoveryPointArn',
    'destinationBackupVaultArn',
    'destinationRecoveryPointArn',
    'backupPlanArn',
    'creationDate',
    'completionDate',
    'jobRunTime',
    'backupSizeInBytes',
    'iamRoleArn',
    'createdByBackupJobId',
  ],
  RESTORE_JOB_REPORT: [
    ...PERIOD,
    'accountId',
    'region',
    'restoreJobId',
    'jobStatus',
    'statusMessage',
    'resourceType',
    'recoveryPointArn',
    'backupVaultName',
    'createdResourceArn',
    'creationDate',
    'completionDate',
    'jobRunTime',
    'backupSizeInBytes',
    'iamRoleArn',
  ],
  CONTROL_COMPLIANCE_REPORT: [
    ...PERIOD,
    'accountId',
    'region',
    'frameworkName',
    'frameworkArn',
    'frameworkComplianceStatus',
    'controlName',
    'controlComplianceStatus',
    'compliantResourceCount',
    'nonCompliantResourceCount',
    'totalResourceCount',
    'evaluationTime',
  ],
  RESOURCE_COMPLIANCE_REPORT: [
    ...PERIOD,
    'accountId',
    'region',
    'frameworkName',
    'frameworkArn',
    'controlName',
    'resourceType',
    'resourceArn',
    'resourceId',
    'complianceStatus',
    'complianceReason',
    'evaluationTime',
  ],
};

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const runTime = (job: JobRecord) =>
  job.completedAt === undefined ? undefined : Math.max(0, Math.round((job.completedAt - (job.startedAt ?? job.createdAt)) / 1000));

/** Whether a job belongs in a jobs report of `period`: it ended in it, or it is still active. */
export function inJobReport(job: JobRecord, period: ReportPeriod): boolean {
  if (job.completedAt === undefined) return job.createdAt <= period.end;
  return job.completedAt >= period.start && job.completedAt <= period.end;
}

function common(job: JobRecord, period: ReportPeriod): ReportRow {
  return {
    reportTimePeriodStart: iso(period.start),
    reportTimePeriodEnd: iso(period.end),
    accountId: job.accountId,
    region: job.region,
    jobStatus: job.state,
    statusMessage: job.statusMessage,
    resourceType: job.resourceType,
    creationDate: iso(job.createdAt),
    completionDate: iso(job.completedAt),
    jobRunTime: runTime(job),
    backupSizeInBytes: job.backupSizeBytes,
    iamRoleArn: job.iamRoleArn,
  };
}

export function jobRow(template: JobTemplate, job: JobRecord, period: ReportPeriod): ReportRow {
  const base = common(job, period);
  switch (template) {
    case 'BACKUP_JOB_REPORT': {
      const j = job as BackupJobRecord;
      return {
        ...base,
        backupJobId: j.id,
        messageCategory: j.messageCategory,
        resourceArn: j.resourceArn,
        resourceName: j.resourceName,
        backupPlanArn: j.createdBy?.planArn,
        backupRuleId: j.createdBy?.ruleId,
        recoveryPointArn: j.recoveryPointArn,
        backupVaultName: j.vaultName,
        backupVaultArn: j.vaultArn,
      };
    }
    case 'COPY_JOB_REPORT': {
      const j = job as CopyJobRecord;
      return {
        ...base,
        copyJobId: j.id,
        messageCategory: j.messageCategory,
        resourceArn: j.resourceArn,
        sourceBackupVaultArn: j.sourceVaultArn,
        sourceRecoveryPointArn: j.sourceRecoveryPointArn,
        destinationBackupVaultArn: j.destinationVaultArn,
        destinationRecoveryPointArn: j.destinationRecoveryPointArn,
        backupPlanArn: j.createdBy?.planArn,
        createdByBackupJobId: j.parentJobId,
      };
    }
    case 'RESTORE_JOB_REPORT': {
      const j = job as RestoreJobRecord;
      return { ...base, restoreJobId: j.id, recoveryPointArn: j.recoveryPointArn, backupVaultName: j.vaultName, createdResourceArn: j.createdResourceArn };
    }
  }
}

export function controlRows(compliance: FrameworkCompliance, scope: { accountId: string; region: string }, period: ReportPeriod): ReportRow[] {
  return compliance.controls.map((c) => {
    const compliant = c.results.filter((r) => r.status === 'COMPLIANT').length;
    return {
      reportTimePeriodStart: iso(period.start),
      reportTimePeriodEnd: iso(period.end),
      accountId: scope.accountId,
      region: scope.region,
      frameworkName: compliance.framework.name,
      frameworkArn: compliance.framework.arn,
      frameworkComplianceStatus: compliance.status,
      controlName: c.control.name,
      controlComplianceStatus: c.status,
      compliantResourceCount: compliant,
      nonCompliantResourceCount: c.results.length - compliant,
      totalResourceCount: c.results.length,
      evaluationTime: compliance.evaluatedAt.toISOString(),
    };
  });
}

export function resourceRows(compliance: FrameworkCompliance, scope: { accountId: string; region: string }, period: ReportPeriod): ReportRow[] {
  return compliance.controls.flatMap((c) =>
    c.results.map((r) => ({
      reportTimePeriodStart: iso(period.start),
      reportTimePeriodEnd: iso(period.end),
      accountId: scope.accountId,
      region: scope.region,
      frameworkName: compliance.framework.name,
      frameworkArn: compliance.framework.arn,
      controlName: r.controlName,
      resourceType: r.resourceType,
      resourceArn: r.resourceArn,
      resourceId: r.resourceId,
      complianceStatus: r.status,
      complianceReason: r.reason,
      evaluationTime: compliance.evaluatedAt.toISOString(),
    })),
  );
}
