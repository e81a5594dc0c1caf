/**
 * `coffer vault restic-env --config FILE <recovery-point-arn>`: prints the shell lines that let
 * restic open the repository holding that recovery point, without Coffer running:
 *
 *   export RESTIC_REPOSITORY='/srv/vaults/eu-west-1/222222222222/copies/<key id>/repo'
 *   export RESTIC_PASSWORD='...'
 *   export COFFER_SNAPSHOT='<snapshot id>'
 *
 * (on s3: storage RESTIC_REPOSITORY is restic's `s3:http(s)://HOST/BUCKET/PREFIX/...` URL, and the
 * region's storageCredentials, when the config gives them, come as AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY), so that `eval "$(coffer vault restic-env ...)"; restic restore "$COFFER_SNAPSHOT" --target X`
 * works. Needs the config and the root key (break-glass: no API, no key policy). stderr says what
 * was opened, never the password or the secret key.
 */
import { parseArgs } from 'node:util';
import { resticEnvFor, ResticEnvError } from '../recovery/restic-env.js';
import { createRegionStorage } from '../server/region-storage.js';
import { CliError } from './cli-error.js';
import { operatorContext } from './operator-context.js';

export const RESTIC_ENV_USAGE = `usage: coffer vault restic-env --config FILE <recovery-point-arn>

Prints export lines for RESTIC_REPOSITORY, RESTIC_PASSWORD and COFFER_SNAPSHOT (the point's
snapshot id) for the repository that holds the recovery point, read from the vault's storage
with the root key (COFFER_ROOT_KEY, the config's rootKeyFile, or the data dir's key). On s3:
storage with storageCredentials in the config, also AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
(secrets, like the password: keep the output off logs and screens):
  eval "$(coffer vault restic-env --config coffer.yaml arn:aws:backup:...:recovery-point:...)"
  restic restore "$COFFER_SNAPSHOT" --target /restore/here`;

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

export async function runResticEnvCommand(args: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${RESTIC_ENV_USAGE}`, 2);
  }
  if (values.help === true) {
    process.stdout.write(`${RESTIC_ENV_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`give one recovery point ARN\n\n${RESTIC_ENV_USAGE}`, 2);
  const { config, rootKey, rootKeyFrom } = await operatorContext(values.config);
  const arn = positionals[0]!;
  try {
    const env = await resticEnvFor(config, createRegionStorage(config), rootKey, arn);
    const s3 =
      env.s3 === undefined
        ? ''
        : env.s3.from === 'storageCredentials'
          ? `; S3 credentials from the region's storageCredentials (access key ${env.s3.accessKeyId}, secret not shown)`
          : '; S3 credentials: restic uses the AWS environment variables of this shell, as Coffer did';
    process.stderr.write(
      `coffer: restic-env for ${arn}: vault ${env.vaultName}, repository ${env.repository}, snapshot ${env.snapshotId} (root key from ${rootKeyFrom}; password not shown${s3})\n`,
    );
    const lines = [`export RESTIC_REPOSITORY=${shellQuote(env.repository)}`, `export RESTIC_PASSWORD=${shellQuote(env.password)}`];
    if (env.s3?.from === 'storageCredentials')
      lines.push(`export AWS_ACCESS_KEY_ID=${shellQuote(env.s3.accessKeyId)}`, `export AWS_SECRET_ACCESS_KEY=${shellQuote(env.s3.secretAccessKey)}`);
    lines.push(`export COFFER_SNAPSHOT=${shellQuote(env.snapshotId)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ResticEnvError) throw new CliError(err.message);
    throw new CliError(`cannot open recovery point ${arn}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
