/**
 * Which failures of a backup are worth another attempt inside the job's start window: the vault
 * busy (another writer holds its lock), the source unreachable for now (a connector's
 * `Unavailable`, a refused or reset connection). Everything else fails the job at once, with its
 * reason: retrying a wrong password or a missing table only delays the message.
 */
import { ConnectorError } from '../connectors/connector.js';
import { RepositoryLockedError } from '../vault/errors.js';

const PASSING_SYSTEM_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAGAIN', 'EBUSY', 'EHOSTUNREACH']);

export function isTransientFailure(err: unknown): boolean {
  if (err instanceof RepositoryLockedError) return true;
  if (err instanceof ConnectorError) return err.kind === 'Unavailable';
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && PASSING_SYSTEM_ERRORS.has(code);
}
