/**
 * The console's pages by hash route, and the navigation. A page is added here once: its
 * pattern, its title and the navigation section it belongs to (a notifications page is one
 * more entry in NAV and ROUTES).
 */
import type { ReactElement } from 'react';
import type { Location } from './router';
import { matchRoute } from './router';
import { Dashboard } from './pages/dashboard';
import { VaultList } from './pages/vaults/vault-list';
import { VaultDetail } from './pages/vaults/vault-detail';
import { PlanList } from './pages/plans/plan-list';
import { PlanNew } from './pages/plans/plan-new';
import { PlanDetail } from './pages/plans/plan-detail';
import { PlanEdit } from './pages/plans/plan-edit';
import { AssignmentEditor } from './pages/plans/assignment-editor';
import { Jobs } from './pages/jobs/jobs';
import { StartBackup } from './pages/jobs/start-backup';
import { RestoreWizard } from './pages/restore/restore-wizard';
import { Settings } from './pages/settings';
import { KeyList } from './pages/keys/key-list';
import { KeyDetail } from './pages/keys/key-detail';
import { Notifications } from './pages/notifications';
import { NotFound } from './pages/not-found';

export type Section = 'dashboard' | 'vaults' | 'plans' | 'jobs' | 'restore' | 'notifications' | 'settings' | 'keys';

export const NAV: readonly { section: Section; href: string; label: string }[] = [
  { section: 'dashboard', href: '#/dashboard', label: 'Dashboard' },
  { section: 'vaults', href: '#/vaults', label: 'Vaults' },
  { section: 'plans', href: '#/plans', label: 'Backup plans' },
  { section: 'jobs', href: '#/jobs', label: 'Jobs' },
  { section: 'restore', href: '#/restore', label: 'Restore' },
  { section: 'notifications', href: '#/notifications', label: 'Notifications' },
  { section: 'settings', href: '#/settings', label: 'Settings' },
  { section: 'keys', href: '#/keys', label: 'KMS keys' },
];

interface Route {
  readonly pattern: string;
  readonly section: Section;
  readonly title: (p: Record<string, string>) => string;
  readonly render: (p: Record<string, string>, query: URLSearchParams) => ReactElement;
}

const ROUTES: readonly Route[] = [
  { pattern: '/', section: 'dashboard', title: () => 'Dashboard', render: () => <Dashboard /> },
  { pattern: '/dashboard', section: 'dashboard', title: () => 'Dashboard', render: () => <Dashboard /> },
  { pattern: '/vaults', section: 'vaults', title: () => 'Vaults', render: () => <VaultList /> },
  {
    pattern: '/vaults/:name',
    section: 'vaults',
    title: (p) => `Vault ${p['name']}`,
    render: (p, q) => <VaultDetail name={p['name']!} tab={q.get('tab') ?? 'points'} />,
  },
  { pattern: '/plans', section: 'plans', title: () => 'Backup plans', render: () => <PlanList /> },
  { pattern: '/plans/new', section: 'plans', title: () => 'Create a backup plan', render: (_p, q) => <PlanNew start={q.get('from') ?? undefined} /> },
  { pattern: '/plans/:id', section: 'plans', title: () => 'Backup plan', render: (p) => <PlanDetail id={p['id']!} /> },
  { pattern: '/plans/:id/edit', section: 'plans', title: () => 'Edit backup plan', render: (p) => <PlanEdit id={p['id']!} /> },
  { pattern: '/plans/:id/assign', section: 'plans', title: () => 'Assign resources', render: (p) => <AssignmentEditor planId={p['id']!} /> },
  { pattern: '/jobs', section: 'jobs', title: () => 'Jobs', render: (_p, q) => <Jobs type={q.get('type') ?? 'backup'} /> },
  { pattern: '/jobs/new', section: 'jobs', title: () => 'Start a backup job', render: (_p, q) => <StartBackup resource={q.get('resource') ?? undefined} /> },
  {
    pattern: '/restore',
    section: 'restore',
    title: () => 'Restore',
    render: (_p, q) => <RestoreWizard vault={q.get('vault') ?? undefined} point={q.get('point') ?? undefined} />,
  },
  {
    pattern: '/notifications',
    section: 'notifications',
    title: () => 'Notifications',
    render: (_p, q) => <Notifications state={q.get('state') ?? ''} vault={q.get('vault') ?? ''} />,
  },
  { pattern: '/settings', section: 'settings', title: () => 'Settings', render: () => <Settings /> },
  { pattern: '/keys', section: 'keys', title: () => 'KMS keys', render: () => <KeyList /> },
  { pattern: '/keys/:id', section: 'keys', title: () => 'KMS key', render: (p) => <KeyDetail id={p['id']!} /> },
];

export function pageFor(location: Location): { element: ReactElement; title: string; section: Section | undefined } {
  for (const route of ROUTES) {
    const params = matchRoute(route.pattern, location.path);
    if (params !== undefined) return { element: route.render(params, location.query), title: route.title(params), section: route.section };
  }
  return { element: <NotFound path={location.path} />, title: 'Not found', section: undefined };
}
