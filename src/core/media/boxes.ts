// One ISO BMFF box (ISO/IEC 14496-12 §4.2): a 32-bit size, a four-letter type, the payload. The MP4 writer and the
// H.264 sample description both build boxes with it.
export function box(type: string, ...payload: Buffer[]): Buffer {
  const size = payload.reduce((n, p) => n + p.length, 8);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, ...payload], size);
}
