/**
 * The vault's access policy, as JSON, with the statements cross-account copies need one click
 * away: who may copy into this vault (an account, or the whole organization), and the deny that
 * keeps a compromised account from deleting what it copied here.
 */
import { useEffect, useState } from 'react';
import { DeleteBackupVaultAccessPolicyCommand, GetBackupVaultAccessPolicyCommand, PutBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { TextField } from '../../components/fields';
import { JsonEditor, parseJson } from '../../components/json-editor';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { copyIntoFromOrganizationStatement, copyIntoStatement, denyDeleteStatement, withStatement } from '../../policy-statements';
import type { Statement } from '../../policy-statements';
import { useAction, useLoad } from '../../use-load';

export function AccessPolicy({ vault, vaultArn }: { vault: string; vaultArn: string }) {
  const { clients, whoami } = useConsole();
  const current = useLoad(async () => {
    try {
      return (await clients.backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault }))).Policy ?? '';
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return '';
      throw err;
    }
  }, [vault]);
  const [text, setText] = useState('');
  const [account, setAccount] = useState('');
  const [saved, setSaved] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (current.data !== undefined) setText(current.data === '' ? '' : JSON.stringify(JSON.parse(current.data), null, 2));
  }, [current.data]);
  const save = useAction(async () => {
    await clients.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: text }));
    setSaved('Access policy saved.');
    current.reload();
  });
  const remove = useAction(async () => {
    await clients.backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vault }));
    setSaved('Access policy removed.');
    current.reload();
  });
  const [addError, setAddError] = useState<string | undefined>(undefined);
  const add = (statement: Statement): void => {
    try {
      setText(withStatement(text, statement));
      setAddError(undefined);
      setSaved(undefined);
    } catch {
      setAddError('Fix the JSON first: the statement is added to the document as it is.');
    }
  };
  if (current.data === undefined) return current.error !== undefined ? <ErrorNotice error={current.error} /> : <Loading what="the access policy" />;
  const others = (whoami.organization?.accounts ?? []).filter((a) => a.id !== whoami.accountId);
  const accountOk = /^\d{12}$/.test(account);
  return (
    <div className="stack">
      <div className="explain card">
        <h3>Receiving copies from another account</h3>
        <p>
          A copy into this vault from another account is made <em>by that account</em>, so this vault's policy must allow it to
          <code> backup:CopyIntoBackupVault</code>. The source account names this vault as its copy destination:
        </p>
        <p className="mono wrap">{vaultArn}</p>
        <p>
          The source account also needs cross-account backup switched on in the organization, and its vault's key must be a customer managed key whose policy
          allows account {whoami.accountId}. Copies into a vault of the same account need no policy.
        </p>
        <div className="inline-form">
          <TextField
            label="Source account ID"
            value={account}
            onChange={setAccount}
            placeholder="111111111111"
            list="org-accounts"
            error={account !== '' && !accountOk ? 'Twelve digits.' : undefined}
          />
          <datalist id="org-accounts">
            {others.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </datalist>
          <button type="button" className="button" disabled={!accountOk} onClick={() => add(copyIntoStatement(account))}>
            Allow copies from this account
          </button>
        </div>
        <div className="button-row">
          {whoami.organization !== null && (
            <button type="button" className="button" onClick={() => add(copyIntoFromOrganizationStatement(whoami.organization!.id))}>
              Allow copies from the whole organization ({whoami.organization.id})
            </button>
          )}
          <button type="button" className="button" onClick={() => add(denyDeleteStatement())}>
            Deny deleting recovery points
          </button>
        </div>
        {addError !== undefined && <Notice kind="error" title={addError} />}
      </div>
      <JsonEditor
        label="Access policy (JSON)"
        value={text}
        onChange={(v) => {
          setSaved(undefined);
          setText(v);
        }}
        hint="An IAM resource policy. Coffer evaluates it for every call on this vault and its recovery points."
      />
      {saved !== undefined && <Notice kind="success" title={saved} />}
      <ErrorNotice error={save.error} title="The policy was not saved" />
      <ErrorNotice error={remove.error} title="The policy was not removed" />
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={save.busy || parseJson(text).error !== undefined} onClick={() => void save.run()}>
          Save policy
        </button>
        {current.data !== '' && (
          <button type="button" className="button button-danger" disabled={remove.busy} onClick={() => void remove.run()}>
            Remove policy
          </button>
        )}
      </div>
    </div>
  );
}
