// A place where footage segments are kept: a file tree (fs-store.ts) or an S3 bucket (s3/store.ts).
import type { StoreRecords } from './records.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/** A chunk of the entries (not sub-folders) of one folder, relative to the root with "/". */
export interface DirChunk {
  dir: string;
  entries: { name: string; kind: Exclude<EntryKind, 'dir'>; bytes?: number }[];
  /** Set when the folder could not be read; its contents are then unknown and nothing in it is touched. */
  error?: string;
}

export interface StoreCheck {
  ok: boolean;
  problem?: string;
}

/** What protects the footage from being deleted or changed by anyone but the purge. */
export interface StoreProtection {
  kind: 'fs' | 's3';
  /** S3 bucket versioning: Enabled, Suspended, or null where there is none (a file tree, a bucket never versioned). */
  versioning: 'Enabled' | 'Suspended' | null;
  /** S3 Object Lock: legal holds and retention are enforced by the store itself. */
  objectLock: boolean;
  /** The bucket's default retention, when Object Lock sets one (e.g. "GOVERNANCE 30 days"). */
  defaultRetention?: string;
  /** Whether a hold is enforced by the store, so that even another tool cannot delete held footage. */
  tamperProof: boolean;
  notes: string[];
}

/** One version of an object (S3): what a legal hold is put on. */
export interface ObjectVersionRef {
  relPath: string;
  versionId: string;
}

/** Where a segment's bytes come from, as the evidence manifest names it. */
export type SegmentOrigin = { kind: 'fs'; path: string } | { kind: 's3'; bucket: string; key: string; versionId?: string };

/**
 * Random access to one segment's bytes, pinned to what was opened: a file handle, or one version of an object
 * (ranged GETs with read-ahead, so reading it front to back costs a few requests, not one per call).
 * Structurally the same as media's RandomAccess, so the MP4 reader can inspect it.
 */
export interface SegmentReader {
  readonly bytes: number;
  readonly origin: SegmentOrigin;
  /** Like FileHandle.read: fills buffer[offset, offset+length) from `position`; returns the bytes read (0 at the end). */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface RemoveResult {
  removed: { name: string; bytes: number }[];
  /** Not removed, for a reason that is no error: already gone, no longer a regular file. */
  skipped: { name: string; reason: string }[];
  errors: { name: string; message: string }[];
  /** Refused by the store's Object Lock (a legal hold or retention toezicht did not place): kept, not an error. */
  locked?: { name: string; reason: string }[];
  /** On a versioned bucket: the versions and delete markers removed with the objects. */
  versionsRemoved?: number;
  deleteMarkersRemoved?: number;
}

export interface FootageStore {
  readonly id: string;
  /** Shown to people: a folder, or bucket and prefix. */
  describe(): string;
  /** The root exists and can be read. Must succeed before anything else is called. */
  check(): Promise<StoreCheck>;
  walk(): AsyncGenerator<DirChunk>;
  /** Sizes of regular files (undefined for anything else or gone). */
  sizes(dir: string, names: string[]): Promise<(number | undefined)[]>;
  /** Deletes these files of one folder; `bytes` are their sizes as the walk saw them, where it did. */
  remove(dir: string, names: string[], hints?: { bytes?: (number | undefined)[] }): Promise<RemoveResult>;
  removeEmptyDirs(dirs: Iterable<string>): Promise<number>;
  exists(relPath: string): Promise<boolean>;
  /** The names in one folder that hold footage now, in one listing (an object store, where exists() is a request). */
  presentIn?(dir: string): Promise<Set<string>>;
  /** The entries (not sub-folders) of one folder; undefined when there is no such folder. */
  list(dir: string): Promise<DirChunk['entries'] | undefined>;
  /** A path ffmpeg can open for a file of this store: a file tree only (an object store has none). */
  localPath?(relPath: string): string;
  /** Opens one segment for reading: export and verify read footage through it. */
  openSegment(relPath: string, options?: { versionId?: string }): Promise<SegmentReader>;
  /** How many deletion batches the purge may have in flight at once (default 1). */
  readonly parallelBatches?: number;
  /** What protects its footage (`storage check`). */
  protection?(): Promise<StoreProtection>;
  /** Requests sent and retried so far (an object store). */
  requestStats?(): { requests: number; retries: number };
  /** Legal holds on object versions (S3 Object Lock), when the store has them. */
  legalHolds?: LegalHoldOps;
  /** toezicht's own records kept with the footage (register marker, hold records); never walked or purged. */
  readonly records?: StoreRecords;
}

export interface LegalHoldOps {
  /** Whether the bucket has Object Lock enabled (legal holds are possible). */
  enabled(): Promise<boolean>;
  /** Every version of these objects (current and older ones). */
  versions(relPaths: string[]): Promise<ObjectVersionRef[]>;
  get(ref: ObjectVersionRef): Promise<boolean>;
  set(ref: ObjectVersionRef, on: boolean): Promise<void>;
}
