// Reading one device: clock, services, identity, network, media profiles, recordings — from its own address only.
import { defaultCredentials, type Credentials } from './auth.js';
import { DeviceError, onAddress, safeUri } from './http.js';
import type { DeviceReport, MediaProfile, Recording } from './model.js';
import { isLinkLocal } from './network.js';
import { attempt, call, newSession, tryCall, type Session } from './soap.js';
import { findAll, findFirst, kid, kids, NS, numberOf, path, textOf, type XmlElement } from './xml.js';

export interface ReadOptions {
  deadline: number;
  credentials?: Credentials;
  /** Try well-known factory passwords when the given credentials fail (or none were given). */
  tryDefaults: boolean;
  /** Password submissions per device, at most: cameras lock accounts out. */
  maxTries?: number;
}

interface Services {
  device: URL;
  media?: URL;
  media2?: URL;
  search?: URL;
  recording?: URL;
  secure: boolean[];
}

const MAX_SEARCH_POLLS = 50;

/**
 * Fills `report` in place with what the device tells; on failure sets `error` and keeps what was read. Returns the
 * session (its authentication), for a caller that fetches more from the device (a snapshot).
 */
export async function readDevice(report: DeviceReport, options: ReadOptions): Promise<Session> {
  const s = newSession(report.address, options.deadline);
  try {
    await readInto(report, s, options);
  } catch (error) {
    if (error instanceof DeviceError) report.error = error.message;
    else report.error = `could not be read: ${(error as Error).message}`;
  }
  return s;
}

function deviceUrl(report: DeviceReport): URL {
  const on = report.xaddrs.map((x) => onAddress(x, report.address)).filter((x) => x !== undefined);
  const own = on.find((x) => !x.moved) ?? on[0];
  if (!own) throw new DeviceError('unsupported', 'advertised no HTTP service address');
  return own.url;
}

/** Notes service addresses that point elsewhere; IPv6 link-local twins of the device are normal and not noted. */
function noteElsewhere(report: DeviceReport, xaddr: string): void {
  let host: string;
  try {
    host = new URL(xaddr).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return;
  }
  if (host !== report.address && !isLinkLocal(host) && !report.elsewhere.includes(xaddr)) report.elsewhere.push(xaddr);
}

async function readInto(report: DeviceReport, s: Session, options: ReadOptions): Promise<void> {
  for (const x of report.xaddrs) noteElsewhere(report, x);
  const device = deviceUrl(report);

  // 1. The clock, unauthenticated: everything signed later uses the device's time.
  const t0 = Date.now();
  const time = await attempt(s, device, NS.tds, 'GetSystemDateAndTime', '', 'none');
  const t1 = Date.now();
  if (!time.auth) {
    const deviceMs = deviceClock(findFirst(time.body, 'UTCDateTime', NS.tt));
    if (deviceMs !== undefined) {
      // The device truncates to whole seconds: its true time lies half a second later on average.
      s.clockOffsetMs = deviceMs + 500 - (t0 + t1) / 2;
      report.clockOffsetSeconds = Math.round(s.clockOffsetMs / 1000);
    }
  }

  // 2. Where its services are (may need credentials on some devices: then again after logging in).
  let services = await readServices(report, s, device, false);

  // 3. Identity: open, or with credentials (given, then at most a few factory defaults).
  const info = await authenticate(report, s, device, options);
  if (!info) return;
  report.manufacturer = textOf(kid(info, 'Manufacturer')) ?? null;
  report.model = textOf(kid(info, 'Model')) ?? null;
  report.firmware = textOf(kid(info, 'FirmwareVersion')) ?? null;
  report.serial = textOf(kid(info, 'SerialNumber')) ?? null;
  report.hardwareId = textOf(kid(info, 'HardwareId')) ?? null;
  services ??= await readServices(report, s, device, true);
  if (!services) throw new DeviceError('unsupported', 'told neither its services (GetServices) nor its capabilities (GetCapabilities)');
  report.plainHttpOnly = !services.secure.some(Boolean) && !report.xaddrs.some((x) => x.startsWith('https:'));

  const network = async (): Promise<void> => {
    const net = await tryCall(s, device, NS.tds, 'GetNetworkInterfaces');
    const hw = textOf(findFirst(net, 'HwAddress'));
    if (hw) report.mac = hw.toLowerCase().replace(/-/g, ':');
    if (!report.urn) {
      const epr = await tryCall(s, device, NS.tds, 'GetEndpointReference');
      report.urn = textOf(findFirst(epr, 'GUID')) ?? null;
    }
  };
  // 4. What it streams.
  const media = async (): Promise<void> => {
    if (services.media2) await readMedia(report, s, services.media2, 2);
    else if (services.media) await readMedia(report, s, services.media, 1);
  };
  // 5. What it records (Profile G). A device with recording search is a recorder (a camera with its own SD card too).
  report.kind = services.search ? 'recorder' : services.media || services.media2 ? 'camera' : null;
  const recordings = async (): Promise<void> => {
    if (services.search) await readRecordings(report, s, services.search);
  };
  // Independent reads go side by side — except under HTTP Digest, where some devices want their nonce counts in order.
  if (s.method === 'digest') {
    await network();
    await media();
    await recordings();
  } else {
    await settleAll([network(), media(), recordings()]);
  }
}

