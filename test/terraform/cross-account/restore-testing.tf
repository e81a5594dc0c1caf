# Restore testing in the production account: a nightly plan over the production vault (the
# copies in the backup account are left out), and two selections, one by ARN with restore
# metadata overrides and a validation window, one of every RDS database tagged tier=gold.
resource "aws_backup_restore_testing_plan" "nightly" {
  name                         = "nightly_restore_test"
  schedule_expression          = "cron(0 3 ? * * *)"
  schedule_expression_timezone = "Europe/Berlin"
  start_window_hours           = 4

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.prod.arn]
    exclude_vaults        = [aws_backup_vault.vaults.arn]
    recovery_point_types  = ["SNAPSHOT"]
    selection_window_days = 7
  }

  tags = { purpose = "restore-testing" }
}

resource "aws_backup_restore_testing_selection" "uploads" {
  name                      = "uploads"
  restore_testing_plan_name = aws_backup_restore_testing_plan.nightly.name
  protected_resource_type   = "EFS"
  iam_role_arn              = aws_iam_role.backup.arn
  protected_resource_arns   = ["arn:aws:elasticfilesystem:us-east-1:${data.aws_caller_identity.prod.account_id}:file-system/fs-uploads"]
  restore_metadata_overrides = {
    ItemsToRestore = "[\"/reports\"]"
  }
  validation_window_hours = 2
}

resource "aws_backup_restore_testing_selection" "gold_databases" {
  name                      = "gold_databases"
  restore_testing_plan_name = aws_backup_restore_testing_plan.nightly.name
  protected_resource_type   = "RDS"
  iam_role_arn              = aws_iam_role.backup.arn

  protected_resource_conditions {
    string_equals {
      key   = "aws:ResourceTag/tier"
      value = "gold"
    }
    string_not_equals {
      key   = "aws:ResourceTag/stage"
      value = "test"
    }
  }
}

output "restore_testing_plan_arn" { value = aws_backup_restore_testing_plan.nightly.arn }
