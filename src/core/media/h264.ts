// What an MP4 needs to know about an H.264 stream that it carries as it is: the picture size and the decoder
// configuration record (avcC), read from the stream's own parameter sets. Nothing here decodes a picture.
import { box } from './boxes.js';

/** NAL unit type of an H.264 unit. */
export function h264Type(nal: Buffer): number {
  return nal[0]! & 0x1f;
}

/** The unit's bytes without emulation-prevention bytes (00 00 03 → 00 00), for reading its fields. */
function rbsp(nal: Buffer): Buffer {
  const out = Buffer.alloc(nal.length);
  let n = 0;
  let zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

class Bits {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  bit(): number {
    const byte = this.buf[this.at >> 3];
    if (byte === undefined) throw new Error('the parameter set ends early');
    const v = (byte >> (7 - (this.at & 7))) & 1;
    this.at++;
    return v;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) throw new Error('the parameter set holds an unreadable number');
    return 2 ** zeros - 1 + this.bits(zeros);
  }
  se(): number {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : -k / 2;
  }
}

export interface SpsFacts {
  profile: number;
  compatibility: number;
  level: number;
  chromaFormat: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  width: number;
  height: number;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Reads the fields of a sequence parameter set that the container repeats (ITU-T H.264 §7.3.2.1.1). */
export function readSps(sps: Buffer): SpsFacts {
  const r = new Bits(rbsp(sps.subarray(1)));
  const profile = r.bits(8);
  const compatibility = r.bits(8);
  const level = r.bits(8);
  r.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormat = r.ue();
    if (chromaFormat === 3) r.bit();
    bitDepthLuma = r.ue() + 8;
    bitDepthChroma = r.ue() + 8;
    r.bit(); // qpprime_y_zero_transform_bypass_flag
    if (r.bit()) {
      for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) {
        if (!r.bit()) continue;
        let last = 8;
        let next = 8;
        for (let j = 0; j < (i < 6 ? 16 : 64); j++) {
          if (next !== 0) next = (last + r.se() + 256) % 256;
          last = next === 0 ? last : next;
        }
      }
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) r.ue();
  else if (pocType === 1) {
    r.bit();
    r.se();
    r.se();
    const n = r.ue();
    for (let i = 0; i < n; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.bit(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bit();
  if (!frameMbsOnly) r.bit();
  r.bit(); // direct_8x8_inference_flag
  let crop = [0, 0, 0, 0];
  if (r.bit()) crop = [r.ue(), r.ue(), r.ue(), r.ue()];
  const subWidth = chromaFormat === 1 || chromaFormat === 2 ? 2 : 1;
  const subHeight = chromaFormat === 1 ? 2 : 1;
  const cropX = chromaFormat === 0 ? 1 : subWidth;
  const cropY = (chromaFormat === 0 ? 1 : subHeight) * (2 - frameMbsOnly);
  return {
    profile,
    compatibility,
    level,
    chromaFormat,
    bitDepthLuma,
    bitDepthChroma,
    width: widthMbs * 16 - cropX * (crop[0]! + crop[1]!),
    height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop[2]! + crop[3]!),
  };
}

/** The AVC decoder configuration record (ISO/IEC 14496-15 §5.3.3.1), with four-byte unit lengths. */
export function avcConfiguration(sps: Buffer[], pps: Buffer[]): Buffer {
  const facts = readSps(sps[0]!);
  const parts: Buffer[] = [Buffer.from([1, facts.profile, facts.compatibility, facts.level, 0xff, 0xe0 | sps.length])];
  const withLength = (b: Buffer): Buffer => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    return Buffer.concat([len, b]);
  };
  parts.push(...sps.map(withLength), Buffer.from([pps.length]), ...pps.map(withLength));
  if (HIGH_PROFILES.has(facts.profile)) {
    parts.push(Buffer.from([0xfc | facts.chromaFormat, 0xf8 | (facts.bitDepthLuma - 8), 0xf8 | (facts.bitDepthChroma - 8), 0]));
  }
  return Buffer.concat(parts);
}

/** The sample description box (stsd) of an H.264 track whose units are stored with four-byte lengths. */
export function avcSampleDescription(sps: Buffer[], pps: Buffer[]): Buffer {
  const { width, height } = readSps(sps[0]!);
  const entry = Buffer.alloc(78);
  entry.writeUInt16BE(1, 6); // data_reference_index
  entry.writeUInt16BE(width, 24);
  entry.writeUInt16BE(height, 26);
  entry.writeUInt32BE(0x00480000, 28); // 72 dpi
  entry.writeUInt32BE(0x00480000, 32);
  entry.writeUInt16BE(1, 40); // frame_count
  entry.writeUInt16BE(0x18, 74); // depth
  entry.writeInt16BE(-1, 76);
  const avc1 = box('avc1', entry, box('avcC', avcConfiguration(sps, pps)));
  const head = Buffer.alloc(8);
  head.writeUInt32BE(1, 4); // version 0, flags 0, one entry
  return box('stsd', head, avc1);
}
