/**
 * `coffer doctor [--plan ID]`: the preflight of a plan (GET /_coffer/plans/{id}/preflight,
 * signed, so in the caller's account and region), or of every plan of the caller's account and
 * region (found with ListBackupPlans). Prints each check as ✔ or ✘, the fix indented under a
 * failure; exits 1 when any check fails, 0 when all pass. `--json` prints the server's answer
 * (an array of answers without --plan).
 */
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { SERVER_OPTIONS, SERVER_OPTIONS_USAGE, serverCall } from './server-options.js';
import { callServer } from './signed-request.js';
import type { ServerCall } from './signed-request.js';

export const DOCTOR_USAGE = `usage: coffer doctor [--plan PLAN_ID] [--endpoint-url URL] [--region NAME] [--json]

Checks everything that would make a plan's backup or copy jobs fail (vaults, selections, vault
locks, keys, organization, vault access policies, DynamoDB settings) and prints the fix of each
failure. Exits 1 when a check fails.

  --plan PLAN_ID      one plan (default: every plan of the caller's account and region)
${SERVER_OPTIONS_USAGE}
  --json              print the server's answer as JSON`;

interface Check {
  readonly rule: string;
  readonly copyAction?: string;
  readonly check: string;
  readonly passed: boolean;
  readonly message: string;
  readonly fix?: string;
  readonly warning?: true;
}

interface Report {
  readonly plan: { readonly id: string; readonly name: string };
  readonly checks: readonly Check[];
  readonly passed: boolean;
}

async function planIds(call: ServerCall): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const answer = (await callServer(call, 'GET', `/backup/plans/?maxResults=1000${token === undefined ? '' : `&nextToken=${encodeURIComponent(token)}`}`)) as {
      BackupPlansList?: { BackupPlanId: string }[];
      NextToken?: string;
    };
    ids.push(...(answer.BackupPlansList ?? []).map((p) => p.BackupPlanId));
    token = answer.NextToken;
  } while (token !== undefined);
  return ids;
}

function print(report: Report): void {
  const out: string[] = [
    `plan ${report.plan.name} (${report.plan.id}): ${report.passed ? 'all checks pass' : `${report.checks.filter((c) => !c.passed && c.warning !== true).length} check(s) fail`}`,
  ];
  let heading = '';
  for (const c of report.checks) {
    const where = `  rule ${c.rule}${c.copyAction === undefined ? '' : `, copy to ${c.copyAction}`}`;
    if (where !== heading) out.push((heading = where));
    out.push(`    ${c.passed ? '✔' : c.warning === true ? '!' : '✘'} ${c.check}: ${c.message}`);
    if (!c.passed && c.fix !== undefined) out.push(`        fix: ${c.fix}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function runDoctorCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...SERVER_OPTIONS, plan: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${DOCTOR_USAGE}`, 2);
  }
  const { values } = parsed;
  if (values.help === true) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  const call = await serverCall(values, process.env);
  if (call.credentials === undefined)
    throw new CliError(
      'no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_SHARED_CREDENTIALS_FILE (default ./data/credentials, profile coffer)',
      1,
    );
  const ids = values.plan === undefined ? await planIds(call) : [values.plan];
  const reports: Report[] = [];
  for (const id of ids) reports.push((await callServer(call, 'GET', `/_coffer/plans/${encodeURIComponent(id)}/preflight`)) as Report);
  if (values.json === true) process.stdout.write(`${JSON.stringify(values.plan === undefined ? reports : reports[0], null, 2)}\n`);
  else if (reports.length === 0) process.stdout.write(`no backup plans in region ${call.region}: nothing to check\n`);
  else for (const report of reports) print(report);
  return reports.every((r) => r.passed) ? 0 : 1;
}
