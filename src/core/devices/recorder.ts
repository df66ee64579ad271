// A recorder (NVR) over ONVIF Profile G: who it is, what it records (recording search, GetRecordings), how long it
// keeps it (recording control: MaximumRetentionTime) and where its footage can be replayed (GetReplayUri). One
// session per recorder, logged in with the configured credentials (WS-Security with the device's clock, or HTTP
// Digest); never factory passwords, never DeleteRecording.
import { ToezichtError, UsageError } from '../errors.js';
import type { Credentials } from './auth.js';
import { closeConnections, DeviceError, onAddress, safeUri } from './http.js';
import { attempt, call, newSession, type Session } from './soap.js';
import { escapeXml, findAll, findFirst, kid, kids, NS, numberOf, path, textOf, type XmlElement } from './xml.js';

export const REPLAY_NS = 'http://www.onvif.org/ver10/replay/wsdl';
const MAX_SEARCH_POLLS = 50;

export interface RecorderTarget {
  /** HOST or HOST:PORT of the device service (port 80 when left out). */
  address: string;
  credentials: Credentials;
  timeoutMs?: number;
}

export interface RecorderIdentity {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
}

export interface RecorderSession {
  host: string;
  port: number;
  session: Session;
  device: URL;
  search?: URL;
  recording?: URL;
  replay?: URL;
  identity: RecorderIdentity;
}

export interface RecorderRecording {
  token: string;
  source: string | null;
  sourceId: string | null;
  /** Oldest and newest footage, ISO 8601 UTC (null when the recorder did not say). */
  from: string | null;
  until: string | null;
  /** MaximumRetentionTime as the recorder states it (ISO 8601 duration), null without recording control. */
  maximumRetention: string | null;
}

/** Something about a recorder a person must act on; the code says what kind (see docs/recorders.md). */
export class RecorderError extends ToezichtError {
  constructor(code: string, message: string, exitCode: 1 | 2, cause?: unknown) {
    super(code, message, { exitCode, ...(cause === undefined ? {} : { cause }) });
    this.name = 'RecorderError';
  }
}

