// The recorder's replay server (ONVIF Streaming, replay): RTSP over TCP with RTP interleaved, HTTP-style Digest,
// `Require: onvif-replay`, `Range: clock=…` (from the keyframe at or before the start), `Rate-Control: no` (as fast
// as the socket takes it; otherwise paced at real time). RTP H.264 as RFC 6184 packetisation mode 1: single NAL
// units, STAP-A for small units of one picture, FU-A for large ones; the ONVIF header extension (0xABAC, NTP time of
// the frame, C = clean point, D = discontinuity, T = last packet) on the first packet of every picture. Ends a
// finished range with an RTCP BYE. It can misbehave: `stopAfterFrames` closes the connection mid-stream.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { recordingFrames } from './recorder-footage.mjs';

const NTP_EPOCH_OFFSET = 2_208_988_800; // seconds from 1900-01-01 to 1970-01-01
const DEFAULT_MAX_PAYLOAD = 1400;

/** `20261208T101500.250Z` ↔ ms (the clock range format of RFC 2326 §3.7). */
export function parseClock(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Math.round(frac);
}

export function formatClock(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

function ntp(ms) {
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.round(((ms - seconds * 1000) / 1000) * 2 ** 32);
  const b = Buffer.alloc(8);
  b.writeUInt32BE((seconds + NTP_EPOCH_OFFSET) >>> 0, 0);
  b.writeUInt32BE(Math.min(fraction, 0xffffffff) >>> 0, 4);
  return b;
}

/** RTP packets of one picture: [payload, extension?] pairs, the last with the marker. */
export function packetise(nals, MAX_PAYLOAD = DEFAULT_MAX_PAYLOAD) {
  const payloads = [];
  let batch = [];
  let batchSize = 1;
  const flush = () => {
    if (batch.length === 1) payloads.push({ kind: 'single', data: batch[0] });
    else if (batch.length > 1) {
      const parts = [Buffer.from([(batch[0][0] & 0x60) | 24])];
      for (const n of batch) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(n.length);
        parts.push(len, n);
      }
      payloads.push({ kind: 'stap-a', data: Buffer.concat(parts) });
    }
    batch = [];
    batchSize = 1;
  };
  for (const nal of nals) {
    if (nal.length > MAX_PAYLOAD) {
      flush();
      const indicator = (nal[0] & 0x60) | 28;
      const type = nal[0] & 0x1f;
      for (let at = 1; at < nal.length; at += MAX_PAYLOAD - 2) {
        const end = Math.min(nal.length, at + MAX_PAYLOAD - 2);
        const header = (at === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
        payloads.push({ kind: 'fu-a', data: Buffer.concat([Buffer.from([indicator, header]), nal.subarray(at, end)]) });
      }
      continue;
    }
    if (batchSize + 2 + nal.length > MAX_PAYLOAD) flush();
    batch.push(nal);
    batchSize += 2 + nal.length;
  }
  flush();
  return payloads;
}

/**
 * Starts the replay server of one recorder `d` (a device spec of onvif-sim with `replay: { port }` and recordings
 * with `clip`). Returns { stop, sessions, stats }.
 */
export async function startRtspServer(d, { recordingOf, log }) {
  const stats = { packets: { single: 0, 'stap-a': 0, 'fu-a': 0 }, plays: [] };
  const nonces = new Set();
  const sockets = new Set();
  const realm = `${d.manufacturer} replay`;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let session;
    let streaming;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (buffered[0] === 0x24) {
          // Interleaved data from the client (RTCP receiver reports): skipped.
          if (buffered.length < 4) return;
          const n = buffered.readUInt16BE(2);
          if (buffered.length < 4 + n) return;
          buffered = buffered.subarray(4 + n);
          continue;
        }
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const lines = head.split('\r\n');
        const headers = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        const [method, url] = lines[0].split(' ');
        log.push({ address: d.address, kind: 'rtsp', op: method, raw: head });
        handle(method, url, headers);
      }
    });

    const reply = (cseq, status, text, headers = {}, body = '') => {
      const lines = [`RTSP/1.0 ${status} ${text}`, `CSeq: ${cseq}`, 'Server: toezicht-sim', ...Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]))];
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    };

    const authorised = (method, headers) => {
      const h = headers.authorization;
      if (!h || !/^Digest /i.test(h)) return false;
      const p = {};
      for (const m of h.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) p[m[1]] = m[2] ?? m[3];
      if (!nonces.has(p.nonce)) return false;
      const user = d.users.find((u) => u.user === p.username);
      if (!user) return false;
      const md5 = (s) => createHash('md5').update(s).digest('hex');
      const ha1 = md5(`${user.user}:${realm}:${user.password}`);
      const ha2 = md5(`${method}:${p.uri}`);
      const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
      return expected === p.response;
    };

    function handle(method, url, headers) {
      const cseq = headers.cseq ?? '0';
      if (method === 'OPTIONS') return reply(cseq, 200, 'OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN' });
      if (!authorised(method, headers)) {
        const nonce = randomBytes(16).toString('hex');
        nonces.add(nonce);
        return reply(cseq, 401, 'Unauthorized', { 'WWW-Authenticate': `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5` });
      }
      const m = /^rtsp:\/\/[^/]+\/replay\/([^/?]+)/.exec(url ?? '');
      const rec = m ? recordingOf(decodeURIComponent(m[1])) : undefined;
      if (!rec || !rec.clip) return reply(cseq, 404, 'Not Found');
      if (method === 'TEARDOWN') {
        streaming?.cancel();
        reply(cseq, 200, 'OK', { Session: session ?? '' });
        return socket.end();
      }
      if (!/\bonvif-replay\b/.test(headers.require ?? '')) return reply(cseq, 551, 'Option not supported', { Unsupported: 'onvif-replay' });
      const base = `rtsp://${d.address}:${d.replay.port}/replay/${encodeURIComponent(rec.token)}/`;
      if (method === 'DESCRIBE') {
        const frames = recordingFrames(rec, rec.clip);
        const sdp = [
          'v=0', `o=- 0 0 IN IP4 ${d.address}`, 's=Replay', 't=0 0',
          `a=range:clock=${formatClock(rec.from + frames.first * frames.step)}-${formatClock(rec.until)}`,
          'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000',
          `a=fmtp:96 packetization-mode=1;profile-level-id=${rec.clip.sps.subarray(1, 4).toString('hex')};sprop-parameter-sets=${rec.clip.sps.toString('base64')},${rec.clip.pps.toString('base64')}`,
          'a=control:trackID=0', 'a=recvonly', '',
        ].join('\r\n');
        return reply(cseq, 200, 'OK', { 'Content-Type': 'application/sdp', 'Content-Base': base }, sdp);
      }
      if (method === 'SETUP') {
        if (!/RTP\/AVP\/TCP/.test(headers.transport ?? '')) return reply(cseq, 461, 'Unsupported Transport');
        session = randomBytes(6).toString('hex');
        return reply(cseq, 200, 'OK', { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Session: `${session};timeout=60` });
      }
      if (method === 'PLAY') {
        if (!session || !(headers.session ?? '').startsWith(session)) return reply(cseq, 454, 'Session Not Found');
        const range = /clock=([^-\s]+)-([^\s;]*)/.exec(headers.range ?? '');
        const from = range ? parseClock(range[1]) : rec.from;
        const to = range && range[2] ? parseClock(range[2]) : rec.until;
        if (from === undefined || to === undefined || to <= from) return reply(cseq, 457, 'Invalid Range');
        const paced = !/^\s*no\s*$/i.test(headers['rate-control'] ?? 'yes');
        reply(cseq, 200, 'OK', { Session: session, Range: `clock=${formatClock(from)}-${formatClock(to)}`, 'RTP-Info': `url=${base}trackID=0;seq=0;rtptime=0` });
        streaming = stream(rec, from, to, paced);
        return undefined;
      }
      return reply(cseq, 405, 'Method Not Allowed');
    }

    function stream(rec, from, to, paced) {
      const frames = recordingFrames(rec, rec.clip);
      const indices = frames.range(from, to);
      const play = { token: rec.token, from, to, paced, frames: indices.length, sent: 0, rateControl: paced ? 'yes' : 'no' };
      stats.plays.push(play);
      let cancelled = false;
      let seq = 0;
      const ssrc = randomBytes(4).readUInt32BE();
      const start = Date.now();
      const firstTime = indices.length ? frames.timeOf(indices[0]) : 0;
      const send = (channel, packet) => {
        const head = Buffer.alloc(4);
        head[0] = 0x24;
        head[1] = channel;
        head.writeUInt16BE(packet.length, 2);
        return socket.write(Buffer.concat([head, packet]));
      };
      (async () => {
        let previous;
        for (let n = 0; n < indices.length && !cancelled; n++) {
          const k = indices[n];
          if (d.replay.stopAfterFrames !== undefined && n >= d.replay.stopAfterFrames) {
            socket.destroy();
            return;
          }
          const t = frames.timeOf(k);
          if (paced) {
            const due = start + (t - firstTime);
            if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
          }
          const payloads = packetise(frames.frame(k).nals, d.replay.mtu);
          const rtpTime = Math.round((t - firstTime) * 90) >>> 0;
          const discontinuity = previous !== undefined && k !== previous + 1;
          let ok = true;
          payloads.forEach((p, i) => {
            const lastOfAll = n === indices.length - 1 && i === payloads.length - 1;
            const withExt = i === 0 || lastOfAll;
            const header = Buffer.alloc(12);
            header[0] = 0x80 | (withExt ? 0x10 : 0);
            header[1] = (i === payloads.length - 1 ? 0x80 : 0) | 96;
            header.writeUInt16BE(seq++ & 0xffff, 2);
            header.writeUInt32BE(rtpTime, 4);
            header.writeUInt32BE(ssrc, 8);
            let ext = Buffer.alloc(0);
            if (withExt) {
              ext = Buffer.alloc(16);
              ext.writeUInt16BE(0xabac, 0);
              ext.writeUInt16BE(3, 2);
              ntp(t).copy(ext, 4);
              ext[12] = (i === 0 && frames.isKey(k) ? 0x80 : 0) | (i === 0 && discontinuity ? 0x20 : 0) | (lastOfAll ? 0x10 : 0);
              ext[13] = 0; // CSeq of the PLAY (low byte): unused here
            }
            stats.packets[p.kind]++;
            ok = send(0, Buffer.concat([header, ext, p.data])) && ok;
          });
          previous = k;
          play.sent++;
          if (!ok) await new Promise((r) => socket.once('drain', r));
        }
        if (cancelled || socket.destroyed) return;
        // RTCP BYE: the range is done.
        const bye = Buffer.alloc(8);
        bye[0] = 0x81;
        bye[1] = 203;
        bye.writeUInt16BE(1, 2);
        bye.writeUInt32BE(ssrc, 4);
        send(1, bye);
        play.done = true;
      })().catch(() => socket.destroy());
      return { cancel: () => (cancelled = true) };
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(d.replay.port, d.address, resolve);
  });
  return {
    stats,
    stop: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
