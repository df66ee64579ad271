// Footage in a file tree (a local folder or a mounted share). Walks without following symlinks and
// deletes only regular files inside its root. Every folder it lists or deletes in is held by its inode
// (held-folder.ts): a folder swapped for a link, even during the run, leads nowhere outside the root.
import { constants } from 'node:fs';
import { lstat, open, realpath, unlink } from 'node:fs/promises';
import path from 'node:path';
import { segmentGone, segmentUnreadable } from './errors.js';
import { FolderChanged, folderId, inFolder, isPlainName, openHeld, rmdirHeld, sameFolder, type FolderId } from './held-folder.js';
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

/**
 * The kind of a folder entry; DT_UNKNOWN on some file systems: then ask, without following links. FIFOs, sockets
 * and devices are 'other': never opened, never deleted.
 */
async function entryKind(dir: string, d: { name: string; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): Promise<EntryKind> {
  const kind = kindOf(d);
  if (kind !== undefined) return kind;
  if (d.name.includes('/')) return 'other';
  // A path lookup: a folder it misreports is entered by its inode later, a file it misreports is checked again by
  // lstat in the held folder before it is deleted.
  const st = await lstat(path.join(dir, d.name)).catch(() => undefined);
  return st ? (kindOf(st) ?? 'other') : 'other';
}

const partsOf = (rel: string): string[] => (rel ? rel.split('/') : []);
const describeChange = (error: unknown): string =>
  error instanceof FolderChanged ? error.message : `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;

export class FsStore implements FootageStore {
  readonly id: string;
  readonly root: string;
  private realRoot?: string;
  private rootId?: FolderId;
  /** The identity of each folder as the last walk read it: a deletion happens only in that very folder. */
  private walked = new Map<string, FolderId>();
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
      this.rootId = await folderId(this.realRoot);
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: `its root ${this.root} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  }

  private abs(rel: string): string {
    if (!this.realRoot) throw new Error('FsStore.check() must run first');
    return rel ? path.join(this.realRoot, ...rel.split('/')) : this.realRoot;
  }

  private held<T>(rel: string, fn: (id: FolderId) => Promise<T>): Promise<T> {
    if (!this.realRoot || !this.rootId) throw new Error('FsStore.check() must run first');
    return inFolder(this.realRoot, this.rootId, partsOf(rel), fn);
  }

  private openDir(rel: string): ReturnType<typeof openHeld> {
    if (!this.realRoot || !this.rootId) throw new Error('FsStore.check() must run first');
    return openHeld(this.realRoot, this.rootId, partsOf(rel));
  }

  /** Every folder depth-first in name order (oldest first for dated layouts), files in chunks. */
  async *walk(): AsyncGenerator<DirChunk> {
    const stack: string[] = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let handle;
      try {
        const opened = await this.openDir(rel);
        handle = opened.dir;
        this.walked.set(rel, opened.id);
      } catch (error) {
        yield { dir: rel, entries: [], error: `cannot read folder (${describeChange(error)})` };
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
    const result: RemoveResult = { removed: [], skipped: [], errors: [] };
    const walkedId = this.walked.get(dir);
    const plain = names.filter((name) => {
      if (isPlainName(name)) return true;
      result.skipped.push({ name, reason: 'no file name inside its folder' });
      return false;
    });
    try {
      await this.held(dir, async (id) => {
        // The folder must be the one that was walked: another folder swapped in since (even a real one) is not.
        if (walkedId && !sameFolder(id, walkedId)) throw new FolderChanged('it is not the folder that was read');
        await forEachLimited(plain, PARALLEL, async (name) => {
          try {
            // Bare names: resolved in the held folder, never through a path.
            const st = await lstat(name);
            if (!st.isFile()) {
              result.skipped.push({ name, reason: 'no longer a regular file' });
              return;
            }
            await unlink(name);
            result.removed.push({ name, bytes: st.size });
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') result.skipped.push({ name, reason: 'already gone' });
            else result.errors.push({ name, message: `${code ?? ''} ${(error as Error).message}`.trim() });
          }
        });
      });
    } catch (error) {
      if (!(error instanceof FolderChanged)) throw error;
      for (const name of plain) result.skipped.push({ name, reason: `its folder changed since it was read (${error.message})` });
    }
    return result;
  }

  /** Removes each of `dirs` that is now empty, then its parents that became empty; never the root. */
  async removeEmptyDirs(dirs: Iterable<string>): Promise<number> {
    const pending = new Set([...dirs].filter((d) => d !== ''));
    let removed = 0;
    while (pending.size) {
      // Deepest first, so a parent is tried after its children; one visit per parent folder.
      const ordered = [...pending].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1));
      pending.clear();
      const byParent = new Map<string, string[]>();
      for (const dir of ordered) {
        const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent)!.push(dir.slice(dir.lastIndexOf('/') + 1));
      }
      for (const [parent, children] of byParent) {
        let gone = 0;
        try {
          await this.held(parent, async () => {
            // Not empty, a link, or gone already: it stays.
            for (const child of children) if (isPlainName(child) && (await rmdirHeld(child))) gone++;
          });
        } catch (error) {
          if (!(error instanceof FolderChanged)) throw error;
        }
        removed += gone;
        if (gone && parent !== '') pending.add(parent);
      }
    }
    return removed;
  }

  async list(dir: string): Promise<DirChunk['entries'] | undefined> {
    let handle;
    try {
      handle = (await this.openDir(dir)).dir;
    } catch (error) {
      // No such folder, or one reached only through a link (never followed).
      if (error instanceof FolderChanged) return undefined;
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
