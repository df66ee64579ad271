// RTP payloads back into pictures (access units): H.264 after RFC 6184 and H.265 after RFC 7798, packetisation
// modes a recorder uses over TCP: single units, aggregation packets (STAP-A / AP) and fragmentation units (FU-A /
// FU). Over TCP nothing is lost or reordered, so a missing sequence number or a broken fragment is an error, never
// papered over: a clip must hold the recorder's bytes, all of them.
import { RtpError, type RtpPacket } from './rtp.js';

export type VideoCodec = 'H264' | 'H265';

export interface ReceivedPicture {
  units: Buffer[];
  /** RTP timestamp (90 kHz) of the picture. */
  timestamp: number;
  /** From the ONVIF header extension of its first packet, when it had one. */
  time?: number;
  cleanPoint: boolean;
  discontinuity: boolean;
  terminal: boolean;
  /** Holds an IDR (H.264 type 5; H.265 types 16–21). */
  key: boolean;
}

export class Depacketiser {
  private units: Buffer[] = [];
  private fragment: Buffer[] | undefined;
  private timestamp: number | undefined;
  private time: number | undefined;
  private flags = { cleanPoint: false, discontinuity: false, terminal: false };
  private lastSequence: number | undefined;

  constructor(private readonly codec: VideoCodec) {}

  /** Takes one packet; returns the picture it completes (marker bit, or the next picture's first packet). */
  push(p: RtpPacket): ReceivedPicture[] {
    if (this.lastSequence !== undefined && p.sequence !== ((this.lastSequence + 1) & 0xffff)) {
      throw new RtpError(`RTP packets ${((this.lastSequence + 1) & 0xffff)} to ${(p.sequence - 1) & 0xffff} never arrived`);
    }
    this.lastSequence = p.sequence;
    const done: ReceivedPicture[] = [];
    if (this.timestamp !== undefined && p.timestamp !== this.timestamp && (this.units.length || this.fragment)) {
      const pic = this.complete();
      if (pic) done.push(pic);
    }
    if (this.timestamp === undefined || !this.units.length) {
      this.timestamp = p.timestamp;
    }
    if (p.onvif) {
      this.time ??= p.onvif.time;
      this.flags.cleanPoint ||= p.onvif.cleanPoint && this.units.length === 0;
      this.flags.discontinuity ||= p.onvif.discontinuity;
      this.flags.terminal ||= p.onvif.terminal;
    }
    if (this.codec === 'H264') this.h264(p.payload);
    else this.h265(p.payload);
    if (p.marker) {
      const pic = this.complete();
      if (pic) done.push(pic);
    }
    return done;
  }

  /** The picture still being received when the stream ends, if complete enough to keep (no open fragment). */
  end(): ReceivedPicture | undefined {
    if (this.fragment) throw new RtpError('the stream ended inside a fragmented unit');
    return this.complete();
  }

  private complete(): ReceivedPicture | undefined {
    if (this.fragment) throw new RtpError('a fragmented unit was not finished before the next picture');
    const units = this.units;
    const pic: ReceivedPicture | undefined = units.length
      ? {
          units,
          timestamp: this.timestamp!,
          ...(this.time !== undefined ? { time: this.time } : {}),
          ...this.flags,
          key: units.some((u) => (this.codec === 'H264' ? (u[0]! & 0x1f) === 5 : ((u[0]! >> 1) & 0x3f) >= 16 && ((u[0]! >> 1) & 0x3f) <= 21)),
        }
      : undefined;
    this.units = [];
    this.time = undefined;
    this.timestamp = undefined;
    this.flags = { cleanPoint: false, discontinuity: false, terminal: false };
    return pic;
  }

  private h264(payload: Buffer): void {
    if (!payload.length) throw new RtpError('an empty RTP payload');
    const type = payload[0]! & 0x1f;
    if (type >= 1 && type <= 23) {
      this.noFragment();
      this.units.push(Buffer.from(payload));
    } else if (type === 24) {
      this.noFragment();
      this.aggregate(payload, 1);
    } else if (type === 28) {
      if (payload.length < 2) throw new RtpError('a fragmentation unit without its header');
      const start = (payload[1]! & 0x80) !== 0;
      const end = (payload[1]! & 0x40) !== 0;
      this.fragmentPart(start, end, Buffer.from([(payload[0]! & 0xe0) | (payload[1]! & 0x1f)]), payload.subarray(2));
    } else throw new RtpError(`H.264 payload type ${type} (interleaved packetisation), which a replay over TCP does not use`);
  }

  private h265(payload: Buffer): void {
    if (payload.length < 2) throw new RtpError('an H.265 payload without its header');
    const type = (payload[0]! >> 1) & 0x3f;
    if (type < 48) {
      this.noFragment();
      this.units.push(Buffer.from(payload));
    } else if (type === 48) {
      this.noFragment();
      this.aggregate(payload, 2);
    } else if (type === 49) {
      if (payload.length < 3) throw new RtpError('a fragmentation unit without its header');
      const fu = payload[2]!;
      const header = Buffer.from([(payload[0]! & 0x81) | ((fu & 0x3f) << 1), payload[1]!]);
      this.fragmentPart((fu & 0x80) !== 0, (fu & 0x40) !== 0, header, payload.subarray(3));
    } else throw new RtpError(`H.265 payload type ${type}, which a replay does not use`);
  }

  private aggregate(payload: Buffer, headerSize: number): void {
    for (let at = headerSize; at < payload.length; ) {
      if (at + 2 > payload.length) throw new RtpError('an aggregation packet cut short');
      const size = payload.readUInt16BE(at);
      if (!size || at + 2 + size > payload.length) throw new RtpError('an aggregation packet whose unit sizes do not add up');
      this.units.push(Buffer.from(payload.subarray(at + 2, at + 2 + size)));
      at += 2 + size;
    }
  }

  private fragmentPart(start: boolean, end: boolean, header: Buffer, body: Buffer): void {
    if (start) {
      this.noFragment();
      this.fragment = [header, Buffer.from(body)];
    } else {
      if (!this.fragment) throw new RtpError('a fragment without its first part');
      this.fragment.push(Buffer.from(body));
    }
    if (end) {
      this.units.push(Buffer.concat(this.fragment));
      this.fragment = undefined;
    }
  }

  private noFragment(): void {
    if (this.fragment) throw new RtpError('a fragmented unit was interrupted by another unit');
  }
}
