// Footage storage: where segments live (a file tree, an S3 bucket) and how their camera and time are read from the
// path or key.
import { FsStore } from './fs-store.js';
import { S3Store } from './s3/store.js';
import { folderLister, layoutParser, type FolderLister, type LayoutName, type PathParser } from './layouts/index.js';
import type { FootageStore } from './types.js';

export type * from './types.js';
export { findSegments, nearestSegments, type FoundSegments, type SegmentRef, type SearchableStorage } from './find.js';
export { compilePattern, folderLister, implausibleDate, layoutParser, DEFAULT_SEGMENT_SECONDS, type FolderLister, type LayoutName, type LayoutSpec, type ParsedPath, type PathParser } from './layouts/index.js';

export { S3Store, type S3StoreSpec } from './s3/store.js';
export { isInside, overlapsReally, realPathOf } from './real-path.js';
export { FolderChanged, folderId, removeTree } from './held-folder.js';
export { SEGMENT_GONE, SEGMENT_REPLACED, SEGMENT_UNREADABLE } from './errors.js';
export { loadSdk } from './s3/client.js';

interface LayoutFields {
  id: string;
  layout: LayoutName;
  pattern?: string;
  segmentSeconds?: number;
  timezone?: string;
}

export type StorageSpec =
  | (LayoutFields & { type: 'fs'; root: string })
  | (LayoutFields & { type: 's3'; endpoint?: string; region: string; bucket: string; prefix: string; forcePathStyle: boolean; credentials?: string });

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
  const store: FootageStore =
    spec.type === 's3'
      ? new S3Store({
          id: spec.id,
          ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
          region: spec.region,
          bucket: spec.bucket,
          prefix: spec.prefix,
          forcePathStyle: spec.forcePathStyle,
          ...(spec.credentials ? { credentials: spec.credentials } : {}),
        })
      : new FsStore(spec.id, spec.root);
  return { store, parse: layoutParser(layout), folders: folderLister(layout) };
}
export { RECORDS_FOLDER, type StoreRecords } from './records.js';
export { readMarker, writeMarker, readHoldRecords, writeHoldRecord, MARKER_RECORD, HOLDS_FOLDER, type ChainAnchor, type RegisterMarker, type HoldRecord, type ReadHoldRecord, type RecordSignature } from './marker.js';
