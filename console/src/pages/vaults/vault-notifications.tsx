/**
 * Which of the vault's events go to which SNS topic (PutBackupVaultNotifications). Coffer
 * delivers them to the subscribers the server's config declares for the topic; the
 * Notifications page lists the deliveries.
 */
import { useEffect, useState } from 'react';
import { DeleteBackupVaultNotificationsCommand, GetBackupVaultNotificationsCommand, PutBackupVaultNotificationsCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../../console-context';
import { CheckboxField, TextField } from '../../components/fields';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { useAction, useLoad } from '../../use-load';

const EVENTS: readonly { name: string; label: string }[] = [
  { name: 'BACKUP_JOB_STARTED', label: 'Backup job started' },
  { name: 'BACKUP_JOB_COMPLETED', label: 'Backup job completed (any end state)' },
  { name: 'BACKUP_JOB_SUCCESSFUL', label: 'Backup job successful' },
  { name: 'BACKUP_JOB_FAILED', label: 'Backup job failed' },
  { name: 'BACKUP_JOB_EXPIRED', label: 'Backup job expired before it started' },
  { name: 'COPY_JOB_STARTED', label: 'Copy job started' },
  { name: 'COPY_JOB_SUCCESSFUL', label: 'Copy job successful' },
  { name: 'COPY_JOB_FAILED', label: 'Copy job failed' },
  { name: 'RESTORE_JOB_STARTED', label: 'Restore job started' },
  { name: 'RESTORE_JOB_COMPLETED', label: 'Restore job completed (any end state)' },
  { name: 'RESTORE_JOB_SUCCESSFUL', label: 'Restore job successful' },
  { name: 'RESTORE_JOB_FAILED', label: 'Restore job failed' },
  { name: 'RECOVERY_POINT_MODIFIED', label: 'Recovery point modified' },
  { name: 'S3_BACKUP_OBJECT_FAILED', label: 'S3 object failed to back up' },
  { name: 'S3_RESTORE_OBJECT_FAILED', label: 'S3 object failed to restore' },
];

export function VaultNotifications({ vault }: { vault: string }) {
  const { clients, session, whoami } = useConsole();
  const current = useLoad(async () => {
    try {
      return await clients.backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: vault }));
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }, [vault]);
  const [topic, setTopic] = useState('');
  const [events, setEvents] = useState<string[]>(['COPY_JOB_FAILED', 'BACKUP_JOB_COMPLETED']);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (current.data?.SNSTopicArn !== undefined) {
      setTopic(current.data.SNSTopicArn);
      setEvents([...(current.data.BackupVaultEvents ?? [])]);
    }
  }, [current.data]);
  const save = useAction(async () => {
    await clients.backup.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: topic.trim(), BackupVaultEvents: events as never }),
    );
    setSaved('Notifications saved.');
    current.reload();
  });
  const remove = useAction(async () => {
    await clients.backup.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: vault }));
    setTopic('');
    setSaved('Notifications turned off.');
    current.reload();
  });
  if (current.loading && current.data === undefined && current.error === undefined) return <Loading what="notifications" />;
  return (
    <form
      className="card form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <ErrorNotice error={current.error} />
      <TextField label="SNS topic ARN" value={topic} onChange={setTopic} mono placeholder={`arn:aws:sns:${session.region}:${whoami.accountId}:backup-events`} />
      <fieldset className="checkbox-grid">
        <legend>Events to send</legend>
        {EVENTS.map((e) => (
          <CheckboxField
            key={e.name}
            label={
              <>
                {e.label} <code className="small">{e.name}</code>
              </>
            }
            checked={events.includes(e.name)}
            onChange={(on) => setEvents(on ? [...events, e.name] : events.filter((x) => x !== e.name))}
          />
        ))}
      </fieldset>
      <Notice kind="info">
        Coffer delivers these events to the subscribers (https:// endpoints, e-mail addresses) that the server's config declares for the topic under
        notifications.topics; a topic it does not declare is accepted, and its messages show as failed.{' '}
        <a href={`#/notifications?vault=${encodeURIComponent(vault)}`}>See this vault's deliveries</a>.
      </Notice>
      {saved !== undefined && <Notice kind="success" title={saved} />}
      <ErrorNotice error={save.error} title="Notifications were not saved" />
      <ErrorNotice error={remove.error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.busy || topic.trim() === '' || events.length === 0}>
          Save notifications
        </button>
        {current.data?.SNSTopicArn !== undefined && (
          <button type="button" className="button" onClick={() => void remove.run()}>
            Turn off
          </button>
        )}
      </div>
    </form>
  );
}
