/** Starts a real node:http server on 127.0.0.1 (port 0) for wire-layer tests. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<RunningServer> {
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Test credentials: the secret is made up and only ever used against 127.0.0.1. */
export const TEST_KEY = { accessKeyId: 'AKIACOFFERTEST000001', secretAccessKey: 'coffer-test-secret/with+chars=', accountId: '111111111111' } as const;

export function testSecretFor(accessKeyId: string): { secret: string; accountId: string } | undefined {
  return accessKeyId === TEST_KEY.accessKeyId ? { secret: TEST_KEY.secretAccessKey, accountId: TEST_KEY.accountId } : undefined;
}
