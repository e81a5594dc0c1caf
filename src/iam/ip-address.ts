/**
 * IP addresses and CIDR blocks for the `IpAddress` / `NotIpAddress` condition operators
 * (`aws:SourceIp`). IPv4 and IPv6, compared as numbers under the block's prefix length.
 */

interface IpBlock {
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

/** `10.0.0.0/8`, `192.168.1.7` (a /32), `2001:db8::/32`; undefined when the text is none of these. */
export function parseIpBlock(text: string): IpBlock | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const parsed = address.includes(':') ? parseIpv6(address) : parseIpv4(address);
  if (parsed === undefined) return undefined;
  const width = parsed.family === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...parsed, prefix: width };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) return undefined;
  return { ...parsed, prefix: Number(prefixText) };
}

/** Whether the address `ip` lies inside the block `cidr`. */
export function ipInBlock(cidr: string, ip: string): boolean {
  const block = parseIpBlock(cidr);
  const address = parseIpBlock(ip);
  if (block === undefined || address === undefined || block.family !== address.family) return false;
  const shift = BigInt((block.family === 4 ? 32 : 128) - block.prefix);
  return block.bits >> shift === address.bits >> shift;
}

function parseIpv4(text: string): { family: 4; bits: bigint } | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return { family: 4, bits: parts.reduce((bits, part) => (bits << 8n) | BigInt(part), 0n) };
}

function parseIpv6(text: string): { family: 6; bits: bigint } | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => {
    if (half === undefined || half === '') return [];
    const out: string[] = [];
    for (const [i, group] of half.split(':').entries()) {
      const v4 = i === half.split(':').length - 1 && group.includes('.') ? parseIpv4(group) : undefined;
      if (v4 !== undefined) out.push((v4.bits >> 16n).toString(16), (v4.bits & 0xffffn).toString(16));
      else if (/^[0-9a-f]{1,4}$/i.test(group)) out.push(group);
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  return { family: 6, bits: all.reduce((bits, group) => (bits << 16n) | BigInt(`0x${group}`), 0n) };
}
