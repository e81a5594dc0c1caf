/**
 * `coffer clock show|advance DURATION|set TIME`: moves the manual clock of a server started with
 * `coffer serve --clock manual` (POST /_coffer/clock) and prints where it stands and what ran.
 * `advance` returns when the jobs that fell due on the way are finished.
 */
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { SERVER_OPTIONS, SERVER_OPTIONS_USAGE, serverCall } from './server-options.js';
import { callServer } from './signed-request.js';

export const CLOCK_USAGE = `usage: coffer clock advance DURATION | set TIME  [--endpoint-url URL] [--json]

  advance DURATION    move the manual clock forward: 1d, 6h, 30m, 2w, or ISO-8601 (P1D, PT6H, P1Y)
  set TIME            move it to an ISO-8601 time, e.g. 2027-01-01T00:00:00Z (never backwards)
${SERVER_OPTIONS_USAGE}
  --json              print the server's answer as JSON

The server must run with --clock manual.`;

export async function runClockCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...SERVER_OPTIONS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${CLOCK_USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${CLOCK_USAGE}\n`);
    return 0;
  }
  const [verb, argument, ...extra] = positionals;
  if ((verb !== 'advance' && verb !== 'set') || argument === undefined || extra.length > 0) throw new CliError(CLOCK_USAGE, 2);
  const call = await serverCall(values, process.env);
  const report = (await callServer(call, 'POST', '/_coffer/clock', verb === 'advance' ? { advance: argument } : { set: argument })) as Record<string, unknown>;
  if (values.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else
    process.stdout.write(
      `clock now ${String(report['now'])} (from ${String(report['from'])}): ${String(report['jobsCreated'])} jobs started, ${String(report['jobsRun'])} ran, ${String(report['recoveryPointsDeleted'])} recovery points expired\n`,
    );
  return 0;
}
