// Deleting inside a folder held by its inode, so that no symlink can redirect a deletion, not even one swapped in
// while the purge runs. Node has no unlinkat/openat: the process's working folder is the handle instead. Each
// folder is entered from the storage root one name at a time (lstat: a real folder, not a link; chdir; then `.` must
// be the folder lstat saw), and files are removed by their bare names, which the kernel resolves in the folder that
// is held, whatever happens to the path meanwhile. docs/purge.md ("Deletion no symlink can redirect") says why this
// way and what it costs.
//
// The working folder belongs to the whole process: every use goes through one queue, all of a batch's system
// calls finish before the next folder is entered, and the working folder is put back afterwards. Nothing else in
// toezicht resolves a relative path (the config resolves every path it reads to an absolute one).
import type { Dir } from 'node:fs';
import { lstat, opendir, readdir, rmdir, stat, unlink } from 'node:fs/promises';

/** A folder by its identity: device and inode (bigints: an inode number may not fit a double). */
export interface FolderId {
  dev: bigint;
  ino: bigint;
}

export function sameFolder(a: FolderId, b: FolderId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Why a folder could not be held: it is no longer the one reached from the root through real folders. */
export class FolderChanged extends Error {}

let queue: Promise<unknown> = Promise.resolve();

function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

function homeFolder(): string {
  try {
    return process.cwd();
  } catch {
    // The folder the process started in was removed: any existing folder will do to come back to.
    return '/';
  }
}

async function here(): Promise<FolderId> {
  const st = await stat('.', { bigint: true });
  return { dev: st.dev, ino: st.ino };
}

/** A name inside one folder: no separators, not `.` or `..`. */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

/**
 * Makes the held folder the working folder: the root (which must still be `rootId`), then each of `parts` as a
 * real folder under the one held before it. Throws FolderChanged when any step is a link, no folder, or gone.
 */
async function enter(root: string, rootId: FolderId, parts: readonly string[]): Promise<FolderId> {
  try {
    process.chdir(root);
  } catch (error) {
    throw new FolderChanged(`the storage root cannot be entered (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let held = await here();
  if (!sameFolder(held, rootId)) throw new FolderChanged('the storage root is no longer the folder it was');
  for (const part of parts) {
    if (!isPlainName(part)) throw new FolderChanged(`"${part}" is no folder name`);
    const st = await lstat(part, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
      throw new FolderChanged(`${part} is gone (${error.code ?? error.message})`);
    });
    if (st.isSymbolicLink()) throw new FolderChanged(`${part} is now a symbolic link`);
    if (!st.isDirectory()) throw new FolderChanged(`${part} is no longer a folder`);
    try {
      // Follows a link swapped in since the lstat: that is why `.` is checked next.
      process.chdir(part);
    } catch (error) {
      throw new FolderChanged(`${part} cannot be entered (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    held = await here();
    if (held.dev !== st.dev || held.ino !== st.ino) throw new FolderChanged(`${part} was replaced while it was entered (a link or another folder)`);
  }
  return held;
}

/**
 * Runs `fn` with the working folder held at root/parts; `fn` must use bare names only and finish all its calls
 * before it returns. The working folder is restored afterwards, also on failure.
 */
export function inFolder<T>(root: string, rootId: FolderId, parts: readonly string[], fn: (held: FolderId) => Promise<T>): Promise<T> {
  return serial(async () => {
    const home = homeFolder();
    try {
      const held = await enter(root, rootId, parts);
      return await fn(held);
    } finally {
      try {
        process.chdir(home);
      } catch {
        process.chdir('/');
      }
    }
  });
}

/** Opens the folder root/parts for reading by its inode: the returned handle lists that folder, wherever its path leads later. */
export function openHeld(root: string, rootId: FolderId, parts: readonly string[]): Promise<{ dir: Dir; id: FolderId }> {
  return inFolder(root, rootId, parts, async (id) => ({ dir: await opendir('.', { bufferSize: 256 }), id }));
}

/** The identity of a folder by path (the root, once, at check()). */
export async function folderId(absolute: string): Promise<FolderId> {
  const st = await stat(absolute, { bigint: true });
  return { dev: st.dev, ino: st.ino };
}

/**
 * Removes the folder root/parts and everything in it, each step held by its inode: a link inside is removed as a
 * link, never followed; a folder swapped for a link midway stops the removal with FolderChanged.
 */
export function removeTree(root: string, rootId: FolderId, parts: readonly string[]): Promise<void> {
  if (!parts.length) return Promise.reject(new FolderChanged('the root itself is never removed'));
  return inFolder(root, rootId, parts.slice(0, -1), async (parentId) => {
    await clear(parts.at(-1)!, parentId);
  });
}

async function clear(name: string, parentId: FolderId): Promise<void> {
  const st = await lstat(name, { bigint: true });
  if (!st.isDirectory()) {
    await unlink(name);
    return;
  }
  process.chdir(name);
  const held = await here();
  if (held.dev !== st.dev || held.ino !== st.ino) throw new FolderChanged(`${name} was replaced while it was entered (a link or another folder)`);
  for (const entry of await readdir('.')) await clear(entry, held);
  // `..` is the parent the kernel knows; it must still be the folder this one was entered from.
  process.chdir('..');
  if (!sameFolder(await here(), parentId)) throw new FolderChanged(`${name} was moved while it was removed`);
  await rmdir(name);
}

/** rmdir by bare name in a held folder; a link there is never followed (rmdir refuses it). */
export async function rmdirHeld(name: string): Promise<boolean> {
  try {
    await rmdir(name);
    return true;
  } catch {
    return false;
  }
}
