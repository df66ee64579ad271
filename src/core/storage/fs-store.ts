// Footage in a file tree (a local folder or a mounted share). Walks without following symlinks and
// deletes only regular files inside its root.
import { constants } from 'node:fs';
import { lstat, open, opendir, realpath, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { segmentGone, segmentUnreadable } from './errors.js';
import { FsRecords, RECORDS_FOLDER, type StoreRecords } from './records.js';
import type { DirChunk, EntryKind, FootageStore, RemoveResult, SegmentReader, StoreCheck } from './types.js';

const CHUNK = 1000;
// Files removed at once; more than the thread pool only queues, fewer leaves it idle.
const PARALLEL = 32;

function kindOf(d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind | undefined {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) return 'symlink';
  return undefined;
}

/** The kind of a folder entry; DT_UNKNOWN on some file systems: then ask, without following links. */
async function entryKind(dir: string, d: { name: string; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): Promise<EntryKind> {
  const kind = kindOf(d);
  if (kind !== undefined) return kind;
  const st = await lstat(path.join(dir, d.name)).catch(() => undefined);
  return st ? (kindOf(st) ?? 'other') : 'other';
}

export class FsStore implements FootageStore {
  readonly id: string;
  readonly root: string;
  private realRoot?: string;
  /** toezicht's own records at the root (register marker, hold records); never walked as footage. */
  readonly records: StoreRecords = new FsRecords(() => this.abs(''));

  constructor(id: string, root: string) {
    this.id = id;
    this.root = root;
  }

  describe(): string {
    return this.root;
  }

  async check(): Promise<StoreCheck> {
    try {
      const st = await lstat(this.root).catch(() => undefined);
      if (!st) return { ok: false, problem: `its root ${this.root} does not exist (is the share mounted?)` };
      this.realRoot = await realpath(this.root);
      const real = await lstat(this.realRoot);
      if (!real.isDirectory()) return { ok: false, problem: `its root ${this.root} is not a folder` };
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: `its root ${this.root} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  }

  private abs(rel: string): string {
    if (!this.realRoot) throw new Error('FsStore.check() must run first');
    return rel ? path.join(this.realRoot, ...rel.split('/')) : this.realRoot;
  }

  /** Every folder depth-first in name order (oldest first for dated layouts), files in chunks. */
  async *walk(): AsyncGenerator<DirChunk> {
    const stack: string[] = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let handle;
      try {
        handle = await opendir(this.abs(rel), { bufferSize: 256 });
      } catch (error) {
        yield { dir: rel, entries: [], error: `cannot read folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
        continue;
      }
      const subdirs: string[] = [];
      let entries: DirChunk['entries'] = [];
      for await (const d of handle) {
        if (rel === '' && d.name === RECORDS_FOLDER) continue; // toezicht's records, not footage
        const kind = await entryKind(this.abs(rel), d);
        if (kind === 'dir') subdirs.push(d.name);
        else {
          entries.push({ name: d.name, kind });
          if (entries.length >= CHUNK) {
            yield { dir: rel, entries };
            entries = [];
          }
        }
      }
      if (entries.length) yield { dir: rel, entries };
      subdirs.sort();
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(rel ? `${rel}/${subdirs[i]}` : subdirs[i]!);
    }
  }

  async sizes(dir: string, names: string[]): Promise<(number | undefined)[]> {
    const base = this.abs(dir);
    const out: (number | undefined)[] = new Array(names.length);
    await forEachLimited(names, PARALLEL, async (name, i) => {
      const st = await lstat(path.join(base, name)).catch(() => undefined);
      out[i] = st?.isFile() ? st.size : undefined;
    });
    return out;
  }

  async remove(dir: string, names: string[]): Promise<RemoveResult> {
    const base = this.abs(dir);
    const result: RemoveResult = { removed: [], skipped: [], errors: [] };
    // The folder must still be the one that was walked: a folder swapped for a symlink since then
    // would lead outside the root.
    const expected = base;
    const actual = await realpath(base).catch(() => undefined);
    if (actual !== expected) {
      for (const name of names) result.skipped.push({ name, reason: 'its folder changed since it was read (now a link, moved or gone)' });
      return result;
    }
    await forEachLimited(names, PARALLEL, async (name) => {
      const file = path.join(base, name);
      try {
        const st = await lstat(file);
        if (!st.isFile()) {
          result.skipped.push({ name, reason: 'no longer a regular file' });
          return;
        }
        await unlink(file);
        result.removed.push({ name, bytes: st.size });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') result.skipped.push({ name, reason: 'already gone' });
        else result.errors.push({ name, message: `${code ?? ''} ${(error as Error).message}`.trim() });
      }
    });
    return result;
  }

  /** Removes each of `dirs` that is now empty, then its parents that became empty; never the root. */
  async removeEmptyDirs(dirs: Iterable<string>): Promise<number> {
    const pending = new Set([...dirs].filter((d) => d !== ''));
    let removed = 0;
    while (pending.size) {
      // Deepest first, so a parent is tried after its children.
      const ordered = [...pending].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1));
      pending.clear();
      for (const dir of ordered) {
        try {
          await rmdir(this.abs(dir));
          removed++;
          const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
          if (parent !== '') pending.add(parent);
        } catch {
          // Not empty (or gone already): it stays.
        }
      }
    }
    return removed;
  }

  async list(dir: string): Promise<DirChunk['entries'] | undefined> {
    let handle;
    try {
      handle = await opendir(this.abs(dir), { bufferSize: 256 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    const entries: DirChunk['entries'] = [];
    for await (const d of handle) {
      const kind = await entryKind(this.abs(dir), d);
      if (kind !== 'dir') entries.push({ name: d.name, kind });
    }
    return entries;
  }

  localPath(relPath: string): string {
    return this.abs(relPath);
  }

  async exists(relPath: string): Promise<boolean> {
    return (await lstat(this.abs(relPath)).catch(() => undefined)) !== undefined;
  }

  /**
   * Opens a segment for random reads. Only a regular file inside the root: a symlink (O_NOFOLLOW), a device or a
   * folder is refused, as the purge refuses them, and a path that climbs out of the root is no segment.
   */
  async openSegment(relPath: string): Promise<SegmentReader> {
    const parts = relPath.split('/');
    if (!relPath || parts.some((p) => p === '' || p === '.' || p === '..')) throw segmentUnreadable(`${relPath} is no path inside storage ${this.id}`);
    const file = this.abs(relPath);
    let handle;
    try {
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw segmentGone(`${file} is not there (storage ${this.id})`);
      if (code === 'ELOOP') throw segmentUnreadable(`${file} is a symbolic link; footage is only read from regular files (storage ${this.id})`);
      throw segmentUnreadable(`${file} cannot be opened (${code ?? (error as Error).message})`);
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw segmentUnreadable(`${file} is not a regular file; footage is only read from regular files (storage ${this.id})`);
      const opened = handle;
      return {
        bytes: st.size,
        origin: { kind: 'fs', path: file },
        read: async (buffer, offset, length, position) => (await opened.read(buffer, offset, length, position)).bytesRead,
        close: () => opened.close(),
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
