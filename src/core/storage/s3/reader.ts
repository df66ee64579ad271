// Random reads of one object version, for export and verify: a HeadObject for its size, version and ETag, then ranged
// GetObjects pinned to that version (VersionId on a versioned bucket, If-Match on the ETag always), so a reader never
// mixes the bytes of two versions when the key is overwritten while it reads.
//
// Reads go through a small block cache. A read that misses fetches a block from where it starts: 256 KiB at first;
// while reads keep going forward from where the last one ended, blocks double up to 8 MiB and the next block is
// fetched ahead while the caller works on this one. At most two blocks are kept (the one being read and the one
// ahead), so memory stays flat however large the object is, and reading it front to back costs about one request
// per 8 MiB. A seek back or away starts over at 256 KiB (an MP4 reader jumping between boxes does not pull megabytes).
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeS3Error, withRetry, type S3Sdk, type SendStats } from './client.js';
import { segmentGone, segmentReplaced, segmentUnreadable } from '../errors.js';
import type { SegmentOrigin, SegmentReader } from '../types.js';

export const MIN_BLOCK = 256 * 1024;
export const MAX_BLOCK = 8 * 1024 * 1024;
/** Blocks kept at once: the one being read and the one fetched ahead. */
const KEEP = 2;

export interface ReaderContext {
  client: S3Client;
  sdk: S3Sdk;
  stats: SendStats;
  bucket: string;
}

interface Block {
  start: number;
  end: number;
  data: Promise<Buffer>;
}

/** A failed request in words a person can act on, naming bucket and key (and the version), never the credentials. */
function readError(error: unknown, bucket: string, key: string, versionId: string | undefined): Error {
  const e = error as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? e.Code ?? '';
  const what = `s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ''}`;
  if (e.code === 's3.credentials' || (error as { exitCode?: unknown }).exitCode !== undefined) return error as Error;
  if (status === 404 || name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion') {
    return segmentGone(`${what} is not in the bucket: it was deleted or purged.`, error);
  }
  if (status === 412 || name === 'PreconditionFailed') {
    return segmentReplaced(`${what} was overwritten while it was being read: the version that was opened is no longer there.`, error);
  }
  if (status === 403 || name === 'AccessDenied') return segmentUnreadable(`Reading ${what} was refused (AccessDenied): check the storage's keys and their rights on the bucket.`, error);
  return segmentUnreadable(`${what} cannot be read (${describeS3Error(error)}).`, error);
}

export class S3SegmentReader implements SegmentReader {
  readonly bytes: number;
  readonly origin: SegmentOrigin;
  private readonly ctx: ReaderContext;
  private readonly key: string;
  private readonly versionId: string | undefined;
  private readonly etag: string | undefined;
  private blocks: Block[] = [];
  private blockSize = MIN_BLOCK;
  /** Where the last read ended (-1 before the first): a read that starts there goes forward. */
  private lastEnd = -1;
  private closed = false;

  private constructor(ctx: ReaderContext, key: string, bytes: number, versionId: string | undefined, etag: string | undefined) {
    this.ctx = ctx;
    this.key = key;
    this.bytes = bytes;
    this.versionId = versionId;
    this.etag = etag;
    this.origin = { kind: 's3', bucket: ctx.bucket, key, ...(versionId ? { versionId } : {}) };
  }

  /** Opens the current version of `key`, or the one given; fails with a clear error when it is not there. */
  static async open(ctx: ReaderContext, key: string, versionId?: string): Promise<S3SegmentReader> {
    type Head = { ContentLength?: number; VersionId?: string; ETag?: string };
    let head: Head;
    try {
      head = await withRetry(
        () => ctx.client.send(new ctx.sdk.HeadObjectCommand({ Bucket: ctx.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) })) as Promise<Head>,
        ctx.stats,
      );
    } catch (error) {
      throw readError(error, ctx.bucket, key, versionId);
    }
    // A bucket that never kept versions answers without one (or "null"): then the ETag alone pins the bytes.
    const pinned = versionId ?? (head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined);
    return new S3SegmentReader(ctx, key, head.ContentLength ?? 0, pinned, head.ETag);
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    if (this.closed) throw new Error(`the reader of s3://${this.ctx.bucket}/${this.key} is closed`);
    if (length <= 0 || position >= this.bytes) return 0;
    const end = Math.min(this.bytes, position + length);
    const forward = position === this.lastEnd;
    if (!forward) this.blockSize = MIN_BLOCK;
    let pos = position;
    let last: Block | undefined;
    while (pos < end) {
      let block = this.blocks.find((b) => b.start <= pos && pos < b.end);
      if (!block) {
        const want = end - pos;
        if (want > MAX_BLOCK) {
          // More than a block at once: block by block into the caller's buffer, nothing cached.
          const data = await this.fetch(pos, MAX_BLOCK);
          data.copy(buffer, offset + (pos - position));
          pos += MAX_BLOCK;
          continue;
        }
        if (forward) this.blockSize = Math.min(MAX_BLOCK, Math.max(this.blockSize * 2, want * 2));
        block = this.load(pos, Math.min(this.bytes - pos, Math.max(this.blockSize, want)));
      }
      const data = await block.data;
      const n = Math.min(end, block.end) - pos;
      data.copy(buffer, offset + (pos - position), pos - block.start, pos - block.start + n);
      pos += n;
      last = block;
    }
    this.lastEnd = end;
    // Going forward: fetch the next block while the caller works on this one.
    if (forward && last && last.end < this.bytes && !this.blocks.some((b) => b.start <= last.end && last.end < b.end)) {
      this.blockSize = Math.min(MAX_BLOCK, this.blockSize * 2);
      this.load(last.end, Math.min(this.bytes - last.end, this.blockSize));
    }
    return end - position;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.blocks = [];
  }

  /** Starts fetching a block and keeps it; the oldest block goes when there are more than KEEP. */
  private load(start: number, length: number): Block {
    const block: Block = { start, end: start + length, data: this.fetch(start, length) };
    // A block that failed is dropped, so a later read asks again instead of getting the old error.
    block.data.catch(() => {
      this.blocks = this.blocks.filter((b) => b !== block);
    });
    this.blocks.push(block);
    while (this.blocks.length > KEEP) this.blocks.shift();
    return block;
  }

  /** One ranged GET of the pinned version, read to the last byte; retried (from scratch) on throttling, 5xx, drops. */
  private async fetch(start: number, length: number): Promise<Buffer> {
    const { client, sdk, bucket, stats } = this.ctx;
    try {
      return await withRetry(async () => {
        const answer = await client.send(
          new sdk.GetObjectCommand({
            Bucket: bucket,
            Key: this.key,
            Range: `bytes=${start}-${start + length - 1}`,
            ...(this.versionId ? { VersionId: this.versionId } : {}),
            ...(this.etag ? { IfMatch: this.etag } : {}),
          }),
        );
        const body = answer.Body as Readable;
        const out = Buffer.allocUnsafe(length);
        let at = 0;
        try {
          for await (const chunk of body as AsyncIterable<Uint8Array>) {
            if (at + chunk.length > length) throw new Error(`the gateway sent more than the ${length} bytes asked for`);
            out.set(chunk, at);
            at += chunk.length;
          }
        } finally {
          body.destroy();
        }
        // A connection that closed early: retried like any dropped connection.
        if (at !== length) throw new Error(`premature close: ${at} of ${length} bytes arrived`);
        return out;
      }, stats);
    } catch (error) {
      throw readError(error, bucket, this.key, this.versionId);
    }
  }
}
