# IAM for the backup role in the production account: an operator role that people of the
# account assume to run AWS Backup by hand. It may pass the backup role to AWS Backup and nothing
# else (iam:PassRole with iam:PassedToService), with AWS's operator policy attached; the backup
# role itself is read back through the data source.
data "aws_iam_role" "backup" {
  name       = aws_iam_role.backup.name
  depends_on = [aws_iam_role_policy_attachment.backup, aws_iam_role_policy_attachment.restores]
}

resource "aws_iam_role" "backup_operator" {
  name        = "coffer-backup-operator"
  description = "Runs AWS Backup jobs by hand in the production account"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.prod.account_id}:root" }, Action = "sts:AssumeRole" }]
  })
  tags = { team = "backup" }
}

resource "aws_iam_role_policy" "pass_backup_role" {
  name = "pass-backup-role"
  role = aws_iam_role.backup_operator.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = data.aws_iam_role.backup.arn
      Condition = { StringEquals = { "iam:PassedToService" = "backup.amazonaws.com" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "operator" {
  role       = aws_iam_role.backup_operator.name
  policy_arn = "arn:aws:iam::aws:policy/AWSBackupOperatorAccess"
}

output "backup_role_arn" {
  value = data.aws_iam_role.backup.arn
}