/** `10.0.0.5` or `10.0.0.5:8080` or `[fe80::1]:80` → host and port. */
export function parseRecorderAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(address.trim());
  const port = m?.[3] === undefined ? 80 : Number(m[3]);
  if (!m || port < 1 || port > 65535) throw new UsageError('recorder.address', `The recorder address "${address}" is not HOST or HOST:PORT; write it as 10.0.0.5 or 10.0.0.5:8080.`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Turns what a device did wrong into the sentence and exit code a person acts on. */
export function recorderFailure(address: string, error: unknown): ToezichtError {
  if (error instanceof ToezichtError) return error;
  if (error instanceof DeviceError) {
    if (error.kind === 'auth') return new RecorderError('recorder.auth', `The recorder ${address} ${error.message}; check the user and password (passwordEnv or the credentials file) in the config.`, 2, error);
    if (error.kind === 'timeout' || error.kind === 'refused' || error.kind === 'network') return new RecorderError('recorder.unreachable', `The recorder ${address} ${error.message}; check that it is on and reachable, then run again.`, 1, error);
    return new RecorderError('recorder.device', `The recorder ${address} ${error.message}.`, 1, error);
  }
  return new RecorderError('recorder.device', `The recorder ${address} could not be read: ${(error as Error).message}.`, 1, error);
}

/** Logs in to a recorder and finds its search, recording and replay services. */
export async function connectRecorder(target: RecorderTarget): Promise<RecorderSession> {
  const { host, port } = parseRecorderAddress(target.address);
  const deadline = Date.now() + (target.timeoutMs ?? 15_000);
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const device = new URL(`http://${bracketed}:${port}/onvif/device_service`);
  const s = newSession(host, deadline);
  try {
    const t0 = Date.now();
    const time = await attempt(s, device, NS.tds, 'GetSystemDateAndTime', '', 'none');
    if (!time.auth) {
      const utc = findFirst(time.body, 'UTCDateTime');
      const d = kid(utc, 'Date');
      const t = kid(utc, 'Time');
      const parts = [kid(d, 'Year'), kid(d, 'Month'), kid(d, 'Day'), kid(t, 'Hour'), kid(t, 'Minute'), kid(t, 'Second')].map(numberOf);
      if (parts.every((p) => p !== undefined)) {
        const [y, mo, day, h, mi, sec] = parts as number[];
        const deviceMs = Date.UTC(y!, mo! - 1, day!, h!, mi!, sec!);
        if (Number.isFinite(deviceMs)) s.clockOffsetMs = deviceMs + 500 - (t0 + Date.now()) / 2;
      }
    }
    const info = await logIn(s, device, target.credentials);
    const rs: RecorderSession = {
      host,
      port,
      session: s,
      device,
      identity: {
        manufacturer: textOf(kid(info, 'Manufacturer')) ?? null,
        model: textOf(kid(info, 'Model')) ?? null,
        firmware: textOf(kid(info, 'FirmwareVersion')) ?? null,
        serial: textOf(kid(info, 'SerialNumber')) ?? null,
      },
    };
    await findServices(rs);
    return rs;
  } catch (error) {
    throw recorderFailure(target.address, error);
  }
}

async function logIn(s: Session, device: URL, creds: Credentials): Promise<XmlElement> {
  const open = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'none');
  if (!open.auth) return open.body;
  if (open.challenge) s.challenge = open.challenge;
  const wsse = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'wsse', creds);
  if (!wsse.auth) {
    s.method = 'wsse';
    s.creds = creds;
    return wsse.body;
  }
  if (wsse.challenge) s.challenge = wsse.challenge;
  if (s.challenge) {
    s.nc = 0;
    const digest = await attempt(s, device, NS.tds, 'GetDeviceInformation', '', 'digest', creds);
    if (!digest.auth) {
      s.method = 'digest';
      s.creds = creds;
      return digest.body;
    }
  }
  if (wsse.basicOnly || open.basicOnly) throw new DeviceError('auth', 'asks for HTTP Basic authentication, which would send the password in clear text; toezicht does not send it');
  throw new DeviceError('auth', `refused the credentials of user "${creds.user}"`);
}

async function findServices(rs: RecorderSession): Promise<void> {
  const place = (ns: string, xaddr: string | undefined): void => {
    // A device never sends us to another host: its services are reached on the address we were given.
    const on = xaddr ? onAddress(xaddr, rs.host) : undefined;
    if (!on) return;
    if (ns === NS.tse) rs.search = on.url;
    else if (ns === NS.trc) rs.recording = on.url;
    else if (ns === REPLAY_NS) rs.replay = on.url;
  };
  const services = await optional(() => call(rs.session, rs.device, NS.tds, 'GetServices', '<IncludeCapability>false</IncludeCapability>'));
  if (services) {
    for (const svc of kids(services, 'Service')) place(textOf(kid(svc, 'Namespace')) ?? '', textOf(kid(svc, 'XAddr')));
    return;
  }
  const caps = await optional(() => call(rs.session, rs.device, NS.tds, 'GetCapabilities', '<Category>All</Category>'));
  const ext = path(caps, 'Capabilities', 'Extension');
  place(NS.tse, textOf(path(ext, 'Search', 'XAddr')));
  place(NS.trc, textOf(path(ext, 'Recording', 'XAddr')));
  place(REPLAY_NS, textOf(path(ext, 'Replay', 'XAddr')));
}

/** undefined when the device faults or refuses the operation (it does not offer it). */
async function optional<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DeviceError && (error.kind === 'fault' || error.kind === 'http')) return undefined;
    throw error;
  }
}

