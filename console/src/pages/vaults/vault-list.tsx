/** Vaults: every vault of the account and region, and the form that creates one. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { CreateBackupVaultCommand, ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { allPages } from '../../api/all-pages';
import { keyLabel, listKeys } from '../../api/keys';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { SelectField, TextField } from '../../components/fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { arnName, formatTime } from '../../format';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { TagEditor, tagsFromRows } from '../../components/tag-editor';
import type { TagRow } from '../../components/tag-editor';

const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

export function VaultList() {
  const { clients, session } = useConsole();
  const vaults = useLoad(
    () =>
      allPages(async (NextToken) => {
        const out = await clients.backup.send(new ListBackupVaultsCommand({ NextToken }));
        return { items: out.BackupVaultList, next: out.NextToken };
      }),
    [session.region],
  );
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Vaults"
        description="Where recovery points live. Each vault is a restic repository, encrypted with its KMS key."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)} aria-expanded={creating}>
            Create vault
          </button>
        }
      />
      {creating && <CreateVault onDone={(name) => (name === undefined ? setCreating(false) : navigate(href('vaults', name)))} />}
      <ErrorNotice error={vaults.error} title="Could not list vaults" />
      {vaults.data === undefined ? (
        <Loading what="vaults" />
      ) : (
        <DataTable
          label="Vaults"
          rows={vaults.data}
          rowKey={(v) => v.BackupVaultArn ?? ''}
          empty="No vaults in this region yet."
          columns={[
            { header: 'Name', cell: (v) => <a href={href('vaults', v.BackupVaultName!)}>{v.BackupVaultName}</a> },
            { header: 'Recovery points', cell: (v) => v.NumberOfRecoveryPoints ?? 0, className: 'num' },
            { header: 'Encryption key', cell: (v) => <span className="mono">{arnName(v.EncryptionKeyArn)}</span> },
            { header: 'Lock', cell: (v) => (v.Locked === true ? `locked ${v.MinRetentionDays ?? '—'}–${v.MaxRetentionDays ?? '—'} days` : '—') },
            { header: 'Created', cell: (v) => formatTime(v.CreationDate) },
          ]}
        />
      )}
    </>
  );
}

function CreateVault({ onDone }: { onDone: (name?: string) => void }) {
  const { clients, session } = useConsole();
  const keys = useLoad(() => listKeys(clients.kms), [session.region]);
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [tags, setTags] = useState<TagRow[]>([]);
  const create = useAction(async () => {
    await clients.backup.send(
      new CreateBackupVaultCommand({
        BackupVaultName: name,
        ...(key === '' ? {} : { EncryptionKeyArn: key }),
        ...(tags.length === 0 ? {} : { BackupVaultTags: tagsFromRows(tags) }),
      }),
    );
    onDone(name);
  });
  const nameError = name !== '' && !VAULT_NAME.test(name) ? '2 to 50 letters, digits, hyphens or underscores.' : undefined;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void create.run();
  };
  const customerKeys = (keys.data ?? []).filter((k) => k.metadata.KeyManager !== 'AWS' && k.metadata.KeyState === 'Enabled');
  return (
    <Section title="Create vault" id="create-vault">
      <form className="card form" onSubmit={submit}>
        <TextField
          label="Vault name"
          value={name}
          onChange={setName}
          required
          error={nameError}
          hint="Unique in this account and region; it cannot be renamed."
        />
        <SelectField
          label="Encryption key"
          value={key}
          onChange={setKey}
          hint="A vault's key is fixed at creation. Cross-account copies need a customer managed key whose policy lets the other account use it."
          options={[{ value: '', label: 'AWS managed key (aws/backup)' }, ...customerKeys.map((k) => ({ value: k.metadata.Arn!, label: keyLabel(k) }))]}
        />
        <TagEditor label="Vault tags" rows={tags} onChange={setTags} />
        <ErrorNotice error={create.error} title="The vault was not created" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.busy || name === '' || nameError !== undefined}>
            {create.busy ? 'Creating…' : 'Create vault'}
          </button>
          <button type="button" className="button" onClick={() => onDone()}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}
