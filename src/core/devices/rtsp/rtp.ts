// RTP packets as a recorder sends them over replay (RFC 3550), with the ONVIF replay header extension: the
// wall-clock (NTP) time of the picture and its flags (ONVIF Streaming Specification, RTP header extension 0xABAC).

const NTP_EPOCH_OFFSET = 2_208_988_800; // seconds from 1900-01-01 to 1970-01-01
export const ONVIF_EXTENSION = 0xabac;

export interface OnvifTime {
  /** ms since 1970, with fractions. */
  time: number;
  /** C: the picture is a clean point (a decoder can start here). */
  cleanPoint: boolean;
  /** E: the last picture before a gap in the recording. */
  endOfSection: boolean;
  /** D: a gap in the recording lies before this picture. */
  discontinuity: boolean;
  /** T: the last packet of the requested range. */
  terminal: boolean;
}

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  payload: Buffer;
  onvif?: OnvifTime;
}

export class RtpError extends Error {}

export function parseRtp(packet: Buffer): RtpPacket {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) throw new RtpError('a packet that is not RTP version 2');
  const padding = (packet[0]! & 0x20) !== 0;
  const extension = (packet[0]! & 0x10) !== 0;
  const csrcs = packet[0]! & 0x0f;
  let at = 12 + csrcs * 4;
  let onvif: OnvifTime | undefined;
  if (extension) {
    if (packet.length < at + 4) throw new RtpError('an RTP header extension cut short');
    const profile = packet.readUInt16BE(at);
    const words = packet.readUInt16BE(at + 2);
    if (packet.length < at + 4 + words * 4) throw new RtpError('an RTP header extension longer than its packet');
    if ((profile === ONVIF_EXTENSION || profile === 0xabad) && words >= 3) {
      const seconds = packet.readUInt32BE(at + 4);
      const fraction = packet.readUInt32BE(at + 8);
      const flags = packet[at + 12]!;
      onvif = {
        time: (seconds - NTP_EPOCH_OFFSET) * 1000 + (fraction / 2 ** 32) * 1000,
        cleanPoint: (flags & 0x80) !== 0,
        endOfSection: (flags & 0x40) !== 0,
        discontinuity: (flags & 0x20) !== 0,
        terminal: (flags & 0x10) !== 0,
      };
    }
    at += 4 + words * 4;
  }
  let end = packet.length;
  if (padding) end -= packet[packet.length - 1]!;
  if (end < at) throw new RtpError('an RTP packet whose padding is longer than its payload');
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    payload: packet.subarray(at, end),
    ...(onvif ? { onvif } : {}),
  };
}

/** Whether a compound RTCP packet holds a BYE (the sender is done). */
export function rtcpHasBye(packet: Buffer): boolean {
  for (let at = 0; at + 4 <= packet.length; ) {
    if (packet[at + 1] === 203) return true;
    at += (packet.readUInt16BE(at + 2) + 1) * 4;
  }
  return false;
}
