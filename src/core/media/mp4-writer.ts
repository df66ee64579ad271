// Writes a clip's video frames into a new MP4 without ffmpeg: the frames are copied byte for byte from the
// segments, and the index is built from their frame tables. This is what `-c copy` does, minus a process, a demuxer
// and a muxer: the header is known before the first frame is copied, so it goes first (a receiver's player can
// start at once), and the clip is hashed as it is written, never read back. Segments that cannot be copied this way
// (differing decoder configurations, other containers, audio kept) are left to ffmpeg; see `copyableLayouts`.
import { createHash, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { box } from './boxes.js';
import type { HashReply, HashRequest } from './hash-thread.js';
import type { RandomAccess, VideoLayout } from './types.js';

export interface CopyPart {
  /** Opens the segment when its turn comes (and it is closed after), so only one is open at a time. */
  open: () => Promise<RandomAccess & { close(): Promise<void> }>;
  layout: VideoLayout;
  /** Size of every frame of the source, and its keyframes (decode order), from its inspection. */
  sizes: Uint32Array;
  keyframes: Uint32Array;
  /** Decode-order frames [firstFrame, endFrame) of the source. */
  firstFrame: number;
  endFrame: number;
  /** Seconds of no footage after this part's last frame, before the next part's first (a gap stays a gap). */
  gapAfter: number;
  /** The source's size when it was inspected: a source that is no longer that size has changed since. */
  bytes: number;
  /** Hash every byte of the source on the way (on a thread of its own): the source is then read once, whole. */
  hashSource?: boolean;
}

export interface Mp4CopyJob {
  parts: CopyPart[];
  output: string;
  /** The clip's true start (ms since 1970): its creation_time. */
  creationTime: number;
  /** Media bytes copied so far and in all. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Mp4CopyResult {
  sha256: string;
  bytes: number;
  frames: number;
  /** Per part (same order), the source's own hash when `hashSource` was asked. */
  sourceHashes: ({ sha256: string; bytes: number } | undefined)[];
}

/** A source could not be read as its index promised (cut short or changed since it was inspected). */
export class SourceReadError extends Error {
  constructor(
    readonly part: number,
    message: string,
  ) {
    super(message);
    this.name = 'SourceReadError';
  }
}

/** Whether these segments' frames can be put into one MP4 as they are: same time scale, same decoder configuration. */
export function copyableLayouts(layouts: (VideoLayout | undefined)[]): layouts is VideoLayout[] {
  const first = layouts[0];
  if (!first) return false;
  return layouts.every((l) => l !== undefined && l.singleDescription && l.timescale === first.timescale && l.sampleDescription.equals(first.sampleDescription));
}

const CHUNK = 4 * 1024 * 1024;
const SLOTS = 4;
const SAMPLES_PER_CHUNK = 32;
const MAC_EPOCH_OFFSET = 2_082_844_800; // seconds from 1904-01-01 to 1970-01-01
const MOVIE_TIMESCALE = 1000;

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.round(n)));
  return b;
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...payload);
}

const MATRIX = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));

/** Needs a 64-bit field: times or durations past 2^32. */
const wide = (...values: number[]): boolean => values.some((v) => v > 0xffffffff);

interface Frames {
  count: number;
  sizes: Uint32Array;
  durations: Uint32Array;
  compositionOffsets: Int32Array;
  keyframes: number[];
  /** Presentation span in track units, output timeline. */
  presentationStart: number;
  presentationEnd: number;
  decodeEnd: number;
  mediaBytes: number;
  /** Per part: the byte ranges of its frames in the source, in output order, adjacent ones merged. */
  ranges: [number, number][][];
}

