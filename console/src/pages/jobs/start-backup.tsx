/** Backing a resource up now (StartBackupJob): the resource, the vault, the role and the lifecycle. */
import { useState } from 'react';
import { ListBackupVaultsCommand, StartBackupJobCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { NumberField, SelectField, TextField } from '../../components/fields';
import { ErrorNotice, Loading } from '../../components/notice';
import { PageHeader } from '../../components/page-header';
import { defaultRoleArn } from '../../iam-roles';
import { navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';

export function StartBackup({ resource }: { resource: string | undefined }) {
  const { clients, session, whoami } = useConsole();
  const data = useLoad(async () => {
    const [resources, vaults] = await Promise.all([clients.coffer.resources(), clients.backup.send(new ListBackupVaultsCommand({}))]);
    return { resources: resources.resources, vaults: vaults.BackupVaultList ?? [] };
  }, [session.region]);
  const [arn, setArn] = useState(resource ?? '');
  const [vault, setVault] = useState('');
  const [role, setRole] = useState(defaultRoleArn(whoami.accountId));
  const [deleteAfter, setDeleteAfter] = useState<number | undefined>(35);
  const start = useAction(async () => {
    await clients.backup.send(
      new StartBackupJobCommand({
        ResourceArn: arn || data.data!.resources[0]!.arn,
        BackupVaultName: vault || data.data!.vaults[0]!.BackupVaultName!,
        IamRoleArn: role,
        ...(deleteAfter === undefined ? {} : { Lifecycle: { DeleteAfterDays: deleteAfter } }),
      }),
    );
    navigate('#/jobs?type=backup');
  });
  if (data.data === undefined) return data.error !== undefined ? <ErrorNotice error={data.error} /> : <Loading what="resources" />;
  const { resources, vaults } = data.data;
  return (
    <>
      <PageHeader title="Start a backup job" back={{ href: '#/jobs', label: 'Jobs' }} description="Back a resource up now, outside any plan's schedule." />
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void start.run();
        }}
      >
        {resources.length === 0 && (
          <ErrorNotice
            error={new Error("No resources are configured in this account and region: add them under resources in Coffer's config.")}
            title="Nothing to back up"
          />
        )}
        <SelectField
          label="Resource"
          value={arn || (resources[0]?.arn ?? '')}
          onChange={setArn}
          options={resources.map((r) => ({ value: r.arn, label: `${r.name} (${r.type}) — ${r.arn}` }))}
        />
        <SelectField
          label="Into vault"
          value={vault || (vaults[0]?.BackupVaultName ?? '')}
          onChange={setVault}
          options={vaults.map((v) => ({ value: v.BackupVaultName!, label: v.BackupVaultName! }))}
        />
        <TextField label="IAM role" value={role} onChange={setRole} mono />
        <NumberField label="Delete after (days)" value={deleteAfter} onChange={setDeleteAfter} min={1} hint="Empty: kept until deleted." />
        <ErrorNotice error={start.error} title="The job was not started" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={start.busy || resources.length === 0 || vaults.length === 0}>
            Start backup
          </button>
        </div>
      </form>
    </>
  );
}
