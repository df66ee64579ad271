// `cameras discover`: probe, sweep and named hosts → one report per device, read from the address that answered.
import { isIPv4 } from 'node:net';
import type { Config } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { CredentialSource } from './credentials.js';
import { closeConnections, DeviceError } from './http.js';
import { deviceFindings } from './findings.js';
import { matchCamera } from './inventory.js';
import { emptyReport, type DeviceReport, type FoundBy } from './model.js';
import { assertTarget, chooseInterfaces, hostsOf, ipv4Interfaces, isLoopback, parseCidr, type Range } from './network.js';
import { readDevice } from './read.js';
import { attempt, newSession } from './soap.js';
import { NS } from './xml.js';
import { endpointKey, probe, type ProbeMatch } from './wsdiscovery.js';

export const DEFAULT_TIMEOUT_MS = 5000;
/** Ranges wider than this need --force (a /20). */
export const MAX_SWEEP_HOSTS = 4096;
// WS-Discovery devices answer within 500 ms of a probe (APP_MAX_DELAY); quiet this long after the last reply ends it.
const QUIET_MS = 800;
const READ_CONCURRENCY = 64;
const CHECK_CONCURRENCY = 128;
const HOST_CHECK_MS = 2000;
const CHECK_DELAY_MS = 600;

export interface DiscoverOptions {
  /** Interface name or address for multicast; undefined: every non-loopback IPv4 interface. */
  interface?: string;
  multicast: boolean;
  sweeps: string[];
  /** ADDRESS or ADDRESS:PORT. */
  hosts: string[];
  /** HTTP ports tried with GetSystemDateAndTime on swept and named hosts (default 80). */
  ports: number[];
  timeoutMs: number;
  force: boolean;
  credentials: CredentialSource;
  tryDefaults: boolean;
  config?: Config;
  now: number;
  onProgress?: (message: string) => void;
}

export interface DiscoverReport {
  devices: DeviceReport[];
  /** multicastSkipped: why no multicast probe went out although one was asked for (null when it went, or was not asked). */
  probed: { interfaces: string[]; multicastSkipped: string | null; sweeps: string[]; hosts: string[] };
  /** Datagrams that were not usable replies (malformed, unsolicited). */
  ignored: number;
  durationMs: number;
}

interface Target {
  address: string;
  port?: number;
}

