# Audit in the production account: a framework of AWS's controls (with parameters and scopes)
# and two report plans, the daily backup jobs report and a compliance report of the framework.
resource "aws_backup_framework" "audit" {
  name        = "production_audit"
  description = "what the auditors check every day"

  control {
    name = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"
    scope {
      compliance_resource_types = ["RDS", "EFS"]
    }
  }

  control {
    name = "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK"
    input_parameter {
      name  = "requiredFrequencyUnit"
      value = "hours"
    }
    input_parameter {
      name  = "requiredFrequencyValue"
      value = "24"
    }
    input_parameter {
      name  = "requiredRetentionDays"
      value = "35"
    }
  }

  control {
    name = "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT"
    input_parameter {
      name  = "crossAccountList"
      value = var.backup_account
    }
  }

  control {
    name = "BACKUP_RECOVERY_POINT_ENCRYPTED"
    scope {
      tags = { tier = "gold" }
    }
  }

  tags = { purpose = "audit" }
}

resource "aws_backup_report_plan" "jobs" {
  name        = "daily_backup_jobs"
  description = "every backup job of the day"

  report_delivery_channel {
    s3_bucket_name = "production-audit-reports"
    s3_key_prefix  = "backup"
    formats        = ["CSV", "JSON"]
  }

  report_setting {
    report_template = "BACKUP_JOB_REPORT"
  }

  tags = { purpose = "audit" }
}

resource "aws_backup_report_plan" "compliance" {
  name = "daily_compliance"

  report_delivery_channel {
    s3_bucket_name = "production-audit-reports"
    formats        = ["JSON"]
  }

  report_setting {
    report_template = "RESOURCE_COMPLIANCE_REPORT"
    framework_arns  = [aws_backup_framework.audit.arn]
  }
}

output "framework_arn" { value = aws_backup_framework.audit.arn }
