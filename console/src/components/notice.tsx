import type { ReactNode } from 'react';
import { errorText, splitFix } from '../format';

/** A message box: errors are alerts (read out at once), the others polite status. */
export function Notice({ kind, title, children }: { kind: 'error' | 'success' | 'info' | 'warning'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title !== undefined && <strong className="notice-title">{title}</strong>}
      {children !== undefined && <div className="notice-body">{children}</div>}
    </div>
  );
}

/** An API error as the console shows it: the exception and its message, a fix when Coffer gave one. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const { message, fix } = splitFix(errorText(error));
  return (
    <Notice kind="error" title={title ?? 'That did not work'}>
      <p>{message}</p>
      {fix !== undefined && (
        <p className="fix">
          <strong>Fix:</strong> {fix}
        </p>
      )}
    </Notice>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
