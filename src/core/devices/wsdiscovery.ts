// WS-Discovery (ONVIF's flavour): Probe on 239.255.255.250:3702 from a chosen interface, or unicast to one host.
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { assertTarget, type Interface } from './network.js';
import { findFirst, kids, NS, parseXml, textOf, type XmlElement } from './xml.js';

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;

export interface ProbeMatch {
  /** Endpoint reference as sent (urn:uuid:… or uuid:…). */
  urn: string | null;
  types: string[];
  /** Decoded scopes (onvif://www.onvif.org/name/Axis%20P3245 → …/name/Axis P3245). */
  scopes: string[];
  xaddrs: string[];
  relatesTo: string | null;
}

/** urn:uuid:X, uuid:X and X are one endpoint. */
export function endpointKey(urn: string): string {
  return urn.trim().toLowerCase().replace(/^urn:/, '').replace(/^uuid:/, '');
}

export function probeMessage(messageId: string, types: string | undefined): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}" xmlns:d="${NS.wsd}" xmlns:dn="${NS.dn}" xmlns:tds="${NS.tds}">` +
    `<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>` +
    `<a:MessageID>${messageId}</a:MessageID><a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
    `<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>` +
    `<s:Body><d:Probe>${types ? `<d:Types>${types}</d:Types>` : ''}</d:Probe></s:Body></s:Envelope>`
  );
}

function decodeScope(scope: string): string {
  try {
    return decodeURIComponent(scope);
  } catch {
    return scope;
  }
}

/** The matches in one datagram; [] for anything that is not a ProbeMatches (Hello, Bye, noise). Throws on bad XML. */
export function parseProbeMatches(text: string): ProbeMatch[] {
  const root = parseXml(text, { maxChars: 65_536, maxDepth: 32, maxElements: 2_000 });
  const relatesTo = textOf(findFirst(root, 'RelatesTo')) ?? null;
  const matches = findFirst(root, 'ProbeMatches');
  if (!matches) return [];
  return kids(matches, 'ProbeMatch').map((m: XmlElement) => ({
    urn: textOf(findFirst(m, 'Address')) ?? null,
    types: (textOf(findFirst(m, 'Types')) ?? '').split(/\s+/).filter(Boolean),
    scopes: (textOf(findFirst(m, 'Scopes')) ?? '').split(/\s+/).filter(Boolean).map(decodeScope),
    xaddrs: (textOf(findFirst(m, 'XAddrs')) ?? '').split(/\s+/).filter(Boolean),
    relatesTo,
  }));
}

export interface ProbeOptions {
  /** Multicast on these interfaces (none: no multicast). */
  interfaces: Interface[];
  /** Unicast probes to these addresses. */
  hosts: string[];
  /** Absolute end of listening. */
  deadline: number;
  /** Stop once nothing has arrived for this long after the last probe went out. */
  quietMs: number;
  onMatch: (match: ProbeMatch, from: string, via: 'multicast' | 'unicast') => void;
  onIgnored?: (from: string, reason: string) => void;
}

// Two probes per round: without Types (everything answers) and with tds:Device (recorders often advertise only
// that). Three rounds, because UDP gets lost.
const ROUNDS_MS = [0, 200, 500];
const TYPES = [undefined, 'tds:Device'];

/** Sends the probes and collects replies until the deadline, or until the network has been quiet. */
export async function probe(options: ProbeOptions): Promise<void> {
  const sockets: dgram.Socket[] = [];
  const ids = new Set<string>();
  let lastActivity = Date.now();
  let sending = true;

  // A device answers every probe: after its first good reply, the rest from that address are not parsed again.
  const answered = new Set<string>();
  const listen = (socket: dgram.Socket, via: 'multicast' | 'unicast'): void => {
    socket.on('message', (msg, rinfo) => {
      lastActivity = Date.now();
      if (answered.has(rinfo.address)) return;
      let matches: ProbeMatch[];
      try {
        matches = parseProbeMatches(msg.toString('utf8'));
      } catch (error) {
        options.onIgnored?.(rinfo.address, (error as Error).message);
        return;
      }
      for (const m of matches) {
        // A reply to somebody else's probe (another tool on the network) is still a device; one that names a
        // message we never sent is not trusted.
        if (m.relatesTo && !ids.has(m.relatesTo) && !ids.has(m.relatesTo.replace(/^urn:uuid:/, 'uuid:'))) {
          options.onIgnored?.(rinfo.address, 'a ProbeMatch for a probe we did not send');
          continue;
        }
        options.onMatch(m, rinfo.address, via);
        answered.add(rinfo.address);
      }
    });
    socket.on('error', () => undefined);
  };

  const bound = (socket: dgram.Socket, address?: string): Promise<void> =>
    new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });

  try {
    const multicast: dgram.Socket[] = [];
    for (const iface of options.interfaces) {
      assertTarget(iface.address, 'interface');
      // Room for a burst of replies from a few hundred devices while the reads get going.
      const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      sockets.push(s);
      await bound(s, iface.address);
      // Never leave the chosen interface, never cross a router.
      s.setMulticastInterface(iface.address);
      s.setMulticastTTL(1);
      s.setMulticastLoopback(true);
      listen(s, 'multicast');
      multicast.push(s);
    }
    let unicast: dgram.Socket | undefined;
    if (options.hosts.length) {
      for (const h of options.hosts) assertTarget(h, 'host');
      unicast = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      sockets.push(unicast);
      await bound(unicast);
      listen(unicast, 'unicast');
    }
    const send = (s: dgram.Socket, text: string, port: number, host: string): Promise<void> =>
      new Promise((resolve) => s.send(text, port, host, () => resolve()));

    const start = Date.now();
    const sendRounds = (async () => {
      for (const at of ROUNDS_MS) {
        const wait = start + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (Date.now() >= options.deadline) break;
        for (const types of TYPES) {
          const id = `urn:uuid:${randomUUID()}`;
          ids.add(id);
          const message = probeMessage(id, types);
          for (const s of multicast) await send(s, message, WSD_PORT, WSD_GROUP);
          if (unicast) {
            // Paced a little, so a sweep of a /20 does not burst 8,000 datagrams at once.
            for (let i = 0; i < options.hosts.length; i++) {
              await send(unicast, message, WSD_PORT, options.hosts[i]!);
              if (i % 256 === 255) await new Promise((r) => setImmediate(r));
            }
          }
        }
        lastActivity = Date.now();
      }
      sending = false;
    })();

    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = Date.now();
        if (now >= options.deadline || (!sending && now - lastActivity >= options.quietMs)) {
          clearInterval(tick);
          resolve();
        }
      }, 25);
    });
    await sendRounds;
  } finally {
    for (const s of sockets) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }
}
