// The folders a starter config names, checked before it is written: init must not leave a config that points at nothing.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export type FolderState = 'ok' | 'missing' | 'not-a-folder' | 'unreadable';

export function folderState(dir: string): FolderState {
  if (!existsSync(dir)) return 'missing';
  if (!statSync(dir).isDirectory()) return 'not-a-folder';
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch {
    return 'unreadable';
  }
  return 'ok';
}

/**
 * The footage folder must exist: a missing one is usually a share that is not mounted, and a purge over an empty
 * mount point finds nothing to keep. It is made only when the user said so (`create`).
 */
export function checkStorageRoot(root: string, dir: string, create: boolean): void {
  const absolute = path.resolve(dir, root);
  const state = folderState(absolute);
  if (state === 'missing' && create) {
    mkdirSync(absolute, { recursive: true, mode: 0o750 });
    return;
  }
  if (state !== 'ok') {
    throw new UsageError(`init.storage-${state}`, storageMessage(state, absolute), { params: { path: absolute } });
  }
}

function storageMessage(state: Exclude<FolderState, 'ok'>, absolute: string): string {
  switch (state) {
    case 'missing':
      return `The footage folder ${absolute} does not exist; mount the recorder's share there, or pass --create-storage-root to make an empty folder.`;
    case 'not-a-folder':
      return `The footage folder ${absolute} is a file, not a folder; give the folder the recorder writes into with --storage-root.`;
    case 'unreadable':
      return `The footage folder ${absolute} cannot be read by this user; run init as the user that will run the purge, or fix the folder's permissions.`;
  }
}

/** Evidence packages are copies of personal data: their folder is private to the user that makes them. */
export function makeExportsRoot(root: string): void {
  mkdirSync(root, { recursive: true, mode: 0o700 });
}
