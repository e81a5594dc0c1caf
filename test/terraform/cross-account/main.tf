# The cross-region + cross-account AWS Backup setup of test/terraform/cross-account.test.ts:
# a production account (default provider, us-east-1, and alias "dr" in eu-west-1) and a backup
# account (alias "vaults", reached by assuming a role there). Every provider block names only
# its region and Coffer's endpoints: no skip_* flags, no credentials in the file.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" { type = string }
variable "backup_account" { type = string }
variable "sns_topic_arn" {
  type    = string
  default = "arn:aws:sns:us-east-1:111111111111:backup-events"
}

# The production account, in its home region.
provider "aws" {
  region = "us-east-1"
  endpoints {
    backup = var.endpoint
    kms    = var.endpoint
    sts    = var.endpoint
    iam    = var.endpoint
  }
}

# The same account, in the disaster-recovery region.
provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
  endpoints {
    backup = var.endpoint
    kms    = var.endpoint
    sts    = var.endpoint
    iam    = var.endpoint
  }
}

# The backup account, reached by assuming a role there.
provider "aws" {
  alias  = "vaults"
  region = "us-east-1"
  assume_role {
    role_arn     = "arn:aws:iam::${var.backup_account}:role/coffer-terraform"
    session_name = "terraform"
  }
  endpoints {
    backup = var.endpoint
    kms    = var.endpoint
    sts    = var.endpoint
    iam    = var.endpoint
  }
}

data "aws_caller_identity" "prod" {}
data "aws_caller_identity" "vaults" { provider = aws.vaults }

resource "aws_kms_key" "vaults" {
  provider                = aws.vaults
  description             = "backup account vault key"
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "owner", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.vaults.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "prod-copies", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.prod.account_id}:root" },
        Action = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"], Resource = "*" },
    ]
  })
}

resource "aws_kms_alias" "vaults" {
  provider      = aws.vaults
  name          = "alias/coffer-vaults"
  target_key_id = aws_kms_key.vaults.key_id
}

resource "aws_backup_vault" "prod" {
  name = "prod"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}

resource "aws_backup_vault" "vaults" {
  provider    = aws.vaults
  name        = "central"
  kms_key_arn = aws_kms_key.vaults.arn
}

resource "aws_backup_vault_policy" "vaults" {
  provider          = aws.vaults
  backup_vault_name = aws_backup_vault.vaults.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "prod-copies-in"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.prod.account_id}:root" }
      Action    = "backup:CopyIntoBackupVault"
      Resource  = "*"
    }]
  })
}

resource "aws_backup_vault_notifications" "prod" {
  backup_vault_name   = aws_backup_vault.prod.name
  sns_topic_arn       = var.sns_topic_arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"]
}

resource "aws_backup_vault_lock_configuration" "vaults" {
  provider           = aws.vaults
  backup_vault_name  = aws_backup_vault.vaults.name
  min_retention_days = 7
  max_retention_days = 1200
}

resource "aws_iam_role" "backup" {
  name = "coffer-backup"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "backup.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restores" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

resource "aws_backup_plan" "prod" {
  name = "prod-plan"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.prod.name
    schedule          = "cron(0 5 ? * * *)"
    start_window      = 60
    completion_window = 180
    lifecycle {
      delete_after = 35
    }
    recovery_point_tags = { tier = "daily" }
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
      lifecycle {
        delete_after = 35
      }
    }
    copy_action {
      destination_vault_arn = aws_backup_vault.vaults.arn
      lifecycle {
        delete_after = 90
      }
    }
  }

  rule {
    rule_name         = "weekly"
    target_vault_name = aws_backup_vault.prod.name
    schedule          = "cron(0 6 ? * SUN *)"
    lifecycle {
      cold_storage_after = 30
      delete_after       = 120
    }
  }

  rule {
    rule_name         = "monthly"
    target_vault_name = aws_backup_vault.prod.name
    schedule          = "cron(0 7 1 * ? *)"
    lifecycle {
      delete_after = 400
    }
  }
}

resource "aws_backup_selection" "by_arn" {
  name         = "by-arn"
  plan_id      = aws_backup_plan.prod.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["arn:aws:dynamodb:us-east-1:${data.aws_caller_identity.prod.account_id}:table/orders"]
}

resource "aws_backup_selection" "by_tag" {
  name         = "by-tag"
  plan_id      = aws_backup_plan.prod.id
  iam_role_arn = aws_iam_role.backup.arn
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}

resource "aws_backup_selection" "conditions" {
  name          = "conditions"
  plan_id       = aws_backup_plan.prod.id
  iam_role_arn  = aws_iam_role.backup.arn
  resources     = ["*"]
  not_resources = ["arn:aws:dynamodb:us-east-1:${data.aws_caller_identity.prod.account_id}:table/scratch"]
  condition {
    string_equals {
      key   = "aws:ResourceTag/env"
      value = "prod"
    }
    string_not_like {
      key   = "aws:ResourceTag/owner"
      value = "test*"
    }
  }
}

resource "aws_backup_region_settings" "prod" {
  # DescribeRegionSettings answers every resource type with its value, so all of them are named here (as on AWS).
  resource_type_opt_in_preference = {
    "Aurora"                 = false
    "CloudFormation"         = true
    "DocumentDB"             = true
    "DSQL"                   = true
    "DynamoDB"               = true
    "EBS"                    = true
    "EC2"                    = true
    "EFS"                    = true
    "EKS"                    = true
    "FSx"                    = true
    "Neptune"                = true
    "RDS"                    = true
    "Redshift"               = true
    "Redshift Serverless"    = true
    "S3"                     = true
    "SAP HANA on Amazon EC2" = true
    "Storage Gateway"        = true
    "Timestream"             = true
    "VirtualMachine"         = true
  }
}

resource "aws_backup_global_settings" "org" {
  # DescribeGlobalSettings answers every setting, so all of them are named here (as on AWS).
  global_settings = {
    "isCrossAccountBackupEnabled"     = "true"
    "isDelegatedAdministratorEnabled" = "false"
    "isMpaEnabled"                    = "false"
  }
}

data "aws_backup_vault" "prod" {
  name = aws_backup_vault.prod.name
}

data "aws_backup_plan" "prod" {
  plan_id = aws_backup_plan.prod.id
}

data "aws_backup_selection" "by_tag" {
  plan_id      = aws_backup_plan.prod.id
  selection_id = aws_backup_selection.by_tag.id
}

data "aws_kms_key" "vaults" {
  provider = aws.vaults
  key_id   = aws_kms_alias.vaults.name
}

output "prod_account" { value = data.aws_caller_identity.prod.account_id }
output "vaults_account" { value = data.aws_caller_identity.vaults.account_id }
output "vault_key" { value = data.aws_kms_key.vaults.arn }
