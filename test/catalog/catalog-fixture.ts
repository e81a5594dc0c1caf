/** Test helpers: a fresh SQLite catalog in a temp directory, removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog, CatalogStores } from '../../src/catalog/catalog.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { CatalogScope } from '../../src/catalog/scope.js';

export const SCOPE: CatalogScope = { accountId: '111111111111', region: 'eu-central-1' };
export const OTHER_ACCOUNT: CatalogScope = { accountId: '222222222222', region: 'eu-central-1' };
export const OTHER_REGION: CatalogScope = { accountId: '111111111111', region: 'eu-west-1' };

/** 2026-01-01T00:00:00Z: tests use fixed times, never the clock. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export async function withCatalogDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-catalog-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function withCatalog<T>(body: (catalog: Catalog, file: string) => Promise<T>): Promise<T> {
  return withCatalogDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openCatalog({ kind: 'sqlite', file });
    try {
      return await body(catalog, file);
    } finally {
      await catalog.close();
    }
  });
}

export function vaultArn(scope: CatalogScope, name: string): string {
  return `arn:aws:backup:${scope.region}:${scope.accountId}:backup-vault:${name}`;
}

/** Creates a vault named `name` in `scope` with fixed values. */
export function createVault(catalog: CatalogStores, scope: CatalogScope, name: string, createdAt = T0) {
  return catalog.vaults.create(scope, {
    name,
    arn: vaultArn(scope, name),
    encryptionKeyArn: `arn:aws:kms:${scope.region}:${scope.accountId}:key/k-1`,
    createdAt,
  });
}

/** Walks every page of a paged list with the given page size. */
export async function allPages<T>(
  limit: number,
  fetch: (page: { cursor?: string; limit: number }) => Promise<{ items: readonly T[]; nextCursor: string | undefined }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor === undefined ? { limit } : { cursor, limit });
    pages.push([...page.items]);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}
