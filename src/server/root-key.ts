/**
 * The local root key that envelopes vault repository passwords until KMS lands: env
 * COFFER_ROOT_KEY (base64 of 32 bytes), else `<dataDir>/root.key` (32 random bytes, mode 0600),
 * made at first start. Never printed.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function loadRootKey(dataDir: string, env: Readonly<Record<string, string | undefined>>): Promise<Buffer> {
  const fromEnv = env['COFFER_ROOT_KEY'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('COFFER_ROOT_KEY must be the base64 of exactly 32 bytes');
    return key;
  }
  const file = join(dataDir, 'root.key');
  try {
    const key = await readFile(file);
    if (key.length !== 32) throw new Error(`${file} must hold exactly 32 bytes; it holds ${key.length}`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    await writeFile(file, key, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadRootKey(dataDir, {});
    throw err;
  }
  await chmod(file, 0o600);
  return key;
}
