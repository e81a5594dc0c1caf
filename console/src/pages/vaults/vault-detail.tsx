/**
 * One vault: its facts, then tabs for its recovery points, legal holds, access policy, lock,
 * notifications and tags. The tab is part of the URL (`#/vaults/daily?tab=policy`).
 */
import { DeleteBackupVaultCommand, DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader } from '../../components/page-header';
import { Tabs } from '../../components/tabs';
import { arnName, formatTime } from '../../format';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { RecoveryPoints } from './recovery-points';
import { LegalHolds } from './legal-holds';
import { AccessPolicy } from './access-policy';
import { VaultLock } from './vault-lock';
import { VaultNotifications } from './vault-notifications';
import { ResourceTags } from '../../components/resource-tags';

const TABS = [
  { id: 'points', label: 'Recovery points' },
  { id: 'holds', label: 'Legal holds' },
  { id: 'policy', label: 'Access policy' },
  { id: 'lock', label: 'Vault lock' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'tags', label: 'Tags' },
] as const;

export function VaultDetail({ name, tab }: { name: string; tab: string }) {
  const { clients, session, serverNow } = useConsole();
  const vault = useLoad(() => clients.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })), [name, session.region]);
  const remove = useAction(async () => {
    if (!window.confirm(`Delete vault ${name}? Only an empty vault can be deleted.`)) return;
    await clients.backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
    navigate('#/vaults');
  });
  const v = vault.data;
  return (
    <>
      <PageHeader
        title={`Vault ${name}`}
        back={{ href: '#/vaults', label: 'Vaults' }}
        actions={
          <button type="button" className="button button-danger" onClick={() => void remove.run()} disabled={remove.busy}>
            Delete vault
          </button>
        }
      />
      <ErrorNotice error={remove.error} title="The vault was not deleted" />
      <ErrorNotice error={vault.error} title="Could not read the vault" />
      {v === undefined ? (
        <Loading what="the vault" />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>ARN</dt>
              <dd className="mono wrap">{v.BackupVaultArn}</dd>
            </div>
            <div>
              <dt>Recovery points</dt>
              <dd>{v.NumberOfRecoveryPoints ?? 0}</dd>
            </div>
            <div>
              <dt>Encryption key</dt>
              <dd className="mono wrap">
                {v.EncryptionKeyArn === undefined ? (
                  '—'
                ) : v.EncryptionKeyArn.includes(':key/') ? (
                  <a href={href('keys', arnName(v.EncryptionKeyArn))}>{v.EncryptionKeyArn}</a>
                ) : (
                  v.EncryptionKeyArn
                )}
              </dd>
            </div>
            <div>
              <dt>Lock</dt>
              <dd>
                {v.Locked === true
                  ? `${v.LockDate !== undefined && v.LockDate.getTime() <= serverNow().getTime() ? 'compliance' : 'governance'} · ${v.MinRetentionDays ?? '—'} to ${v.MaxRetentionDays ?? '—'} days`
                  : 'not locked'}
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(v.CreationDate)}</dd>
            </div>
          </dl>
          <Tabs label="Vault" tabs={TABS} selected={tab} onSelect={(t) => navigate(`${href('vaults', name)}?tab=${t}`)}>
            {tab === 'holds' ? (
              <LegalHolds vault={name} />
            ) : tab === 'policy' ? (
              <AccessPolicy vault={name} vaultArn={v.BackupVaultArn!} />
            ) : tab === 'lock' ? (
              <VaultLock vault={name} described={v} onChange={vault.reload} />
            ) : tab === 'notifications' ? (
              <VaultNotifications vault={name} />
            ) : tab === 'tags' ? (
              <ResourceTags arn={v.BackupVaultArn!} what="vault" />
            ) : (
              <RecoveryPoints vault={name} />
            )}
          </Tabs>
        </>
      )}
    </>
  );
}
