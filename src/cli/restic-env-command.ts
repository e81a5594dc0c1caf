/**
 * `coffer vault restic-env --config FILE <recovery-point-arn>`: prints the shell lines that let
 * restic open the repository holding that recovery point, without Coffer running:
 *
 *   export RESTIC_REPOSITORY='/srv/vaults/eu-west-1/222222222222/copies/<key id>/repo'
 *   export RESTIC_PASSWORD='...'
 *   export COFFER_SNAPSHOT='<snapshot id>'
 *
 * so that `eval "$(coffer vault restic-env ...)"; restic restore "$COFFER_SNAPSHOT" --target X`
 * works. Needs the config and the root key (break-glass: no API, no key policy). stderr says what
 * was opened, never the password.
 */
import { parseArgs } from 'node:util';
import { resticEnvFor, ResticEnvError } from '../recovery/restic-env.js';
import { CliError } from './cli-error.js';
import { operatorContext } from './operator-context.js';

export const RESTIC_ENV_USAGE = `usage: coffer vault restic-env --config FILE <recovery-point-arn>

Prints export lines for RESTIC_REPOSITORY, RESTIC_PASSWORD and COFFER_SNAPSHOT (the point's
snapshot id) for the repository that holds the recovery point, read from the vault's storage
with the root key (COFFER_ROOT_KEY, the config's rootKeyFile, or the data dir's key):
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
    const env = await resticEnvFor(config, rootKey, arn);
    process.stderr.write(
      `coffer: restic-env for ${arn}: vault ${env.vaultName}, repository ${env.repository}, snapshot ${env.snapshotId} (root key from ${rootKeyFrom}; password not shown)\n`,
    );
    process.stdout.write(
      `export RESTIC_REPOSITORY=${shellQuote(env.repository)}\nexport RESTIC_PASSWORD=${shellQuote(env.password)}\nexport COFFER_SNAPSHOT=${shellQuote(env.snapshotId)}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ResticEnvError) throw new CliError(err.message);
    throw new CliError(`cannot open recovery point ${arn}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
