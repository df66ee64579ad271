// Reads an MP4 file's box structure and sample tables without decoding: fast enough to inspect every segment of an
// hour (one small read per box header and one for the moov), and strict enough to catch a truncated or cut-off file
// before ffmpeg trips over it. Times follow ffmpeg's mov demuxer: the edit list shifts decode and presentation times.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { MediaInfo, RandomAccess, TrackInfo, VideoLayout, VideoTimeline } from './types.js';

/** Why a file is not a usable MP4 segment: the sentence names what is wrong. */
export class MediaProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaProblem';
  }
}

/** The file is MP4, but needs a reader that understands more (fragments, complex edit lists). */
export class NeedsProbe extends Error {}

const MAX_MOOV = 256 * 1024 * 1024;
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf']);

interface Box {
  type: string;
  /** Offset of the box's first byte in the buffer (or file). */
  start: number;
  /** Offset of its payload. */
  body: number;
  end: number;
}

function fourcc(buf: Buffer, at: number): string {
  return buf.toString('latin1', at, at + 4);
}

function* boxes(buf: Buffer, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = fourcc(buf, at + 4);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > end) throw new MediaProblem(`box ${type} has a cut-off header`);
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) size = end - at;
    if (size < body - at || at + size > end) throw new MediaProblem(`box ${type} inside the index claims ${size} bytes, more than its parent holds`);
    yield { type, start: at, body, end: at + size };
    at += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.body, parent.end)) if (b.type === type) return b;
  return undefined;
}

function path(buf: Buffer, parent: Box, ...types: string[]): Box | undefined {
  let cur: Box | undefined = parent;
  for (const t of types) {
    if (!cur) return undefined;
    cur = child(buf, cur, t);
  }
  return cur;
}

interface TopLevel {
  type: string;
  offset: number;
  size: number;
}

/** The top-level boxes must tile the file exactly: anything else is a truncated or damaged file. */
async function scanTopLevel(fh: RandomAccess, fileSize: number): Promise<TopLevel[]> {
  const out: TopLevel[] = [];
  const header = Buffer.alloc(16);
  let at = 0;
  while (at < fileSize) {
    if (fileSize - at < 8) throw new MediaProblem(`the file ends inside a box header at byte ${at} (truncated)`);
    const bytesRead = await fh.read(header, 0, Math.min(16, fileSize - at), at);
    let size = header.readUInt32BE(0);
    const type = fourcc(header, 4);
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      throw new MediaProblem(at === 0 ? 'it is not an MP4 file (no box structure at its start)' : `unreadable data at byte ${at} where a box should start (damaged)`);
    }
    let headerSize = 8;
    if (size === 1) {
      if (bytesRead < 16) throw new MediaProblem(`the file ends inside the header of box ${type} (truncated)`);
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) size = fileSize - at;
    if (size < headerSize) throw new MediaProblem(`box ${type} at byte ${at} has an impossible size ${size} (damaged)`);
    if (at + size > fileSize) {
      throw new MediaProblem(`box ${type} at byte ${at} declares ${size} bytes but only ${fileSize - at} remain (truncated)`);
    }
    out.push({ type, offset: at, size });
    at += size;
  }
  return out;
}

interface SampleTables {
  timescale: number;
  stts: [number, number][];
  ctts: [number, number][];
  stss?: number[];
  sizes: Uint32Array;
  stsc: [number, number][];
  /** Every stsc run uses sample description 1. */
  singleDescription: boolean;
  chunks: number[];
}

