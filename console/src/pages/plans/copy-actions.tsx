/**
 * A rule's "copy to destination": another region of this account, or another account's vault by
 * its ARN; the copy's own lifecycle; and, in plain words, what the destination (and this
 * account) must allow for the copy to work. The preflight on the plan's page checks each of it.
 */
import type { CopyAction } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { NumberField, RadioGroup, SelectField, TextField } from '../../components/fields';
import { copyIntoStatement, keyUseStatement } from '../../policy-statements';
import { parseVaultArn, vaultArn } from './plan-draft';

export function CopyActions({
  actions,
  onChange,
  sourceVault,
  ruleName,
}: {
  actions: readonly CopyAction[];
  onChange: (a: CopyAction[]) => void;
  sourceVault: string;
  ruleName: string;
}) {
  const { whoami, session } = useConsole();
  const otherRegion = whoami.regions.find((r) => r !== session.region) ?? session.region;
  const set = (i: number, a: CopyAction): void => onChange(actions.map((x, j) => (j === i ? a : x)));
  return (
    <fieldset className="copy-actions">
      <legend>Copy to destination</legend>
      {actions.length === 0 && <p className="hint">No copies: recovery points stay in {sourceVault || 'the target vault'} only.</p>}
      {actions.map((a, i) => (
        <CopyActionEditor
          key={i}
          index={i}
          action={a}
          onChange={(x) => set(i, x)}
          onRemove={() => onChange(actions.filter((_, j) => j !== i))}
          sourceVault={sourceVault}
          ruleName={ruleName}
        />
      ))}
      <div className="button-row">
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            onChange([
              ...actions,
              { DestinationBackupVaultArn: vaultArn(otherRegion, whoami.accountId, sourceVault || 'dr'), Lifecycle: { DeleteAfterDays: 35 } },
            ])
          }
        >
          Add copy to another region
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange([...actions, { DestinationBackupVaultArn: '', Lifecycle: { DeleteAfterDays: 35 } }])}
        >
          Add copy to another account
        </button>
      </div>
    </fieldset>
  );
}

function CopyActionEditor({
  index,
  action,
  onChange,
  onRemove,
  sourceVault,
  ruleName,
}: {
  index: number;
  action: CopyAction;
  onChange: (a: CopyAction) => void;
  onRemove: () => void;
  sourceVault: string;
  ruleName: string;
}) {
  const { whoami, session } = useConsole();
  const arn = action.DestinationBackupVaultArn ?? '';
  const parts = parseVaultArn(arn);
  const crossAccount = parts === undefined ? arn === '' || !arn.includes(`:${whoami.accountId}:`) : parts.accountId !== whoami.accountId;
  const kind: 'region' | 'account' = crossAccount ? 'account' : 'region';
  const lifecycle = action.Lifecycle ?? {};
  return (
    <div className="card copy-action">
      <div className="section-head">
        <h4>Copy {index + 1}</h4>
        <button type="button" className="button button-quiet button-small" onClick={onRemove} aria-label={`Remove copy ${index + 1}`}>
          Remove
        </button>
      </div>
      <RadioGroup
        legend="Destination"
        value={kind}
        onChange={(k) =>
          onChange({
            ...action,
            DestinationBackupVaultArn:
              k === 'region' ? vaultArn(whoami.regions.find((r) => r !== session.region) ?? session.region, whoami.accountId, parts?.name ?? sourceVault) : '',
          })
        }
        options={[
          { value: 'region', label: 'Another region of this account' },
          { value: 'account', label: "Another account's vault" },
        ]}
      />
      {kind === 'region' ? (
        <div className="grid-2">
          <SelectField
            label="Region"
            value={parts?.region ?? session.region}
            onChange={(r) => onChange({ ...action, DestinationBackupVaultArn: vaultArn(r, whoami.accountId, parts?.name ?? sourceVault) })}
            options={whoami.regions.map((r) => ({ value: r, label: r }))}
          />
          <TextField
            label="Vault name there"
            value={parts?.name ?? ''}
            onChange={(n) => onChange({ ...action, DestinationBackupVaultArn: vaultArn(parts?.region ?? session.region, whoami.accountId, n) })}
          />
        </div>
      ) : (
        <TextField
          label="Destination vault ARN"
          value={arn}
          mono
          onChange={(v) => onChange({ ...action, DestinationBackupVaultArn: v.trim() })}
          placeholder={`arn:aws:backup:${session.region}:222222222222:backup-vault:central`}
          error={arn !== '' && parts === undefined ? 'A vault ARN: arn:aws:backup:<region>:<account>:backup-vault:<name>' : undefined}
        />
      )}
      <div className="grid-2">
        <NumberField
          label="Delete the copy after (days)"
          value={lifecycle.DeleteAfterDays}
          min={1}
          onChange={(d) => onChange({ ...action, Lifecycle: { ...lifecycle, DeleteAfterDays: d } })}
          hint="Empty: kept until deleted."
        />
        <NumberField
          label="Move the copy to cold storage after (days)"
          value={lifecycle.MoveToColdStorageAfterDays}
          min={1}
          onChange={(d) => onChange({ ...action, Lifecycle: { ...lifecycle, MoveToColdStorageAfterDays: d } })}
        />
      </div>
      <DestinationNeeds parts={parts} crossAccount={crossAccount} sourceVault={sourceVault} ruleName={ruleName} />
    </div>
  );
}

