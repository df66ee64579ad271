// Footage pulled out of a recorder over ONVIF replay: GetReplayUri, then RTSP over TCP with RTP interleaved, Digest,
// `Require: onvif-replay`, `Range: clock=<from>-<to>` (the recorder starts at the keyframe at or before <from>),
// `Rate-Control: no` (as fast as it sends). The RTP payload is put back into pictures, timed by the wall clock of
// the ONVIF header extension, and written into an MP4 by the media area's writer without re-encoding. The clip is
// complete or not written at all: a recorder that stops before the end of the range is an error.
import { rm } from 'node:fs/promises';
import { FrameSpool } from '../media/index.js';
import type { Credentials } from './auth.js';
import { findRecording, RecorderError, recorderFailure, replayUri, type RecorderIdentity, type RecorderSession } from './recorder.js';
import { Depacketiser, type ReceivedPicture, type VideoCodec } from './rtsp/depacketise.js';
import { RtspConnection, type RtspReply } from './rtsp/connection.js';
import { parseRtp, rtcpHasBye, RtpError } from './rtsp/rtp.js';

export interface ReplayRequest {
  session: RecorderSession;
  credentials: Credentials;
  recording: string;
  /** The range asked for, ms since 1970. */
  from: number;
  to: number;
  /** The MP4 to write (must not exist). */
  output: string;
  /** No packet for this long means the recorder stopped (default 15 s). */
  idleTimeoutMs?: number;
  onProgress?: (pictures: number, lastTime: number) => void;
}

export interface ReplayGap {
  from: string;
  until: string;
  seconds: number;
}

export interface ReplayResult {
  output: string;
  sha256: string;
  bytes: number;
  frames: number;
  keyframes: number;
  codec: VideoCodec;
  /** Wall-clock time of the first and last picture, ISO 8601 UTC. */
  first: string;
  last: string;
  /** What was asked of the recorder (the range header sent). */
  range: { from: string; to: string };
  gaps: ReplayGap[];
  /** The replay URI (never with credentials). */
  uri: string;
  recorder: RecorderIdentity & { address: string };
}

const NO_REPLAY = new Set([551, 405, 501]);

