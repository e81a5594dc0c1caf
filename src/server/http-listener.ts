/**
 * Binding the HTTP server to its address, with errors that say what to do (address in use,
 * permission), and the URL clients should use for it (a wildcard host becomes loopback).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { formatListenAddress } from '../config/listen-address.js';
import type { ListenAddress } from '../config/schema.js';

export function listen(server: Server, wanted: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const where = formatListenAddress(wanted);
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is in use (another coffer?)'
          : err.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : err.code === 'EADDRNOTAVAIL'
              ? 'no interface of this machine has that address'
              : err.message;
      reject(new Error(`cannot listen on ${where}: ${why}; choose another address with --listen HOST:PORT or \`listen:\` in the config`));
    };
    server.once('error', onError);
    server.listen({ host: wanted.host, port: wanted.port }, () => {
      server.removeListener('error', onError);
      const info = server.address() as AddressInfo;
      resolve({ host: wanted.host, port: info.port });
    });
  });
}

export function urlOf(address: ListenAddress): string {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return `http://${formatListenAddress({ host, port: address.port })}`;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || (isIPv6(host) && /^::ffff:127\./i.test(host));
}
