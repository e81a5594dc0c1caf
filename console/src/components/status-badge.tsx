/** A job's or a recovery point's state, in words and colour (never colour alone). */
const TONES: Readonly<Record<string, string>> = {
  COMPLETED: 'good',
  DELIVERED: 'good',
  AVAILABLE: 'good',
  ENABLED: 'good',
  ACTIVE: 'good',
  PASSED: 'good',
  RUNNING: 'busy',
  CREATED: 'busy',
  PENDING: 'busy',
  CREATING: 'busy',
  STARTED: 'busy',
  STOPPING: 'busy',
  DELETING: 'busy',
  FAILED: 'bad',
  ABORTED: 'bad',
  EXPIRED: 'bad',
  PARTIAL: 'warn',
  STOPPED: 'warn',
  DISABLED: 'warn',
  PENDING_DELETION: 'warn',
  CANCELED: 'warn',
  CANCELING: 'warn',
};

export function StatusBadge({ state }: { state: string | undefined }) {
  const text = state ?? 'UNKNOWN';
  return <span className={`badge badge-${TONES[text] ?? 'neutral'}`}>{text.replace(/_/g, ' ').toLowerCase()}</span>;
}

/** ✔ or ✘ with its word for screen readers. */
export function PassMark({ passed }: { passed: boolean }) {
  return (
    <span className={passed ? 'mark mark-pass' : 'mark mark-fail'} aria-label={passed ? 'passed' : 'failed'} role="img">
      {passed ? '✔' : '✘'}
    </span>
  );
}