/** `20261208T101500.250Z`, the clock format of RFC 2326 §3.7. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

function where(rs: RecorderSession): string {
  return rs.port === 80 ? rs.host : `${rs.host}:${rs.port}`;
}

interface Sdp {
  codec: VideoCodec;
  control: string;
  sps?: Buffer;
  pps?: Buffer;
}

function parseSdp(text: string, base: string): Sdp {
  let inVideo = false;
  let codec: VideoCodec | undefined;
  let control: string | undefined;
  let sps: Buffer | undefined;
  let pps: Buffer | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      if (inVideo && codec) break;
      inVideo = line.startsWith('m=video');
      continue;
    }
    if (!inVideo) continue;
    const rtpmap = /^a=rtpmap:\d+\s+([\w-]+)\/90000/i.exec(line);
    if (rtpmap) {
      const name = rtpmap[1]!.toUpperCase();
      if (name === 'H264' || name === 'H265') codec = name;
      else throw new RecorderError('recorder.codec', `The recorder replays video as ${rtpmap[1]}, which toezicht cannot put into an MP4 without re-encoding; export it on the recorder itself.`, 1);
    }
    const ctl = /^a=control:(.+)$/.exec(line);
    if (ctl) control = ctl[1]!.trim();
    const sprop = /sprop-parameter-sets=([^;\s]+)/.exec(line);
    if (sprop) {
      const [a, b] = sprop[1]!.split(',').map((x) => Buffer.from(x, 'base64'));
      sps = a;
      pps = b;
    }
  }
  if (!codec) throw new RecorderError('recorder.device', 'The recorder described its replay stream without an H.264 or H.265 video track.', 1);
  const absolute = !control || control === '*' ? base : /^rtsp:\/\//i.test(control) ? control : `${base.replace(/\/?$/, '/')}${control}`;
  return { codec, control: absolute, ...(sps ? { sps } : {}), ...(pps ? { pps } : {}) };
}

function expectOk(rs: RecorderSession, reply: RtspReply, what: string): void {
  if (reply.status === 200) return;
  if (reply.status === 404) throw new RecorderError('recorder.no-recording', `The recorder ${where(rs)} answered ${what} with 404 Not Found: it has no such recording to replay.`, 2);
  if (NO_REPLAY.has(reply.status)) throw new RecorderError('recorder.no-replay', `The recorder ${where(rs)} does not support ONVIF replay (${what}: ${reply.status} ${reply.reason}); export the footage on the recorder itself (see docs/recorders.md).`, 2);
  throw new RecorderError('recorder.device', `The recorder ${where(rs)} answered ${what} with ${reply.status} ${reply.reason}.`, 1);
}

/** Pulls `from`–`to` of one recording into `output`; removes anything partly written when it fails. */
export async function pullReplay(req: ReplayRequest): Promise<ReplayResult> {
  const rs = req.session;
  await findRecording(rs, req.recording);
  const uri = await replayUri(rs, req.recording);
  const port = uri.port ? Number(uri.port) : 554;
  let conn: RtspConnection | undefined;
  let spool: FrameSpool | undefined;
  try {
    conn = await RtspConnection.connect(rs.host, port, req.credentials, Date.now() + 10_000);
    const base = uri.toString();
    const describe = await conn.request('DESCRIBE', base, { Accept: 'application/sdp', Require: 'onvif-replay' });
    expectOk(rs, describe, 'DESCRIBE');
    const sdp = parseSdp(describe.body, describe.headers['content-base'] ?? base);
    if (sdp.codec === 'H265') throw new RecorderError('recorder.codec', `The recorder ${where(rs)} replays this recording as H.265; toezicht writes H.264 clips from replay only so far. Export it on the recorder itself.`, 1);
    const setup = await conn.request('SETUP', sdp.control, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Require: 'onvif-replay' });
    expectOk(rs, setup, 'SETUP');
    const sessionId = (setup.headers.session ?? '').split(';')[0]!.trim();
    if (!sessionId) throw new RecorderError('recorder.device', `The recorder ${where(rs)} set up replay without a session.`, 1);

    spool = await FrameSpool.beside(req.output);
    spool.fallbackParameterSets(sdp.sps, sdp.pps);
    const receiver = new Receiver(sdp.codec, spool, req);
    const finished = receiver.attach(conn, req.idleTimeoutMs ?? 15_000);
    const play = await conn.request('PLAY', base, { Session: sessionId, Range: `clock=${clockTime(req.from)}-${clockTime(req.to)}`, 'Rate-Control': 'no', Require: 'onvif-replay' });
    expectOk(rs, play, 'PLAY');
    const outcome = await finished;
    if (outcome.error) {
      const got = receiver.pictures ? `${receiver.pictures} picture${receiver.pictures === 1 ? '' : 's'}, up to ${new Date(receiver.lastTime).toISOString()}` : 'no pictures';
      throw new RecorderError('recorder.stream-broken', `The recorder ${where(rs)} stopped sending the replay of "${req.recording}" before the end of the range (${outcome.error}; ${got} of ${new Date(req.from).toISOString()} – ${new Date(req.to).toISOString()} received); no clip was written. Run the export again.`, 1);
    }
    await conn.request('TEARDOWN', base, { Session: sessionId }, 3000).catch(() => undefined);
    conn.close();
    if (!spool.frames) throw new RecorderError('recorder.no-footage', `The recorder ${where(rs)} has no footage of "${req.recording}" between ${new Date(req.from).toISOString()} and ${new Date(req.to).toISOString()}.`, 1);
    const clip = await spool.finish(req.output, { lastDuration: receiver.typicalStep() });
    spool = undefined;
    return {
      output: req.output,
      sha256: clip.sha256,
      bytes: clip.bytes,
      frames: clip.frames,
      keyframes: receiver.keyframes,
      codec: sdp.codec,
      first: new Date(receiver.firstTime).toISOString(),
      last: new Date(receiver.lastTime).toISOString(),
      range: { from: new Date(req.from).toISOString(), to: new Date(req.to).toISOString() },
      gaps: receiver.gaps,
      uri: base,
      recorder: { ...rs.identity, address: where(rs) },
    };
  } catch (error) {
    await spool?.discard();
    await rm(req.output, { force: true }).catch(() => undefined);
    throw recorderFailure(where(rs), error);
  } finally {
    conn?.close();
  }
}