function collectFrames(parts: CopyPart[], timescale: number): Frames {
  const count = parts.reduce((n, p) => n + p.endFrame - p.firstFrame, 0);
  const sizes = new Uint32Array(count);
  const durations = new Uint32Array(count);
  const compositionOffsets = new Int32Array(count);
  const keyframes: number[] = [];
  const ranges: [number, number][][] = [];
  let i = 0;
  let dts = 0;
  let presentationStart = Infinity;
  let presentationEnd = -Infinity;
  let mediaBytes = 0;
  for (const part of parts) {
    const l = part.layout;
    const keys = l.hasSyncTable ? new Set(part.keyframes) : undefined;
    const partRanges: [number, number][] = [];
    for (let f = part.firstFrame; f < part.endFrame; f++, i++) {
      sizes[i] = part.sizes[f]!;
      durations[i] = l.sampleDurations[f]!;
      compositionOffsets[i] = l.compositionOffsets[f]!;
      const pts = dts + l.compositionOffsets[f]!;
      presentationStart = Math.min(presentationStart, pts);
      presentationEnd = Math.max(presentationEnd, pts + l.sampleDurations[f]!);
      dts += l.sampleDurations[f]!;
      mediaBytes += sizes[i]!;
      const at = l.offsets[f]!;
      const last = partRanges.at(-1);
      if (last && last[0] + last[1] === at) last[1] += sizes[i]!;
      else partRanges.push([at, sizes[i]!]);
      if (!keys || keys.has(f)) keyframes.push(i + 1);
    }
    // The gap after a part is carried by its last frame's duration, so the next part starts at its wall-clock time.
    const gap = Math.round(part.gapAfter * timescale);
    if (gap > 0 && i > 0 && part !== parts.at(-1)) {
      durations[i - 1] = durations[i - 1]! + gap;
      dts += gap;
    }
    ranges.push(partRanges);
  }
  return { count, sizes, durations, compositionOffsets, keyframes, presentationStart, presentationEnd, decodeEnd: dts, mediaBytes, ranges };
}

function runLength(values: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const last = runs.at(-1);
    if (last && last[1] === values[i]) last[0]++;
    else runs.push([1, values[i]!]);
  }
  return runs;
}

/** An entry count and `count` entries of `width` bytes, in one buffer (an hour has 90,000 frames). */
function table(count: number, width: number, write: (b: Buffer, at: number, k: number) => void): Buffer {
  const b = Buffer.alloc(4 + count * width);
  b.writeUInt32BE(count, 0);
  for (let k = 0; k < count; k++) write(b, 4 + k * width, k);
  return b;
}

function sampleTable(frames: Frames, description: Buffer, chunkOffsets: number[]): Buffer {
  const stts = runLength(frames.durations);
  const sttsBox = fullBox('stts', 0, 0, table(stts.length, 8, (b, at, k) => {
    b.writeUInt32BE(stts[k]![0], at);
    b.writeUInt32BE(stts[k]![1], at + 4);
  }));
  const needsCtts = frames.compositionOffsets.some((o) => o !== 0);
  const signed = frames.compositionOffsets.some((o) => o < 0);
  let cttsBox: Buffer = Buffer.alloc(0);
  if (needsCtts) {
    const ctts = runLength(frames.compositionOffsets);
    const body = Buffer.alloc(4 + ctts.length * 8);
    body.writeUInt32BE(ctts.length);
    ctts.forEach(([n, o], k) => {
      body.writeUInt32BE(n, 4 + k * 8);
      body.writeInt32BE(o, 8 + k * 8);
    });
    cttsBox = fullBox('ctts', signed ? 1 : 0, 0, body);
  }
  const all = frames.keyframes.length === frames.count;
  const stssBox = all ? Buffer.alloc(0) : fullBox('stss', 0, 0, table(frames.keyframes.length, 4, (b, at, k) => b.writeUInt32BE(frames.keyframes[k]!, at)));
  const stszBody = Buffer.alloc(8 + frames.count * 4);
  stszBody.writeUInt32BE(0, 0);
  stszBody.writeUInt32BE(frames.count, 4);
  for (let i = 0; i < frames.count; i++) stszBody.writeUInt32BE(frames.sizes[i]!, 8 + i * 4);
  const stszBox = fullBox('stsz', 0, 0, stszBody);
  const full = Math.floor(frames.count / SAMPLES_PER_CHUNK);
  const rest = frames.count % SAMPLES_PER_CHUNK;
  const stsc: [number, number][] = [];
  if (full) stsc.push([1, SAMPLES_PER_CHUNK]);
  if (rest) stsc.push([full + 1, rest]);
  const stscBox = fullBox('stsc', 0, 0, u32(stsc.length), ...stsc.flatMap(([first, n]) => [u32(first), u32(n), u32(1)]));
  const co64 = chunkOffsets.some((o) => o > 0xffffffff);
  const stcoBox = co64
    ? fullBox('co64', 0, 0, table(chunkOffsets.length, 8, (b, at, k) => b.writeBigUInt64BE(BigInt(chunkOffsets[k]!), at)))
    : fullBox('stco', 0, 0, table(chunkOffsets.length, 4, (b, at, k) => b.writeUInt32BE(chunkOffsets[k]!, at)));
  return box('stbl', description, sttsBox, cttsBox, stssBox, stszBox, stscBox, stcoBox);
}

function chunkOffsetsFrom(frames: Frames, dataStart: number): number[] {
  const offsets: number[] = [];
  let at = dataStart;
  for (let i = 0; i < frames.count; i++) {
    if (i % SAMPLES_PER_CHUNK === 0) offsets.push(at);
    at += frames.sizes[i]!;
  }
  return offsets;
}

