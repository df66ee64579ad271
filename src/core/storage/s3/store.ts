// Footage as objects in an S3 bucket (Ceph, MinIO, a cloud provider). Keys under the storage's prefix are read by the
// same layouts as paths; the "folder" of a key is everything before its last "/". Listing goes page by page (memory
// stays flat however many objects there are), deleting in DeleteObjects batches of up to 1000 keys. On a versioned
// bucket every version of a purged key goes (and its delete markers), or the footage would only look deleted.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { RECORDS_FOLDER, type StoreRecords } from '../records.js';
import { s3Keys } from './credentials.js';
import { describeS3Error, loadSdk, makeClient, withRetry, type S3Sdk, type SendStats } from './client.js';
import { S3SegmentReader } from './reader.js';
import type { DirChunk, FootageStore, LegalHoldOps, ObjectVersionRef, RemoveResult, SegmentReader, StoreCheck, StoreProtection } from '../types.js';

export interface S3StoreSpec {
  id: string;
  endpoint?: string;
  region: string;
  bucket: string;
  /** "" or ending in "/". */
  prefix: string;
  forcePathStyle: boolean;
  /** A 0600 credentials file; else the environment. */
  credentials?: string;
}

const CHUNK = 1000;
const DELETE_MAX = 1000;
/** Keys of one DeleteObjects batch that failed with a transient code are sent again, this many times. */
const KEY_RETRIES = 5;
const TRANSIENT_KEY_CODES = new Set(['SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout']);

/** DeleteObjects requests in flight at once, and how long a partial one waits for more keys. */
const DELETE_REQUESTS = 8;
const DELETE_GATHER_MS = 15;

interface PendingDelete {
  object: { Key: string; VersionId?: string };
  round: number;
  settle: (object: PendingDelete['object'], failure?: { message: string; denied: boolean }) => void;
}

type Entry = DirChunk['entries'][number];
interface Version {
  key: string;
  versionId: string;
  size: number;
  marker: boolean;
}

function splitRel(rel: string): { dir: string; name: string } {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? { dir: '', name: rel } : { dir: rel.slice(0, slash), name: rel.slice(slash + 1) };
}

