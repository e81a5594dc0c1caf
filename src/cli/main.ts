/**
 * cli/: the `coffer` command. It parses arguments and prints; the work happens in the rooms
 * below (server/, vault/, storage/). Each command's module is imported only when it runs (the
 * bundle is split per command): `coffer vault` does not load the server, the AWS SDK or SQLite.
 */
import { CliError } from './cli-error.js';

const USAGE = `usage: coffer <command> [options]

commands:
  serve     run the service (the AWS Backup API) until SIGTERM or SIGINT
  vault     work with a vault repository directly (restic format v2)
  plan      preview a plan's coming runs on a running server (plan preview PLAN_ID --days N)
  doctor    check what would make a plan's jobs or copies fail, with the fixes (doctor [--plan ID])
  clock     move a manual-clock server's time (clock advance 1d), for tests
  recover   rebuild a lost catalog from the vaults' storage (recover --config FILE)
  version   print the version

Run \`coffer <command> --help\` for its options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve-command.js')).runServeCommand(rest);
    case 'vault':
      return (await import('./vault-command.js')).runVaultCommand(rest);
    case 'plan':
      return (await import('./plan-command.js')).runPlanCommand(rest);
    case 'doctor':
      return (await import('./doctor-command.js')).runDoctorCommand(rest);
    case 'clock':
      return (await import('./clock-command.js')).runClockCommand(rest);
    case 'recover':
      return (await import('./recover-command.js')).runRecoverCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(`coffer ${await (await import('../server/package-version.js')).packageVersion()}\n`);
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
