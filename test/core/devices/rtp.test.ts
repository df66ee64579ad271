// RTP back into pictures, on hand-made packets: the cases the simulator's stream does not show (H.265, a lost
// packet, a fragment cut short, padding, a picture without the ONVIF extension).
import { describe, expect, it } from 'vitest';
import { Depacketiser } from '../../../src/core/devices/rtsp/depacketise.js';
import { parseRtp, rtcpHasBye } from '../../../src/core/devices/rtsp/rtp.js';

function rtp(seq: number, ts: number, payload: Buffer, { marker = false, ntpMs, flags = 0, padding = 0 }: { marker?: boolean; ntpMs?: number; flags?: number; padding?: number } = {}): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80 | (ntpMs !== undefined ? 0x10 : 0) | (padding ? 0x20 : 0);
  head[1] = (marker ? 0x80 : 0) | 96;
  head.writeUInt16BE(seq, 2);
  head.writeUInt32BE(ts, 4);
  let ext = Buffer.alloc(0);
  if (ntpMs !== undefined) {
    ext = Buffer.alloc(16);
    ext.writeUInt16BE(0xabac, 0);
    ext.writeUInt16BE(3, 2);
    ext.writeUInt32BE(Math.floor(ntpMs / 1000) + 2_208_988_800, 4);
    ext.writeUInt32BE(Math.round(((ntpMs % 1000) / 1000) * 2 ** 32), 8);
    ext[12] = flags;
  }
  const pad = padding ? Buffer.concat([Buffer.alloc(padding - 1), Buffer.from([padding])]) : Buffer.alloc(0);
  return Buffer.concat([head, ext, payload, pad]);
}

describe('RTP packets', () => {
  it('reads the ONVIF wall-clock time and flags, and strips padding', () => {
    const p = parseRtp(rtp(7, 900, Buffer.from([0x65, 1, 2, 3]), { marker: true, ntpMs: Date.UTC(2026, 11, 1, 8, 0, 0, 250), flags: 0x80 | 0x20, padding: 4 }));
    expect(p).toMatchObject({ sequence: 7, timestamp: 900, marker: true, payloadType: 96 });
    expect(p.payload).toEqual(Buffer.from([0x65, 1, 2, 3]));
    expect(p.onvif!.time).toBeCloseTo(Date.UTC(2026, 11, 1, 8, 0, 0, 250), 3);
    expect(p.onvif).toMatchObject({ cleanPoint: true, discontinuity: true, endOfSection: false, terminal: false });
  });

  it('finds a BYE in a compound RTCP packet', () => {
    const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
    const bye = Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 1]);
    expect(rtcpHasBye(Buffer.concat([rr, bye]))).toBe(true);
    expect(rtcpHasBye(rr)).toBe(false);
  });
});

describe('H.264 pictures', () => {
  it('joins STAP-A and FU-A into the units of one picture', () => {
    const d = new Depacketiser('H264');
    const sps = Buffer.from([0x67, 1, 2]);
    const pps = Buffer.from([0x68, 3]);
    const stap = Buffer.concat([Buffer.from([0x78, 0, 3]), sps, Buffer.from([0, 2]), pps]);
    const idr = Buffer.from([0x65, ...Array.from({ length: 10 }, (_, i) => i)]);
    expect(d.push(parseRtp(rtp(1, 0, stap, { ntpMs: 1000, flags: 0x80 })))).toEqual([]);
    expect(d.push(parseRtp(rtp(2, 0, Buffer.concat([Buffer.from([0x7c, 0x85]), idr.subarray(1, 6)]))))).toEqual([]);
    const [pic] = d.push(parseRtp(rtp(3, 0, Buffer.concat([Buffer.from([0x7c, 0x45]), idr.subarray(6)]), { marker: true })));
    expect(pic!.units).toEqual([sps, pps, idr]);
    expect(pic).toMatchObject({ key: true, cleanPoint: true, time: 1000 });
  });

  it('refuses a lost packet rather than write a picture with a hole in it', () => {
    const d = new Depacketiser('H264');
    d.push(parseRtp(rtp(1, 0, Buffer.from([0x7c, 0x85, 1, 2]))));
    expect(() => d.push(parseRtp(rtp(3, 0, Buffer.from([0x7c, 0x45, 3]), { marker: true })))).toThrow(/packets 2 to 2 never arrived/);
  });

  it('refuses a fragment cut short by the next picture', () => {
    const d = new Depacketiser('H264');
    d.push(parseRtp(rtp(1, 0, Buffer.from([0x7c, 0x85, 1, 2]))));
    expect(() => d.push(parseRtp(rtp(2, 3600, Buffer.from([0x41, 9]), { marker: true })))).toThrow(/not finished/);
  });

  it('ends a picture without a marker when the next one begins', () => {
    const d = new Depacketiser('H264');
    expect(d.push(parseRtp(rtp(1, 0, Buffer.from([0x41, 1]))))).toEqual([]);
    const [prev] = d.push(parseRtp(rtp(2, 3600, Buffer.from([0x41, 2]))));
    expect(prev!.units).toEqual([Buffer.from([0x41, 1])]);
    expect(d.end()!.units).toEqual([Buffer.from([0x41, 2])]);
  });
});

describe('H.265 pictures', () => {
  it('joins aggregation packets and fragmentation units (RFC 7798)', () => {
    const d = new Depacketiser('H265');
    const vps = Buffer.from([0x40, 0x01, 0xa]);
    const sps = Buffer.from([0x42, 0x01, 0xb]);
    const ap = Buffer.concat([Buffer.from([48 << 1, 1]), Buffer.from([0, 3]), vps, Buffer.from([0, 3]), sps]);
    const idr = Buffer.from([19 << 1, 1, 5, 6, 7, 8]);
    d.push(parseRtp(rtp(1, 0, ap)));
    d.push(parseRtp(rtp(2, 0, Buffer.from([49 << 1, 1, 0x80 | 19, 5, 6]))));
    const [pic] = d.push(parseRtp(rtp(3, 0, Buffer.from([49 << 1, 1, 0x40 | 19, 7, 8]), { marker: true })));
    expect(pic!.units).toEqual([vps, sps, idr]);
    expect(pic!.key).toBe(true);
  });
});
