/**
 * What every page of a signed-in console shares: the session, the SDK clients signing with it,
 * who the signer is, the server's session facts (regions, clock), and a refresh counter that
 * moves when data may have changed everywhere (the manual clock moved, the region changed).
 */
import { createContext, useContext } from 'react';
import type { Clients } from './api/clients';
import type { ConsoleSession, WhoAmI } from './api/coffer-api';
import type { Session } from './session/session';

export interface ConsoleContextValue {
  readonly session: Session;
  readonly clients: Clients;
  readonly whoami: WhoAmI;
  readonly server: ConsoleSession;
  /** Moves whenever every page should load again. */
  readonly refreshTick: number;
  refreshAll(): void;
  /** The server's time (the manual clock's, in tests), as last seen. */
  serverNow(): Date;
  setServerNow(now: Date): void;
  switchRegion(region: string): void;
  signOut(): void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (value === undefined) throw new Error('useConsole outside a signed-in console');
  return value;
}
