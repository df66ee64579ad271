// Names of the config contract that light code needs without loading the schema (zod): ids and layouts.
import type { FileStorage, ResolvedStorage } from './validate.js';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const LAYOUTS = ['frigate', 'synology', 'pattern'] as const;

/** A key path into the config, e.g. ['cameras', 0, 'id']. */
export type KeyPath = (string | number)[];

/** `cameras[0].id`, as problems name a key. */
export function formatKeyPath(p: KeyPath): string {
  let out = '';
  for (const part of p) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(top level)';
}

/** A storage of segment files (a file tree or a bucket), as opposed to a recorder that keeps its footage itself. */
export function isFileStorage(s: ResolvedStorage): s is FileStorage {
  return s.type !== 'recorder';
}
