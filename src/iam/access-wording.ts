/**
 * The words the combination rules use to say who was refused what by which policy, so that a
 * refusal reads like an AWS error message: "the vault access policy of backup vault X has no
 * statement allowing account 111111111111 backup:CopyIntoBackupVault".
 */
import { parseArn } from './arn.js';
import type { PrincipalContext } from './authorization-request.js';

export interface ResourceWording {
  /** e.g. `backup vault daily`. */
  readonly resource: string;
  /** e.g. `the vault access policy of backup vault daily`. */
  readonly policy: string;
}

export function resourceWording(resourceArn: string): ResourceWording {
  const arn = parseArn(resourceArn);
  const [type, ...rest] = arn?.resource.split(/[:/]/) ?? [];
  const name = rest.join(':');
  if (arn?.service === 'backup' && type === 'backup-vault') {
    return { resource: `backup vault ${name}`, policy: `the vault access policy of backup vault ${name}` };
  }
  if (arn?.service === 'backup' && type === 'recovery-point') {
    return { resource: `recovery point ${resourceArn}`, policy: `the vault access policy covering recovery point ${resourceArn}` };
  }
  if (arn?.service === 'kms' && type === 'key') return { resource: `KMS key ${resourceArn}`, policy: `the key policy of KMS key ${resourceArn}` };
  return { resource: resourceArn, policy: `the resource policy of ${resourceArn}` };
}

/** `account 111111111111`, or the principal's ARN when it is not the account root; with the acting service. */
export function principalWording(principal: PrincipalContext): string {
  const who =
    principal.arn === `arn:aws:iam::${principal.accountId}:root` ? `account ${principal.accountId}` : `${principal.arn} (account ${principal.accountId})`;
  return principal.service === undefined ? who : `${who} through ${principal.service}`;
}

/** `statement "DenyDelete"`, `statements "A", "B"`. */
export function statementsWording(labels: readonly string[]): string {
  return `${labels.length === 1 ? 'statement' : 'statements'} ${labels.map((label) => JSON.stringify(label)).join(', ')}`;
}