async function mapLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export class S3Store implements FootageStore {
  readonly id: string;
  readonly spec: S3StoreSpec;
  /** Removals the purge keeps in flight: they share DeleteObjects requests (deleteKeys), several at once. */
  readonly parallelBatches = 64;
  private client?: S3Client;
  private sdk?: S3Sdk;
  private versioning: 'Enabled' | 'Suspended' | null = null;
  private checked = false;
  private readonly stats: SendStats = { requests: 0, retries: 0 };

  constructor(spec: S3StoreSpec) {
    this.id = spec.id;
    this.spec = spec;
  }

  /** toezicht's own records under `<prefix>.toezicht/` (register marker, hold records); never walked as footage. */
  readonly records: StoreRecords = {
    read: async (name) => {
      try {
        const out = await this.send<{ Body?: { transformToString(): Promise<string> } }>((s) => new s.GetObjectCommand({ Bucket: this.spec.bucket, Key: this.recordKey(name) }));
        return await out.Body?.transformToString();
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.$metadata?.httpStatusCode === 404 || e.name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    write: async (name, text) => {
      const body = Buffer.from(text);
      // Content-MD5: a bucket with Object Lock refuses a PutObject without it.
      const md5 = createHash('md5').update(body).digest('base64');
      await this.send((s) => new s.PutObjectCommand({ Bucket: this.spec.bucket, Key: this.recordKey(name), Body: body, ContentMD5: md5, ContentType: 'application/json' }));
    },
    list: async (folder) => {
      const prefix = `${this.recordKey(folder)}/`;
      const names: string[] = [];
      for await (const page of this.listCurrent(prefix, '/')) for (const o of page) names.push(o.key.slice(prefix.length));
      return names.filter(Boolean).sort();
    },
  };

  private recordKey(name: string): string {
    if (!name || name.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error(`"${name}" is no record name`);
    return `${this.spec.prefix}${RECORDS_FOLDER}/${name}`;
  }

  describe(): string {
    return `s3://${this.spec.bucket}/${this.spec.prefix}${this.spec.endpoint ? ` at ${this.spec.endpoint}` : ''}`;
  }

  requestStats(): { requests: number; retries: number } {
    return { ...this.stats };
  }

  /** Whether purged keys must have every version removed. */
  get versioned(): boolean {
    return this.versioning !== null;
  }

  private async s3(): Promise<{ client: S3Client; sdk: S3Sdk }> {
    if (!this.client) {
      this.sdk = await loadSdk();
      this.client = await makeClient({
        ...(this.spec.endpoint ? { endpoint: this.spec.endpoint } : {}),
        region: this.spec.region,
        forcePathStyle: this.spec.forcePathStyle,
        keys: s3Keys(this.id, this.spec.credentials),
      });
    }
    return { client: this.client, sdk: this.sdk! };
  }

  /** Sends a request, retrying throttling, 5xx and dropped connections. */
  private async send<T>(make: (sdk: S3Sdk) => { input: unknown }): Promise<T> {
    const { client, sdk } = await this.s3();
    return withRetry(() => client.send(make(sdk) as never) as Promise<T>, this.stats);
  }

  private key(rel: string): string {
    return this.spec.prefix + rel;
  }

  private dirPrefix(dir: string): string {
    return dir ? `${this.spec.prefix}${dir}/` : this.spec.prefix;
  }

  async check(): Promise<StoreCheck> {
    const where = `bucket ${this.spec.bucket}${this.spec.endpoint ? ` at ${this.spec.endpoint}` : ''}`;
    try {
      await this.send((s) => new s.HeadBucketCommand({ Bucket: this.spec.bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchBucket') return { ok: false, problem: `${where} does not exist` };
      if (status === 403) return { ok: false, problem: `access to ${where} is denied (check the storage's keys)` };
      if ((error as { code?: string }).code === 's3.credentials') throw error;
      return { ok: false, problem: `${where} cannot be reached (${describeS3Error(error)})` };
    }
    const v = await this.send<{ Status?: string }>((s) => new s.GetBucketVersioningCommand({ Bucket: this.spec.bucket }));
    this.versioning = v.Status === 'Enabled' || v.Status === 'Suspended' ? v.Status : null;
    this.checked = true;
    return { ok: true };
  }

  private requireCheck(): void {
    if (!this.checked) throw new Error('S3Store.check() must run first');
  }

  async *walk(): AsyncGenerator<DirChunk> {
    this.requireCheck();
    let chunk: DirChunk | undefined;
    // Entries are grouped by folder in key order; a folder whose keys are interleaved with a subfolder's comes in
    // more than one chunk, which is allowed.
    const add = function* (rel: string, bytes: number): Generator<DirChunk> {
      const { dir, name } = splitRel(rel);
      if (chunk && (chunk.dir !== dir || chunk.entries.length >= CHUNK)) {
        yield chunk;
        chunk = undefined;
      }
      chunk ??= { dir, entries: [] };
      chunk.entries.push({ name, kind: 'file', bytes });
    };
    const source = this.versioned ? this.listVersionsFlat(this.spec.prefix) : this.listCurrent(this.spec.prefix);
    for await (const page of source) {
      for (const o of page) {
        const rel = o.key.slice(this.spec.prefix.length);
        // "Folder" placeholders some tools write (zero bytes, key ending in "/") are no footage and no folder here.
        if (!rel || rel.endsWith('/')) continue;
        if (rel.startsWith(`${RECORDS_FOLDER}/`)) continue; // toezicht's records, not footage
        yield* add(rel, o.size);
      }
    }
    if (chunk) yield chunk;
  }

  /** Current objects under a prefix, page by page; the next page is already asked for while one is handed out. */
  private async *listCurrent(prefix: string, delimiter?: string): AsyncGenerator<{ key: string; size: number }[]> {
    type Page = { Contents?: { Key?: string; Size?: number }[]; IsTruncated?: boolean; NextContinuationToken?: string };
    const ask = (token?: string): Promise<Page> =>
      this.send<Page>((s) => new s.ListObjectsV2Command({ Bucket: this.spec.bucket, Prefix: prefix, ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}) }));
    let next: Promise<Page> | undefined = ask();
    while (next) {
      const page: Page = await next;
      next = page.IsTruncated && page.NextContinuationToken ? ask(page.NextContinuationToken) : undefined;
      next?.catch(() => undefined);
      yield (page.Contents ?? []).map((o) => ({ key: o.Key!, size: o.Size ?? 0 }));
    }
  }

  /** Every version and delete marker under a prefix, page by page, in key order. */
  private async *listVersions(prefix: string, delimiter?: string): AsyncGenerator<Version[]> {
    type Page = {
      Versions?: { Key?: string; VersionId?: string; Size?: number }[];
      DeleteMarkers?: { Key?: string; VersionId?: string }[];
      IsTruncated?: boolean;
      NextKeyMarker?: string;
      NextVersionIdMarker?: string;
    };
    const ask = (keyMarker?: string, versionMarker?: string): Promise<Page> =>
      this.send<Page>(
        (s) =>
          new s.ListObjectVersionsCommand({
            Bucket: this.spec.bucket,
            Prefix: prefix,
            ...(delimiter ? { Delimiter: delimiter } : {}),
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
          }),
      );
    let next: Promise<Page> | undefined = ask();
    while (next) {
      const page: Page = await next;
      next = page.IsTruncated ? ask(page.NextKeyMarker, page.NextVersionIdMarker) : undefined;
      next?.catch(() => undefined);
      const versions: Version[] = [
        ...(page.Versions ?? []).map((v) => ({ key: v.Key!, versionId: v.VersionId ?? 'null', size: v.Size ?? 0, marker: false })),
        ...(page.DeleteMarkers ?? []).map((m) => ({ key: m.Key!, versionId: m.VersionId ?? 'null', size: 0, marker: true })),
      ];
      versions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      yield versions;
    }
  }

  /**
   * One entry per key that still has data (a version that is not a delete marker), with the bytes of all its
   * versions. A key whose versions straddle two pages is held back until the next page shows it complete.
   */
  private async *listVersionsFlat(prefix: string): AsyncGenerator<{ key: string; size: number }[]> {
    let pending: { key: string; size: number; data: boolean } | undefined;
    for await (const page of this.listVersions(prefix)) {
      const out: { key: string; size: number }[] = [];
      for (const v of page) {
        if (pending && pending.key === v.key) {
          pending.size += v.size;
          pending.data ||= !v.marker;
          continue;
        }
        if (pending?.data) out.push({ key: pending.key, size: pending.size });
        pending = { key: v.key, size: v.size, data: !v.marker };
      }
      yield out;
    }
    if (pending?.data) yield [{ key: pending.key, size: pending.size }];
  }

  async list(dir: string): Promise<Entry[] | undefined> {
    this.requireCheck();
    const entries: Entry[] = [];
    for await (const page of this.listCurrent(this.dirPrefix(dir), '/')) {
      for (const o of page) {
        const name = o.key.slice(this.dirPrefix(dir).length);
        if (name) entries.push({ name, kind: 'file', bytes: o.size });
      }
    }
    return entries.length ? entries : undefined;
  }

  async sizes(dir: string, names: string[]): Promise<(number | undefined)[]> {
    const entries = new Map((await this.list(dir))?.map((e) => [e.name, e.bytes]) ?? []);
    return names.map((n) => entries.get(n));
  }

  async exists(relPath: string): Promise<boolean> {
    this.requireCheck();
    const key = this.key(relPath);
    if (this.versioned) {
      for await (const page of this.listVersions(key)) if (page.some((v) => v.key === key && !v.marker)) return true;
      return false;
    }
    try {
      await this.send((s) => new s.HeadObjectCommand({ Bucket: this.spec.bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  async presentIn(dir: string): Promise<Set<string>> {
    this.requireCheck();
    const prefix = this.dirPrefix(dir);
    const names = new Set<string>();
    if (this.versioned) {
      for await (const page of this.listVersions(prefix, '/')) for (const v of page) if (!v.marker) names.add(v.key.slice(prefix.length));
    } else {
      for await (const page of this.listCurrent(prefix, '/')) for (const o of page) names.add(o.key.slice(prefix.length));
    }
    return names;
  }

  /** Every version (and delete marker) of these names in one folder. */
  private async versionsIn(dir: string, names: Set<string>): Promise<Version[]> {
    const prefix = this.dirPrefix(dir);
    const out: Version[] = [];
    for await (const page of this.listVersions(prefix, '/')) {
      for (const v of page) if (names.has(v.key.slice(prefix.length))) out.push(v);
    }
    return out;
  }

  async remove(dir: string, names: string[], hints: { bytes?: (number | undefined)[] } = {}): Promise<RemoveResult> {
    this.requireCheck();
    const result: RemoveResult = { removed: [], skipped: [], errors: [], locked: [] };
    if (!names.length) return result;
    if (!this.versioned) {
      const bytes = new Map(names.map((n, i) => [n, hints.bytes?.[i] ?? 0]));
      const targets = names.map((name) => ({ name, key: this.key(dir ? `${dir}/${name}` : name) }));
      const outcome = await this.deleteKeys(targets.map((t) => ({ Key: t.key })));
      for (const t of targets) {
        const failure = outcome.failed.get(`${t.key}\u0000`);
        if (failure) result.errors.push({ name: t.name, message: failure });
        else result.removed.push({ name: t.name, bytes: bytes.get(t.name) ?? 0 });
      }
      return result;
    }
    // Versioned: the versions are read now, so any written since the walk go too (they are footage of the same time).
    const wanted = new Set(names);
    const versions = await this.versionsIn(dir, wanted);
    const outcome = await this.deleteKeys(versions.map((v) => ({ Key: v.key, VersionId: v.versionId })));
    const prefix = this.dirPrefix(dir);
    const perName = new Map<string, { bytes: number; failed: string[]; lockedVersions: string[]; data: boolean }>();
    for (const v of versions) {
      const name = v.key.slice(prefix.length);
      let p = perName.get(name);
      if (!p) perName.set(name, (p = { bytes: 0, failed: [], lockedVersions: [], data: false }));
      const failure = outcome.failed.get(`${v.key}\u0000${v.versionId}`);
      if (failure === undefined) {
        p.bytes += v.size;
        result.versionsRemoved = (result.versionsRemoved ?? 0) + (v.marker ? 0 : 1);
        result.deleteMarkersRemoved = (result.deleteMarkersRemoved ?? 0) + (v.marker ? 1 : 0);
      } else if (outcome.denied.has(`${v.key}\u0000${v.versionId}`)) p.lockedVersions.push(v.versionId);
      else p.failed.push(`version ${v.versionId}: ${failure}`);
      if (!v.marker) p.data = true;
    }
    for (const name of names) {
      const p = perName.get(name);
      if (!p || !p.data) result.skipped.push({ name, reason: 'already gone' });
      else if (p.lockedVersions.length) {
        result.locked!.push({ name, reason: await this.lockReason(this.key(dir ? `${dir}/${name}` : name), p.lockedVersions[0]!) });
      } else if (p.failed.length) result.errors.push({ name, message: p.failed.join('; ') });
      else result.removed.push({ name, bytes: p.bytes });
    }
    return result;
  }

  /** Why S3 refused to delete a version: a legal hold, a retention date, or (without Object Lock) the keys' rights. */
  private async lockReason(key: string, versionId: string): Promise<string> {
    const hold = await this.send<{ LegalHold?: { Status?: string } }>((s) => new s.GetObjectLegalHoldCommand({ Bucket: this.spec.bucket, Key: key, VersionId: versionId })).catch(() => undefined);
    if (hold?.LegalHold?.Status === 'ON') return 'an S3 Object Lock legal hold is on it';
    const retention = await this.send<{ Retention?: { Mode?: string; RetainUntilDate?: Date } }>((s) => new s.GetObjectRetentionCommand({ Bucket: this.spec.bucket, Key: key, VersionId: versionId })).catch(
      () => undefined,
    );
    if (retention?.Retention?.RetainUntilDate) return `S3 Object Lock retention (${retention.Retention.Mode ?? '?'}) keeps it until ${retention.Retention.RetainUntilDate.toISOString()}`;
    return 'the store refused to delete it (AccessDenied)';
  }

  /**
   * Deletes these objects (keys, or key versions). Removals of several folders that come in close together share
   * DeleteObjects requests of up to 1000 keys, several in flight at once: a store with few objects per folder would
   * otherwise pay a request per folder. Keys that fail with a transient code are sent again; the other failures come
   * back per key ("key\0versionId" → message), AccessDenied ones also in `denied`.
   */
  private deleteKeys(objects: { Key: string; VersionId?: string }[]): Promise<{ failed: Map<string, string>; denied: Set<string> }> {
    const failed = new Map<string, string>();
    const denied = new Set<string>();
    if (!objects.length) return Promise.resolve({ failed, denied });
    return new Promise((resolve) => {
      let open = objects.length;
      const settle = (o: PendingDelete['object'], failure?: { message: string; denied: boolean }): void => {
        if (failure) {
          const id = `${o.Key}\u0000${o.VersionId ?? ''}`;
          failed.set(id, failure.message);
          if (failure.denied) denied.add(id);
        }
        if (--open === 0) resolve({ failed, denied });
      };
      for (const object of objects) this.pending.push({ object, round: 0, settle });
      this.pump();
    });
  }

  private readonly pending: PendingDelete[] = [];
  private sending = 0;
  private flushTimer: NodeJS.Timeout | undefined;

  /** Sends what is pending: full requests at once, a partial one after a short wait for more to come in. */
  private pump(): void {
    while (this.sending < DELETE_REQUESTS && this.pending.length >= DELETE_MAX) this.sendBatch(this.pending.splice(0, DELETE_MAX));
    if (!this.pending.length || this.sending >= DELETE_REQUESTS) return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      if (this.sending < DELETE_REQUESTS && this.pending.length) this.sendBatch(this.pending.splice(0, DELETE_MAX));
      this.pump();
    }, DELETE_GATHER_MS);
  }

  private sendBatch(batch: PendingDelete[]): void {
    this.sending++;
    void (async () => {
      try {
        let answer: { Errors?: { Key?: string; VersionId?: string; Code?: string; Message?: string }[] };
        try {
          answer = await this.send((s) => new s.DeleteObjectsCommand({ Bucket: this.spec.bucket, Delete: { Objects: batch.map((p) => p.object), Quiet: true } }));
        } catch (error) {
          for (const p of batch) p.settle(p.object, { message: describeS3Error(error), denied: false });
          return;
        }
        const errors = new Map((answer.Errors ?? []).map((e) => [`${e.Key}\u0000${e.VersionId ?? ''}`, e]));
        for (const p of batch) {
          const e = errors.get(`${p.object.Key}\u0000${p.object.VersionId ?? ''}`) ?? (p.object.VersionId ? undefined : errors.get(`${p.object.Key}\u0000`));
          if (!e) p.settle(p.object);
          else if (TRANSIENT_KEY_CODES.has(e.Code ?? '') && p.round < KEY_RETRIES) {
            this.stats.retries++;
            this.pending.push({ ...p, round: p.round + 1 });
          } else p.settle(p.object, { message: `${e.Code ?? 'Error'}${e.Message && e.Message !== e.Code ? `: ${e.Message}` : ''}`, denied: e.Code === 'AccessDenied' });
        }
      } finally {
        this.sending--;
        this.pump();
      }
    })();
  }

  async removeEmptyDirs(): Promise<number> {
    // An object store has no folders to leave behind.
    return 0;
  }

  /**
   * Opens one object for random reads (ranged GETs with read-ahead, see reader.ts): its current version, or the one
   * given. Every read is pinned to the version opened. Needs no check() first: it is one HeadObject.
   */
  async openSegment(relPath: string, options: { versionId?: string } = {}): Promise<SegmentReader> {
    const { client, sdk } = await this.s3();
    return S3SegmentReader.open({ client, sdk, stats: this.stats, bucket: this.spec.bucket }, this.key(relPath), options.versionId);
  }

  async protection(): Promise<StoreProtection> {
    this.requireCheck();
    const notes: string[] = [];
    let objectLock = false;
    let defaultRetention: string | undefined;
    try {
      const lock = await this.send<{ ObjectLockConfiguration?: { ObjectLockEnabled?: string; Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } } } }>(
        (s) => new s.GetObjectLockConfigurationCommand({ Bucket: this.spec.bucket }),
      );
      objectLock = lock.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
      const r = lock.ObjectLockConfiguration?.Rule?.DefaultRetention;
      if (r) defaultRetention = `${r.Mode ?? '?'} ${r.Days ? `${r.Days} days` : `${r.Years ?? '?'} years`}`;
    } catch (error) {
      if ((error as Error).name !== 'ObjectLockConfigurationNotFoundError') throw error;
    }
    if (!objectLock) {
      notes.push('the bucket has no Object Lock: holds are kept by the register only, and anyone with the bucket\'s keys can delete held footage with another tool; it is not tamper-proof');
    } else {
      notes.push('Object Lock is on: footage under a hold gets an S3 legal hold, and the store refuses to delete it, whoever asks');
    }
    if (this.versioning === 'Suspended') notes.push('versioning is suspended: overwritten or deleted footage may leave versions behind; the purge removes every version of the footage it purges');
    if (defaultRetention) notes.push(`the bucket's default retention (${defaultRetention}) keeps every new object that long; the purge reports what it cannot delete yet`);
    return { kind: 's3', versioning: this.versioning, objectLock, ...(defaultRetention ? { defaultRetention } : {}), tamperProof: objectLock, notes };
  }

  readonly legalHolds: LegalHoldOps = {
    enabled: async () => (await this.protection()).objectLock,
    versions: async (relPaths: string[]): Promise<ObjectVersionRef[]> => {
      const byDir = new Map<string, Set<string>>();
      for (const rel of relPaths) {
        const { dir, name } = splitRel(rel);
        let set = byDir.get(dir);
        if (!set) byDir.set(dir, (set = new Set()));
        set.add(name);
      }
      const out: ObjectVersionRef[] = [];
      await mapLimited([...byDir], 8, async ([dir, names]) => {
        for (const v of await this.versionsIn(dir, names)) {
          if (!v.marker) out.push({ relPath: v.key.slice(this.spec.prefix.length), versionId: v.versionId });
        }
      });
      return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : a.versionId < b.versionId ? -1 : 1));
    },
    get: async (ref: ObjectVersionRef): Promise<boolean> => {
      try {
        const answer = await this.send<{ LegalHold?: { Status?: string } }>((s) => new s.GetObjectLegalHoldCommand({ Bucket: this.spec.bucket, Key: this.key(ref.relPath), VersionId: ref.versionId }));
        return answer.LegalHold?.Status === 'ON';
      } catch (error) {
        // Never set on this version.
        if ((error as Error).name === 'NoSuchObjectLockConfiguration' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
        throw error;
      }
    },
    set: async (ref: ObjectVersionRef, on: boolean): Promise<void> => {
      await this.send((s) =>
        new s.PutObjectLegalHoldCommand({ Bucket: this.spec.bucket, Key: this.key(ref.relPath), VersionId: ref.versionId, LegalHold: { Status: on ? 'ON' : 'OFF' } }),
      );
    },
  };
}
