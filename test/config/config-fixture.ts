/** Test helpers for config: temp directories and a parse that returns the ConfigError message. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { parseConfig } from '../../src/config/load-config.js';

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-config-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The problems `yaml` has, as `path: message` lines; fails when it parses. */
export function problems(yaml: string, env: Record<string, string> = {}, baseDir = '/etc/coffer'): string[] {
  try {
    parseConfig(yaml, { baseDir, env, source: join(baseDir, 'coffer.yaml') });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
  }
  assert.fail('the config was accepted');
}

/** Asserts that exactly one problem is reported and that it matches `pattern`. */
export function assertOneProblem(yaml: string, pattern: RegExp, env: Record<string, string> = {}): void {
  const found = problems(yaml, env);
  assert.equal(found.length, 1, `one problem expected, got:\n${found.join('\n')}`);
  assert.match(found[0]!, pattern);
}

/** A valid account block to put invalid things beside. */
export const ACCOUNT = `accounts:
  - id: "111111111111"
    name: production
    accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY }]
`;
