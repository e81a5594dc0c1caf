import type { PreflightCheck } from '../api/coffer-api';
import { PassMark } from './status-badge';

/** A plan's preflight: each check ✔/✘ (⚠ for a warning: it fails no job, only a later restore there) with its message and, when it failed, the fix. */
export function PreflightChecks({ checks }: { checks: readonly PreflightCheck[] }) {
  return (
    <ul className="checks" aria-label="Preflight checks">
      {checks.map((c, i) => (
        <li key={i} className={c.passed ? 'check check-pass' : c.warning === true ? 'check check-warn' : 'check check-fail'}>
          <PassMark passed={c.passed} warning={c.warning === true} />
          <div>
            <p className="check-title">
              <strong>{c.check}</strong> · rule {c.rule}
              {c.copyAction !== undefined && (
                <>
                  {' '}
                  · copy to <code>{c.copyAction}</code>
                </>
              )}
            </p>
            <p className="check-message">{c.message}</p>
            {!c.passed && c.fix !== undefined && (
              <p className="fix">
                <strong>Fix:</strong> {c.fix}
              </p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