function videoDimensions(description: Buffer): { width: number; height: number } {
  // stsd: full box header (12) + entry count (4); the visual sample entry's width and height at 32 and 34.
  const entry = 16;
  if (description.length < entry + 36) return { width: 0, height: 0 };
  return { width: description.readUInt16BE(entry + 32), height: description.readUInt16BE(entry + 34) };
}

function buildHeader(frames: Frames, layout: VideoLayout, creationTime: number, dataStart: number): Buffer {
  const ts = layout.timescale;
  const created = Math.max(0, Math.floor(creationTime / 1000) + MAC_EPOCH_OFFSET);
  const shift = Math.max(0, frames.presentationStart);
  const movieDuration = Math.round(((frames.presentationEnd - shift) / ts) * MOVIE_TIMESCALE);
  const v1 = wide(created, movieDuration, frames.decodeEnd);
  const times = (timescale: number, duration: number): Buffer[] =>
    v1 ? [u64(created), u64(created), u32(timescale), u64(duration)] : [u32(created), u32(created), u32(timescale), u32(duration)];
  const mvhd = fullBox('mvhd', v1 ? 1 : 0, 0, ...times(MOVIE_TIMESCALE, movieDuration), u32(0x00010000), Buffer.from([0x01, 0x00]), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(2));
  const { width, height } = videoDimensions(layout.sampleDescription);
  const tkhdTimes = v1 ? [u64(created), u64(created), u32(1), u32(0), u64(movieDuration)] : [u32(created), u32(created), u32(1), u32(0), u32(movieDuration)];
  const tkhd = fullBox('tkhd', v1 ? 1 : 0, 0x3, ...tkhdTimes, Buffer.alloc(8), Buffer.alloc(4), Buffer.alloc(4), MATRIX, u32(width * 65536), u32(height * 65536));
  // The edit list shows the first frame at time 0 when frames are reordered (B-frames start late).
  const edts = shift > 0
    ? box('edts', wide(movieDuration, shift) ? fullBox('elst', 1, 0, u32(1), u64(movieDuration), u64(shift), u32(0x00010000)) : fullBox('elst', 0, 0, u32(1), u32(movieDuration), u32(shift), u32(0x00010000)))
    : Buffer.alloc(0);
  const mdhd = fullBox('mdhd', v1 ? 1 : 0, 0, ...times(ts, frames.decodeEnd), Buffer.from([0x55, 0xc4, 0x00, 0x00]));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide', 'latin1'), Buffer.alloc(12), Buffer.from('VideoHandler\0', 'latin1'));
  const vmhd = fullBox('vmhd', 0, 1, Buffer.alloc(8));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const build = (start: number): Buffer => {
    const stbl = sampleTable(frames, layout.sampleDescription, chunkOffsetsFrom(frames, start));
    const trak = box('trak', tkhd, edts, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl)));
    return box('moov', mvhd, trak);
  };
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'));
  const mdatHeaderSize = frames.mediaBytes + 8 > 0xffffffff ? 16 : 8;
  // The chunk offsets depend on the header's own size: measure it with provisional offsets, then build it for real
  // (a switch to 64-bit offsets changes the size once more).
  let moov = build(0);
  for (let k = 0; k < 3; k++) {
    const next = build(ftyp.length + moov.length + mdatHeaderSize + dataStart);
    if (next.length === moov.length) {
      moov = next;
      break;
    }
    moov = next;
  }
  const mdat = Buffer.alloc(mdatHeaderSize);
  if (mdatHeaderSize === 8) {
    mdat.writeUInt32BE(frames.mediaBytes + 8);
    mdat.write('mdat', 4, 'latin1');
  } else {
    mdat.writeUInt32BE(1);
    mdat.write('mdat', 4, 'latin1');
    mdat.writeBigUInt64BE(BigInt(frames.mediaBytes + 16), 8);
  }
  return Buffer.concat([ftyp, moov, mdat]);
}

/** Reads fill whole buffers (a reader may return less than asked). */
async function readFully(source: RandomAccess, buf: Buffer, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const n = await source.read(buf, got, length - got, position + got);
    if (!n) break;
    got += n;
  }
  return got;
}

/** Hashes sources on the hash thread (or here, run from the TypeScript sources, where there is no compiled thread). */
class SourceHashes {
  private readonly worker?: Worker;
  private readonly released = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly digests = new Map<number, { resolve: (h: { sha256: string; bytes: number }) => void; reject: (e: Error) => void }>();
  private readonly here = new Map<number, { hash: Hash; bytes: number }>();
  private failure?: Error;