/** Waits for all, then throws the first failure (so no read is left running behind an error). */
async function settleAll(tasks: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function readServices(report: DeviceReport, s: Session, device: URL, authenticated: boolean): Promise<Services | undefined> {
  const run = async (op: string, inner: string): Promise<XmlElement | undefined> => {
    if (authenticated) return tryCall(s, device, NS.tds, op, inner);
    const r = await attempt(s, device, NS.tds, op, inner, 'none').catch((e: unknown) => {
      if (e instanceof DeviceError && (e.kind === 'fault' || e.kind === 'http')) return undefined;
      throw e;
    });
    return r && !r.auth ? r.body : undefined;
  };
  const found: Services = { device, secure: [] };
  const place = (ns: string, xaddr: string | undefined): void => {
    if (!xaddr) return;
    noteElsewhere(report, xaddr);
    const on = onAddress(xaddr, report.address);
    if (!on) return;
    found.secure.push(on.url.protocol === 'https:');
    if (ns === NS.trt) found.media = on.url;
    else if (ns === NS.tr2) found.media2 = on.url;
    else if (ns === NS.tse) found.search = on.url;
    else if (ns === NS.trc) found.recording = on.url;
    else if (ns === NS.tds) found.device = on.url;
  };
  const svc = await run('GetServices', '<IncludeCapability>false</IncludeCapability>');
  if (svc) {
    for (const service of kids(svc, 'Service')) place(textOf(kid(service, 'Namespace')) ?? '', textOf(kid(service, 'XAddr')));
    return found;
  }
  const caps = await run('GetCapabilities', '<Category>All</Category>');
  if (!caps) return undefined;
  const c = kid(caps, 'Capabilities');
  place(NS.tds, textOf(path(c, 'Device', 'XAddr')));
  place(NS.trt, textOf(path(c, 'Media', 'XAddr')));
  place(NS.tse, textOf(path(c, 'Extension', 'Search', 'XAddr')));
  place(NS.trc, textOf(path(c, 'Extension', 'Recording', 'XAddr')));
  return found;
}

async function authenticate(report: DeviceReport, s: Session, device: URL, options: ReadOptions): Promise<XmlElement | undefined> {
  const open = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'none');
  if (!open.auth) {
    report.access = 'open';
    return open.body;
  }
  if (open.challenge) s.challenge = open.challenge;
  let basicOnly = open.basicOnly;
  const given = options.credentials;
  const vendor = [report.manufacturer, ...report.scopes].filter(Boolean).join(' ');
  const candidates = [
    ...(given ? [given] : []),
    ...(options.tryDefaults ? defaultCredentials(vendor).filter((d) => !given || d.user !== given.user || d.password !== given.password) : []),
  ];
  const budget = options.maxTries ?? 3;
  let tries = 0;
  let mechanism: 'wsse' | 'digest' | undefined;
  for (const creds of candidates) {
    if (mechanism !== 'digest') {
      if (tries >= budget) break;
      tries++;
      const r = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'wsse', creds);
      if (!r.auth) return loggedIn(report, s, 'wsse', creds, r.body);
      if (r.wsseRejected) mechanism = 'wsse';
      else if (r.challenge) {
        s.challenge = r.challenge;
        mechanism = 'digest';
      } else if (r.basicOnly) basicOnly = true;
    }
    if (mechanism === 'digest' && s.challenge) {
      if (tries >= budget) break;
      tries++;
      s.nc = 0;
      const r = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'digest', creds);
      if (!r.auth) return loggedIn(report, s, 'digest', creds, r.body);
      if (r.challenge) s.challenge = r.challenge;
    }
  }
  report.access = 'refused';
  if (basicOnly && !mechanism) throw new DeviceError('auth', 'asks for HTTP Basic authentication, which would send the password in clear text; toezicht does not send it');
  if (!given) throw new DeviceError('auth', 'needs credentials; give them with --user and --password-env, or a credentials file');
  throw new DeviceError('auth', `refused the credentials of user "${given.user}"`);
}

