// A simulator of ONVIF cameras and recorders on loopback addresses (127.0.x.y), for tests and benchmarks.
// Each device has its own address: a WS-Discovery responder (multicast on loopback, and unicast on its address),
// and an HTTP server with device, media (1 and 2), search and recording services, in one of several vendor styles
// (namespace prefixes, service paths, WS-Security and/or HTTP Digest, replay windows). It can misbehave on request.
// It parses requests with regular expressions, independently of the code under test, and logs every request raw
// so tests can look for passwords on the wire.
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import { recorderOperation, refreshRecordings, REPLAY_NS } from './recorder-ops.mjs';
import { startRtspServer } from './rtsp-sim.mjs';

export const WSD_GROUP = '239.255.255.250';

const NSURI = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tse: 'http://www.onvif.org/ver10/search/wsdl',
  trc: 'http://www.onvif.org/ver10/recording/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
  trp: REPLAY_NS,
};

// A 16x16 grey JPEG made with `ffmpeg -f lavfi -i color=c=gray:s=16x16 -frames:v 1`.
export const SNAPSHOT_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU4LjQyLjEwMAD/2wBDAAgUFBcUFxsbGxsbGyAeICEhISAgICAhISEkJCQqKiokJCQhISQkKCgqKi4vLisrKisvLzIyMjw8OTlGRkhWVmf/xABKAAEAAAAAAAAAAAAAAAAAAAAAAQEAAAAAAAAAAAAAAAAAAAAAEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAEAAQAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AAA//2Q==',
  'base64',
);

/** Vendor styles: how real devices differ in what a client sees. */
export const STYLES = {
  // SOAP-ENV prefix, one path for every service, WS-Security or Digest, faults with HTTP 400.
  axis: {
    manufacturer: 'AXIS',
    model: 'P3245-LVE',
    prefixes: { env: 'SOAP-ENV', tds: 'tds', trt: 'trt', tr2: 'tr2', tse: 'tse', trc: 'trc', tt: 'tt' },
    paths: { device: '/onvif/device_service', media: '/onvif/services', media2: '/onvif/services', search: '/onvif/services', recording: '/onvif/services' },
    auth: 'both',
    wsseFailure: 'fault',
    digestAlgorithms: ['SHA-256', 'MD5'],
    replayWindowSeconds: 300,
    nonceCache: true,
    media2: true,
    defaultUser: ['root', 'pass'],
    snapshotPath: '/axis-cgi/jpg/image.cgi',
  },
  // env prefix, capitalised paths, answers unauthenticated requests with a Digest challenge, a tight replay window.
  hikvision: {
    manufacturer: 'HIKVISION',
    model: 'DS-2CD2143G2-I',
    prefixes: { env: 'env', tds: 'tds', trt: 'trt', tr2: 'tr2', tse: 'tse', trc: 'trc', tt: 'tt' },
    paths: { device: '/onvif/device_service', media: '/onvif/Media', media2: '/onvif/Media2', search: '/onvif/SearchRecording', recording: '/onvif/Recording' },
    auth: 'both',
    wsseFailure: 'challenge',
    digestAlgorithms: ['MD5'],
    replayWindowSeconds: 5,
    nonceCache: false,
    media2: false,
    defaultUser: ['admin', '12345'],
    snapshotPath: '/onvif-http/snapshot',
  },
  // s prefix with default namespaces on the payload, HTTP Digest only (WS-Security is ignored).
  dahua: {
    manufacturer: 'Dahua',
    model: 'IPC-HDW2431T-AS',
    prefixes: { env: 's', tds: '', trt: 'trt', tr2: 'tr2', tse: 'tse', trc: 'trc', tt: 'sch' },
    paths: { device: '/onvif/device_service', media: '/onvif/media_service', media2: '/onvif/media2_service', search: '/onvif/search_service', recording: '/onvif/recording_service' },
    auth: 'digest',
    wsseFailure: 'challenge',
    digestAlgorithms: ['MD5'],
    replayWindowSeconds: 300,
    nonceCache: false,
    media2: false,
    defaultUser: ['admin', 'admin'],
    snapshotPath: '/cgi-bin/snapshot.cgi',
  },
  // A recorder: odd prefixes, WS-Security only, GetCapabilities but no GetServices, advertises tds:Device only.
  nvr: {
    manufacturer: 'Uniview',
    model: 'NVR302-16S',
    prefixes: { env: 'SOAP-ENV', tds: 'ns1', trt: 'ns2', tr2: 'ns5', tse: 'ns3', trc: 'ns4', tt: 'ns0' },
    paths: { device: '/onvif/device_service', media: '/onvif/media', media2: '/onvif/media2', search: '/onvif/search', recording: '/onvif/recording' },
    auth: 'wsse',
    wsseFailure: 'fault',
    digestAlgorithms: ['MD5'],
    replayWindowSeconds: 10,
    nonceCache: true,
    media2: false,
    noGetServices: true,
    recorder: true,
    defaultUser: ['admin', '123456'],
    snapshotPath: '/snapshot.jpg',
  },
};

