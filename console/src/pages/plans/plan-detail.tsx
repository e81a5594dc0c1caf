/**
 * One plan: its rules (schedule, windows, lifecycle, copies), the coming runs, the resource
 * assignments with what each picks now, and the preflight inline — every check of every rule
 * and copy, ✔/✘ with the fix — so a copy that would fail tonight is fixed today.
 */
import {
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlanVersionsCommand,
  ListBackupSelectionsCommand,
} from '@aws-sdk/client-backup';
import type { BackupRule, BackupSelection } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { useConsole } from '../../console-context';
import { PreflightChecks } from '../../components/checks';
import { DataTable } from '../../components/data-table';
import { pretty } from '../../components/json-editor';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { arnName, formatDays, formatRun, formatTime } from '../../format';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { describeSelection } from './selection-summary';

export function PlanDetail({ id }: { id: string }) {
  const { clients, session } = useConsole();
  const plan = useLoad(() => clients.backup.send(new GetBackupPlanCommand({ BackupPlanId: id })), [id, session.region]);
  const selections = useLoad(async () => {
    const list = await allPages(async (NextToken) => {
      const out = await clients.backup.send(new ListBackupSelectionsCommand({ BackupPlanId: id, NextToken }));
      return { items: out.BackupSelectionsList, next: out.NextToken };
    });
    return Promise.all(
      list.map(async (s) => {
        const full = await clients.backup.send(new GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: s.SelectionId! }));
        const matched = await clients.coffer.matchSelection(full.BackupSelection).then(
          (m) => m.resources,
          () => undefined,
        );
        return { id: s.SelectionId!, selection: full.BackupSelection!, matched };
      }),
    );
  }, [id, session.region]);
  const preflight = useLoad(() => clients.coffer.preflight(id), [id, session.region]);
  const schedule = useLoad(() => clients.coffer.schedule(id, 14), [id, session.region]);
  const versions = useLoad(async () => (await clients.backup.send(new ListBackupPlanVersionsCommand({ BackupPlanId: id }))).BackupPlanVersionsList ?? [], [id]);
  const removePlan = useAction(async () => {
    if (!window.confirm('Delete this plan? Its recovery points stay.')) return;
    await clients.backup.send(new DeleteBackupPlanCommand({ BackupPlanId: id }));
    navigate('#/plans');
  });
  const removeSelection = useAction(async (selectionId: string, name: string) => {
    if (!window.confirm(`Remove the assignment ${name}? Its resources are no longer backed up by this plan.`)) return;
    await clients.backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: id, SelectionId: selectionId }));
    selections.reload();
    preflight.reload();
  });
  const p = plan.data;
  const rules: readonly BackupRule[] = p?.BackupPlan?.Rules ?? [];
  const hasSelections = (selections.data?.length ?? 0) > 0;
  return (
    <>
      <PageHeader
        title={p?.BackupPlan?.BackupPlanName ?? 'Backup plan'}
        back={{ href: '#/plans', label: 'Backup plans' }}
        actions={
          <>
            <a className="button" href={`${href('plans', id)}/edit`}>
              Edit plan
            </a>
            <a className="button button-primary" href={`${href('plans', id)}/assign`}>
              Assign resources
            </a>
            <button
              type="button"
              className="button button-danger"
              onClick={() => void removePlan.run()}
              disabled={removePlan.busy || hasSelections}
              title={hasSelections ? 'Remove its resource assignments first' : undefined}
            >
              Delete plan
            </button>
          </>
        }
      />
      <ErrorNotice error={plan.error} title="Could not read the plan" />
      <ErrorNotice error={removePlan.error} title="The plan was not deleted" />
      {p === undefined ? (
        <Loading what="the plan" />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Plan ID</dt>
              <dd className="mono wrap">{p.BackupPlanId}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd className="mono small wrap">{p.VersionId}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(p.CreationDate)}</dd>
            </div>
            <div>
              <dt>Last run</dt>
              <dd>{formatTime(p.LastExecutionDate)}</dd>
            </div>
          </dl>
          <Section
            title="Preflight"
            id="preflight"
            description="What would make this plan's backups or copies fail, checked now against the vaults, keys, policies and settings as they are."
            actions={
              <button type="button" className="button button-small" onClick={preflight.reload} disabled={preflight.loading}>
                Run again
              </button>
            }
          >
            <ErrorNotice error={preflight.error} title="The preflight did not run" />
            {preflight.data === undefined ? (
              <Loading what="the preflight" />
            ) : (
              <>
                {(() => {
                  const { checks } = preflight.data;
                  const warnings = checks.filter((c) => !c.passed && c.warning === true).length;
                  const failing = checks.filter((c) => !c.passed && c.warning !== true).length;
                  if (failing > 0) return <Notice kind="error" title={`${failing} of ${checks.length} checks fail: these jobs would fail.`} />;
                  if (warnings > 0)
                    return (
                      <Notice
                        kind="warning"
                        title={`All ${checks.length - warnings} checks the jobs depend on pass; ${warnings} warning${warnings === 1 ? '' : 's'}: restores there would fail.`}
                      />
                    );
                  return <Notice kind="success" title={`All ${checks.length} checks pass.`} />;
                })()}
                <PreflightChecks checks={[...preflight.data.checks].sort((a, b) => severity(a) - severity(b))} />
              </>
            )}
          </Section>
          <Section title="Rules" id="rules">
            {rules.map((r) => (
              <RuleSummary key={r.RuleId ?? r.RuleName} rule={r} />
            ))}
          </Section>
          <Section title="Coming runs" id="runs" description="The next ten runs within 14 days, as the scheduler will take them (overlapping rules resolved).">
            <ErrorNotice error={schedule.error} />
            {schedule.data === undefined ? (
              <Loading what="the schedule" />
            ) : (
              <DataTable
                label="Coming runs"
                rows={schedule.data.runs.slice(0, 10)}
                rowKey={(r) => `${r.time}-${r.ruleName}`}
                empty="No run in the next 14 days."
                columns={[
                  { header: 'When', cell: (r) => formatRun(r.time, rules.find((x) => x.RuleName === r.ruleName)?.ScheduleExpressionTimezone ?? 'UTC') },
                  { header: 'Rule', cell: (r) => r.ruleName },
                  { header: 'Into', cell: (r) => r.targetVault },
                  { header: 'Resources', cell: (r) => (r.resources ?? []).length },
                ]}
              />
            )}
          </Section>
          <Section
            title="Resource assignments"
            id="assignments"
            actions={
              <a className="button button-small" href={`${href('plans', id)}/assign`}>
                Assign resources
              </a>
            }
          >
            <ErrorNotice error={selections.error} />
            <ErrorNotice error={removeSelection.error} title="The assignment was not removed" />
            {selections.data === undefined ? (
              <Loading what="assignments" />
            ) : selections.data.length === 0 ? (
              <Notice kind="warning" title="No resources are assigned: this plan backs nothing up.">
                Assign resources by ARN, by type or by tags.
              </Notice>
            ) : (
              selections.data.map((s) => (
                <SelectionCard
                  key={s.id}
                  selection={s.selection}
                  matched={s.matched}
                  onRemove={() => void removeSelection.run(s.id, s.selection.SelectionName ?? s.id)}
                />
              ))
            )}
          </Section>
          <Section title="Versions" id="versions">
            {versions.data === undefined ? (
              <Loading what="versions" />
            ) : (
              <DataTable
                label="Plan versions"
                rows={versions.data}
                rowKey={(v) => v.VersionId!}
                empty="—"
                columns={[
                  { header: 'Version', cell: (v) => <span className="mono small">{v.VersionId}</span> },
                  { header: 'Name', cell: (v) => v.BackupPlanName },
                  { header: 'Created', cell: (v) => formatTime(v.CreationDate) },
                ]}
              />
            )}
          </Section>
          <details className="card">
            <summary>The plan as JSON</summary>
            <pre className="code">{pretty(p.BackupPlan)}</pre>
          </details>
        </>
      )}
    </>
  );
}

