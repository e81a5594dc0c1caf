/**
 * The preflight's notification check of a vault a plan writes to: when the vault sends its
 * events to an SNS topic, whether the config declares that topic with subscribers. Coffer accepts
 * any topic ARN (as AWS does), so without this a failed job's message would be recorded FAILED
 * and reach no one, and nobody would learn of it until they looked. A warning: it fails no job.
 */
import type { VaultRecord } from '../catalog/vaults.js';

export interface NotificationCheckDraft {
  readonly check: 'notifications';
  readonly passed: boolean;
  readonly message: string;
  readonly fix?: string;
  readonly warning?: true;
}

/** Subscriber counts of the topics the config declares, by topic ARN. */
export type DeclaredTopics = ReadonlyMap<string, number>;

/** The check for `vault`; undefined when it sends no notifications (nothing to check). */
export function notificationCheck(vault: Pick<VaultRecord, 'name' | 'notifications'>, topics: DeclaredTopics): NotificationCheckDraft | undefined {
  const settings = vault.notifications;
  if (settings === undefined) return undefined;
  const topic = settings.snsTopicArn;
  const events = settings.events.join(', ');
  const subscribers = topics.get(topic);
  const declare = `Add to the config: notifications: topics: - { arn: "${topic}", subscribers: ["https://...", "mailto:..."] } and restart Coffer`;
  if (subscribers === undefined)
    return {
      check: 'notifications',
      passed: false,
      warning: true,
      message: `Vault ${vault.name} sends ${events} to SNS topic ${topic}, which the config does not declare: each message would be recorded FAILED and reach no one.`,
      fix: declare,
    };
  if (subscribers === 0)
    return {
      check: 'notifications',
      passed: false,
      warning: true,
      message: `Vault ${vault.name} sends ${events} to SNS topic ${topic}, which has no subscribers in the config: each message would reach no one.`,
      fix: `List subscribers under the topic ${topic} in notifications.topics of the config (https:// URLs, mailto: addresses) and restart Coffer`,
    };
  return {
    check: 'notifications',
    passed: true,
    message: `Vault ${vault.name} sends ${events} to SNS topic ${topic} (${subscribers} subscriber${subscribers === 1 ? '' : 's'} in the config).`,
  };
}
