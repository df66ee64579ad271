// Footage storage: where segments live (a file tree) and how their camera and time are read from the path.
import { FsStore } from './fs-store.js';
import { folderLister, layoutParser, type FolderLister, type LayoutName, type PathParser } from './layouts/index.js';
import type { FootageStore } from './types.js';

export type * from './types.js';
export { findSegments, nearestSegments, type FoundSegments, type SegmentRef, type SearchableStorage } from './find.js';
export { compilePattern, folderLister, layoutParser, DEFAULT_SEGMENT_SECONDS, type FolderLister, type LayoutName, type LayoutSpec, type ParsedPath, type PathParser } from './layouts/index.js';

export interface StorageSpec {
  id: string;
  type: 'fs';
  root: string;
  layout: LayoutName;
  pattern?: string;
  segmentSeconds?: number;
  timezone?: string;
}

export interface OpenedStorage {
  store: FootageStore;
  parse: PathParser;
  /** The folders that can hold a camera's segments of a time range. */
  folders: FolderLister;
}

/** A storage from its config, with the parser for its layout. */
export function openStorage(spec: StorageSpec, schoolTimeZone: string, singleCamera?: string): OpenedStorage {
  const timeZone = spec.layout === 'frigate' ? 'UTC' : (spec.timezone ?? schoolTimeZone);
  const layout = {
    layout: spec.layout,
    timeZone,
    ...(spec.pattern !== undefined ? { pattern: spec.pattern } : {}),
    ...(spec.segmentSeconds !== undefined ? { segmentSeconds: spec.segmentSeconds } : {}),
    ...(singleCamera !== undefined ? { singleCamera } : {}),
  };
  return { store: new FsStore(spec.id, spec.root), parse: layoutParser(layout), folders: folderLister(layout) };
}