  constructor() {
    const script = new URL('./hash-thread.js', import.meta.url);
    if (!existsSync(fileURLToPath(script))) return;
    this.worker = new Worker(script);
    this.worker.on('message', (m: HashReply) => {
      if (m.op === 'released') {
        this.released.get(m.slot)?.resolve();
        this.released.delete(m.slot);
      } else {
        this.digests.get(m.id)?.resolve({ sha256: m.sha256, bytes: m.bytes });
        this.digests.delete(m.id);
      }
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const p of [...this.released.values(), ...this.digests.values()]) p.reject(error);
      this.released.clear();
      this.digests.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the hashing thread stopped')));
  }

  /** Hashes buffer[0, length) as the next bytes of source `id`; resolves when the buffer may be reused. */
  update(id: number, slot: number, buffer: Buffer, length: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.worker) {
      let h = this.here.get(id);
      if (!h) this.here.set(id, (h = { hash: createHash('sha256'), bytes: 0 }));
      h.hash.update(buffer.subarray(0, length));
      h.bytes += length;
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve, reject) => this.released.set(slot, { resolve, reject }));
    // A source that failed mid-way leaves buffers nobody awaits any more: their rejection (the thread stopped when
    // the writer closed) must not end the process. Whoever awaits `done` still gets it.
    done.catch(() => undefined);
    this.worker.postMessage({ op: 'update', id, slot, memory: buffer.buffer as SharedArrayBuffer, length } satisfies HashRequest);
    return done;
  }

  digest(id: number): Promise<{ sha256: string; bytes: number }> {
    if (!this.worker) {
      const h = this.here.get(id) ?? { hash: createHash('sha256'), bytes: 0 };
      this.here.delete(id);
      return Promise.resolve({ sha256: h.hash.digest('hex'), bytes: h.bytes });
    }
    if (this.failure) throw this.failure;
    const done = new Promise<{ sha256: string; bytes: number }>((resolve, reject) => this.digests.set(id, { resolve, reject }));
    done.catch(() => undefined);
    this.worker.postMessage({ op: 'digest', id } satisfies HashRequest);
    return done;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** A buffer of its own memory (shared, so the hash thread reads it where it is). */
function slotBuffer(): Buffer {
  return Buffer.from(new SharedArrayBuffer(CHUNK));
}

class OutputFile {
  // Enough buffers in flight that reading, hashing (two threads) and writing overlap.
  private readonly slots: Promise<unknown>[] = Array.from({ length: SLOTS }, () => Promise.resolve());
  readonly buffers = Array.from({ length: SLOTS }, slotBuffer);
  private turn = 0;
  position = 0;
  readonly hash: Hash = createHash('sha256');
  constructor(readonly fh: FileHandle) {}

  /** The next buffer to fill, once the writes from it have finished. */
  async nextBuffer(): Promise<{ buf: Buffer; slot: number }> {
    const slot = this.turn++ % this.slots.length;
    await this.slots[slot];
    return { buf: this.buffers[slot]!, slot };
  }

  /** The slot's buffer is also in use until this settles. */
  track(slot: number, busy: Promise<unknown>): void {
    const prior = this.slots[slot]!;
    this.slots[slot] = Promise.all([prior, busy]);
    // Awaited by nextBuffer(); after a failure nobody may, and that must not end the process.
    this.slots[slot].catch(() => undefined);
  }

  /** Hashes and writes these bytes (part of the slot's buffer) at the end of the file, without waiting. */
  append(slot: number, bytes: Buffer): void {
    this.hash.update(bytes);
    const at = this.position;
    this.position += bytes.length;
    const prior = this.slots[slot]!;
    this.slots[slot] = Promise.all([prior, this.writeAll(bytes, at)]);
    this.slots[slot].catch(() => undefined);
  }

  private async writeAll(bytes: Buffer, at: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += (await this.fh.write(bytes, done, bytes.length - done, at + done)).bytesWritten;
  }

  async flush(): Promise<void> {
    await Promise.all(this.slots);
  }
}

function interrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('interrupted');
}

/** Copies one part's frames; with `hashSource`, reads the whole source front to back and hashes it too. */
interface CopyContext {
  out: OutputFile;
  hashes: SourceHashes;
  progress: (n: number) => void;
  signal: AbortSignal | undefined;
}

