// SHA-256 of evidence files. The clip is hashed while ffmpeg writes it: its MP4 muxer writes every byte once, in
// order, except the media-data size near the start, which it fills in at the end. That size is the sum of the
// frames copied, known from the plan; the hash starts with the predicted header, follows the file as it grows, and
// is kept only if the header ffmpeg finally wrote is the predicted one. Otherwise the file is read again.
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RandomAccess } from '../media/index.js';

const CHUNK = 4 * 1024 * 1024;

let spare: Buffer | undefined;

export async function sha256File(file: string, onBytes?: (n: number) => void): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(file, 'r');
  // One read buffer per thread, reused: an hour of segments would otherwise leave gigabytes for the collector.
  const buf = spare ?? Buffer.allocUnsafe(CHUNK);
  spare = undefined;
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, bytes);
      if (!bytesRead) break;
      hash.update(buf.subarray(0, bytesRead));
      bytes += bytesRead;
      onBytes?.(bytesRead);
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    spare = buf;
    await fh.close();
  }
}

/**
 * SHA-256 of a file or object opened for random reads, front to back in one reused buffer (memory stays flat);
 * `onChunk` sees every chunk in order (to copy it on the way) and must be done with it when it resolves.
 */
export async function sha256Reader(source: RandomAccess, onChunk?: (chunk: Buffer) => Promise<void> | void): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, source.bytes)));
  let bytes = 0;
  for (;;) {
    const n = await source.read(buf, 0, buf.length, bytes);
    if (n === 0) break;
    hash.update(buf.subarray(0, n));
    await onChunk?.(buf.subarray(0, n));
    bytes += n;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The MP4 header as ffmpeg will have patched it once it knows the media-data size, or undefined if not an MP4 start. */
export function predictMp4Header(initial: Buffer, mediaBytes: number): Buffer | undefined {
  let at = 0;
  while (at + 8 <= initial.length) {
    const size = initial.readUInt32BE(at);
    const type = initial.toString('latin1', at + 4, at + 8);
    if (type === 'mdat') {
      // 0 while ffmpeg writes; already the final size if it finished before the header was read.
      if (size !== 0 && size !== mediaBytes + 8) return undefined;
      const out = Buffer.from(initial.subarray(0, at + 8));
      if (mediaBytes + 8 <= 0xffffffff) out.writeUInt32BE(mediaBytes + 8, at);
      else {
        // The 8-byte `free` box before it becomes the 64-bit size.
        if (at < 8 || initial.toString('latin1', at - 4, at) !== 'free') return undefined;
        const wide = Buffer.alloc(16);
        wide.writeUInt32BE(1, 0);
        wide.write('mdat', 4, 'latin1');
        wide.writeBigUInt64BE(BigInt(mediaBytes + 16), 8);
        wide.copy(out, at - 8);
      }
      return out;
    }
    if (size < 8) return undefined;
    at += size;
  }
  return undefined;
}

/**
 * Follows a file another process is writing. `finish()` (after the writer has exited) returns the hash, or
 * undefined when the speculation failed and the file must be hashed again.
 */
export class GrowingFileHasher {
  private readonly file: string;
  private readonly mediaBytes: number | undefined;
  private hash?: Hash;
  private header?: Buffer;
  private position = 0;
  private done = false;
  private failed = false;
  private loop?: Promise<void>;
  private fh?: FileHandle;

  constructor(file: string, mediaBytes: number | undefined) {
    this.file = file;
    this.mediaBytes = mediaBytes;
  }

  start(): void {
    if (this.mediaBytes === undefined) return;
    this.loop = this.follow().catch(() => {
      this.failed = true;
    });
  }

  private async follow(): Promise<void> {
    const buf = Buffer.allocUnsafe(CHUNK);
    while (!this.fh) {
      if (this.done) return;
      this.fh = await open(this.file, 'r').catch(() => undefined);
      if (!this.fh) await sleep(20);
    }
    for (;;) {
      const finished = this.done;
      const { size } = await this.fh.stat();
      if (!this.header) {
        // The header (ftyp, free, mdat) is written first and is small; wait until it is surely complete.
        if (size >= 4096 || finished) {
          const initial = Buffer.alloc(Math.min(size, 4096));
          await this.fh.read(initial, 0, initial.length, 0);
          this.header = predictMp4Header(initial, this.mediaBytes!);
          if (!this.header) {
            this.failed = true;
            return;
          }
          this.hash = createHash('sha256').update(this.header);
          this.position = this.header.length;
        } else {
          await sleep(20);
          continue;
        }
      }
      let progressed = false;
      while (this.position < size) {
        const { bytesRead } = await this.fh.read(buf, 0, Math.min(CHUNK, size - this.position), this.position);
        if (!bytesRead) break;
        this.hash!.update(buf.subarray(0, bytesRead));
        this.position += bytesRead;
        progressed = true;
      }
      if (finished) return;
      if (!progressed) await sleep(40);
    }
  }

  /** Call once the writer has exited. */
  async finish(): Promise<{ sha256: string; bytes: number } | undefined> {
    this.done = true;
    await this.loop;
    try {
      if (this.failed || !this.hash || !this.header || !this.fh) return undefined;
      const actual = Buffer.alloc(this.header.length);
      await this.fh.read(actual, 0, actual.length, 0);
      const { size } = await this.fh.stat();
      if (!actual.equals(this.header) || size !== this.position) return undefined;
      return { sha256: this.hash.digest('hex'), bytes: this.position };
    } finally {
      await this.fh?.close();
    }
  }

  /** Stops following without a result (the writer failed). */
  async abandon(): Promise<void> {
    this.done = true;
    await this.loop;
    await this.fh?.close().catch(() => undefined);
  }
}
