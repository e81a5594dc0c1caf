/**
 * What the operator's offline commands (coffer recover, coffer vault restic-env) start from: the
 * config file and the root key (COFFER_ROOT_KEY, rootKeyFile, or the data dir's key). A bad
 * config or key is a CliError with its message; the key is never printed.
 */
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { CofferConfig } from '../config/schema.js';
import { loadRootKey, RootKeyError } from '../server/root-key.js';
import { CliError } from './cli-error.js';

export interface OperatorContext {
  readonly config: CofferConfig;
  readonly rootKey: Buffer;
  /** Where the key came from (for the log). */
  readonly rootKeyFrom: string;
}

export async function operatorContext(
  configFile: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<OperatorContext> {
  if (configFile === undefined) throw new CliError('--config FILE is required: the config names the regions whose storage is read', 2);
  try {
    const config = await loadConfig(configFile, { env });
    const key = await loadRootKey(config, env, { create: false });
    return { config, rootKey: key.key, rootKeyFrom: key.from };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RootKeyError) throw new CliError(err.message);
    throw err;
  }
}
