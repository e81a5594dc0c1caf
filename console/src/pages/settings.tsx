/**
 * Settings of the account in this region — which resource types plans may pick (opt-in), the
 * advanced DynamoDB backup features (needed for cold storage and cross-account copies of tables)
 * — and of the organization: cross-account backup, which only its management account changes.
 */
import { useEffect, useState } from 'react';
import {
  DescribeGlobalSettingsCommand,
  DescribeRegionSettingsCommand,
  GetSupportedResourceTypesCommand,
  UpdateGlobalSettingsCommand,
  UpdateRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import { useConsole } from '../console-context';
import { CheckboxField } from '../components/fields';
import { ErrorNotice, Loading, Notice } from '../components/notice';
import { PageHeader, Section } from '../components/page-header';
import { useAction, useLoad } from '../use-load';

export function Settings() {
  return (
    <>
      <PageHeader title="Settings" />
      <RegionSettings />
      <CrossAccount />
    </>
  );
}

function RegionSettings() {
  const { clients, session } = useConsole();
  const data = useLoad(async () => {
    const [types, settings] = await Promise.all([
      clients.backup.send(new GetSupportedResourceTypesCommand({})),
      clients.backup.send(new DescribeRegionSettingsCommand({})),
    ]);
    return { types: types.ResourceTypes ?? [], optIn: settings.ResourceTypeOptInPreference ?? {}, management: settings.ResourceTypeManagementPreference ?? {} };
  }, [session.region]);
  const [optIn, setOptIn] = useState<Record<string, boolean>>({});
  const [dynamo, setDynamo] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data.data === undefined) return;
    setOptIn(Object.fromEntries(data.data.types.map((t) => [t, data.data!.optIn[t] ?? true])));
    setDynamo(data.data.management['DynamoDB'] === true);
  }, [data.data]);
  const save = useAction(async () => {
    await clients.backup.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: optIn, ResourceTypeManagementPreference: { DynamoDB: dynamo } }));
    setSaved(true);
    data.reload();
  });
  if (data.data === undefined) return data.error !== undefined ? <ErrorNotice error={data.error} /> : <Loading what="settings" />;
  return (
    <>
      <Section
        title={`Resource types in ${session.region}`}
        id="opt-in"
        description="A plan assignment picks resources of the types switched on here. A resource named by its exact ARN is backed up whatever its type's setting (as AWS does)."
      >
        <fieldset className="card checkbox-grid">
          <legend>Back up these resource types</legend>
          {data.data.types.map((t) => (
            <CheckboxField
              key={t}
              label={t}
              checked={optIn[t] ?? true}
              onChange={(on) => {
                setSaved(false);
                setOptIn({ ...optIn, [t]: on });
              }}
            />
          ))}
        </fieldset>
      </Section>
      <Section title="Advanced DynamoDB backup features" id="dynamodb">
        <div className="card">
          <CheckboxField
            label="Use AWS Backup's advanced features for DynamoDB"
            checked={dynamo}
            onChange={(on) => {
              setSaved(false);
              setDynamo(on);
            }}
            hint="Needed for cold storage of table backups and for copying them to another account or region; a copy of a table without it fails."
          />
        </div>
      </Section>
      {saved && <Notice kind="success" title="Region settings saved." />}
      <ErrorNotice error={save.error} title="Settings were not saved" />
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={() => void save.run()} disabled={save.busy}>
          Save region settings
        </button>
      </div>
    </>
  );
}

function CrossAccount() {
  const { clients, whoami } = useConsole();
  const settings = useLoad(async () => (await clients.backup.send(new DescribeGlobalSettingsCommand({}))).GlobalSettings ?? {}, []);
  const save = useAction(async (on: boolean) => {
    await clients.backup.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: on ? 'true' : 'false' } }));
    settings.reload();
  });
  const org = whoami.organization;
  const on = settings.data?.['isCrossAccountBackupEnabled'] === 'true';
  return (
    <Section
      title="Cross-account backup"
      id="cross-account"
      description="Whether accounts of the organization may copy recovery points into each other's vaults. Every cross-account copy needs it."
    >
      <div className="card stack">
        {org === null ? (
          <Notice kind="info" title="This account is in no organization.">
            Cross-account copies need both accounts in one organization (<code>organization</code> in Coffer's config).
          </Notice>
        ) : (
          <>
            <p>
              Organization <code>{org.id}</code>, management account <code>{org.managementAccountId}</code>
              {org.isManagementAccount ? ' (this account)' : ''}.
            </p>
            {settings.data === undefined ? (
              <Loading what="the setting" />
            ) : (
              <p>
                Cross-account backup is <strong>{on ? 'on' : 'off'}</strong>.
              </p>
            )}
            {org.isManagementAccount ? (
              <button type="button" className="button button-primary" disabled={save.busy || settings.data === undefined} onClick={() => void save.run(!on)}>
                {on ? 'Turn cross-account backup off' : 'Turn cross-account backup on'}
              </button>
            ) : (
              <p className="hint">Only the management account {org.managementAccountId} can change it: sign in with its key.</p>
            )}
          </>
        )}
        <ErrorNotice error={settings.error} />
        <ErrorNotice error={save.error} title="The setting was not changed" />
      </div>
    </Section>
  );
}
