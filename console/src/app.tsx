/**
 * The console: the sign-in (or, in sandbox mode, the sandbox account at once), then the shell
 * around the page the hash names. The signer is checked with a signed /_coffer/whoami before
 * anything is shown.
 */
import { useEffect, useMemo, useState } from 'react';
import { createClients } from './api/clients';
import { fetchConsoleSession } from './api/coffer-api';
import type { ConsoleSession, WhoAmI } from './api/coffer-api';
import { ConsoleContext } from './console-context';
import type { ConsoleContextValue } from './console-context';
import { Loading, Notice } from './components/notice';
import { Shell } from './shell';
import { clearSession, loadSession, saveSession } from './session/session';
import type { Session } from './session/session';
import { SignIn } from './session/sign-in';
import { errorText } from './format';

export function App() {
  const [server, setServer] = useState<ConsoleSession | undefined>(undefined);
  const [serverError, setServerError] = useState<unknown>(undefined);
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [signInError, setSignInError] = useState<unknown>(undefined);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => {
    fetchConsoleSession().then(setServer, setServerError);
  }, []);

  // Sandbox mode opens signed in as the sandbox account (unless the user signed out of it).
  useEffect(() => {
    if (server?.sandboxCredentials === undefined || session !== undefined || signedOut) return;
    const { accessKeyId, secretAccessKey } = server.sandboxCredentials;
    const s: Session = { accessKeyId, secretAccessKey, region: server.regions[0] ?? 'us-east-1', sandbox: true };
    saveSession(s);
    setSession(s);
  }, [server, session, signedOut]);

  if (serverError !== undefined) {
    return (
      <main id="main" className="sign-in">
        <Notice kind="error" title="Coffer does not answer">
          {errorText(serverError)}. Reload when <code>/_coffer/health</code> answers ok.
        </Notice>
      </main>
    );
  }
  if (server === undefined)
    return (
      <main id="main" className="sign-in">
        <Loading what="Coffer" />
      </main>
    );
  if (session === undefined) {
    return (
      <SignIn
        server={server}
        error={signInError}
        onSignIn={(s) => {
          saveSession(s);
          setSignInError(undefined);
          setSession(s);
        }}
      />
    );
  }
  return (
    <SignedIn
      key={`${session.accessKeyId}/${session.region}`}
      server={server}
      session={session}
      onSession={(s) => {
        saveSession(s);
        setSession(s);
      }}
      onSignOut={(error) => {
        clearSession();
        setSignedOut(true);
        setSignInError(error);
        setSession(undefined);
      }}
    />
  );
}

function SignedIn({
  server,
  session,
  onSession,
  onSignOut,
}: {
  server: ConsoleSession;
  session: Session;
  onSession: (s: Session) => void;
  onSignOut: (error?: unknown) => void;
}) {
  const clients = useMemo(() => createClients(session), [session]);
  const [whoami, setWhoami] = useState<WhoAmI | undefined>(undefined);
  const [refreshTick, setRefreshTick] = useState(0);
  const [clock, setClock] = useState(() => ({ base: new Date(server.clock.now), seenAt: Date.now() }));

  useEffect(() => {
    clients.coffer.whoami().then(setWhoami, (err: unknown) => onSignOut(err));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clients]);

  const value = useMemo<ConsoleContextValue | undefined>(
    () =>
      whoami === undefined
        ? undefined
        : {
            session,
            clients,
            whoami,
            server,
            refreshTick,
            refreshAll: () => setRefreshTick((t) => t + 1),
            serverNow: () => (server.clock.mode === 'manual' ? clock.base : new Date(clock.base.getTime() + Date.now() - clock.seenAt)),
            setServerNow: (now) => setClock({ base: now, seenAt: Date.now() }),
            switchRegion: (region) => onSession({ ...session, region }),
            signOut: () => onSignOut(),
          },
    [session, clients, whoami, server, refreshTick, clock, onSession, onSignOut],
  );

  if (value === undefined)
    return (
      <main id="main" className="sign-in">
        <Loading what="your account" />
      </main>
    );
  return (
    <ConsoleContext.Provider value={value}>
      <Shell />
    </ConsoleContext.Provider>
  );
}