function parseHost(text: string): Target {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m || !isIPv4(m[1]!) || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
    throw new UsageError('devices.host', `--host "${text}" is not an IPv4 address (optionally with :PORT), e.g. 10.20.0.15 or 10.20.0.15:8080.`);
  }
  return { address: m[1]!, ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

/** Runs at most `limit` tasks at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function discoverDevices(options: DiscoverOptions): Promise<DiscoverReport> {
  const started = Date.now();
  // Everything about the input is checked before a single datagram goes out.
  const ranges: Range[] = options.sweeps.map((s) => parseCidr(s));
  const swept = ranges.flatMap((r) => {
    const size = r.last - r.first + 1;
    if (size > MAX_SWEEP_HOSTS && !options.force) {
      throw new UsageError('devices.range-too-large', `--sweep ${r.text} has ${size} addresses, more than a /20 (${MAX_SWEEP_HOSTS}); narrow it, or pass --force.`);
    }
    return hostsOf(r);
  });
  const named = options.hosts.map(parseHost);
  if (!options.multicast && !swept.length && !named.length) {
    throw new UsageError('devices.nothing', 'Nothing to probe: without multicast give --sweep CIDR or --host ADDRESS.');
  }
  // A host whose only interface is loopback (a container, a namespace) has nowhere to multicast unless told to use
  // loopback: with unicast targets given, those are probed and the report says multicast was skipped.
  const multicastSkipped =
    options.multicast && options.interface === undefined && (swept.length || named.length) && !ipv4Interfaces().some((i) => !isLoopback(i.address))
      ? 'this machine has no IPv4 interface besides loopback (pass --interface 127.0.0.1 to probe on loopback)'
      : null;
  const interfaces = options.multicast && !multicastSkipped ? chooseInterfaces(options.interface) : [];
  if (multicastSkipped) options.onProgress?.(`multicast skipped: ${multicastSkipped}`);
  const unicastHosts = [...new Set([...swept, ...named.map((h) => h.address)])];
  for (const h of unicastHosts) assertTarget(h, 'host');

  const probedRanges: Range[] = [...interfaces.map((i) => i.range), ...ranges, ...named.map((h) => parseCidr(h.address))];
  const httpTargets: Target[] = [
    ...swept.flatMap((address) => options.ports.map((port) => ({ address, port }))),
    ...named.flatMap((h) => (h.port !== undefined ? [h] : options.ports.map((port) => ({ address: h.address, port })))),
  ];
  const hostCheckMs = Math.min(options.timeoutMs, HOST_CHECK_MS);
  const waves = Math.ceil(httpTargets.length / CHECK_CONCURRENCY);
  // A sweep wider than one wave of checks may take a host timeout per extra wave (documented in --help).
  const deadline = started + options.timeoutMs + Math.max(0, waves - 1) * hostCheckMs;

  const byEndpoint = new Map<string, DeviceReport>();
  const byAddress = new Map<string, DeviceReport>();
  const reads: Promise<void>[] = [];
  const readLimit = limiter(READ_CONCURRENCY);
  let ignored = 0;

  const found = (address: string, via: FoundBy, match?: ProbeMatch, xaddr?: string): void => {
    const key = match?.urn ? endpointKey(match.urn) : undefined;
    const known = (key ? byEndpoint.get(key) : undefined) ?? byAddress.get(address);
    if (known) {
      // The same endpoint from another address is the same device (deduplicated by endpoint), not followed.
      if (known.address !== address) return;
      if (!known.foundBy.includes(via)) known.foundBy.push(via);
      if (match?.urn && !known.urn) known.urn = match.urn;
      if (match && !known.scopes.length) known.scopes = match.scopes;
      if (key) byEndpoint.set(key, known);
      return;
    }
    const report = emptyReport(address);
    report.foundBy.push(via);
    if (match) {
      report.urn = match.urn;
      report.scopes = match.scopes;
      report.xaddrs = match.xaddrs;
    }
    if (xaddr && !report.xaddrs.includes(xaddr)) report.xaddrs.push(xaddr);
    if (key) byEndpoint.set(key, report);
    byAddress.set(address, report);
    options.onProgress?.(`found ${address}${match?.urn ? ` (${match.urn})` : ''}`);
    reads.push(
      readLimit(() =>
        readDevice(report, {
          deadline,
          credentials: options.credentials.forDevice({ address, urn: report.urn }),
          tryDefaults: options.tryDefaults,
        }).then(() => undefined),
      ),
    );
  };

  const probing = probe({
    interfaces,
    hosts: unicastHosts,
    deadline,
    quietMs: QUIET_MS,
    onMatch: (m, from, via) => {
      // No XAddrs: the device service is at its fixed ONVIF path on the address that answered.
      found(from, via, m, m.xaddrs.length ? undefined : `http://${from}/onvif/device_service`);
    },
    onIgnored: () => {
      ignored++;
    },
  });

  // HTTP checks start once the first unicast probe replies are in: hosts that answered those need no check.
  const checkLimit = limiter(CHECK_CONCURRENCY);
  const answers = new Map<string, { port: number; error: DeviceError }[]>();
  if (httpTargets.length) await new Promise((r) => setTimeout(r, Math.min(CHECK_DELAY_MS, Math.max(0, deadline - Date.now()))));
  const checking = Promise.all(
    httpTargets.map((t) =>
      checkLimit(async () => {
        if (byAddress.has(t.address) || Date.now() >= deadline) return;
        const url = new URL(`http://${t.address}:${t.port ?? 80}/onvif/device_service`);
        const s = newSession(t.address, Math.min(deadline, Date.now() + hostCheckMs));
        try {
          await attempt(s, url, NS.tds, 'GetSystemDateAndTime', '', 'none');
          found(t.address, named.some((h) => h.address === t.address) ? 'host' : 'http', undefined, url.toString());
        } catch (error) {
          // Refused, silent, or not ONVIF: not a device (named hosts are listed below all the same, saying what
          // they answered instead).
          if (!(error instanceof DeviceError)) throw error;
          const seen = answers.get(t.address) ?? [];
          seen.push({ port: t.port ?? 80, error });
          answers.set(t.address, seen);
        }
      }),
    ),
  );

  try {
    await Promise.all([probing, checking]);
    await Promise.all(reads);
  } finally {
    closeConnections();
  }

  for (const h of named) {
    if (byAddress.has(h.address)) {
      const r = byAddress.get(h.address)!;
      if (!r.foundBy.includes('host')) r.foundBy.push('host');
      continue;
    }
    const r = emptyReport(h.address);
    r.foundBy.push('host');
    const ports = h.port !== undefined ? [h.port] : options.ports;
    r.error = namedHostError(ports, answers.get(h.address) ?? []);
    byAddress.set(h.address, r);
  }

  const devices = [...byAddress.values()];
  for (const d of devices) {
    const cam = options.config ? matchCamera(options.config.cameras, d) : undefined;
    d.inventoryId = cam?.id ?? null;
    d.findings = deviceFindings(d, { ...(options.config ? { config: options.config } : {}), probed: probedRanges, now: options.now });
  }
  devices.sort((a, b) => compareAddress(a.address, b.address));
  return {
    devices,
    probed: { interfaces: interfaces.map((i) => `${i.name} (${i.address})`), multicastSkipped, sweeps: ranges.map((r) => r.text), hosts: named.map((h) => h.address) },
    ignored,
    durationMs: Date.now() - started,
  };
}

/** Why a named host is no device: silence is "did not answer"; anything it did answer is said as it was. */
function namedHostError(ports: number[], answers: { port: number; error: DeviceError }[]): string {
  const spoke = answers.filter((a) => a.error.kind !== 'timeout' && a.error.kind !== 'network');
  const silent = ports.filter((p) => !spoke.some((a) => a.port === p));
  const parts = [
    ...(silent.length ? [`nor GetSystemDateAndTime on port ${silent.join(', ')}`] : []),
    ...spoke.map((a) => (a.error.kind === 'refused' ? a.error.message : `on port ${a.port} it ${a.error.message}`)),
  ];
  return `did not answer a WS-Discovery probe${silent.length ? ', ' : '; '}${parts.join('; ')}`;
}

function compareAddress(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
}
