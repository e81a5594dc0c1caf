/**
 * One backup rule: its name and target vault, the schedule (with the next runs), the start and
 * completion windows, the lifecycle including cold storage, recovery point tags, and the copies.
 */
import { useState } from 'react';
import type { BackupVaultListMember } from '@aws-sdk/client-backup';
import { CheckboxField, NumberField, SelectField, TextField } from '../../components/fields';
import { TagEditor, rowsFromTags, tagsFromRows } from '../../components/tag-editor';
import type { TagRow } from '../../components/tag-editor';
import { CopyActions } from './copy-actions';
import type { RuleDraft } from './plan-draft';
import { ScheduleBuilder } from './schedule-builder';

const RULE_NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;

export function RuleEditor({
  index,
  rule,
  vaults,
  onChange,
  onRemove,
}: {
  index: number;
  rule: RuleDraft;
  vaults: readonly BackupVaultListMember[];
  onChange: (r: RuleDraft) => void;
  onRemove?: () => void;
}) {
  const lifecycle = rule.Lifecycle ?? {};
  const [tagRows, setTagRows] = useState<TagRow[]>(() => rowsFromTags(rule.RecoveryPointTags));
  const cold = lifecycle.MoveToColdStorageAfterDays !== undefined;
  const vaultKnown = vaults.some((v) => v.BackupVaultName === rule.TargetBackupVaultName);
  const coldError =
    cold && lifecycle.DeleteAfterDays !== undefined && lifecycle.DeleteAfterDays < (lifecycle.MoveToColdStorageAfterDays ?? 0) + 90
      ? `With cold storage a point must be kept at least 90 days after the move: delete after ${(lifecycle.MoveToColdStorageAfterDays ?? 0) + 90} days or later.`
      : undefined;
  return (
    <section className="card rule" aria-labelledby={`rule-${index}-title`}>
      <div className="section-head">
        <h3 id={`rule-${index}-title`}>
          Rule {index + 1}
          {rule.RuleName ? `: ${rule.RuleName}` : ''}
        </h3>
        {onRemove !== undefined && (
          <button type="button" className="button button-quiet button-small" onClick={onRemove}>
            Remove rule
          </button>
        )}
      </div>
      <div className="grid-2">
        <TextField
          label="Rule name"
          value={rule.RuleName ?? ''}
          onChange={(v) => onChange({ ...rule, RuleName: v })}
          required
          error={rule.RuleName !== undefined && rule.RuleName !== '' && !RULE_NAME.test(rule.RuleName) ? '1 to 50 letters, digits, -, _ or .' : undefined}
        />
        <SelectField
          label="Target vault"
          value={rule.TargetBackupVaultName ?? ''}
          onChange={(v) => onChange({ ...rule, TargetBackupVaultName: v })}
          error={!vaultKnown ? `There is no vault ${rule.TargetBackupVaultName ?? ''} in this region: create it or choose another.` : undefined}
          options={[
            ...(vaultKnown ? [] : [{ value: rule.TargetBackupVaultName ?? '', label: `${rule.TargetBackupVaultName ?? '(none)'} (missing)` }]),
            ...vaults.map((v) => ({ value: v.BackupVaultName!, label: v.BackupVaultName! })),
          ]}
        />
      </div>
      <ScheduleBuilder
        label="Schedule"
        expression={rule.ScheduleExpression ?? ''}
        timezone={rule.ScheduleExpressionTimezone ?? 'Etc/UTC'}
        onChange={(e, z) => onChange({ ...rule, ScheduleExpression: e, ScheduleExpressionTimezone: z })}
      />
      <fieldset>
        <legend>Backup window</legend>
        <div className="grid-2">
          <NumberField
            label="Start within (minutes)"
            value={rule.StartWindowMinutes}
            min={60}
            onChange={(v) => onChange({ ...rule, StartWindowMinutes: v })}
            hint="A job that cannot start in this time is EXPIRED. At least 60."
            error={rule.StartWindowMinutes !== undefined && rule.StartWindowMinutes < 60 ? 'At least 60 minutes.' : undefined}
          />
          <NumberField
            label="Complete within (minutes)"
            value={rule.CompletionWindowMinutes}
            min={120}
            onChange={(v) => onChange({ ...rule, CompletionWindowMinutes: v })}
            hint="A job still running after this is stopped. Longer than the start window."
            error={
              rule.CompletionWindowMinutes !== undefined && rule.StartWindowMinutes !== undefined && rule.CompletionWindowMinutes <= rule.StartWindowMinutes
                ? 'Longer than the start window.'
                : undefined
            }
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Lifecycle</legend>
        <div className="grid-2">
          <NumberField
            label="Delete after (days)"
            value={lifecycle.DeleteAfterDays}
            min={1}
            onChange={(v) => onChange({ ...rule, Lifecycle: { ...lifecycle, DeleteAfterDays: v } })}
            hint="Empty: recovery points are kept until deleted."
            error={coldError}
          />
          <div>
            <CheckboxField
              label="Move to cold storage"
              checked={cold}
              hint="Cheaper storage for points kept long; EFS and DynamoDB (advanced features). Kept at least 90 days there."
              onChange={(on) =>
                onChange({ ...rule, Lifecycle: on ? { ...lifecycle, MoveToColdStorageAfterDays: 30 } : { DeleteAfterDays: lifecycle.DeleteAfterDays } })
              }
            />
            {cold && (
              <NumberField
                label="Move to cold storage after (days)"
                value={lifecycle.MoveToColdStorageAfterDays}
                min={1}
                onChange={(v) => onChange({ ...rule, Lifecycle: { ...lifecycle, MoveToColdStorageAfterDays: v } })}
              />
            )}
          </div>
        </div>
      </fieldset>
      <TagEditor
        label="Tags for the recovery points"
        rows={tagRows}
        onChange={(rows) => {
          setTagRows(rows);
          const tags = tagsFromRows(rows);
          onChange({ ...rule, RecoveryPointTags: Object.keys(tags).length === 0 ? undefined : tags });
        }}
      />
      <CopyActions
        actions={rule.CopyActions ?? []}
        onChange={(a) => onChange({ ...rule, CopyActions: a.length === 0 ? undefined : a })}
        sourceVault={rule.TargetBackupVaultName ?? ''}
        ruleName={rule.RuleName ?? ''}
      />
    </section>
  );
}