function readTables(buf: Buffer, stbl: Box, timescale: number): SampleTables {
  const need = (type: string): Box => {
    const b = child(buf, stbl, type);
    if (!b) throw new MediaProblem(`the index has no ${type} table (damaged)`);
    return b;
  };
  const entries = (b: Box, width: number): number => {
    const n = buf.readUInt32BE(b.body + 4);
    if (b.body + 8 + n * width > b.end) throw new MediaProblem(`the ${b.type} table is cut off (damaged)`);
    return n;
  };
  const sttsBox = need('stts');
  const stts: [number, number][] = [];
  for (let i = 0, n = entries(sttsBox, 8); i < n; i++) stts.push([buf.readUInt32BE(sttsBox.body + 8 + i * 8), buf.readUInt32BE(sttsBox.body + 12 + i * 8)]);
  const ctts: [number, number][] = [];
  const cttsBox = child(buf, stbl, 'ctts');
  if (cttsBox) {
    // ffmpeg reads the offsets as signed, whatever the version says.
    for (let i = 0, n = entries(cttsBox, 8); i < n; i++) ctts.push([buf.readUInt32BE(cttsBox.body + 8 + i * 8), buf.readInt32BE(cttsBox.body + 12 + i * 8)]);
  }
  const stssBox = child(buf, stbl, 'stss');
  let stss: number[] | undefined;
  if (stssBox) {
    stss = [];
    for (let i = 0, n = entries(stssBox, 4); i < n; i++) stss.push(buf.readUInt32BE(stssBox.body + 8 + i * 4));
  }
  const stszBox = child(buf, stbl, 'stsz');
  if (!stszBox) {
    if (child(buf, stbl, 'stz2')) throw new NeedsProbe('compact sample sizes');
    throw new MediaProblem('the index has no stsz table (damaged)');
  }
  const fixed = buf.readUInt32BE(stszBox.body + 4);
  const count = buf.readUInt32BE(stszBox.body + 8);
  const sizes = new Uint32Array(count);
  if (fixed) sizes.fill(fixed);
  else {
    if (stszBox.body + 12 + count * 4 > stszBox.end) throw new MediaProblem('the stsz table is cut off (damaged)');
    for (let i = 0; i < count; i++) sizes[i] = buf.readUInt32BE(stszBox.body + 12 + i * 4);
  }
  const stscBox = need('stsc');
  const stsc: [number, number][] = [];
  let singleDescription = true;
  for (let i = 0, n = entries(stscBox, 12); i < n; i++) {
    stsc.push([buf.readUInt32BE(stscBox.body + 8 + i * 12), buf.readUInt32BE(stscBox.body + 12 + i * 12)]);
    if (buf.readUInt32BE(stscBox.body + 16 + i * 12) !== 1) singleDescription = false;
  }
  const chunks: number[] = [];
  const stco = child(buf, stbl, 'stco');
  const co64 = child(buf, stbl, 'co64');
  if (stco) for (let i = 0, n = entries(stco, 4); i < n; i++) chunks.push(buf.readUInt32BE(stco.body + 8 + i * 4));
  else if (co64) for (let i = 0, n = entries(co64, 8); i < n; i++) chunks.push(Number(buf.readBigUInt64BE(co64.body + 8 + i * 8)));
  else throw new MediaProblem('the index has no chunk offsets (damaged)');
  return { timescale, stts, ctts, ...(stss ? { stss } : {}), sizes, stsc, singleDescription, chunks };
}

/**
 * Where every sample lies in the file. Every sample's bytes must lie inside the file: a file cut short after its
 * index was written fails here.
 */
function sampleOffsets(t: SampleTables, fileSize: number, trackType: string): Float64Array {
  const offsets = new Float64Array(t.sizes.length);
  let sample = 0;
  let run = 0;
  for (let c = 0; c < t.chunks.length; c++) {
    // The stsc run that applies to chunk c+1 (1-based).
    while (run + 1 < t.stsc.length && t.stsc[run + 1]![0] <= c + 1) run++;
    const perChunk = t.stsc[run] && t.stsc[run]![0] <= c + 1 ? t.stsc[run]![1] : 0;
    let bytes = 0;
    for (let k = 0; k < perChunk && sample < t.sizes.length; k++, sample++) {
      offsets[sample] = t.chunks[c]! + bytes;
      bytes += t.sizes[sample]!;
    }
    if (t.chunks[c]! + bytes > fileSize) {
      throw new MediaProblem(`${trackType} data of chunk ${c + 1} lies beyond the end of the file (truncated)`);
    }
  }
  if (sample < t.sizes.length) throw new MediaProblem(`the ${trackType} index names ${t.sizes.length} samples but its chunks hold ${sample} (damaged)`);
  return offsets;
}

interface EditShift {
  /** Subtract from media times (media timescale)… */
  mediaTime: number;
  /** …then add this many seconds (leading empty edits). */
  empty: number;
}


function editShift(buf: Buffer, trak: Box, movieTimescale: number): EditShift {
  const elst = path(buf, trak, 'edts', 'elst');
  if (!elst) return { mediaTime: 0, empty: 0 };
  const version = buf.readUInt8(elst.body);
  const n = buf.readUInt32BE(elst.body + 4);
  const width = version === 1 ? 20 : 12;
  if (elst.body + 8 + n * width > elst.end) throw new MediaProblem('the edit list is cut off (damaged)');
  let empty = 0;
  const real: { mediaTime: number; rate: number }[] = [];
  for (let i = 0; i < n; i++) {
    const at = elst.body + 8 + i * width;
    const duration = version === 1 ? Number(buf.readBigUInt64BE(at)) : buf.readUInt32BE(at);
    const mediaTime = version === 1 ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
    const rate = buf.readInt16BE(at + (version === 1 ? 16 : 8));
    if (mediaTime === -1) {
      if (real.length) throw new NeedsProbe('an empty edit after media');
      empty += duration / movieTimescale;
    } else real.push({ mediaTime, rate });
  }
  if (real.length > 1 || real.some((r) => r.rate !== 1)) throw new NeedsProbe('a complex edit list');
  return { mediaTime: real[0]?.mediaTime ?? 0, empty };
}

