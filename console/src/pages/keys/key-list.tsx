/** KMS keys of the account and region, and creating one (with the policy cross-account copies need). */
import { useState } from 'react';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { listKeys } from '../../api/keys';
import { useConsole } from '../../console-context';
import { DataTable } from '../../components/data-table';
import { TextField } from '../../components/fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { StatusBadge } from '../../components/status-badge';
import { formatTime } from '../../format';
import { keyUseStatement, ownerStatement } from '../../policy-statements';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';

export function KeyList() {
  const { clients, session } = useConsole();
  const keys = useLoad(() => listKeys(clients.kms), [session.region]);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="KMS keys"
        description="The keys that encrypt vaults. A vault copied to another account needs a customer managed key whose policy lets that account use it."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)} aria-expanded={creating}>
            Create key
          </button>
        }
      />
      {creating && <CreateKey onDone={() => setCreating(false)} />}
      <ErrorNotice error={keys.error} title="Could not list keys" />
      {keys.data === undefined ? (
        <Loading what="keys" />
      ) : (
        <DataTable
          label="KMS keys"
          rows={keys.data}
          rowKey={(k) => k.metadata.KeyId!}
          empty="No keys yet; AWS managed keys appear once a service first uses them."
          columns={[
            { header: 'Alias', cell: (k) => <a href={href('keys', k.metadata.KeyId!)}>{k.aliases.join(', ') || '(no alias)'}</a> },
            { header: 'Key ID', cell: (k) => <span className="mono small">{k.metadata.KeyId}</span> },
            { header: 'Managed by', cell: (k) => (k.metadata.KeyManager === 'AWS' ? 'AWS' : 'customer') },
            { header: 'State', cell: (k) => <StatusBadge state={k.metadata.KeyState?.toUpperCase()} /> },
            { header: 'Description', cell: (k) => k.metadata.Description },
            { header: 'Created', cell: (k) => formatTime(k.metadata.CreationDate) },
          ]}
        />
      )}
    </>
  );
}

function CreateKey({ onDone }: { onDone: () => void }) {
  const { clients, whoami } = useConsole();
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [account, setAccount] = useState('');
  const create = useAction(async () => {
    const statements = [ownerStatement(whoami.accountId), ...(/^\d{12}$/.test(account) ? [keyUseStatement(account)] : [])];
    const out = await clients.kms.send(
      new CreateKeyCommand({ Description: description, Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }),
    );
    if (alias.trim() !== '')
      await clients.kms.send(
        new CreateAliasCommand({ AliasName: alias.startsWith('alias/') ? alias : `alias/${alias}`, TargetKeyId: out.KeyMetadata!.KeyId! }),
      );
    onDone();
    navigate(href('keys', out.KeyMetadata!.KeyId!));
  });
  const others = (whoami.organization?.accounts ?? []).filter((a) => a.id !== whoami.accountId);
  return (
    <Section title="Create key" id="create-key">
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <TextField label="Description" value={description} onChange={setDescription} />
        <TextField label="Alias" value={alias} onChange={setAlias} placeholder="alias/backups" hint="Optional; alias/ is added when missing." />
        <TextField
          label="Also let this account use the key (for copies into its vaults)"
          value={account}
          onChange={setAccount}
          list="key-accounts"
          placeholder="222222222222"
          error={account !== '' && !/^\d{12}$/.test(account) ? 'Twelve digits.' : undefined}
          hint="Adds the statement a cross-account copy needs to the key policy; it can be changed later."
        />
        <datalist id="key-accounts">
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </datalist>
        <ErrorNotice error={create.error} title="The key was not created" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.busy}>
            Create key
          </button>
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}
