/**
 * The AWS CLI shared credentials file (INI) that first start writes, so that
 * `AWS_SHARED_CREDENTIALS_FILE=<dataDir>/credentials aws --profile coffer ...` works at once.
 * Each profile names a region too (botocore, hence the AWS CLI and boto3, reads `region` from
 * the credentials file's profile), so the command works on a machine with no ~/.aws/config.
 */

export interface CredentialsProfile {
  readonly profile: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region?: string;
}

export function renderCredentialsFile(profiles: readonly CredentialsProfile[]): string {
  const header = '# Written by Coffer: access keys it generated for accounts the config gives none.\n';
  const sections = profiles.map(
    (p) =>
      `[${p.profile}]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n${p.region === undefined ? '' : `region = ${p.region}\n`}`,
  );
  return header + sections.join('\n');
}
