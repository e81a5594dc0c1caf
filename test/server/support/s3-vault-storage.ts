/**
 * Regions whose vaults live on S3-compatible storage (real moto servers) for service tests:
 * buckets made on a moto endpoint, the region storage URLs in restic's form, the repository URL
 * of a vault (`<root>/<account>/<vault>/<key id>/repo`, what restic opens), the environment
 * restic needs for moto, and what a bucket holds (to see that prune removed packs).
 */
// test-needs: moto, restic
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS, MOTO_REGION } from '../../connectors/support/moto-server.js';
import { resticOk } from '../../support/restic.js';
import { vaultKeyId, writeVaultPasswordFile } from './vault-password.js';

/** What restic (and `coffer vault`) need to open a repository on moto. */
export const S3_ENV = {
  AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  AWS_DEFAULT_REGION: MOTO_REGION,
} as const;

function clientOf(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
}

export async function makeBuckets(endpoint: string, ...buckets: readonly string[]): Promise<void> {
  const client = clientOf(endpoint);
  try {
    for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

/** The keys and total size of the objects under `prefix`. */
export async function objectsUnder(endpoint: string, bucket: string, prefix: string): Promise<{ readonly keys: string[]; readonly bytes: number }> {
  const client = clientOf(endpoint);
  const keys: string[] = [];
  let bytes = 0;
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        keys.push(o.Key!);
        bytes += o.Size ?? 0;
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  } finally {
    client.destroy();
  }
  return { keys, bytes };
}

type Scope = { readonly accountId: string; readonly region: string };

/** A vault's repository on S3 as restic opens it, with a password file for it. */
export interface S3Repository {
  readonly url: string;
  readonly passwordFile: string;
}

/**
 * The repository of `vault` below the storage `root` (a region's `storage` or `coldStorage`),
 * and its password written to `passwordFile` (break-glass from the catalog).
 */
export async function s3Repository(dataDir: string, scope: Scope, root: string, vault: string, passwordFile: string): Promise<S3Repository> {
  const keyId = vaultKeyId(dataDir, scope, vault);
  await writeVaultPasswordFile(dataDir, scope, vault, passwordFile);
  return { url: `${root}/${scope.accountId}/${vault}/${keyId}/repo`, passwordFile };
}

/** restic on the repository, with moto's credentials; fails with its output unless it exits 0. */
export function resticS3(repo: S3Repository, args: readonly string[]): string {
  return resticOk(repo.url, repo.passwordFile, args, S3_ENV);
}

/** The snapshot ids restic lists. */
export function resticSnapshotIds(repo: S3Repository): string[] {
  return (JSON.parse(resticS3(repo, ['snapshots', '--json'])) as { id: string }[]).map((s) => s.id);
}

/**
 * The test's own clients (support/clients.ts) switch the AWS SDK's NodeVersionSupportWarning
 * off in this process's environment, which the server would inherit: take it out, so that a
 * clean stderr of `coffer serve` shows the server silences it itself.
 */
export function unsilenceSdkWarningForChildren(): void {
  delete process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
}