function RuleSummary({ rule }: { rule: BackupRule }) {
  const zone = rule.ScheduleExpressionTimezone ?? 'Etc/UTC';
  return (
    <div className="card rule-summary">
      <h3>{rule.RuleName}</h3>
      <dl className="facts">
        <div>
          <dt>Into vault</dt>
          <dd>
            <a href={href('vaults', rule.TargetBackupVaultName ?? '')}>{rule.TargetBackupVaultName}</a>
          </dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            <code>{rule.ScheduleExpression}</code> in {zone}
          </dd>
        </div>
        <div>
          <dt>Windows</dt>
          <dd>
            start within {rule.StartWindowMinutes ?? '—'} min, complete within {rule.CompletionWindowMinutes ?? '—'} min
          </dd>
        </div>
        <div>
          <dt>Lifecycle</dt>
          <dd>
            {rule.Lifecycle?.MoveToColdStorageAfterDays !== undefined ? `cold after ${formatDays(rule.Lifecycle.MoveToColdStorageAfterDays)}, ` : ''}deleted
            after {formatDays(rule.Lifecycle?.DeleteAfterDays)}
          </dd>
        </div>
        <div>
          <dt>Copies</dt>
          <dd>
            {(rule.CopyActions ?? []).length === 0 ? (
              'none'
            ) : (
              <ul className="plain">
                {rule.CopyActions!.map((c) => (
                  <li key={c.DestinationBackupVaultArn}>
                    <span className="mono wrap">{c.DestinationBackupVaultArn}</span> · kept {formatDays(c.Lifecycle?.DeleteAfterDays)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </div>
  );
}

function SelectionCard({
  selection,
  matched,
  onRemove,
}: {
  selection: BackupSelection;
  matched: readonly { arn: string; type: string }[] | undefined;
  onRemove: () => void;
}) {
  return (
    <div className="card selection">
      <div className="section-head">
        <h3>{selection.SelectionName}</h3>
        <button type="button" className="button button-quiet button-small" onClick={onRemove}>
          Remove
        </button>
      </div>
      <ul className="plain">
        {describeSelection(selection).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="hint">
        Jobs run as <span className="mono">{arnName(selection.IamRoleArn)}</span>.
      </p>
      <p>
        <strong>Matches now:</strong>{' '}
        {matched === undefined ? 'unknown' : matched.length === 0 ? 'nothing' : `${matched.length} resource${matched.length === 1 ? '' : 's'}`}
      </p>
      {matched !== undefined && matched.length > 0 && (
        <ul className="plain mono small">
          {matched.map((r) => (
            <li key={r.arn}>{r.arn}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Failures first, then warnings, then passed checks. */
function severity(check: { readonly passed: boolean; readonly warning?: true }): number {
  return check.passed ? 2 : check.warning === true ? 1 : 0;
}
