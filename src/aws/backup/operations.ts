/**
 * The AWS Backup operations Coffer serves and how completely, by operation name. This is the
 * source of docs/api-coverage.md (scripts/gen-api-coverage.mjs); test/aws/backup-binding.test.ts
 * checks it against the handlers registered in backup-binding.ts. `partial`: served with AWS's
 * shapes, but part of the behaviour is still to come (said in the comment). An operation absent
 * here answers 501 NotImplementedException naming it.
 */
export const IMPLEMENTED: Readonly<Record<string, 'implemented' | 'partial' | 'planned'>> = {
  CreateBackupVault: 'implemented',
  DescribeBackupVault: 'implemented',
  ListBackupVaults: 'implemented',
  DeleteBackupVault: 'implemented',
  PutBackupVaultLockConfiguration: 'implemented',
  DeleteBackupVaultLockConfiguration: 'implemented',
  CreateLegalHold: 'implemented',
  GetLegalHold: 'implemented',
  ListLegalHolds: 'implemented',
  CancelLegalHold: 'implemented',
  ListRecoveryPointsByLegalHold: 'implemented',
  // Only the organization's management account; isCrossAccountBackupEnabled, isDelegatedAdministratorEnabled, isMpaEnabled.
  DescribeGlobalSettings: 'implemented',
  UpdateGlobalSettings: 'implemented',
  // Enforced on every operation it governs (src/backup/vault-authorization.ts).
  PutBackupVaultAccessPolicy: 'implemented',
  GetBackupVaultAccessPolicy: 'implemented',
  DeleteBackupVaultAccessPolicy: 'implemented',
  // Delivered to the topics the config declares (docs/notifications.md).
  PutBackupVaultNotifications: 'implemented',
  GetBackupVaultNotifications: 'implemented',
  DeleteBackupVaultNotifications: 'implemented',
  TagResource: 'implemented',
  UntagResource: 'implemented',
  ListTags: 'implemented',
  GetSupportedResourceTypes: 'implemented',
  DescribeRegionSettings: 'implemented',
  UpdateRegionSettings: 'implemented',
  CreateBackupPlan: 'implemented',
  // ScheduledRunsPreview (MaxScheduledRunsPreview) comes with the scheduler.
  GetBackupPlan: 'implemented',
  UpdateBackupPlan: 'implemented',
  DeleteBackupPlan: 'implemented',
  ListBackupPlans: 'implemented',
  ListBackupPlanVersions: 'implemented',
  GetBackupPlanFromJSON: 'implemented',
  ListBackupPlanTemplates: 'implemented',
  GetBackupPlanFromTemplate: 'implemented',
  ExportBackupPlanTemplate: 'implemented',
  CreateBackupSelection: 'implemented',
  GetBackupSelection: 'implemented',
  DeleteBackupSelection: 'implemented',
  ListBackupSelections: 'implemented',
  // Directory (EFS-type) resources; jobs run in the server's worker pool.
  StartBackupJob: 'implemented',
  DescribeBackupJob: 'implemented',
  ListBackupJobs: 'implemented',
  // Stops a job that has not started at once; a running one ends ABORTED when its snapshot is written (then removed).
  StopBackupJob: 'implemented',
  StartRestoreJob: 'implemented',
  DescribeRestoreJob: 'implemented',
  ListRestoreJobs: 'implemented',
  GetRestoreJobMetadata: 'implemented',
  // A restore test's job: its final status ends the validation window (docs/restore-testing.md).
  PutRestoreValidationResult: 'implemented',
  // Run on their schedule by the scheduler: restore, validate, delete the scratch resource (docs/restore-testing.md).
  CreateRestoreTestingPlan: 'implemented',
  GetRestoreTestingPlan: 'implemented',
  ListRestoreTestingPlans: 'implemented',
  UpdateRestoreTestingPlan: 'implemented',
  DeleteRestoreTestingPlan: 'implemented',
  CreateRestoreTestingSelection: 'implemented',
  GetRestoreTestingSelection: 'implemented',
  ListRestoreTestingSelections: 'implemented',
  UpdateRestoreTestingSelection: 'implemented',
  DeleteRestoreTestingSelection: 'implemented',
  GetRestoreTestingInferredMetadata: 'implemented',
  StartCopyJob: 'implemented',
  DescribeCopyJob: 'implemented',
  ListCopyJobs: 'implemented',
  ListRecoveryPointsByBackupVault: 'implemented',
  ListRecoveryPointsByResource: 'implemented',
  DescribeRecoveryPoint: 'implemented',
  DeleteRecoveryPoint: 'implemented',
  // In a locked vault a lifecycle may only be lengthened, within the lock's range (docs/vault-lock.md).
  UpdateRecoveryPointLifecycle: 'implemented',
  GetRecoveryPointRestoreMetadata: 'implemented',
  // S3 and EFS-type recovery points; the index is the snapshot's restic trees (docs/recovery-point-indexes.md).
  UpdateRecoveryPointIndexSettings: 'implemented',
  GetRecoveryPointIndexDetails: 'implemented',
  ListIndexedRecoveryPoints: 'implemented',
  ListProtectedResources: 'implemented',
  DescribeProtectedResource: 'implemented',
  ListProtectedResourcesByBackupVault: 'implemented',
  ListRestoreJobsByProtectedResource: 'implemented',
  // Coffer makes no continuous or composite recovery points: a snapshot point is refused as AWS refuses one (InvalidRequestException).
  DisassociateRecoveryPoint: 'implemented',
  DisassociateRecoveryPointFromParent: 'implemented',
  // Per day for the last 14 days (ONE_DAY) or over 7 / 14 days, in the caller's region (docs/audit.md).
  ListBackupJobSummaries: 'implemented',
  ListCopyJobSummaries: 'implemented',
  ListRestoreJobSummaries: 'implemented',
  // Coffer runs no malware scans: always an empty list.
  ListScanJobSummaries: 'implemented',
  // Deployed at once (COMPLETED, ACTIVE); controls evaluated against the catalog in the compliance reports (docs/audit.md).
  CreateFramework: 'implemented',
  DescribeFramework: 'implemented',
  ListFrameworks: 'implemented',
  UpdateFramework: 'implemented',
  DeleteFramework: 'implemented',
  // Reports go to the location config `reports` gives the plan's S3BucketName (docs/configuration.md); daily after 01:00 UTC too.
  CreateReportPlan: 'implemented',
  DescribeReportPlan: 'implemented',
  ListReportPlans: 'implemented',
  UpdateReportPlan: 'implemented',
  DeleteReportPlan: 'implemented',
  // The job runs before the call answers: DescribeReportJob shows it COMPLETED (or FAILED, saying why).
  StartReportJob: 'implemented',
  DescribeReportJob: 'implemented',
  ListReportJobs: 'implemented',
};