/** Takes the interleaved packets: pictures into the spool, the end of the range from RTCP BYE or the T flag. */
class Receiver {
  pictures = 0;
  keyframes = 0;
  firstTime = NaN;
  lastTime = NaN;
  readonly gaps: ReplayGap[] = [];
  private readonly depacketiser: Depacketiser;
  private lastTimestamp: number | undefined;
  private started = false;
  private ended = false;
  private readonly steps: number[] = [];

  constructor(
    codec: VideoCodec,
    private readonly spool: FrameSpool,
    private readonly req: ReplayRequest,
  ) {
    this.depacketiser = new Depacketiser(codec);
  }

  typicalStep(): number | undefined {
    if (!this.steps.length) return undefined;
    return [...this.steps].sort((a, b) => a - b)[Math.floor(this.steps.length / 2)];
  }

  attach(conn: RtspConnection, idleMs: number): Promise<{ error?: string }> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: { error?: string }): void => {
        if (settled) return;
        settled = true;
        clearInterval(idle);
        resolve(r);
      };
      let lastPacket = Date.now();
      const idle = setInterval(() => {
        if (Date.now() - lastPacket > idleMs) settle({ error: `nothing arrived for ${Math.round(idleMs / 1000)} s` });
      }, Math.min(1000, idleMs));
      conn.onPacket = (channel, packet) => {
        lastPacket = Date.now();
        if (settled) return undefined;
        try {
          if (channel === 1) {
            if (rtcpHasBye(packet)) this.end(settle);
            return undefined;
          }
          if (channel !== 0) return undefined;
          const pics = this.depacketiser.push(parseRtp(packet));
          let pending: Promise<void> | undefined;
          for (const pic of pics) {
            const p = this.take(pic);
            if (p) pending = pending ? pending.then(() => p) : p;
            if (pic.terminal) this.end(settle);
          }
          return pending?.catch((e: unknown) => settle({ error: (e as Error).message }));
        } catch (error) {
          settle({ error: error instanceof RtpError ? `its RTP stream broke: ${error.message}` : (error as Error).message });
          return undefined;
        }
      };
      conn.onClose = (error) => settle({ error: error ? error.message : 'it closed the connection' });
    });
  }

  private end(settle: (r: { error?: string }) => void): void {
    if (this.ended) return;
    this.ended = true;
    try {
      const last = this.depacketiser.end();
      if (last) {
        const p = this.take(last);
        if (p) {
          void p.then(() => settle({}), (e: unknown) => settle({ error: (e as Error).message }));
          return;
        }
      }
      settle({});
    } catch (error) {
      settle({ error: (error as Error).message });
    }
  }

  private take(pic: ReceivedPicture): Promise<void> | undefined {
    let time = pic.time;
    if (time === undefined) {
      // A picture without the extension: its time follows from the RTP clock since the last one that had it.
      if (this.lastTimestamp === undefined || Number.isNaN(this.lastTime)) throw new Error('its replay stream carries no ONVIF timestamps (RTP header extension), so the footage cannot be placed in time');
      time = this.lastTime + (((pic.timestamp - this.lastTimestamp) | 0) / 90);
    }
    // A decoder can only start at a keyframe; the recorder should start there itself.
    if (!this.started && !pic.key) return undefined;
    if (time >= this.req.to) return undefined;
    this.started = true;
    if (!Number.isNaN(this.lastTime)) {
      const step = time - this.lastTime;
      const typical = this.typicalStep();
      if (pic.discontinuity || (typical !== undefined && step > Math.max(2000, typical * 3))) {
        this.gaps.push({ from: new Date(this.lastTime + (typical ?? 0)).toISOString(), until: new Date(time).toISOString(), seconds: Math.round((time - this.lastTime - (typical ?? 0)) / 100) / 10 });
      } else if (step > 0 && this.steps.length < 512) this.steps.push(step);
    } else this.firstTime = time;
    this.lastTime = time;
    this.lastTimestamp = pic.timestamp;
    this.pictures++;
    if (pic.key) this.keyframes++;
    this.req.onProgress?.(this.pictures, time);
    return this.spool.add({ units: pic.units, time, key: pic.key });
  }
}
