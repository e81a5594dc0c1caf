/**
 * The plan form shared by "create" and "edit": the plan's name, its rules, and the JSON it will
 * send (to read, or to copy into Terraform or the AWS CLI). Saving is the caller's.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { useConsole } from '../../console-context';
import { TextField } from '../../components/fields';
import { pretty } from '../../components/json-editor';
import { ErrorNotice, Loading } from '../../components/notice';
import { useLoad } from '../../use-load';
import { newRule } from './plan-draft';
import type { PlanDraft } from './plan-draft';
import { RuleEditor } from './rule-editor';

export function PlanEditor({
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
  nameLocked,
}: {
  initial: PlanDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (plan: PlanDraft) => void;
  onCancel: () => void;
  nameLocked?: boolean;
}) {
  const { clients, session } = useConsole();
  const vaults = useLoad(
    () =>
      allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListBackupVaultsCommand({ NextToken }));
        return { items: out.BackupVaultList, next: out.NextToken };
      }),
    [session.region],
  );
  const [plan, setPlan] = useState<PlanDraft>(initial);
  const rules = plan.Rules ?? [];
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSubmit(plan);
  };
  if (vaults.data === undefined) return vaults.error !== undefined ? <ErrorNotice error={vaults.error} /> : <Loading what="vaults" />;
  const firstVault = vaults.data[0]?.BackupVaultName ?? '';
  return (
    <form className="stack plan-editor" onSubmit={submit} aria-label="Backup plan">
      <div className="card form">
        <TextField
          label="Plan name"
          value={plan.BackupPlanName ?? ''}
          onChange={(v) => setPlan({ ...plan, BackupPlanName: v })}
          required
          hint={nameLocked === true ? 'Renaming makes a new version of the same plan.' : 'Unique in this account and region.'}
        />
      </div>
      {vaults.data.length === 0 && (
        <ErrorNotice
          error={new Error('This region has no vault yet: create one under Vaults first; every rule backs up into one.')}
          title="No vault to back up into"
        />
      )}
      {rules.map((r, i) => (
        <RuleEditor
          key={i}
          index={i}
          rule={r}
          vaults={vaults.data!}
          onChange={(rule) => setPlan({ ...plan, Rules: rules.map((x, j) => (j === i ? rule : x)) })}
          {...(rules.length > 1 ? { onRemove: () => setPlan({ ...plan, Rules: rules.filter((_, j) => j !== i) }) } : {})}
        />
      ))}
      <div className="button-row">
        <button type="button" className="button" onClick={() => setPlan({ ...plan, Rules: [...rules, newRule(rules.length, firstVault)] })}>
          Add rule
        </button>
      </div>
      <details className="card">
        <summary>The plan as JSON</summary>
        <pre className="code">{pretty(plan)}</pre>
      </details>
      <ErrorNotice error={error} title="The plan was not saved" />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || (plan.BackupPlanName ?? '') === '' || rules.length === 0}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
