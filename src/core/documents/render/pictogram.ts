// The camera pictogram of the sign (checklist D 1), drawn here as a PNG so no image file has to ship or download.
import { crc32, deflateSync } from 'node:zlib';

const W = 360;
const H = 240;
let cached: Buffer | undefined;

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A black surveillance camera on a bracket, on white: 360 × 240 px, greyscale. */
export function pictogramPng(): Buffer {
  if (cached) return cached;
  const ink = (x: number, y: number): boolean => {
    // Camera body: a slanted box (parallelogram), lens hood at the front, bracket and wall plate.
    const slope = (x - 60) * 0.18;
    const body = x >= 60 && x <= 270 && y >= 60 + slope && y <= 130 + slope;
    const hood = x >= 270 && x <= 310 && y >= 70 + (270 - 60) * 0.18 - 8 && y <= 140 + (270 - 60) * 0.18;
    const lens = (x - 292) ** 2 + (y - 136) ** 2 <= 20 ** 2 && x > 276;
    const bracket = x >= 110 && x <= 130 && y >= 130 + (x - 60) * 0.18 && y <= 205;
    const arm = x >= 30 && x <= 130 && y >= 190 && y <= 205;
    const plate = x >= 18 && x <= 34 && y >= 150 && y <= 225;
    return (body || hood || bracket || arm || plate) && !lens;
  };
  const raw = Buffer.alloc((W + 1) * H);
  for (let y = 0; y < H; y++) {
    raw[y * (W + 1)] = 0;
    for (let x = 0; x < W; x++) raw[y * (W + 1) + 1 + x] = ink(x, y) ? 0 : 255;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(W, 0);
  header.writeUInt32BE(H, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  cached = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  return cached;
}

export const PICTOGRAM_SIZE = { width: W, height: H };
