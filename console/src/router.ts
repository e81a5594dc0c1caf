/**
 * Hash routes: `#/vaults`, `#/vaults/daily`, `#/plans/<id>`, `#/jobs?type=copy` ... The part
 * after `#` is a path and an optional query; pages read their parameters from the match.
 */
import { useEffect, useState } from 'react';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

function current(): Location {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?', 2) as [string?, string?];
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(query) };
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => setLocation(current());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return location;
}

/** `#/vaults/a%20b` for ['vaults', 'a b']: each segment encoded. */
export function href(...segments: readonly string[]): string {
  return `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export function navigate(to: string): void {
  window.location.hash = to.startsWith('#') ? to.slice(1) : to;
}

/**
 * Matches `path` against `pattern` (`/vaults/:name`); the parameters decoded, or undefined.
 */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter((s) => s !== '');
  const have = path.split('/').filter((s) => s !== '');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return undefined;
      }
    } else if (w !== h) return undefined;
  }
  return params;
}