function loggedIn(report: DeviceReport, s: Session, method: 'wsse' | 'digest', creds: Credentials, body: XmlElement): XmlElement {
  s.method = method;
  s.creds = creds;
  report.access = creds.origin === 'default' ? 'default-password' : 'credentials';
  return body;
}

function num(el: XmlElement | undefined): number | null {
  return numberOf(el) ?? null;
}

// Media 1 and Media 2 name the same facts in different places.
const MEDIA = {
  1: {
    ns: NS.trt,
    profilesRequest: '',
    encoder: (p: XmlElement) => kid(p, 'VideoEncoderConfiguration'),
    streamRequest: (token: string) =>
      `<StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></StreamSetup><ProfileToken>${token}</ProfileToken>`,
  },
  2: {
    ns: NS.tr2,
    profilesRequest: '<Type>All</Type>',
    encoder: (p: XmlElement) => path(p, 'Configurations', 'VideoEncoder'),
    streamRequest: (token: string) => `<Protocol>RTSP</Protocol><ProfileToken>${token}</ProfileToken>`,
  },
} as const;

/** Profiles (encoder settings, not the sensor bounds), their RTSP URIs and the first profile's snapshot URI. */
async function readMedia(report: DeviceReport, s: Session, media: URL, version: 1 | 2): Promise<void> {
  const m = MEDIA[version];
  const res = await call(s, media, m.ns, 'GetProfiles', m.profilesRequest);
  const profiles: MediaProfile[] = [];
  for (const p of kids(res, 'Profiles')) {
    const token = p.attrs.token;
    if (!token) continue;
    const enc = m.encoder(p);
    profiles.push({
      token,
      name: textOf(kid(p, 'Name')) ?? null,
      encoding: textOf(kid(enc, 'Encoding')) ?? enc?.attrs.Encoding ?? null,
      width: num(path(enc, 'Resolution', 'Width')),
      height: num(path(enc, 'Resolution', 'Height')),
      fps: num(path(enc, 'RateControl', 'FrameRateLimit')),
      rtsp: null,
    });
  }
  report.profiles = profiles;
  await each(s, [
    ...profiles.map((p) => async () => {
      const uri = await tryCall(s, media, m.ns, 'GetStreamUri', m.streamRequest(escapeToken(p.token)));
      p.rtsp = safeUri(textOf(findFirst(uri, 'Uri')));
    }),
    async () => {
      if (!profiles[0]) return;
      const snap = await tryCall(s, media, m.ns, 'GetSnapshotUri', `<ProfileToken>${escapeToken(profiles[0].token)}</ProfileToken>`);
      report.snapshotUri = safeUri(textOf(findFirst(snap, 'Uri')));
    },
  ]);
}

/** Runs the calls side by side, or one after another under HTTP Digest. */
async function each(s: Session, calls: (() => Promise<void>)[]): Promise<void> {
  if (s.method === 'digest') {
    for (const c of calls) await c();
  } else await settleAll(calls.map((c) => c()));
}

