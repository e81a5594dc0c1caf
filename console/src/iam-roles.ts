/** The IAM role Coffer's jobs run as by default, as AWS Backup's console proposes it. */
export const defaultRoleArn = (accountId: string): string => `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`;
