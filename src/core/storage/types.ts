// A place where footage segments are kept. The file tree is the first backend; object storage is another.

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/** A chunk of the entries (not sub-folders) of one folder, relative to the root with "/". */
export interface DirChunk {
  dir: string;
  entries: { name: string; kind: Exclude<EntryKind, 'dir'> }[];
  /** Set when the folder could not be read; its contents are then unknown and nothing in it is touched. */
  error?: string;
}

export interface StoreCheck {
  ok: boolean;
  problem?: string;
}

export interface RemoveResult {
  removed: { name: string; bytes: number }[];
  /** Not removed, for a reason that is no error: already gone, no longer a regular file. */
  skipped: { name: string; reason: string }[];
  errors: { name: string; message: string }[];
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
  remove(dir: string, names: string[]): Promise<RemoveResult>;
  removeEmptyDirs(dirs: Iterable<string>): Promise<number>;
  exists(relPath: string): Promise<boolean>;
  /** The entries (not sub-folders) of one folder; undefined when there is no such folder. */
  list(dir: string): Promise<DirChunk['entries'] | undefined>;
  /** A path ffmpeg can open for a file of this store. */
  localPath(relPath: string): string;
}