function escapeToken(t: string): string {
  return t.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

// A device's times are believed only as real instants of plausible years: a clock reset to 1970 is a fact worth
// reporting, year 99999 or hour 77 is not a clock at all.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

/**
 * The instant a device's UTCDateTime names, in ms; undefined when the device sent none. A UTCDateTime that names no
 * real instant (hour 77, 31 February, year 99999, fractions) makes the device unreadable: its other answers are no
 * more to be trusted than its clock, and an offset computed from it would be absurd.
 */
function deviceClock(utc: XmlElement | undefined): number | undefined {
  if (!utc) return undefined;
  const d = kid(utc, 'Date', NS.tt);
  const t = kid(utc, 'Time', NS.tt);
  const fields = [
    ['Year', d, FIRST_YEAR, LAST_YEAR],
    ['Month', d, 1, 12],
    ['Day', d, 1, 31],
    ['Hour', t, 0, 23],
    ['Minute', t, 0, 59],
    ['Second', t, 0, 60],
  ] as const;
  const values: number[] = [];
  for (const [name, parent, min, max] of fields) {
    const text = textOf(kid(parent, name, NS.tt));
    const n = text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) {
      throw new DeviceError('malformed', `answered GetSystemDateAndTime with a clock that is no real time (${name} ${text === undefined ? 'missing' : `"${clip(text)}"`}); not read further`);
    }
    values.push(n);
  }
  const [y, mo, day, h, mi, sec] = values as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, day, h, mi, Math.min(sec, 59));
  // Date.UTC rolls 31 February over into March: such a date does not exist.
  if (new Date(ms).getUTCDate() !== day) throw new DeviceError('malformed', `answered GetSystemDateAndTime with a date that does not exist (${y}-${mo}-${day}); not read further`);
  return ms;
}

function clip(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}…` : s;
}

/** An xs:dateTime of a plausible year as ISO 8601 UTC; devices give UTC, so a time without an offset is UTC. */
function isoOrNull(text: string | undefined): string | null {
  const m = text ? /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/.exec(text) : null;
  if (!m || Number(m[1]) < FIRST_YEAR || Number(m[1]) > LAST_YEAR) return null;
  const ms = Date.parse(m[3] ? text! : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

async function readRecordings(report: DeviceReport, s: Session, search: URL): Promise<void> {
  const started = await call(s, search, NS.tse, 'FindRecordings', '<Scope></Scope><KeepAliveTime>PT10S</KeepAliveTime>');
  const token = textOf(kid(started, 'SearchToken'));
  if (!token) throw new DeviceError('malformed', 'started a recording search without a SearchToken');
  const found = new Map<string, Recording>();
  let completed = false;
  for (let i = 0; i < MAX_SEARCH_POLLS && !completed; i++) {
    const res = await call(s, search, NS.tse, 'GetRecordingSearchResults', `<SearchToken>${escapeToken(token)}</SearchToken><MaxResults>1000</MaxResults><WaitTime>PT1S</WaitTime>`);
    const list = kid(res, 'ResultList');
    for (const info of findAll(list, 'RecordingInformation')) {
      const rt = textOf(kid(info, 'RecordingToken'));
      if (!rt) continue;
      const src = kid(info, 'Source');
      found.set(rt, {
        token: rt,
        source: textOf(kid(src, 'Name')) ?? textOf(kid(src, 'SourceId')) ?? null,
        sourceId: textOf(kid(src, 'SourceId')) ?? null,
        sourceAddress: textOf(kid(src, 'Address')) ?? null,
        from: isoOrNull(textOf(kid(info, 'EarliestRecording'))),
        until: isoOrNull(textOf(kid(info, 'LatestRecording'))),
      });
    }
    completed = textOf(kid(list, 'SearchState')) === 'Completed';
    if (!completed && Date.now() >= s.deadline) break;
  }
  report.recordings = [...found.values()].sort((a, b) => a.token.localeCompare(b.token));
  await tryCall(s, search, NS.tse, 'EndSearch', `<SearchToken>${escapeToken(token)}</SearchToken>`).catch(() => undefined);
  if (!completed) throw new DeviceError('timeout', `did not complete its recording search in time; ${found.size} recording${found.size === 1 ? '' : 's'} listed so far`);
}
