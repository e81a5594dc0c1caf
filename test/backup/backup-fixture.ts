/** Test helpers for the domain: a temp SQLite catalog, a manual clock and a caller scope. */
import type { BackupDomain } from '../../src/backup/backup-domain.js';
import { createBackupDomain } from '../../src/backup/backup-domain.js';
import type { CallScope } from '../../src/backup/call-scope.js';
import type { Clock } from '../../src/backup/clock.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { withCatalog } from '../catalog/catalog-fixture.js';

export const SCOPE: CallScope = { accountId: '111111111111', region: 'eu-central-1', principal: 'arn:aws:iam::111111111111:root', requestId: 'req-1' };
export const OTHER: CallScope = { ...SCOPE, accountId: '222222222222', principal: 'arn:aws:iam::222222222222:root' };

export class ManualClock implements Clock {
  constructor(private at: number) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export const T0 = Date.UTC(2026, 0, 1);

export function withDomain<T>(body: (domain: BackupDomain, catalog: Catalog, clock: ManualClock) => Promise<T>): Promise<T> {
  return withCatalog(async (catalog) => {
    const clock = new ManualClock(T0);
    const domain = createBackupDomain({ catalog, clock, storageRoot: (region) => `file:/srv/coffer/vaults/${region}/` });
    return body(domain, catalog, clock);
  });
}
