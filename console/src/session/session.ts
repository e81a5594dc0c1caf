/**
 * The signed-in identity: an access key id, its secret and the region the console signs for,
 * kept in this tab's session storage only (gone when the tab closes; never in local storage, a
 * cookie or a URL). Sign-out removes it.
 */
export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** Set when the console opened itself signed in as the sandbox account. */
  readonly sandbox?: boolean;
}

const KEY = 'coffer-console-session';

export function loadSession(): Session | undefined {
  try {
    const text = sessionStorage.getItem(KEY);
    if (text === null) return undefined;
    const value = JSON.parse(text) as Partial<Session>;
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string' || typeof value.region !== 'string') return undefined;
    return {
      accessKeyId: value.accessKeyId,
      secretAccessKey: value.secretAccessKey,
      region: value.region,
      ...(value.sandbox === true ? { sandbox: true } : {}),
    };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
