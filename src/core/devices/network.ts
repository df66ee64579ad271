// Addresses, ranges and interfaces; and the guard that keeps test traffic on loopback.
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { UsageError } from '../errors.js';

export interface Interface {
  name: string;
  address: string;
  netmask: string;
  /** The interface's own network, e.g. 192.168.1.0/24. */
  range: Range;
}

export interface Range {
  first: number;
  last: number;
  text: string;
}

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isLoopback(ip: string): boolean {
  if (isIPv4(ip)) return ip.startsWith('127.');
  return ip === '::1';
}

export function isLinkLocal(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (isIPv6(h) && h.startsWith('fe80:')) || h.startsWith('169.254.');
}

/** Parses `10.1.2.0/24` (or one address); throws UsageError naming the flag. */
export function parseCidr(text: string, flag = '--sweep'): Range {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m || !isIPv4(m[1]!) || (m[2] !== undefined && Number(m[2]) > 32)) {
    throw new UsageError('devices.range', `${flag} "${text}" is not an IPv4 range; write it as 10.20.0.0/24 (or one address).`);
  }
  const bits = m[2] === undefined ? 32 : Number(m[2]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const first = (ipToInt(m[1]!) & mask) >>> 0;
  const last = (first | (~mask >>> 0)) >>> 0;
  return { first, last, text: `${intToIp(first)}/${bits}` };
}

/** The hosts of a range to probe: without network and broadcast addresses for ranges wider than a /31. */
export function hostsOf(range: Range): string[] {
  const out: string[] = [];
  const wide = range.last - range.first >= 2;
  for (let n = range.first; n <= range.last; n++) {
    if (wide && (n === range.first || n === range.last)) continue;
    out.push(intToIp(n));
  }
  return out;
}

export function inRange(ip: string, ranges: Range[]): boolean {
  if (!isIPv4(ip)) return false;
  const n = ipToInt(ip);
  return ranges.some((r) => n >= r.first && n <= r.last);
}

function maskBits(netmask: string): number {
  return ipToInt(netmask).toString(2).replace(/0/g, '').length;
}

/** IPv4 interfaces of this machine. */
export function ipv4Interfaces(): Interface[] {
  const out: Interface[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4') continue;
      out.push({ name, address: a.address, netmask: a.netmask, range: parseCidr(`${a.address}/${maskBits(a.netmask)}`) });
    }
  }
  return out;
}

/**
 * The interfaces to probe on: the one named (by name or address), or every non-loopback IPv4 interface.
 * Under the network guard (tests) an unnamed or non-loopback interface is refused before any socket exists.
 */
export function chooseInterfaces(choice: string | undefined, available: Interface[] = ipv4Interfaces()): Interface[] {
  if (choice === undefined) {
    if (networkGuard()) {
      throw new UsageError('devices.guard', 'The network guard is on (TOEZICHT_NETWORK_GUARD): a probe must name its interface; pass --interface 127.0.0.1.');
    }
    const all = available.filter((i) => !isLoopback(i.address));
    if (!all.length) throw new UsageError('devices.no-interface', 'This machine has no IPv4 network interface besides loopback: nothing to multicast on; pass --sweep CIDR or --host ADDRESS (or --interface 127.0.0.1 to probe on loopback).');
    return all;
  }
  let found = available.filter((i) => i.name === choice || i.address === choice);
  // A loopback address other than 127.0.0.1 probes on the loopback interface from that address.
  if (!found.length && isIPv4(choice) && isLoopback(choice)) {
    const lo = available.find((i) => isLoopback(i.address));
    if (lo) found = [{ ...lo, address: choice }];
  }
  if (!found.length) {
    throw new UsageError('devices.interface', `--interface "${choice}" is not an IPv4 interface of this machine; expected one of: ${available.map((i) => `${i.name} (${i.address})`).join(', ')}.`);
  }
  for (const i of found) assertTarget(i.address, 'interface');
  return found;
}

/** True when device traffic must stay on loopback (set by the test suite and benchmarks). */
export function networkGuard(): boolean {
  return Boolean(process.env.TOEZICHT_NETWORK_GUARD);
}

/** Refuses, under the guard, any device traffic to or from an address outside 127.0.0.0/8. */
export function assertTarget(address: string, what: string): void {
  const host = address.replace(/^\[|\]$/g, '');
  if (networkGuard() && !isLoopback(host)) {
    throw new UsageError('devices.guard', `The network guard is on (TOEZICHT_NETWORK_GUARD): refusing to send to ${what} ${host}, which is not on loopback.`);
  }
}