function iso(text: string | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function where(rs: RecorderSession): string {
  return rs.port === 80 ? rs.host : `${rs.host}:${rs.port}`;
}

/** Oldest and newest footage over all recordings (GetRecordingSummary). */
export async function recordingSummary(rs: RecorderSession): Promise<{ from: string | null; until: string | null; recordings: number | null } | undefined> {
  if (!rs.search) return undefined;
  const res = await optional(() => call(rs.session, rs.search!, NS.tse, 'GetRecordingSummary'));
  if (!res) return undefined;
  const summary = kid(res, 'Summary');
  return { from: iso(textOf(kid(summary, 'DataFrom'))), until: iso(textOf(kid(summary, 'DataUntil'))), recordings: numberOf(kid(summary, 'NumberRecordings')) ?? null };
}

/** Every recording: what it records and its span (search), and its retention setting (recording control). */
export async function listRecordings(rs: RecorderSession): Promise<RecorderRecording[]> {
  try {
    const found = new Map<string, RecorderRecording>();
    const entry = (token: string): RecorderRecording => {
      let r = found.get(token);
      if (!r) found.set(token, (r = { token, source: null, sourceId: null, from: null, until: null, maximumRetention: null }));
      return r;
    };
    if (rs.recording) {
      const res = await optional(() => call(rs.session, rs.recording!, NS.trc, 'GetRecordings'));
      for (const item of kids(res, 'RecordingItem')) {
        const token = textOf(kid(item, 'RecordingToken'));
        if (!token) continue;
        const config = kid(item, 'Configuration');
        const r = entry(token);
        r.source = textOf(path(config, 'Source', 'Name')) ?? null;
        r.sourceId = textOf(path(config, 'Source', 'SourceId')) ?? null;
        r.maximumRetention = textOf(kid(config, 'MaximumRetentionTime')) ?? null;
      }
    }
    if (rs.search) {
      for (const info of await searchRecordings(rs)) {
        const token = textOf(kid(info, 'RecordingToken'));
        if (!token) continue;
        const r = entry(token);
        r.source ??= textOf(path(info, 'Source', 'Name')) ?? null;
        r.sourceId ??= textOf(path(info, 'Source', 'SourceId')) ?? null;
        r.from = iso(textOf(kid(info, 'EarliestRecording')));
        r.until = iso(textOf(kid(info, 'LatestRecording')));
      }
    }
    if (!rs.search && !rs.recording) throw new RecorderError('recorder.no-search', `The device ${where(rs)} offers neither recording search nor recording control (ONVIF Profile G); it cannot be used as a recorder storage.`, 2);
    return [...found.values()].sort((a, b) => a.token.localeCompare(b.token));
  } catch (error) {
    throw recorderFailure(where(rs), error);
  }
}

async function searchRecordings(rs: RecorderSession): Promise<XmlElement[]> {
  const started = await call(rs.session, rs.search!, NS.tse, 'FindRecordings', '<Scope></Scope><KeepAliveTime>PT10S</KeepAliveTime>');
  const token = textOf(kid(started, 'SearchToken'));
  if (!token) throw new DeviceError('malformed', 'started a recording search without a SearchToken');
  const out: XmlElement[] = [];
  try {
    for (let i = 0; i < MAX_SEARCH_POLLS; i++) {
      const res = await call(rs.session, rs.search!, NS.tse, 'GetRecordingSearchResults', `<SearchToken>${escapeXml(token)}</SearchToken><MaxResults>1000</MaxResults><WaitTime>PT1S</WaitTime>`);
      const list = kid(res, 'ResultList');
      out.push(...findAll(list, 'RecordingInformation'));
      if (textOf(kid(list, 'SearchState')) === 'Completed') return out;
    }
    throw new DeviceError('timeout', 'did not complete its recording search');
  } finally {
    await optional(() => call(rs.session, rs.search!, NS.tse, 'EndSearch', `<SearchToken>${escapeXml(token)}</SearchToken>`)).catch(() => undefined);
  }
}

/** The recording, or an error naming the tokens the recorder does have. */
export async function findRecording(rs: RecorderSession, token: string): Promise<RecorderRecording> {
  const all = await listRecordings(rs);
  const hit = all.find((r) => r.token === token);
  if (!hit) {
    const known = all.map((r) => `${r.token}${r.source ? ` (${r.source})` : ''}`).join(', ') || 'none';
    throw new RecorderError('recorder.no-recording', `The recorder ${where(rs)} has no recording "${token}"; it has: ${known}. Fix \`recording\` in the config (\`toezicht cameras show\` lists them).`, 2);
  }
  return hit;
}

function serialise(el: XmlElement): string {
  const name = el.ns === NS.tt ? `tt:${el.name}` : el.name;
  const ns = el.ns === NS.tt || !el.ns ? '' : ` xmlns="${el.ns}"`;
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return `<${name}${ns}${attrs}>${el.children.length ? el.children.map(serialise).join('') : escapeXml(el.text.trim())}</${name}>`;
}

export type RetentionChange = { changed: true } | { changed: false; reason: 'no-control' | 'refused'; detail: string };

/**
 * Sets MaximumRetentionTime of one recording, keeping the rest of its configuration as the recorder stated it.
 * A recorder without recording control, or one that refuses, is reported, not thrown: a person sets it by hand.
 */
export async function setRecordingRetention(rs: RecorderSession, token: string, duration: string): Promise<RetentionChange> {
  if (!rs.recording) return { changed: false, reason: 'no-control', detail: 'offers no recording control service' };
  try {
    const res = await optional(() => call(rs.session, rs.recording!, NS.trc, 'GetRecordingConfiguration', `<RecordingToken>${escapeXml(token)}</RecordingToken>`));
    const config = kid(res, 'RecordingConfiguration');
    if (!config) return { changed: false, reason: 'no-control', detail: 'does not answer GetRecordingConfiguration' };
    const children = config.children.filter((c) => c.name !== 'MaximumRetentionTime').map(serialise);
    const at = config.children.findIndex((c) => c.name === 'MaximumRetentionTime');
    children.splice(at < 0 ? children.length : at, 0, `<tt:MaximumRetentionTime>${escapeXml(duration)}</tt:MaximumRetentionTime>`);
    await call(rs.session, rs.recording, NS.trc, 'SetRecordingConfiguration', `<RecordingToken>${escapeXml(token)}</RecordingToken><RecordingConfiguration>${children.join('')}</RecordingConfiguration>`);
    return { changed: true };
  } catch (error) {
    if (error instanceof DeviceError && (error.kind === 'fault' || error.kind === 'http')) return { changed: false, reason: 'refused', detail: error.message };
    throw recorderFailure(where(rs), error);
  }
}

/** The RTSP URI to replay one recording, on the recorder's own address, without credentials in it. */
export async function replayUri(rs: RecorderSession, token: string): Promise<URL> {
  if (!rs.replay) throw new RecorderError('recorder.no-replay', `The recorder ${where(rs)} offers no replay service (ONVIF Profile G replay), so its footage cannot be exported by toezicht; export it on the recorder itself (see docs/recorders.md).`, 2);
  let text: string | undefined;
  try {
    const res = await call(rs.session, rs.replay, REPLAY_NS, 'GetReplayUri', `<StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></StreamSetup><RecordingToken>${escapeXml(token)}</RecordingToken>`);
    text = textOf(kid(res, 'Uri'));
  } catch (error) {
    if (error instanceof DeviceError && error.kind === 'fault' && /NoRecording|InvalidArg/i.test(error.message)) {
      throw new RecorderError('recorder.no-recording', `The recorder ${where(rs)} has no recording "${token}"; fix \`recording\` in the config (\`toezicht cameras show\` lists them).`, 2, error);
    }
    if (error instanceof DeviceError && (error.kind === 'fault' || error.kind === 'http')) {
      throw new RecorderError('recorder.no-replay', `The recorder ${where(rs)} refused GetReplayUri (${error.message}); export the footage on the recorder itself (see docs/recorders.md).`, 2, error);
    }
    throw recorderFailure(where(rs), error);
  }
  let url: URL;
  try {
    url = new URL(text ?? '');
  } catch {
    throw new RecorderError('recorder.device', `The recorder ${where(rs)} gave a replay URI that is not a URL (${safeUri(text) ?? 'empty'}).`, 1);
  }
  if (url.protocol !== 'rtsp:') throw new RecorderError('recorder.device', `The recorder ${where(rs)} gave a replay URI that is not RTSP (${safeUri(text)}).`, 1);
  url.username = '';
  url.password = '';
  url.hostname = rs.host.includes(':') ? `[${rs.host}]` : rs.host;
  return url;
}

export { closeConnections };