interface Timeline {
  dts: Float64Array;
  pts: Float64Array;
  durations: Float64Array;
  /** The same in track units, without the edit list. */
  decodeTimes: Float64Array;
  compositionOffsets: Int32Array;
  sampleDurations: Uint32Array;
}

function expandTimeline(t: SampleTables, shift: EditShift): Timeline {
  const n = t.sizes.length;
  const dts = new Float64Array(n);
  const pts = new Float64Array(n);
  const durations = new Float64Array(n);
  const decodeTimes = new Float64Array(n);
  const compositionOffsets = new Int32Array(n);
  const sampleDurations = new Uint32Array(n);
  let i = 0;
  let d = 0;
  for (const [count, delta] of t.stts) {
    for (let k = 0; k < count && i < n; k++, i++) {
      dts[i] = d;
      decodeTimes[i] = d;
      durations[i] = delta;
      sampleDurations[i] = delta;
      d += delta;
    }
  }
  if (i < n) throw new MediaProblem(`the time table covers ${i} of ${n} samples (damaged)`);
  i = 0;
  for (const [count, offset] of t.ctts) {
    for (let k = 0; k < count && i < n; k++, i++) {
      pts[i] = dts[i]! + offset;
      compositionOffsets[i] = offset;
    }
  }
  for (; i < n; i++) pts[i] = dts[i]!;
  const ts = t.timescale;
  for (let s = 0; s < n; s++) {
    dts[s] = (dts[s]! - shift.mediaTime) / ts + shift.empty;
    pts[s] = (pts[s]! - shift.mediaTime) / ts + shift.empty;
    durations[s] = durations[s]! / ts;
  }
  return { dts, pts, durations, decodeTimes, compositionOffsets, sampleDurations };
}

function sampleEntry(buf: Buffer, stbl: Box): { codec: string; width?: number; height?: number; config?: string; description: Buffer } {
  const stsd = child(buf, stbl, 'stsd');
  if (!stsd || buf.readUInt32BE(stsd.body + 4) < 1) throw new MediaProblem('the index has no sample description (damaged)');
  const entry = stsd.body + 8;
  const codec = fourcc(buf, entry + 4);
  const entryEnd = entry + buf.readUInt32BE(entry);
  if (entryEnd > stsd.end) throw new MediaProblem('the sample description is cut off (damaged)');
  const description = Buffer.from(buf.subarray(stsd.start, stsd.end));
  if (!['avc1', 'avc3', 'hvc1', 'hev1', 'mp4v', 'av01', 'vp09', 'mjpa', 'jpeg'].includes(codec)) return { codec, description };
  const width = buf.readUInt16BE(entry + 32);
  const height = buf.readUInt16BE(entry + 34);
  let config: string | undefined;
  for (const b of boxes(buf, entry + 86, entryEnd)) {
    if (['avcC', 'hvcC', 'av1C', 'vpcC', 'esds'].includes(b.type)) config = createHash('sha256').update(buf.subarray(b.body, b.end)).digest('hex').slice(0, 16);
  }
  return { codec, width, height, ...(config ? { config } : {}), description };
}

const CODEC_NAMES: Record<string, string> = { avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc', mp4v: 'mpeg4', av01: 'av1', vp09: 'vp9', mp4a: 'aac', mjpa: 'mjpeg', jpeg: 'mjpeg' };

/** A file opened for inspection. */
export async function openMediaFile(file: string): Promise<RandomAccess & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  const { size } = await fh.stat().catch(async (error: unknown) => {
    await fh.close();
    throw error;
  });
  return {
    bytes: size,
    read: async (buffer, offset, length, position) => (await fh.read(buffer, offset, length, position)).bytesRead,
    close: () => fh.close(),
  };
}

/**
 * Inspects an MP4 (ISO BMFF) file, or one opened elsewhere (an object in S3: `name` is then what messages and
 * MediaInfo.file call it). Throws MediaProblem for a damaged or truncated file, NeedsProbe for a valid file this
 * reader does not model (fragmented MP4, complex edit lists): ask ffprobe then.
 */
