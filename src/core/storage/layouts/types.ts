/** What a layout reads from a segment's path: whose footage it is and when it was recorded. */
export interface ParsedPath {
  /** The camera's name inside the layout (the config's `cameras[].path`). */
  camera: string;
  /** Start of the segment, ms since the epoch (UTC). */
  start: number;
  /** Latest possible end of the segment: start plus the longest a segment can be. */
  end: number;
}

/** Reads a path relative to the storage root (always with "/"), or says it is not footage of this layout. */
export type PathParser = (relPath: string) => ParsedPath | undefined;
