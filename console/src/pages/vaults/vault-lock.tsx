/**
 * The vault lock: the retention every recovery point in the vault must keep (minimum and maximum
 * days). Until its grace time ends a lock is in governance mode and can be changed or removed;
 * after that (compliance mode) nobody can, not even the account's root.
 */
import { useState } from 'react';
import { DeleteBackupVaultLockConfigurationCommand, PutBackupVaultLockConfigurationCommand } from '@aws-sdk/client-backup';
import type { DescribeBackupVaultCommandOutput } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { NumberField } from '../../components/fields';
import { ErrorNotice, Notice } from '../../components/notice';
import { formatTime } from '../../format';
import { useAction } from '../../use-load';

export function VaultLock({ vault, described, onChange }: { vault: string; described: DescribeBackupVaultCommandOutput; onChange: () => void }) {
  const { clients, serverNow } = useConsole();
  const [min, setMin] = useState<number | undefined>(described.MinRetentionDays);
  const [max, setMax] = useState<number | undefined>(described.MaxRetentionDays);
  const [grace, setGrace] = useState<number | undefined>(undefined);
  const locked = described.Locked === true;
  const compliance = locked && described.LockDate !== undefined && described.LockDate.getTime() <= serverNow().getTime();
  const put = useAction(async () => {
    await clients.backup.send(
      new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, MinRetentionDays: min, MaxRetentionDays: max, ChangeableForDays: grace }),
    );
    onChange();
  });
  const remove = useAction(async () => {
    if (!window.confirm(`Remove the lock of vault ${vault}?`)) return;
    await clients.backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault }));
    onChange();
  });
  return (
    <div className="stack">
      {!locked ? (
        <Notice kind="info" title="This vault is not locked.">
          Recovery points can be deleted at any time by anyone the vault's access policy allows.
        </Notice>
      ) : compliance ? (
        <Notice kind="warning" title="Compliance mode">
          Locked since {formatTime(described.LockDate)}: the lock can no longer be changed or removed, and every recovery point is kept{' '}
          {described.MinRetentionDays ?? 0} to {described.MaxRetentionDays ?? '∞'} days.
        </Notice>
      ) : (
        <Notice kind="info" title="Governance mode">
          {described.LockDate === undefined
            ? 'The lock has no end of its grace time: it can be changed or removed.'
            : `The lock can be changed or removed until ${formatTime(described.LockDate)}; after that it is permanent.`}
        </Notice>
      )}
      {!compliance && (
        <form
          className="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void put.run();
          }}
        >
          <h3>{locked ? 'Change the lock' : 'Lock this vault'}</h3>
          <div className="grid-3">
            <NumberField label="Minimum retention (days)" value={min} onChange={setMin} min={1} hint="Points may not be deleted earlier." />
            <NumberField label="Maximum retention (days)" value={max} onChange={setMax} min={1} hint="Points may not be kept longer." />
            <NumberField
              label="Grace time (days)"
              value={grace}
              onChange={setGrace}
              min={3}
              hint="Empty: governance mode for good. 3 or more: compliance mode after that many days — irreversible."
            />
          </div>
          <ErrorNotice error={put.error} title="The lock was not set" />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={put.busy}>
              {locked ? 'Save lock' : 'Lock vault'}
            </button>
            {locked && (
              <button type="button" className="button button-danger" onClick={() => void remove.run()} disabled={remove.busy}>
                Remove lock
              </button>
            )}
          </div>
          <ErrorNotice error={remove.error} title="The lock was not removed" />
        </form>
      )}
    </div>
  );
}