/** What must be true at the destination and here, in plain words, with the statements to paste. */
function DestinationNeeds({
  parts,
  crossAccount,
  sourceVault,
  ruleName,
}: {
  parts: ReturnType<typeof parseVaultArn>;
  crossAccount: boolean;
  sourceVault: string;
  ruleName: string;
}) {
  const { whoami } = useConsole();
  if (parts === undefined) return <p className="hint">Give the destination vault's ARN; the account that owns it gives it to you.</p>;
  if (!crossAccount) {
    return (
      <div className="explain">
        <p>
          <strong>What this copy needs:</strong> a vault named <code>{parts.name}</code> in {parts.region} of this account. No policy is needed within an
          account; the copy is re-encrypted with that vault's key.
        </p>
      </div>
    );
  }
  const org = whoami.organization;
  return (
    <div className="explain">
      <p>
        <strong>What this copy needs</strong> (each is checked by the plan's preflight once saved):
      </p>
      <ol>
        <li>
          Account <code>{parts.accountId}</code> has a vault <code>{parts.name}</code> in {parts.region}, and its{' '}
          <strong>access policy lets this account ({whoami.accountId}) copy into it</strong>. The owner of that vault adds this statement to it (Vaults →{' '}
          {parts.name} → Access policy there):
          <pre className="code">{JSON.stringify(copyIntoStatement(whoami.accountId), null, 2)}</pre>
        </li>
        <li>
          This rule's vault <code>{sourceVault || '(the target vault)'}</code> is encrypted with a{' '}
          <strong>customer managed KMS key whose policy lets account {parts.accountId} use it</strong> (an AWS managed key can never be shared, so such a copy
          always fails). Add to that key's policy (KMS keys → the key → Policy):
          <pre className="code">{JSON.stringify(keyUseStatement(parts.accountId), null, 2)}</pre>
        </li>
        <li>
          Both accounts are in one organization with <strong>cross-account backup turned on</strong>
          {org === null ? (
            ' — this account is in no organization, so the copy will fail.'
          ) : (
            <> (Settings → Cross-account backup, by the management account {org.managementAccountId}).</>
          )}
        </li>
        <li>DynamoDB tables also need advanced DynamoDB backup features on in this region (Settings).</li>
      </ol>
      <p className="hint">
        Rule {ruleName || 'this rule'} starts the copy after each backup. If any of this is missing the copy job fails, hours later, saying which one.
      </p>
    </div>
  );
}
