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

/** ✔, ✘, or ⚠ (a failed check that is only a warning) with its word for screen readers. */
export function PassMark({ passed, warning = false }: { passed: boolean; warning?: boolean }) {
  const [cls, label, mark] = passed ? ['mark-pass', 'passed', '✔'] : warning ? ['mark-warn', 'warning', '⚠'] : ['mark-fail', 'failed', '✘'];
  return (
    <span className={`mark ${cls}`} aria-label={label} role="img">
      {mark}
    </span>
  );
}