async function copyPart(ctx: CopyContext, id: number, part: CopyPart, ranges: [number, number][]): Promise<{ digest: Promise<{ sha256: string; bytes: number }> } | undefined> {
  const source = await part.open();
  try {
    if (source.bytes !== part.bytes) throw new Error(`the source ended: it is ${source.bytes} bytes now, where it had ${part.bytes} when it was inspected`);
    return await copyFrom(ctx, id, source, part, ranges);
  } catch (error) {
    if (error instanceof Error && /^the source ended/.test(error.message)) throw new SourceReadError(id, error.message.replace(/^the source ended: /, ''));
    throw error;
  } finally {
    await source.close();
  }
}

async function copyFrom(ctx: CopyContext, id: number, source: RandomAccess, part: CopyPart, ranges: [number, number][]): Promise<{ digest: Promise<{ sha256: string; bytes: number }> } | undefined> {
  const { out, progress, signal } = ctx;
  const ascending = ranges.every((r, k) => k === 0 || r[0] >= ranges[k - 1]![0] + ranges[k - 1]![1]);
  if (part.hashSource && ascending) {
    let k = 0;
    // The next block is read while this one is hashed and written.
    const readBlock = async (at: number): Promise<{ buf: Buffer; slot: number; n: number; at: number }> => {
      const { buf, slot } = await out.nextBuffer();
      return { buf, slot, n: await readFully(source, buf, Math.min(CHUNK, source.bytes - at), at), at };
    };
    let next = source.bytes > 0 ? readBlock(0) : undefined;
    next?.catch(() => undefined);
    while (next) {
      interrupted(signal);
      const { buf, slot, n, at } = await next;
      if (!n) throw new Error(`the source ended at byte ${at} of ${source.bytes}`);
      const end = at + n;
      next = end < source.bytes ? readBlock(end) : undefined;
      next?.catch(() => undefined);
      out.track(slot, ctx.hashes.update(id, slot, buf, n));
      while (k < ranges.length && ranges[k]![0] < end) {
        const [from, length] = ranges[k]!;
        const a = Math.max(from, at);
        const b = Math.min(from + length, end);
        if (b > a) {
          out.append(slot, buf.subarray(a - at, b - at));
          progress(b - a);
        }
        if (from + length <= end) k++;
        else break;
      }
    }
    return { digest: ctx.hashes.digest(id) };
  }
  for (const [from, length] of ranges) {
    for (let done = 0; done < length; ) {
      interrupted(signal);
      const { buf, slot } = await out.nextBuffer();
      const want = Math.min(CHUNK, length - done);
      const n = await readFully(source, buf, want, from + done);
      if (n < want) throw new Error(`the source ended at byte ${from + done + n}, inside a frame its index names`);
      out.append(slot, buf.subarray(0, n));
      progress(n);
      done += n;
    }
  }
  if (!part.hashSource) return undefined;
  // Frames out of file order: the source is read once more, front to back, for its own hash.
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let at = 0; at < source.bytes; ) {
    const n = await readFully(source, buf, Math.min(CHUNK, source.bytes - at), at);
    if (!n) throw new Error(`the source ended at byte ${at} of ${source.bytes}`);
    hash.update(buf.subarray(0, n));
    at += n;
  }
  return { digest: Promise.resolve({ sha256: hash.digest('hex'), bytes: source.bytes }) };
}

/**
 * Writes the clip (the file must not exist). The caller removes the file if this throws. The parts' layouts must pass
 * `copyableLayouts`.
 */
export async function writeMp4Clip(job: Mp4CopyJob): Promise<Mp4CopyResult> {
  const layout = job.parts[0]!.layout;
  const frames = collectFrames(job.parts, layout.timescale);
  const header = buildHeader(frames, layout, job.creationTime, 0);
  const fh = await open(job.output, 'wx', 0o640);
  const hashes = new SourceHashes();
  try {
    const out = new OutputFile(fh);
    out.hash.update(header);
    await fh.write(header, 0, header.length, 0);
    out.position = header.length;
    let done = 0;
    const progress = (n: number): void => {
      done += n;
      job.onProgress?.(done, frames.mediaBytes);
    };
    const pending: (Promise<{ sha256: string; bytes: number }> | undefined)[] = [];
    const ctx: CopyContext = { out, hashes, progress, signal: job.signal };
    for (let p = 0; p < job.parts.length; p++) pending.push((await copyPart(ctx, p, job.parts[p]!, frames.ranges[p]!))?.digest);
    await out.flush();
    const sourceHashes = await Promise.all(pending);
    if (out.position !== header.length + frames.mediaBytes) throw new Error(`wrote ${out.position} bytes where ${header.length + frames.mediaBytes} were planned`);
    return { sha256: out.hash.digest('hex'), bytes: out.position, frames: frames.count, sourceHashes };
  } finally {
    await hashes.close();
    await fh.close();
  }
}
