// Finding one camera's segments of a time range by reading only the folders that can hold them, and the nearest
// footage on either side when the range has none.
import type { FolderLister } from './layouts/index.js';
import type { PathParser } from './layouts/types.js';
import type { FootageStore } from './types.js';

export interface SegmentRef {
  /** Path relative to the storage root, with "/". */
  relPath: string;
  start: number;
  /** Latest possible end by the layout (start plus the longest segment); the file itself says exactly. */
  end: number;
}

export interface FoundSegments {
  /** Sorted by start. */
  segments: SegmentRef[];
  /** Entries of the camera's folders that are no footage of it (symlinks, other files): never exported. */
  ignored: { relPath: string; reason: string }[];
}

export interface SearchableStorage {
  store: FootageStore;
  parse: PathParser;
  folders: FolderLister;
}

/** Segments of `cameraPath` that may overlap [from, to] (by their layout times). */
export async function findSegments(storage: SearchableStorage, cameraPath: string, from: number, to: number): Promise<FoundSegments> {
  const found: FoundSegments = { segments: [], ignored: [] };
  const seen = new Set<string>();
  for (const dir of storage.folders(cameraPath, from, to)) {
    const entries = await storage.store.list(dir);
    for (const entry of entries ?? []) {
      const relPath = dir ? `${dir}/${entry.name}` : entry.name;
      if (seen.has(relPath)) continue;
      seen.add(relPath);
      const parsed = storage.parse(relPath);
      if (!parsed || parsed.camera !== cameraPath) continue;
      if (entry.kind !== 'file') {
        found.ignored.push({ relPath, reason: entry.kind === 'symlink' ? 'a symbolic link (never followed)' : 'not a regular file' });
        continue;
      }
      if (parsed.start <= to && parsed.end >= from) found.segments.push({ relPath, start: parsed.start, end: parsed.end });
    }
  }
  found.segments.sort((a, b) => a.start - b.start || (a.relPath < b.relPath ? -1 : 1));
  return found;
}

// Growing windows: the nearest footage is usually close; a camera that was off for months is found too.
const WINDOWS_MS = [3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000, 31 * 86_400_000, 400 * 86_400_000];

/** The last segment that starts before `from` and the first that starts after `to`, up to 400 days away. */
export async function nearestSegments(storage: SearchableStorage, cameraPath: string, from: number, to: number): Promise<{ before?: SegmentRef; after?: SegmentRef }> {
  const result: { before?: SegmentRef; after?: SegmentRef } = {};
  let edge = from;
  for (const w of WINDOWS_MS) {
    const { segments } = await findSegments(storage, cameraPath, from - w, edge);
    const candidates = segments.filter((s) => s.start < from);
    if (candidates.length) {
      result.before = candidates.at(-1)!;
      break;
    }
    edge = from - w;
  }
  edge = to;
  for (const w of WINDOWS_MS) {
    const { segments } = await findSegments(storage, cameraPath, edge, to + w);
    const candidates = segments.filter((s) => s.start > to);
    if (candidates.length) {
      result.after = candidates[0]!;
      break;
    }
    edge = to + w;
  }
  return result;
}
