/**
 * `coffer plan preview PLAN_ID [--days N]`: the coming runs of a plan's rules, from
 * GET /_coffer/schedule (signed, so it shows the caller's account): time, rule, target vault,
 * the resources the selections pick now, and the copy actions. A plan ID the account has no
 * live plan of fails (exit 1) with the server's 404 message.
 */
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { SERVER_OPTIONS, SERVER_OPTIONS_USAGE, serverCall } from './server-options.js';
import { callServer } from './signed-request.js';

export const PLAN_USAGE = `usage: coffer plan preview PLAN_ID [--days N] [--endpoint-url URL] [--region NAME] [--json]

  --days N            how far ahead to look (default 7)
${SERVER_OPTIONS_USAGE}
  --json              print the server's answer as JSON`;

interface Run {
  readonly time: string;
  readonly ruleName: string;
  readonly targetVault: string;
  readonly resources: readonly string[];
  readonly copyActions: readonly { readonly destinationVaultArn: string }[];
}

export async function runPlanCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { ...SERVER_OPTIONS, days: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${PLAN_USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${PLAN_USAGE}\n`);
    return 0;
  }
  const [verb, planId, ...extra] = positionals;
  if (verb !== 'preview' || planId === undefined || extra.length > 0) throw new CliError(PLAN_USAGE, 2);
  const days = values.days ?? '7';
  const call = await serverCall(values, process.env);
  if (call.credentials === undefined)
    throw new CliError(
      'no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_SHARED_CREDENTIALS_FILE (default ./data/credentials, profile coffer)',
      1,
    );
  const answer = (await callServer(call, 'GET', `/_coffer/schedule?days=${encodeURIComponent(days)}&planId=${encodeURIComponent(planId)}`)) as { runs: Run[] };
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  }
  if (answer.runs.length === 0) process.stdout.write(`plan ${planId}: no runs in the next ${days} days\n`);
  for (const run of answer.runs) {
    const copies = run.copyActions.length === 0 ? '' : `; copies to ${run.copyActions.map((c) => c.destinationVaultArn).join(', ')}`;
    process.stdout.write(
      `${run.time}  ${run.ruleName} -> ${run.targetVault}: ${run.resources.length === 0 ? 'no resources selected' : run.resources.join(', ')}${copies}\n`,
    );
  }
  return 0;
}
