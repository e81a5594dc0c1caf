/**
 * /metrics through the real `coffer serve`: after a backup, the Prometheus text has the job
 * counts, the last successful backup of the resource, the vault's size, the API requests by
 * operation and status, job durations, the outbox and the scheduler lag; every metric the Grafana
 * dashboard (docs/grafana/coffer-dashboard.json) and the example alert rules
 * (docs/grafana/coffer-alerts.yml) name exists in it (promtool-free: the files are parsed here).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-metrics`;
const server = useCoffer({ yaml: `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${RESOURCE_ARN}", path: ./source }\n` });
const DOCS = new URL('../../docs/grafana/', import.meta.url);

/** Metric names in a PromQL expression (identifiers followed by `{`, `[` or standing alone, not functions or labels). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(coffer_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

/** The exposed families: `# TYPE name`, with a histogram's _bucket/_sum/_count. */
function families(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]!);
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m[1]}${s}`);
  }
  return names;
}

describe('/metrics', () => {
  test('jobs, last success, vault size, API requests, durations, outbox and scheduler lag', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'a.bin'), Buffer.alloc(50_000, 7));
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'measured' }));
    const before = Date.now() / 1000;
    await backupAndWait(client, 'measured', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId));

    const res = await fetch(`${endpoint}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^coffer_jobs\{kind="backup",state="COMPLETED",resource_type="EFS"\} 1$/m);
    const last = new RegExp(
      `^coffer_last_successful_backup_timestamp_seconds\\{account_id="${ALPHA.accountId}",region="us-east-1",resource_arn="${RESOURCE_ARN}",resource_type="EFS"\\} ([0-9.e+]+)$`,
      'm',
    ).exec(text);
    assert.ok(last !== null, text);
    assert.ok(Number(last[1]) >= before - 5 && Number(last[1]) <= Date.now() / 1000 + 5);
    const size = new RegExp(`^coffer_vault_size_bytes\\{account_id="${ALPHA.accountId}",region="us-east-1",vault="measured"\\} (\\d+)$`, 'm').exec(text);
    assert.ok(size !== null && Number(size[1]) >= 50_000, `vault size: ${size?.[1]}`);
    assert.match(text, /^coffer_vault_recovery_points\{account_id="111111111111",region="us-east-1",vault="measured"\} 1$/m);
    assert.match(text, /^coffer_api_requests_total\{service="backup",operation="StartBackupJob",status="200"\} 1$/m);
    assert.match(text, /^coffer_api_requests_total\{service="backup",operation="DescribeBackupJob",status="200"\} \d+$/m);
    assert.match(text, /^coffer_api_request_duration_seconds_count\{service="backup",operation="CreateBackupVault"\} 1$/m);
    assert.match(text, /^coffer_job_transitions_total\{kind="backup",state="COMPLETED"\} 1$/m);
    assert.match(text, /^coffer_job_duration_seconds_count\{kind="backup",resource_type="EFS",state="COMPLETED"\} 1$/m);
    assert.match(text, /^coffer_job_bytes_transferred_total\{kind="backup",resource_type="EFS"\} \d+$/m);
    assert.match(text, /^coffer_notification_outbox\{state="FAILED"\} 0$/m);
    assert.match(text, /^coffer_scheduler_lag_seconds \d/m);
    assert.match(text, /^coffer_process_resident_memory_bytes \d/m);
    assert.equal(text.includes(ALPHA.secretAccessKey), false);

    const post = await fetch(`${endpoint}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);

    const exposed = families(text);
    const dashboard = JSON.parse(await readFile(new URL('coffer-dashboard.json', DOCS), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    assert.ok(dashboard.panels.length >= 10);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets.length > 0, `panel ${panel.title} has a query`);
      for (const target of panel.targets) {
        const names = metricNames(target.expr);
        assert.ok(names.length > 0, `panel ${panel.title}: ${target.expr} names a Coffer metric`);
        for (const name of names) assert.ok(exposed.has(name), `panel ${panel.title}: ${name} is not in /metrics`);
      }
    }
    const alerts = parse(await readFile(new URL('coffer-alerts.yml', DOCS), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const rules = alerts.groups.flatMap((g) => g.rules);
    assert.ok(
      rules.some((r) => r.alert === 'CofferCopyJobFailed')
        && rules.some((r) => r.alert === 'CofferNoRecentBackup')
        && rules.some((r) => r.alert === 'CofferNotificationDeliveryFailing'),
    );
    for (const rule of rules) for (const name of metricNames(rule.expr)) assert.ok(exposed.has(name), `alert ${rule.alert}: ${name} is not in /metrics`);
  });
});
