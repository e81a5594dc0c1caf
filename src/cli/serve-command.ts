/**
 * `coffer serve [--config FILE] [--sandbox] [--clock real|manual] [--listen HOST:PORT]`: runs the service until
 * SIGTERM or SIGINT, then stops it in order (requests in flight finish, the catalog closes) and
 * exits 0. A second signal cuts the wait for requests in flight short.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { parseListenAddress } from '../config/listen-address.js';
import type { ListenAddress } from '../config/schema.js';
import { startCoffer } from '../server/coffer-server.js';
import { RootKeyError } from '../server/root-key.js';
import type { RunningCoffer } from '../server/coffer-server.js';
import { CliError } from './cli-error.js';

export const SERVE_USAGE = `usage: coffer serve [--config FILE] [--sandbox] [--clock real|manual] [--listen HOST:PORT]

  --config FILE       the deployment config (YAML, see docs/configuration.md); without it Coffer runs
                      on the embedded default: data in ./data, account 000000000000, region us-east-1,
                      listening on 127.0.0.1:4100
  --listen HOST:PORT  overrides the config's listen address (port 0: any free port)
  --sandbox           INSECURE, for tests: unknown access keys act as account 000000000000 unchecked,
                      and POST /_coffer/reset wipes all state
  --clock manual      FOR TESTS: time moves only when told (POST /_coffer/clock, coffer clock advance),
                      running everything that falls due on the way; default: the real clock
  --clock-start TIME  with --clock manual, the time it starts at (ISO-8601; default: now)`;

interface ServeArgs {
  readonly configFile: string | undefined;
  readonly sandbox: boolean;
  readonly listen: ListenAddress | undefined;
  readonly clockMode: 'real' | 'manual';
  readonly clockStart: Date | undefined;
}

function parseServeArgs(args: string[]): ServeArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        sandbox: { type: 'boolean' },
        listen: { type: 'string' },
        clock: { type: 'string' },
        'clock-start': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${SERVE_USAGE}`, 2);
  }
  if (values.help === true) return 'help';
  let listen: ListenAddress | undefined;
  if (values.listen !== undefined) {
    const parsed = parseListenAddress(values.listen);
    if (typeof parsed === 'string') throw new CliError(`--listen ${parsed}`, 2);
    listen = parsed;
  }
  const clockMode = values.clock ?? 'real';
  if (clockMode !== 'real' && clockMode !== 'manual') throw new CliError(`--clock must be real or manual, not ${JSON.stringify(clockMode)}`, 2);
  let clockStart: Date | undefined;
  if (values['clock-start'] !== undefined) {
    if (clockMode !== 'manual') throw new CliError('--clock-start needs --clock manual', 2);
    clockStart = new Date(values['clock-start']);
    if (Number.isNaN(clockStart.getTime()))
      throw new CliError(`--clock-start ${JSON.stringify(values['clock-start'])} is not an ISO-8601 time such as 2027-01-01T00:00:00Z`, 2);
  }
  return { configFile: values.config, sandbox: values.sandbox === true, listen, clockMode, clockStart };
}

/**
 * SIGTERM/SIGINT handling, installed before the server starts: the listening line is printed
 * during start, and a signal sent as soon as it appears must already find a handler (Node's
 * default would kill the process). A signal during start stops the server once it is up; a
 * second one forces the stop (or, while still starting, exits at once with code 1).
 */
class StopSignals {
  #count = 0;
  #running: RunningCoffer | undefined;
  #stopped: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  readonly #handler = (signal: NodeJS.Signals): void => this.#onSignal(signal);

  constructor(private readonly log: (line: string) => void) {
    process.on('SIGTERM', this.#handler);
    process.on('SIGINT', this.#handler);
  }

  /** Resolves once a signal has stopped `running`. */
  async stopsOnSignal(running: RunningCoffer): Promise<void> {
    this.#running = running;
    if (this.#count === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    await this.#stop(running);
    this.dispose();
  }

  dispose(): void {
    process.removeListener('SIGTERM', this.#handler);
    process.removeListener('SIGINT', this.#handler);
  }

  #stop(running: RunningCoffer): Promise<void> {
    this.#stopped ??= running.stop();
    if (this.#count > 1) running.forceStop();
    return this.#stopped;
  }

  #onSignal(signal: NodeJS.Signals): void {
    this.#count += 1;
    if (this.#count === 1) {
      this.log(`coffer: ${signal}: stopping (no new connections; requests in flight finish; send ${signal} again to cut them off)`);
      this.#wake?.();
    } else if (this.#running === undefined) {
      // Still starting (a stuck catalog or disk?): nothing is served yet, so nothing to drain.
      this.log(`coffer: ${signal} again while starting: exiting at once`);
      process.exit(1);
    } else {
      this.log(`coffer: ${signal} again: closing the connections of requests still in flight`);
      this.#running.forceStop();
    }
  }
}

export async function runServeCommand(args: string[]): Promise<number> {
  const parsed = parseServeArgs(args);
  if (parsed === 'help') {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const warn = (line: string): void => void process.stderr.write(`${line}\n`);
  const signals = new StopSignals(log);
  let running: RunningCoffer;
  try {
    running = await startCoffer({ ...parsed, log, warn });
  } catch (err) {
    signals.dispose();
    if (err instanceof ConfigError || err instanceof RootKeyError) throw new CliError(err.message, 1);
    throw err;
  }
  await signals.stopsOnSignal(running);
  log('coffer: stopped');
  return 0;
}