/**
 * Why each operation still answering 501 does: what stands between it and a faithful behaviour
 * (docs/api-coverage.md lists them). An operation missing from IMPLEMENTED should have a row here.
 */
export const NOT_YET: Readonly<Record<string, string>> = {
  AssociateBackupVaultMpaApprovalTeam:
    'cannot exist outside AWS: multi-party approval teams are AWS Organizations and IAM Identity Center objects with approvals by their members',
  DisassociateBackupVaultMpaApprovalTeam: 'cannot exist outside AWS (see AssociateBackupVaultMpaApprovalTeam)',
  CreateLogicallyAirGappedBackupVault: 'to come: a vault with a Coffer-owned key, always locked in compliance mode, shared read-only through AWS RAM semantics',
  CreateRestoreAccessBackupVault: 'to come with logically air-gapped vaults',
  ListRestoreAccessBackupVaults: 'to come with logically air-gapped vaults',
  RevokeRestoreAccessBackupVault: 'to come with logically air-gapped vaults',
  StartScanJob: "only with a real malware scanner running the scans (e.g. ClamAV from Debian's packages); not yet",
  DescribeScanJob: 'with StartScanJob',
  ListScanJobs: 'with StartScanJob',
  CreateTieringConfiguration: 'to come: S3 backup tiering needs a cheaper storage class per region to move data to',
  GetTieringConfiguration: 'with CreateTieringConfiguration',
  ListTieringConfigurations: 'with CreateTieringConfiguration',
  UpdateTieringConfiguration: 'with CreateTieringConfiguration',
  DeleteTieringConfiguration: 'with CreateTieringConfiguration',
};