export async function inspectMp4(file: string): Promise<MediaInfo>;
export async function inspectMp4(source: RandomAccess, name: string): Promise<MediaInfo>;
export async function inspectMp4(source: string | RandomAccess, name?: string): Promise<MediaInfo> {
  const opened = typeof source === 'string' ? await openMediaFile(source) : undefined;
  const fh: RandomAccess = opened ?? (source as RandomAccess);
  const file = typeof source === 'string' ? source : name!;
  try {
    const fileSize = fh.bytes;
    if (fileSize === 0) throw new MediaProblem('the file is empty');
    const top = await scanTopLevel(fh, fileSize);
    if (top[0]?.type !== 'ftyp' && !top.some((b) => b.type === 'moov')) throw new MediaProblem('it is not an MP4 file (no ftyp or moov box)');
    if (top.some((b) => b.type === 'moof')) throw new NeedsProbe('fragmented MP4');
    const moovBoxes = top.filter((b) => b.type === 'moov');
    if (moovBoxes.length !== 1) throw new MediaProblem(moovBoxes.length ? 'it has more than one index (moov) (damaged)' : 'it has no index (moov box): the recording was cut off before it was finished (truncated)');
    if (!top.some((b) => b.type === 'mdat')) throw new MediaProblem('it has no media data (mdat box) (damaged)');
    const m = moovBoxes[0]!;
    if (m.size > MAX_MOOV) throw new NeedsProbe('a very large index');
    const buf = Buffer.alloc(m.size);
    for (let got = 0; got < m.size; ) {
      const n = await fh.read(buf, got, m.size - got, m.offset + got);
      if (!n) throw new MediaProblem('the index (moov) could not be read to its end (truncated)');
      got += n;
    }
    const moov: Box = { type: 'moov', start: 0, body: buf.readUInt32BE(0) === 1 ? 16 : 8, end: m.size };
    if (child(buf, moov, 'mvex')) throw new NeedsProbe('fragmented MP4');
    const mvhd = child(buf, moov, 'mvhd');
    if (!mvhd) throw new MediaProblem('the index has no movie header (damaged)');
    const movieTimescale = buf.readUInt32BE(mvhd.body + (buf.readUInt8(mvhd.body) === 1 ? 20 : 12));
    if (!movieTimescale) throw new MediaProblem('the movie header has no time scale (damaged)');

    const tracks: TrackInfo[] = [];
    let video: VideoTimeline | undefined;
    let start = Infinity;
    for (const trak of boxes(buf, moov.body, moov.end)) {
      if (trak.type !== 'trak') continue;
      const tkhd = child(buf, trak, 'tkhd');
      const mdhd = path(buf, trak, 'mdia', 'mdhd');
      const hdlr = path(buf, trak, 'mdia', 'hdlr');
      const stbl = path(buf, trak, 'mdia', 'minf', 'stbl');
      if (!tkhd || !mdhd || !hdlr || !stbl) throw new MediaProblem('a track in the index is incomplete (damaged)');
      const id = buf.readUInt32BE(tkhd.body + (buf.readUInt8(tkhd.body) === 1 ? 20 : 12));
      const timescale = buf.readUInt32BE(mdhd.body + (buf.readUInt8(mdhd.body) === 1 ? 20 : 12));
      const handler = fourcc(buf, hdlr.body + 8);
      const kind: TrackInfo['kind'] = handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other';
      if (!timescale) throw new MediaProblem(`track ${id} has no time scale (damaged)`);
      const tables = readTables(buf, stbl, timescale);
      const entry = sampleEntry(buf, stbl);
      const offsets = sampleOffsets(tables, fileSize, kind);
      const shift = editShift(buf, trak, movieTimescale);
      const timeline = expandTimeline(tables, shift);
      let first = Infinity;
      for (const p of timeline.pts) first = Math.min(first, p);
      if (tables.sizes.length) start = Math.min(start, first);
      tracks.push({ id, kind, codec: CODEC_NAMES[entry.codec] ?? entry.codec, samples: tables.sizes.length });
      if (kind === 'video' && !video && tables.sizes.length) {
        const keyframes = tables.stss ? Uint32Array.from(tables.stss.map((n) => n - 1).filter((n) => n < tables.sizes.length)) : Uint32Array.from(tables.sizes.keys());
        video = {
          trackId: id,
          codec: CODEC_NAMES[entry.codec] ?? entry.codec,
          ...(entry.width !== undefined ? { width: entry.width, height: entry.height! } : {}),
          ...(entry.config ? { config: entry.config } : {}),
          dts: timeline.dts,
          pts: timeline.pts,
          durations: timeline.durations,
          sizes: tables.sizes,
          keyframes,
          layout: {
            timescale,
            decodeTimes: timeline.decodeTimes,
            compositionOffsets: timeline.compositionOffsets,
            sampleDurations: timeline.sampleDurations,
            offsets,
            sampleDescription: entry.description,
            singleDescription: tables.singleDescription,
            hasSyncTable: Boolean(tables.stss),
          } satisfies VideoLayout,
        };
      }
    }
    if (!video) throw new MediaProblem('it has no video track with frames');
    return { container: 'mp4', file, bytes: fileSize, start: Number.isFinite(start) ? start : 0, tracks, video };
  } finally {
    await opened?.close();
  }
}
