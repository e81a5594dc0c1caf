/**
 * The `listen` field: `host:port`, with an IPv6 host in brackets (`[::1]:4100`). Port 0 asks the
 * OS for a free port.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ListenAddress } from './schema.js';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The address, or the reason it is not one. */
export function parseListenAddress(text: string): ListenAddress | string {
  const split = splitHostPort(text);
  if (typeof split === 'string') return split;
  const [host, portText] = split;
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return `port must be a number from 0 to 65535, got ${JSON.stringify(portText)}`;
  }
  const hostProblem = checkHost(host);
  return hostProblem ?? { host, port: Number(portText) };
}

function splitHostPort(text: string): readonly [string, string] | string {
  const usage = `must be host:port (e.g. 127.0.0.1:4100 or [::1]:4100), got ${JSON.stringify(text)}`;
  if (text.startsWith('[')) {
    const end = text.indexOf(']:');
    if (end < 0) return usage;
    return [text.slice(1, end), text.slice(end + 2)];
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || text.indexOf(':') !== colon) return usage;
  return [text.slice(0, colon), text.slice(colon + 1)];
}

function checkHost(host: string): string | undefined {
  if (isIPv4(host) || isIPv6(host)) return undefined;
  if (/^[\d.]+$/.test(host) || !HOSTNAME.test(host)) return `host ${JSON.stringify(host)} is not an IP address or host name`;
  return undefined;
}

/** `host:port` again, bracketing an IPv6 host. */
export function formatListenAddress(address: ListenAddress): string {
  const host = isIPv6(address.host) ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