const DAY = 86_400_000;

function uuidFor(address, salt = '') {
  const h = createHash('sha1').update(`${address}${salt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function esc(s) {
  return String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

/** A full device description with defaults for everything a test does not set. */
export function deviceSpec(spec) {
  const style = STYLES[spec.style ?? 'axis'];
  const n = Number(spec.address.split('.').pop());
  const recorder = spec.kind ? spec.kind === 'recorder' : Boolean(style.recorder);
  const users = [...(spec.users ?? [{ user: 'admin', password: 'Geheim-123!' }])];
  // Still the factory password: that account has no other.
  const users2 = spec.acceptsDefault ? [...users.filter((u) => u.user !== style.defaultUser[0]), { user: style.defaultUser[0], password: style.defaultUser[1] }] : users;
  return {
    port: 8080,
    urn: spec.bareUuid ? `uuid:${uuidFor(spec.address)}` : `urn:uuid:${uuidFor(spec.address)}`,
    manufacturer: style.manufacturer,
    model: style.model,
    firmware: `V5.${n % 10}.${n}`,
    // Serials with leading zeros and letters: they must stay strings.
    serial: `00${(1000000 + n).toString()}${spec.style === 'hikvision' ? 'AAWR' : ''}`,
    hardwareId: `HW-${n.toString(16).padStart(4, '0')}`,
    mac: `00:40:8c:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}:0${n % 10}`,
    clockOffsetSeconds: 0,
    replayWindowSeconds: style.replayWindowSeconds,
    nonceCache: style.nonceCache,
    auth: style.auth,
    digestAlgorithms: style.digestAlgorithms,
    media2: style.media2,
    noGetServices: Boolean(style.noGetServices),
    location: `Gebouw A, ${n}`,
    name: `${style.manufacturer} ${style.model}`,
    recordings: recorder
      ? [
          { token: 'REC-1', sourceName: 'entree', sourceId: 'urn:uuid:source-entree', from: Date.now() - 20 * DAY, until: Date.now() - 60_000 },
          { token: 'REC-2', sourceName: 'aula', sourceId: 'urn:uuid:source-aula', from: Date.now() - 10 * DAY, until: Date.now() - 60_000 },
        ]
      : [],
    searchPolls: 1,
    replyDelayMaxMs: 150,
    profiles: [
      { token: 'Profile_1', name: 'mainStream', encoding: 'H264', width: 1920, height: 1080, fps: 25, boundsWidth: 2688, boundsHeight: 1520 },
      { token: 'Profile_2', name: 'subStream', encoding: spec.media2 || style.media2 ? 'H265' : 'H264', width: 640, height: 360, fps: 12, boundsWidth: 2688, boundsHeight: 1520 },
    ],
    ...spec,
    style: spec.style ?? 'axis',
    kind: recorder ? 'recorder' : 'camera',
    users: users2,
  };
}

/**
 * Starts the devices. Options: devices (specs), multicast (answer probes sent to 239.255.255.250 on loopback),
 * traps ([{address, port}]: listeners that only count who contacted them).
 */
export async function startSimulator({ devices: specs, multicast = true, multicastInterface = '127.0.0.1', traps = [], isolated = false }) {
  const devices = specs.map(deviceSpec);
  for (const d of [...devices, ...traps]) {
    // Loopback only; other addresses only inside a network namespace without a route out (`isolated`, checked by the caller).
    if (!d.address.startsWith('127.') && !isolated) throw new Error(`the simulator serves loopback addresses only, not ${d.address}`);
  }
  const log = [];
  const trapHits = [];
  const closers = [];
  const state = new Map(devices.map((d) => [d.address, { nonces: new Set(), digestNonces: new Set(), failedAuth: 0, searches: new Map() }]));

  const byAddress = new Map(devices.map((d) => [d.address, d]));
  for (const d of devices) {
    const server = http.createServer((req, res) => handle(d, req, res));
    server.keepAliveTimeout = 2000;
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(d.port, d.address, resolve);
    });
    closers.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }));
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', (msg, rinfo) => onProbe(d, udp, msg.toString('utf8'), rinfo, false));
    await new Promise((resolve) => udp.bind(3702, d.address, resolve));
    d.udp = udp;
    closers.push(() => new Promise((r) => udp.close(() => r())));
    // A recorder with replay: its RTSP server (test/sim/rtsp-sim.mjs).
    if (d.replay) {
      d.rtsp = await startRtspServer(d, { recordingOf: (token) => d.recordings.find((r) => r.token === token), log });
      closers.push(() => d.rtsp.stop());
    }
  }
  if (multicast) {
    const group = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    group.on('message', (msg, rinfo) => {
      const text = msg.toString('utf8');
      for (const d of devices) onProbe(d, d.udp, text, rinfo, true);
    });
    await new Promise((resolve) => group.bind(3702, WSD_GROUP, resolve));
    group.addMembership(WSD_GROUP, multicastInterface);
    closers.push(() => new Promise((r) => group.close(() => r())));
  }
  for (const t of traps) {
    const server = http.createServer((req, res) => {
      trapHits.push({ address: t.address, kind: 'http', path: req.url });
      res.writeHead(404).end();
    });
    await new Promise((resolve) => server.listen(t.port, t.address, resolve));
    closers.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }));
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    udp.on('message', () => trapHits.push({ address: t.address, kind: 'udp' }));
    await new Promise((resolve) => udp.bind(3702, t.address, resolve));
    closers.push(() => new Promise((r) => udp.close(() => r())));
  }

  function onProbe(d, socket, text, rinfo, viaMulticast) {
    if (!/Probe\b/.test(text) || /ProbeMatches/.test(text)) return;
    log.push({ address: d.address, kind: viaMulticast ? 'multicast-probe' : 'unicast-probe', raw: text });
    if (viaMulticast && d.silentToMulticast) return;
    if (!viaMulticast && d.silentToUnicast) return;
    const id = /<(?:[\w.-]+:)?MessageID(?:\s[^>]*)?>([^<]+)</.exec(text)?.[1]?.trim();
    const types = /<(?:[\w.-]+:)?Types(?:\s[^>]*)?>([^<]*)</.exec(text)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
    const own = d.kind === 'recorder' ? ['Device'] : ['NetworkVideoTransmitter', 'Device'];
    if (!types.every((t) => own.includes(t.split(':').pop()))) return;
    const delay = Math.floor(Math.random() * (d.replyDelayMaxMs + 1));
    setTimeout(() => {
      // malformedProbe: true for a broken reply; 'deep' for a whole datagram (63 KB) of elements nested 21,000 deep.
      const reply = d.malformedProbe === 'deep' ? `<?xml version="1.0"?>${'<x>'.repeat(21_000)}` : d.malformedProbe ? `<?xml version="1.0"?><s:Envelope><s:Body><d:ProbeMatches>${'<x>'.repeat(5)}` : probeMatch(d, id);
      try {
        socket.send(reply, rinfo.port, rinfo.address);
      } catch {
        // closed meanwhile
      }
    }, delay);
  }

  function xaddrsOf(d) {
    const own = `http://${d.address}:${d.port}${STYLES[d.style].paths.device}`;
    if (d.xaddrs) return d.xaddrs;
    return [own, ...(d.outsideXAddrs ?? []), ...(d.linkLocal ? ['http://[fe80::240:8cff:fe01:203]/onvif/device_service'] : [])];
  }

  function probeMatch(d, relatesTo) {
    const types = d.kind === 'recorder' ? 'tds:Device' : 'dn:NetworkVideoTransmitter tds:Device';
    const scopes = [
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/Profile/Streaming',
      ...(d.kind === 'recorder' ? ['onvif://www.onvif.org/Profile/G'] : []),
      `onvif://www.onvif.org/name/${encodeURIComponent(d.name)}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(d.model)}`,
      `onvif://www.onvif.org/location/${encodeURIComponent(d.location)}`,
    ];
    return (
      `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${NSURI.soap}" xmlns:wsa="${NSURI.wsa}" xmlns:d="${NSURI.wsd}" xmlns:dn="${NSURI.dn}" xmlns:tds="${NSURI.tds}">` +
      `<SOAP-ENV:Header><wsa:MessageID>urn:uuid:${uuidFor(d.address, String(Math.random()))}</wsa:MessageID>` +
      `${relatesTo ? `<wsa:RelatesTo>${esc(relatesTo)}</wsa:RelatesTo>` : ''}` +
      `<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>` +
      `<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>` +
      `<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference><wsa:Address>${esc(d.urn)}</wsa:Address></wsa:EndpointReference>` +
      `<d:Types>${types}</d:Types><d:Scopes>${scopes.map(esc).join(' ')}</d:Scopes><d:XAddrs>${xaddrsOf(d).map(esc).join(' ')}</d:XAddrs>` +
      `<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`
    );
  }

  function handle(d, req, res) {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size < 1_000_000) chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headerText = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
      const entry = { address: d.address, kind: 'http', method: req.method, path: req.url, headers: req.headers, raw: `${req.method} ${req.url}\n${headerText}\n\n${raw}` };
      log.push(entry);
      const respond = (status, body, headers = {}) => {
        entry.status = status;
        const send = () => {
          if (res.destroyed) return;
          // Real devices send Content-Length (some clients, libonvif among them, read nothing without it).
          const length = d.trickle ? {} : { 'Content-Length': Buffer.byteLength(body) };
          // `contentType`: a device that labels its SOAP wrongly (text/html, as some cheap cameras do).
          res.writeHead(status, { 'Content-Type': d.contentType ?? 'application/soap+xml; charset=utf-8', ...length, ...headers });
          if (d.trickle && typeof body === 'string') {
            // Sends its reply a byte at a time, slowly: a reader must give up at its timeout.
            let i = 0;
            const t = setInterval(() => {
              if (res.destroyed || i >= body.length) {
                clearInterval(t);
                if (!res.destroyed) res.end();
                return;
              }
              res.write(body[i++]);
            }, 50);
            return;
          }
          res.end(body);
        };
        const delay = d.slowMs ?? d.slowOps?.[entry.op] ?? 0;
        if (delay) setTimeout(send, delay);
        else send();
      };
      try {
        route(d, req, raw, entry, respond);
      } catch (error) {
        respond(500, String(error));
      }
    });
  }

  function route(d, req, raw, entry, respond) {
    const style = STYLES[d.style];
    if (req.method === 'GET') {
      entry.op = 'snapshot';
      if (!req.url.startsWith(style.snapshotPath)) return respond(404, 'not found', { 'Content-Type': 'text/plain' });
      const who = checkHttpAuth(d, req, entry);
      if (!who && d.auth !== 'open') return challenge(d, respond);
      return respond(200, SNAPSHOT_JPEG, { 'Content-Type': 'image/jpeg' });
    }
    const m = /<(?:[\w.-]+:)?Body[^>]*>\s*<(?:([\w.-]+):)?([\w.-]+)([^>]*)>?/.exec(raw);
    const op = m?.[2] ?? '';
    entry.op = op;
    const servicePath = req.url.split('?')[0];
    const known = Object.values(style.paths);
    if (!known.includes(servicePath)) return respond(404, 'not found', { 'Content-Type': 'text/plain' });
    if (d.malformed === 'all' || d.malformed === op) {
      return respond(200, `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${NSURI.soap}"><SOAP-ENV:Body><${op}Response><Broken attr="x></SOAP-ENV:Body>`);
    }
    if (d.oversized === op) {
      return respond(200, envelope(d, `<tds:${op}Response><tds:Manufacturer>${'A'.repeat(3 * 1024 * 1024)}</tds:Manufacturer></tds:${op}Response>`));
    }
    if (d.entityBomb === op) {
      return respond(200, `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><SOAP-ENV:Envelope xmlns:SOAP-ENV="${NSURI.soap}"><SOAP-ENV:Body><tds:GetDeviceInformationResponse xmlns:tds="${NSURI.tds}"><tds:Manufacturer>&lol3;</tds:Manufacturer></tds:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`);
    }
    if (d.answer && (d.answer.op === 'all' || d.answer.op === op)) return hostileAnswer(d, op, respond);
    const open = ['GetSystemDateAndTime', 'GetServices', 'GetCapabilities'].includes(op) || d.auth === 'open';
    if (!open) {
      const who = authenticate(d, req, raw, entry);
      if (!who) {
        state.get(d.address).failedAuth += entry.authAttempt ? 1 : 0;
        if (d.auth === 'digest' || d.auth === 'basic' || (d.auth === 'both' && style.wsseFailure === 'challenge') || (d.auth === 'both' && !entry.wsse)) return challenge(d, respond);
        return respond(400, fault(d, 'ter:NotAuthorized', 'Sender not Authorized'));
      }
      entry.user = who;
    }
    const body = operation(d, op, raw, servicePath);
    if (body && typeof body === 'object') return respond(400, fault(d, body.fault[0], body.fault[1]));
    if (body === undefined) return respond(400, fault(d, 'ter:ActionNotSupported', `${op} is not supported`));
    respond(200, envelope(d, body));
  }

  // What devices (and things that are not devices) send where SOAP belongs: `answer: {op, kind}`.
  function hostileAnswer(d, op, respond) {
    switch (d.answer.kind) {
      case 'html':
        return respond(500, '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>lighttpd</p></body></html>', { 'Content-Type': 'text/html' });
      case 'garbage':
        return respond(200, Buffer.from('\u0000\u0001garbage\u00ff'.repeat(64), 'latin1'));
      case 'redirect':
        return respond(302, '', { Location: d.answer.location ?? 'http://127.0.9.19:8080/onvif/device_service' });
      case 'empty':
        return respond(200, '');
      case 'bare':
        // A proper SOAP envelope around a reply without a namespace: <GetDeviceInformationResponse> bare.
        return respond(200, envelope(d, `<${op}Response><Manufacturer>${esc(d.manufacturer)}</Manufacturer><SerialNumber>${esc(d.serial)}</SerialNumber></${op}Response>`));
      case 'deep':
        // 1.4 MB nested 200,000 levels deep inside a proper envelope.
        return respond(200, envelope(d, `${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`));
      default:
        throw new Error(`unknown hostile answer ${d.answer.kind}`);
    }
  }

  function challenge(d, respond) {
    // A device that knows only HTTP Basic (it would take the password in clear text).
    if (d.auth === 'basic') return respond(401, 'Unauthorized', { 'Content-Type': 'text/plain', 'WWW-Authenticate': `Basic realm="${esc(d.manufacturer)}"` });
    const nonce = randomBytes(16).toString('hex');
    state.get(d.address).digestNonces.add(nonce);
    const headers = d.digestAlgorithms.map((a) => `Digest realm="${esc(d.manufacturer)}", qop="auth", nonce="${nonce}", opaque="5ccc069c", algorithm=${a}`);
    respond(401, 'Unauthorized', { 'Content-Type': 'text/plain', 'WWW-Authenticate': headers });
  }

  function checkHttpAuth(d, req, entry) {
    const h = req.headers.authorization;
    if (!h) return undefined;
    entry.authAttempt = true;
    if (/^Basic/i.test(h)) {
      entry.basic = true;
      return undefined;
    }
    const p = {};
    for (const m of h.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) p[m[1]] = m[2] ?? m[3];
    if (!state.get(d.address).digestNonces.has(p.nonce)) return undefined;
    const alg = (p.algorithm ?? 'MD5').toUpperCase();
    if (!d.digestAlgorithms.map((a) => a.toUpperCase()).includes(alg)) return undefined;
    const hash = (s) => createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5').update(s).digest('hex');
    const user = d.users.find((u) => u.user === p.username);
    if (!user) return undefined;
    const ha1 = hash(`${user.user}:${p.realm}:${user.password}`);
    const ha2 = hash(`${req.method}:${p.uri}`);
    const expected = p.qop ? hash(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : hash(`${ha1}:${p.nonce}:${ha2}`);
    entry.digest = true;
    return expected === p.response ? user.user : undefined;
  }

  function authenticate(d, req, raw, entry) {
    if (d.auth === 'basic') {
      const h = req.headers.authorization ?? '';
      if (/^Basic /i.test(h)) entry.basic = true;
      const [user, password] = Buffer.from(h.replace(/^Basic /i, ''), 'base64').toString().split(':');
      return d.users.some((u) => u.user === user && u.password === password) ? user : undefined;
    }
    if (d.auth !== 'wsse') {
      const who = checkHttpAuth(d, req, entry);
      if (who) return who;
      if (d.auth === 'digest') return undefined;
    }
    const user = /<(?:[\w.-]+:)?Username(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1];
    if (user === undefined) return undefined;
    entry.wsse = true;
    entry.authAttempt = true;
    const pw = /<(?:[\w.-]+:)?Password(\s[^>]*)?>([^<]*)</.exec(raw);
    const nonce = /<(?:[\w.-]+:)?Nonce(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1];
    const created = /<(?:[\w.-]+:)?Created(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1];
    if (!pw || !/PasswordDigest/.test(pw[1] ?? '')) {
      entry.passwordText = true;
      return undefined;
    }
    if (!nonce || !created) return undefined;
    const s = state.get(d.address);
    // Replay protection as real devices do it: Created must be near the device's own clock, a nonce is used once.
    const deviceNow = Date.now() + d.clockOffsetSeconds * 1000;
    if (Math.abs(Date.parse(created) - deviceNow) > d.replayWindowSeconds * 1000) {
      entry.stale = true;
      return undefined;
    }
    if (d.nonceCache && s.nonces.has(nonce)) {
      entry.replayed = true;
      return undefined;
    }
    const account = d.users.find((u) => u.user === user);
    if (!account) return undefined;
    const digest = createHash('sha1').update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(account.password)])).digest('base64');
    if (digest !== pw[2]) return undefined;
    // A nonce is spent by a request that got in (a refused one does not count, as on most devices).
    s.nonces.add(nonce);
    return user;
  }

  function ns(d) {
    const p = STYLES[d.style].prefixes;
    return Object.entries(p)
      .filter(([k, v]) => k !== 'env' && v)
      .map(([k, v]) => `xmlns:${v}="${NSURI[k]}"`)
      .join(' ');
  }

  function envelope(d, body) {
    const env = STYLES[d.style].prefixes.env;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${env}:Envelope xmlns:${env}="${NSURI.soap}" ${ns(d)} xmlns:ter="${NSURI.ter}"><${env}:Header/><${env}:Body>${body}</${env}:Body></${env}:Envelope>`;
    // `noNamespaces`: the same reply with every prefix and namespace declaration gone (<Envelope><Body>…).
    return d.noNamespaces ? xml.replace(/\sxmlns(:[\w.-]+)?="[^"]*"/g, '').replace(/<(\/?)[\w.-]+:/g, '<$1') : xml;
  }

  function fault(d, subcode, reason) {
    const env = STYLES[d.style].prefixes.env;
    return envelope(d, `<${env}:Fault><${env}:Code><${env}:Value>${env}:Sender</${env}:Value><${env}:Subcode><${env}:Value>${subcode}</${env}:Value></${env}:Subcode></${env}:Code><${env}:Reason><${env}:Text xml:lang="en">${esc(reason)}</${env}:Text></${env}:Reason></${env}:Fault>`);
  }

  // Element helper: `e('tds', 'Manufacturer', 'AXIS')`; a style without a prefix uses a default namespace.
  function el(d, key, name, content = '', attrs = '') {
    const p = STYLES[d.style].prefixes[key];
    if (!p) return `<${name} xmlns="${NSURI[key]}"${attrs}>${content}</${name}>`;
    return `<${p}:${name}${attrs}>${content}</${p}:${name}>`;
  }

  function operation(d, op, raw, servicePath) {
    const style = STYLES[d.style];
    const base = `http://${d.address}:${d.port}`;
    const serviceUrl = (key) => (d.serviceHost ? `http://${d.serviceHost}${style.paths[key]}` : `${base}${style.paths[key]}`);
    const t = (k, n, c, a) => el(d, k, n, c, a);
    const tt = (n, c, a) => el(d, 'tt', n, c, a);
    const devicePaths = servicePath === style.paths.device;
    // Media 1 has no H.265: such a stream shows as H264 there, as on real devices.
    const mediaProfileBody = (p) => tt('Name', p.name) +
      tt('VideoSourceConfiguration', tt('Name', 'src') + tt('UseCount', 2) + tt('SourceToken', 'VideoSource_1') + tt('Bounds', '', ` x="0" y="0" width="${p.boundsWidth}" height="${p.boundsHeight}"`), ' token="VSC_1"') +
      tt('VideoEncoderConfiguration', tt('Name', 'enc') + tt('UseCount', 1) + tt('Encoding', p.encoding === 'H265' ? 'H264' : p.encoding) + tt('Resolution', tt('Width', p.width) + tt('Height', p.height)) + tt('Quality', 5) + tt('RateControl', tt('FrameRateLimit', p.fps) + tt('EncodingInterval', 1) + tt('BitrateLimit', 4096)) + tt('SessionTimeout', 'PT60S'), ` token="VEC_${p.token}"`);
    switch (op) {
      case 'GetSystemDateAndTime': {
        const now = new Date(Date.now() + d.clockOffsetSeconds * 1000);
        // `clockParts` overrides fields as sent ({Hour: 77}, {Year: 99999}): a clock that names no real time.
        const c = { Year: now.getUTCFullYear(), Month: now.getUTCMonth() + 1, Day: now.getUTCDate(), Hour: now.getUTCHours(), Minute: now.getUTCMinutes(), Second: now.getUTCSeconds(), ...d.clockParts };
        return t('tds', 'GetSystemDateAndTimeResponse', t('tds', 'SystemDateAndTime',
          tt('DateTimeType', 'NTP') + tt('DaylightSavings', 'false') + tt('TimeZone', tt('TZ', 'CET-1CEST,M3.5.0,M10.5.0/3')) +
          tt('UTCDateTime', tt('Date', tt('Year', c.Year) + tt('Month', c.Month) + tt('Day', c.Day)) + tt('Time', tt('Hour', c.Hour) + tt('Minute', c.Minute) + tt('Second', c.Second)))));
      }
      case 'GetServices': {
        if (d.noGetServices) return undefined;
        const svc = (nsKey, key, major) => t('tds', 'Service', t('tds', 'Namespace', NSURI[nsKey]) + t('tds', 'XAddr', serviceUrl(key)) + t('tds', 'Version', tt('Major', major) + tt('Minor', 0)));
        let list = t('tds', 'Service', t('tds', 'Namespace', NSURI.tds) + t('tds', 'XAddr', `${base}${style.paths.device}`) + t('tds', 'Version', tt('Major', 2) + tt('Minor', 60)));
        list += svc('trt', 'media', 2);
        if (d.media2) list += svc('tr2', 'media2', 2);
        if (d.kind === 'recorder') list += svc('tse', 'search', 2) + svc('trc', 'recording', 2) + (d.replay ? svc('trp', 'recording', 2) : '');
        return t('tds', 'GetServicesResponse', list);
      }
      case 'GetCapabilities': {
        const ext = d.kind === 'recorder' ? tt('Extension', tt('Recording', tt('XAddr', serviceUrl('recording'))) + tt('Search', tt('XAddr', serviceUrl('search'))) + (d.replay ? tt('Replay', tt('XAddr', serviceUrl('recording'))) : '')) : '';
        return t('tds', 'GetCapabilitiesResponse', t('tds', 'Capabilities', tt('Device', tt('XAddr', `${base}${style.paths.device}`)) + tt('Media', tt('XAddr', serviceUrl('media'))) + ext));
      }
      case 'GetDeviceInformation':
        return t('tds', 'GetDeviceInformationResponse',
          t('tds', 'Manufacturer', esc(d.manufacturer)) + t('tds', 'Model', esc(d.model)) + t('tds', 'FirmwareVersion', esc(d.firmware)) + t('tds', 'SerialNumber', esc(d.serial)) + t('tds', 'HardwareId', esc(d.hardwareId)));
      case 'GetNetworkInterfaces':
        return t('tds', 'GetNetworkInterfacesResponse', t('tds', 'NetworkInterfaces', tt('Enabled', 'true') + tt('Info', tt('Name', 'eth0') + tt('HwAddress', d.style === 'dahua' ? d.mac.toUpperCase().replace(/:/g, '-') : d.mac) + tt('MTU', 1500)), ' token="eth0"'));
      case 'GetHostname':
        return t('tds', 'GetHostnameResponse', t('tds', 'HostnameInformation', tt('FromDHCP', 'false') + tt('Name', `cam-${d.address.split('.').pop()}`)));
      case 'GetEndpointReference':
        return t('tds', 'GetEndpointReferenceResponse', t('tds', 'GUID', esc(d.urn)));
      case 'GetNTP':
        return t('tds', 'GetNTPResponse', t('tds', 'NTPInformation', tt('FromDHCP', 'false') + tt('NTPManual', tt('Type', 'DNS') + tt('DNSname', 'pool.ntp.org'))));
      case 'GetProfile': {
        const token = /<(?:[\w.-]+:)?ProfileToken(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1] ?? '';
        const p = d.profiles.find((x) => x.token === token);
        if (!p) return undefined;
        return t('trt', 'GetProfileResponse', t('trt', 'Profile', mediaProfileBody(p), ` token="${p.token}" fixed="true"`));
      }
      case 'GetProfiles': {
        if (!devicePaths && servicePath === style.paths.media2 && /ver20\/media/.test(raw) && d.media2) {
          return t('tr2', 'GetProfilesResponse', d.profiles.map((p) => t('tr2', 'Profiles', t('tr2', 'Name', p.name) + t('tr2', 'Configurations',
            t('tr2', 'VideoSource', tt('SourceToken', 'VideoSource_1') + tt('Bounds', '', ` x="0" y="0" width="${p.boundsWidth}" height="${p.boundsHeight}"`), ' token="VSC_1"') +
            t('tr2', 'VideoEncoder', tt('Name', 'enc') + tt('Encoding', p.encoding) + tt('Resolution', tt('Width', p.width) + tt('Height', p.height)) + tt('RateControl', tt('FrameRateLimit', p.fps) + tt('BitrateLimit', 4096), ' ConstantBitRate="false"'), ` token="VEC_${p.token}" Encoding="${p.encoding}"`)), ` token="${p.token}" fixed="true"`)).join(''));
        }
        return t('trt', 'GetProfilesResponse', d.profiles.map((p) => t('trt', 'Profiles', mediaProfileBody(p), ` token="${p.token}" fixed="true"`)).join(''));
      }
      case 'GetStreamUri': {
        const token = /<(?:[\w.-]+:)?ProfileToken(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1] ?? '';
        const userinfo = d.streamUriWithCredentials ? `${d.users[0].user}:${d.users[0].password}@` : '';
        const query = d.streamUriWithCredentials ? `&user=${d.users[0].user}&password=${encodeURIComponent(d.users[0].password)}` : '';
        const uri = `rtsp://${userinfo}${d.address}:554/Streaming/${encodeURIComponent(token)}?transport=tcp${query}`;
        if (/ver20\/media/.test(raw)) return t('tr2', 'GetStreamUriResponse', t('tr2', 'Uri', esc(uri)));
        return t('trt', 'GetStreamUriResponse', t('trt', 'MediaUri', tt('Uri', esc(uri)) + tt('InvalidAfterConnect', 'false') + tt('InvalidAfterReboot', 'false') + tt('Timeout', 'PT0S')));
      }
      case 'GetSnapshotUri': {
        const uri = `${d.snapshotHost ? `http://${d.snapshotHost}` : base}${style.snapshotPath}?channel=1`;
        if (/ver20\/media/.test(raw)) return t('tr2', 'GetSnapshotUriResponse', t('tr2', 'Uri', esc(uri)));
        return t('trt', 'GetSnapshotUriResponse', t('trt', 'MediaUri', tt('Uri', esc(uri)) + tt('InvalidAfterConnect', 'false') + tt('InvalidAfterReboot', 'false') + tt('Timeout', 'PT0S')));
      }
      case 'FindRecordings': {
        if (d.kind !== 'recorder') return undefined;
        refreshRecordings(d);
        const token = `search-${randomBytes(4).toString('hex')}`;
        state.get(d.address).searches.set(token, { polls: 0 });
        return t('tse', 'FindRecordingsResponse', t('tse', 'SearchToken', token));
      }
      case 'GetRecordingSearchResults': {
        const token = /<(?:[\w.-]+:)?SearchToken(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1] ?? '';
        const search = state.get(d.address).searches.get(token);
        if (!search) return undefined;
        search.polls++;
        const done = search.polls > d.searchPolls;
        // Results arrive in parts, as on a real recorder: the first half while Searching, the rest when Completed.
        const half = Math.ceil(d.recordings.length / 2);
        const part = d.searchPolls === 0 ? d.recordings : search.polls === 1 ? d.recordings.slice(0, half) : done ? d.recordings.slice(half) : [];
        const info = part.map((r) => tt('RecordingInformation', tt('RecordingToken', r.token) +
          tt('Source', tt('SourceId', esc(r.sourceId)) + tt('Name', esc(r.sourceName)) + tt('Location', 'Gebouw A') + tt('Description', 'camera') + tt('Address', esc(r.sourceAddress ?? `rtsp://${r.sourceName}.local/`))) +
          tt('EarliestRecording', new Date(r.earliest ?? r.from).toISOString()) + tt('LatestRecording', new Date(r.until).toISOString()) + tt('Content', 'continuous') +
          tt('Track', tt('TrackToken', 'VIDEO001') + tt('TrackType', 'Video') + tt('Description', 'video') + tt('DataFrom', new Date(r.from).toISOString()) + tt('DataTo', new Date(r.until).toISOString())) + tt('RecordingStatus', 'Recording'))).join('');
        return t('tse', 'GetRecordingSearchResultsResponse', t('tse', 'ResultList', tt('SearchState', done ? 'Completed' : 'Searching') + info));
      }
      case 'EndSearch':
        return t('tse', 'EndSearchResponse', t('tse', 'Endpoint', new Date().toISOString()));
      default:
        return recorderOperation(d, op, raw, { t, tt, esc, fault: (sub, reason) => ({ fault: [sub, reason] }), replayUrl: (token) => `rtsp://${d.address}:${d.replay.port}/replay/${encodeURIComponent(token)}` });
    }
  }

  return {
    devices,
    /** Every request and probe received, raw (for wire checks). */
    log,
    trapHits,
    byAddress,
    failedAuth: (address) => state.get(address).failedAuth,
    async stop() {
      await Promise.all(closers.map((c) => c()));
    },
  };
}

/** `count` devices from 127.0.X.start on, cycling through the styles (every fourth a recorder). */
export function fleet(count, { prefix = '127.0.1.', start = 10, port = 8080, ...rest } = {}) {
  const styles = ['axis', 'hikvision', 'dahua', 'nvr'];
  return Array.from({ length: count }, (_, i) => ({ address: `${prefix}${start + i}`, port, style: styles[i % styles.length], ...rest }));
}
