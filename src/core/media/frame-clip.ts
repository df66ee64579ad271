// Frames that arrive one by one (pulled from a recorder over replay) into an MP4 by the same writer that copies
// frames out of segment files: each picture is written, as it comes, to a spool file in the output's folder (its
// units with four-byte lengths, as MP4 stores them); the frame table stays in memory (a few numbers per frame). When
// the stream ends the spool is one source whose index is known, and writeMp4Clip copies it into the clip, hashing
// as it goes. Nothing is decoded or re-encoded: every unit of every picture lands in the clip as it was received.
import { randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { avcSampleDescription, h264Type } from './h264.js';
import { openMediaFile } from './mp4.js';
import { writeMp4Clip, type Mp4CopyResult } from './mp4-writer.js';
import type { VideoLayout } from './types.js';

/** One picture: its NAL units (no start codes, no lengths), its presentation time and whether it is a keyframe. */
export interface Picture {
  units: Buffer[];
  /** Wall-clock presentation time, ms since 1970 (fractions kept). */
  time: number;
  key: boolean;
}

const TIMESCALE = 90_000;

// A loop, not Math.min(...times): an hour holds 90,000 pictures, too many arguments for one call.
function earliest(times: number[]): number {
  let min = Infinity;
  for (const t of times) if (t < min) min = t;
  return min;
}
const FLUSH_BYTES = 4 * 1024 * 1024;

/** A clip being received. Call `add` for each picture in decode order, then `finish` (or `discard`). */
export class FrameSpool {
  private readonly times: number[] = [];
  private readonly sizes: number[] = [];
  private readonly keys: number[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private sps?: Buffer;
  private pps?: Buffer;
  private fallback: { sps?: Buffer; pps?: Buffer } = {};

  private constructor(
    private readonly fh: FileHandle,
    readonly file: string,
  ) {}

  /** A spool next to `output` (same disk, removed by `finish`/`discard`). */
  static async beside(output: string): Promise<FrameSpool> {
    const file = path.join(path.dirname(output), `.${path.basename(output)}.${randomBytes(4).toString('hex')}.spool`);
    return new FrameSpool(await open(file, 'wx', 0o600), file);
  }

  get frames(): number {
    return this.times.length;
  }

  get bytes(): number {
    return this.written + this.pendingBytes;
  }

  /** Presentation time of the first and last picture received (ms), undefined before any. */
  get span(): { first: number; last: number } | undefined {
    if (!this.times.length) return undefined;
    return { first: earliest(this.times), last: this.times.at(-1)! };
  }

  /** Parameter sets given out of band (the SDP's sprop-parameter-sets): used when the stream carries none. */
  fallbackParameterSets(sps: Buffer | undefined, pps: Buffer | undefined): void {
    this.fallback = { ...(sps ? { sps } : {}), ...(pps ? { pps } : {}) };
  }

  /** Takes one picture; returns a promise only when it writes to disk (wait for it before the next). */
  add(picture: Picture): Promise<void> | undefined {
    let size = 0;
    for (const unit of picture.units) {
      const type = h264Type(unit);
      if (type === 7) this.sps ??= Buffer.from(unit);
      if (type === 8) this.pps ??= Buffer.from(unit);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(unit.length);
      this.pending.push(len, unit);
      size += 4 + unit.length;
    }
    if (picture.key) this.keys.push(this.times.length);
    this.times.push(picture.time);
    this.sizes.push(size);
    this.pendingBytes += size;
    return this.pendingBytes >= FLUSH_BYTES ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    for (let done = 0; done < block.length; ) done += (await this.fh.write(block, done, block.length - done, this.written + done)).bytesWritten;
    this.written += block.length;
  }

  /**
   * Writes the clip to `output` (which must not exist) and removes the spool. The last picture lasts as long as the
   * one before it (or `lastDuration` ms). `creationTime` is the clip's true start.
   */
  async finish(output: string, options: { lastDuration?: number } = {}): Promise<Mp4CopyResult & { firstTime: number }> {
    try {
      await this.flush();
      await this.fh.close();
      if (!this.times.length) throw new Error('no pictures were received');
      this.sps ??= this.fallback.sps;
      this.pps ??= this.fallback.pps;
      if (!this.sps || !this.pps) throw new Error('the stream carried no parameter sets (SPS and PPS) in band');
      const layout = this.layout(options.lastDuration);
      const firstTime = earliest(this.times);
      const sizes = Uint32Array.from(this.sizes);
      const result = await writeMp4Clip({
        parts: [{ open: () => openMediaFile(this.file), layout, sizes, keyframes: Uint32Array.from(this.keys), firstFrame: 0, endFrame: this.times.length, gapAfter: 0, bytes: this.written }],
        output,
        creationTime: firstTime,
      });
      return { ...result, firstTime };
    } finally {
      await this.discard();
    }
  }

  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }

  /** Decode times are the presentation times in order (pictures that are shown later than decoded get an offset). */
  private layout(lastDuration?: number): VideoLayout {
    const n = this.times.length;
    const origin = earliest(this.times);
    const pts = this.times.map((t) => Math.round((t - origin) * (TIMESCALE / 1000)));
    const dts = [...pts].sort((a, b) => a - b);
    const durations = new Uint32Array(n);
    for (let i = 0; i + 1 < n; i++) durations[i] = dts[i + 1]! - dts[i]!;
    const fallback = lastDuration !== undefined ? Math.round(lastDuration * (TIMESCALE / 1000)) : n > 1 ? durations[n - 2]! : TIMESCALE / 25;
    durations[n - 1] = Math.max(1, fallback);
    const offsets = new Float64Array(n);
    for (let i = 0, at = 0; i < n; i++) {
      offsets[i] = at;
      at += this.sizes[i]!;
    }
    return {
      timescale: TIMESCALE,
      decodeTimes: Float64Array.from(dts),
      compositionOffsets: Int32Array.from(pts.map((p, i) => p - dts[i]!)),
      sampleDurations: durations,
      offsets,
      sampleDescription: avcSampleDescription([this.sps!], [this.pps!]),
      singleDescription: true,
      hasSyncTable: this.keys.length !== n,
    };
  }
}
