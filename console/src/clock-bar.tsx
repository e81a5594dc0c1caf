/**
 * With `coffer serve --clock manual`: the server's time, and buttons that move it (POST
 * /_coffer/clock), running everything that falls due on the way; every page reloads after.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { moveClock } from './api/coffer-api';
import { useConsole } from './console-context';
import { ErrorNotice } from './components/notice';
import { formatTime } from './format';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

const STEPS = [
  { advance: 'PT1H', label: '+1 hour' },
  { advance: 'P1D', label: '+1 day' },
  { advance: 'P7D', label: '+7 days' },
] as const;

export function ClockBar() {
  const { serverNow, setServerNow, refreshAll } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [report, setReport] = useState<string | undefined>(undefined);
  const [custom, setCustom] = useState('');
  const move = async (advance: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await moveClock({ advance });
      setServerNow(new Date(r.now));
      setReport(`Moved to ${formatTime(r.now)}: ${count(r.jobsCreated ?? 0, 'job')} created, ${r.jobsRun ?? 0} run.`);
      refreshAll();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (custom.trim() !== '') void move(custom.trim());
  };
  return (
    <section className="clock-bar" aria-label="Manual clock">
      <p className="clock-now">
        <span className="badge badge-warn">manual clock</span> Server time <strong data-testid="server-time">{formatTime(serverNow())}</strong>
      </p>
      <div className="clock-actions">
        {STEPS.map((s) => (
          <button key={s.advance} type="button" className="button button-small" disabled={busy} onClick={() => void move(s.advance)}>
            {s.label}
          </button>
        ))}
        <form onSubmit={submit} className="clock-custom">
          <label htmlFor="clock-advance" className="visually-hidden">
            Advance by (ISO-8601 duration)
          </label>
          <input id="clock-advance" value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="PT6H" size={6} />
          <button type="submit" className="button button-small" disabled={busy || custom.trim() === ''}>
            Advance
          </button>
        </form>
      </div>
      <p className="clock-report" role="status">
        {busy ? 'Running what falls due…' : report}
      </p>
      <ErrorNotice error={error} title="The clock did not move" />
    </section>
  );
}
