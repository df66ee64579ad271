// Storage layouts: how a segment's camera and start time are read from its path (never from mtime).
import type { PathParser } from './types.js';
import { frigateParser } from './frigate.js';
import { synologyParser } from './synology.js';
import { compilePattern, patternParser } from './pattern.js';

export type { ParsedPath, PathParser } from './types.js';
export { compilePattern } from './pattern.js';
export { folderLister, type FolderLister } from './folders.js';
export { implausibleDate } from './local-time.js';

export type LayoutName = 'frigate' | 'synology' | 'pattern';

export interface LayoutSpec {
  layout: LayoutName;
  pattern?: string;
  segmentSeconds?: number;
  /** Zone of the local times in the paths; frigate is always UTC. */
  timeZone: string;
  /** For a pattern without {camera}: the one camera whose footage this storage holds. */
  singleCamera?: string;
}

export const DEFAULT_SEGMENT_SECONDS: Record<LayoutName, number> = { frigate: 10, synology: 60, pattern: 60 };

export function layoutParser(spec: LayoutSpec): PathParser {
  const segmentSeconds = spec.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS[spec.layout];
  switch (spec.layout) {
    case 'frigate':
      return frigateParser(segmentSeconds);
    case 'synology':
      return synologyParser(spec.timeZone, segmentSeconds);
    case 'pattern': {
      const compiled = compilePattern(spec.pattern ?? '');
      if (typeof compiled === 'string') throw new Error(`invalid pattern: ${compiled}`);
      return patternParser(compiled, spec.timeZone, segmentSeconds, spec.singleCamera);
    }
  }
}
