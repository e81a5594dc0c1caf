/** SHA-256 on libuv's thread pool (Web Crypto), so that large digests leave the event loop free. */
import { webcrypto } from 'node:crypto';

export async function hexDigest(data: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
}
