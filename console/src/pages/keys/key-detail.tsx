/** One KMS key: its facts, enabling and disabling it, its deletion, and its policy with the statement copies need. */
import { useEffect, useState } from 'react';
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyPolicyCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { useConsole } from '../../console-context';
import { NumberField, TextField } from '../../components/fields';
import { JsonEditor, parseJson } from '../../components/json-editor';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { StatusBadge } from '../../components/status-badge';
import { formatTime } from '../../format';
import { keyUseStatement, withStatement } from '../../policy-statements';
import { useAction, useLoad } from '../../use-load';

export function KeyDetail({ id }: { id: string }) {
  const { clients, session, whoami } = useConsole();
  const key = useLoad(async () => (await clients.kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!, [id, session.region]);
  const policy = useLoad(
    async () => (await clients.kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))).Policy ?? '',
    [id, session.region],
  );
  const [text, setText] = useState('');
  const [account, setAccount] = useState('');
  const [days, setDays] = useState<number | undefined>(30);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (policy.data !== undefined) setText(JSON.stringify(JSON.parse(policy.data), null, 2));
  }, [policy.data]);
  const act = useAction(async (what: 'enable' | 'disable' | 'delete' | 'cancel') => {
    if (what === 'enable') await clients.kms.send(new EnableKeyCommand({ KeyId: id }));
    if (what === 'disable') await clients.kms.send(new DisableKeyCommand({ KeyId: id }));
    if (what === 'delete') {
      if (!window.confirm(`Schedule key ${id} for deletion in ${days ?? 30} days? Everything it encrypts becomes unreadable then.`)) return;
      await clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: days }));
    }
    if (what === 'cancel') await clients.kms.send(new CancelKeyDeletionCommand({ KeyId: id }));
    key.reload();
  });
  const save = useAction(async () => {
    await clients.kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: text }));
    setSaved(true);
    policy.reload();
  });
  const k = key.data;
  const customer = k?.KeyManager !== 'AWS';
  const others = (whoami.organization?.accounts ?? []).filter((a) => a.id !== whoami.accountId);
  return (
    <>
      <PageHeader title={k?.Description || `Key ${id}`} back={{ href: '#/keys', label: 'KMS keys' }} />
      <ErrorNotice error={key.error} title="Could not read the key" />
      {k === undefined ? (
        <Loading what="the key" />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>ARN</dt>
              <dd className="mono wrap">{k.Arn}</dd>
            </div>
            <div>
              <dt>State</dt>
              <dd>
                <StatusBadge state={k.KeyState?.toUpperCase()} />
                {k.DeletionDate !== undefined && ` deleted on ${formatTime(k.DeletionDate)}`}
              </dd>
            </div>
            <div>
              <dt>Managed by</dt>
              <dd>{customer ? 'you (customer managed)' : 'AWS: its policy cannot be changed and other accounts can never use it'}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(k.CreationDate)}</dd>
            </div>
          </dl>
          {customer && (
            <div className="button-row">
              {k.KeyState === 'Enabled' && (
                <button type="button" className="button" onClick={() => void act.run('disable')}>
                  Disable key
                </button>
              )}
              {k.KeyState === 'Disabled' && (
                <button type="button" className="button" onClick={() => void act.run('enable')}>
                  Enable key
                </button>
              )}
              {k.KeyState === 'PendingDeletion' ? (
                <button type="button" className="button" onClick={() => void act.run('cancel')}>
                  Cancel deletion
                </button>
              ) : (
                <span className="inline-form">
                  <NumberField label="Waiting period (days)" value={days} onChange={setDays} min={7} max={30} />
                  <button type="button" className="button button-danger" onClick={() => void act.run('delete')}>
                    Schedule deletion
                  </button>
                </span>
              )}
            </div>
          )}
          <ErrorNotice error={act.error} title="That did not work" />
          <Section
            title="Key policy"
            id="key-policy"
            description="Who may use the key. A copy into another account's vault is made by that account, which must be allowed to use the source vault's key."
          >
            {policy.data === undefined ? (
              <Loading what="the policy" />
            ) : (
              <div className="stack">
                {customer && (
                  <div className="inline-form">
                    <TextField label="Account to let use the key" value={account} onChange={setAccount} list="policy-accounts" placeholder="222222222222" />
                    <datalist id="policy-accounts">
                      {others.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </datalist>
                    <button
                      type="button"
                      className="button"
                      disabled={!/^\d{12}$/.test(account)}
                      onClick={() => {
                        setSaved(false);
                        setText(withStatement(text, keyUseStatement(account)));
                      }}
                    >
                      Add the statement copies need
                    </button>
                  </div>
                )}
                <JsonEditor
                  label="Policy (JSON)"
                  value={text}
                  onChange={(v) => {
                    setSaved(false);
                    setText(v);
                  }}
                />
                {saved && <Notice kind="success" title="Key policy saved." />}
                <ErrorNotice error={save.error} title="The policy was not saved" />
                {customer && (
                  <div className="form-actions">
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={save.busy || parseJson(text).error !== undefined}
                      onClick={() => void save.run()}
                    >
                      Save policy
                    </button>
                  </div>
                )}
              </div>
            )}
          </Section>
        </>
      )}
    </>
  );
}
