/** The name of the user running Coffer, as restic records it in key files, locks and snapshots. */
import { userInfo } from 'node:os';

/** Empty when the process has no passwd entry (e.g. an arbitrary uid in a container). */
export function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
