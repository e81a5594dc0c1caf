/**
 * cli/: the `coffer` command. It parses arguments and prints; the work happens in the rooms
 * below (vault/, storage/, and later server/).
 */
import { runVaultCommand } from './vault-command.js';
import { CliError } from './cli-error.js';

const USAGE = `usage: coffer <command> [options]

commands:
  vault     work with a vault repository directly (restic format v2)
  version   print the version

Run \`coffer vault --help\` for the vault commands.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'vault':
      return runVaultCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(`coffer ${await version()}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`, 2);
  }
}

/** The version in Coffer's package.json, found above this module (sources or the dist bundle). */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'coffer') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const exit = err instanceof CliError ? err.exitCode : 1;
    process.stderr.write(`coffer: ${(err as Error).message}\n`);
    process.exitCode = exit;
  },
);
