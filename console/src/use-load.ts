/**
 * Loading what a page shows: the value, the error, whether it is loading, and reload(). Loads
 * again when its inputs or the console's refresh counter change; a stale answer never
 * overwrites a newer one. `poll` (ms) reloads while the page is open, e.g. for running jobs.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useConsole } from './console-context';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[], poll?: number): Loaded<T> {
  const { refreshTick } = useConsole();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...inputs, refreshTick, tick]);
  useEffect(() => {
    if (poll === undefined) return;
    const timer = setInterval(() => setTick((t) => t + 1), poll);
    return () => clearInterval(timer);
  }, [poll]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Runs an action (a save, a delete), keeping its error and whether it is busy. */
export function useAction<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: unknown; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}
