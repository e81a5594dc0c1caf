/**
 * The disaster recovery drill (support/drill.ts) on S3-compatible storage: each region's vaults
 * in a bucket of its own moto server (eu-central-1 beside the DynamoDB tables, with the AWS
 * environment's credentials; eu-west-1 on a second server, with the region's storageCredentials).
 * The disaster empties eu-central-1's bucket; restic reads the eu-west-1 copies with what
 * `coffer vault restic-env` prints (its AWS credentials too), in a shell without any AWS settings.
 */
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../connectors/support/moto-server.js';
import { DRILL_CENTRAL, DRILL_WEST, defineDrill } from './support/drill.js';

const s3 = (endpoint: string): S3Client => new S3Client({ endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });

defineDrill('the drill on S3-compatible storage: production region and catalog lost, the backup account recovers and restores its copies', async ({ moto }) => {
  const west = await startMoto();
  const central = s3(moto.endpoint);
  await central.send(new CreateBucketCommand({ Bucket: 'central-vaults' }));
  const westClient = s3(west.endpoint);
  await westClient.send(new CreateBucketCommand({ Bucket: 'west-vaults' }));
  westClient.destroy();
  return {
    regionsYaml: `regions:
  - { name: ${DRILL_CENTRAL}, storage: "s3:${moto.endpoint}/central-vaults/coffer" }
  - name: ${DRILL_WEST}
    storage: "s3:${west.endpoint}/west-vaults/coffer"
    storageCredentials: { accessKeyId: ${MOTO_CREDENTIALS.accessKeyId}, secretAccessKey: ${MOTO_CREDENTIALS.secretAccessKey} }
`,
    env: { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION },
    async loseCentral() {
      let token: string | undefined;
      do {
        const page = await central.send(new ListObjectsV2Command({ Bucket: 'central-vaults', ContinuationToken: token }));
        for (const object of page.Contents ?? []) await central.send(new DeleteObjectCommand({ Bucket: 'central-vaults', Key: object.Key! }));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    repository: new RegExp(`s3:${west.endpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/west-vaults/coffer/${'222222222222'}/copies/[^']+/repo`),
    credentialLines: new RegExp(
      `export AWS_ACCESS_KEY_ID='${MOTO_CREDENTIALS.accessKeyId}'\\nexport AWS_SECRET_ACCESS_KEY='${MOTO_CREDENTIALS.secretAccessKey}'\\n`,
    ),
    async stop() {
      central.destroy();
      await west.stop();
    },
  };
});
