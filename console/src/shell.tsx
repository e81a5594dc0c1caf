/**
 * The frame of every signed-in page: a skip link, the header (account, region, sign-out), the
 * navigation (a menu button on narrow screens), the manual clock's bar when it runs, and the page.
 * On each navigation the page's heading takes the focus, so screen readers announce it.
 */
import { useEffect, useState } from 'react';
import { useConsole } from './console-context';
import { ClockBar } from './clock-bar';
import { NAV, pageFor } from './routes';
import { useLocation } from './router';

export function Shell() {
  const { whoami, session, server, switchRegion, signOut } = useConsole();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const { element, title, section } = pageFor(location);

  useEffect(() => {
    document.title = `${title} · Coffer console`;
    setMenuOpen(false);
    window.scrollTo(0, 0);
    const heading = document.getElementById('page-title');
    if (heading !== null && document.activeElement !== heading) heading.focus({ preventScroll: true });
  }, [location.path, title]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('page-title')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          <span aria-hidden="true">☰</span> Menu
        </button>
        <a className="brand" href="#/dashboard">
          Coffer <span className="brand-sub">console</span>
        </a>
        <div className="identity">
          <span className="account" title="The account your key signs as">
            {whoami.accountName !== undefined ? `${whoami.accountName} · ` : ''}
            <span className="mono">{whoami.accountId}</span>
            {session.sandbox === true && <span className="badge badge-warn sandbox-badge">sandbox</span>}
          </span>
          <label className="region-picker">
            <span className="visually-hidden">Region</span>
            <select value={session.region} onChange={(e) => switchRegion(e.target.value)} aria-label="Region">
              {server.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="layout">
        <nav id="nav" aria-label="Console" className={menuOpen ? 'nav nav-open' : 'nav'}>
          <ul>
            {NAV.map((n) => (
              <li key={n.section}>
                <a href={n.href} aria-current={section === n.section ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="main">
          {server.clock.mode === 'manual' && <ClockBar />}
          {element}
        </main>
      </div>
    </div>
  );
}
