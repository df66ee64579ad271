// Which folders of a layout can hold a camera's segments of a time range: an export reads those few folders
// instead of walking years of footage. Folder names are read in the layout's time zone; stepping through the range
// in UTC visits every local hour once (twice in October's repeated hour, which the set removes).
import { UsageError } from '../../errors.js';
import { wallTimeAt } from '../../time/index.js';
import { DEFAULT_SEGMENT_SECONDS, type LayoutSpec } from './index.js';
import { compilePattern } from './pattern.js';

export type FolderLister = (cameraPath: string, fromMs: number, toMs: number) => string[];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const MAX_STEPS = 200_000;

/** Instants from `from` to `to` every `stepMs`, aligned down to the step (and `to` itself). */
function steps(fromMs: number, toMs: number, stepMs: number): number[] {
  const count = Math.ceil((toMs - fromMs) / stepMs) + 2;
  if (count > MAX_STEPS) {
    throw new UsageError('storage.range', `The time range is too long to search folder by folder (${count} folders); ask for a shorter range.`);
  }
  const out: number[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) out.push(t);
  out.push(toMs);
  return out;
}

export function folderLister(spec: LayoutSpec): FolderLister {
  const segmentMs = (spec.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS[spec.layout]) * 1000;
  switch (spec.layout) {
    case 'frigate':
      // YYYY-MM-DD/HH/<camera>, UTC.
      return (camera, from, to) => {
        const dirs = new Set<string>();
        for (const t of steps(from - segmentMs, to, 3_600_000)) {
          const d = new Date(t);
          dirs.add(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${camera}`);
        }
        return [...dirs];
      };
    case 'synology':
      // <camera>/<YYYYMMDD><AM|PM>, school time. The trailing Unix time decides a file's instant, but the folder is
      // the recorder's local half day.
      return (camera, from, to) => {
        const dirs = new Set<string>();
        for (const t of steps(from - segmentMs, to, 3_600_000)) {
          const w = wallTimeAt(t, spec.timeZone);
          dirs.add(`${camera}/${w.year}${pad(w.month)}${pad(w.day)}${w.hour < 12 ? 'AM' : 'PM'}`);
        }
        return [...dirs];
      };
    case 'pattern': {
      const compiled = compilePattern(spec.pattern ?? '');
      if (typeof compiled === 'string') throw new Error(`invalid pattern: ${compiled}`);
      const slash = (spec.pattern ?? '').lastIndexOf('/');
      const dirPattern = slash < 0 ? '' : spec.pattern!.slice(0, slash);
      const stepMs = /\{ss\}/.test(dirPattern) ? 1000 : /\{mm\}/.test(dirPattern) ? 60_000 : 3_600_000;
      const lengthMs = segmentMs + (compiled.granularitySeconds - 1) * 1000;
      return (camera, from, to) => {
        if (!dirPattern) return [''];
        const dirs = new Set<string>();
        for (const t of steps(from - lengthMs, to, stepMs)) {
          const w = wallTimeAt(t, spec.timeZone);
          const values: Record<string, string> = {
            camera,
            YYYY: pad(w.year, 4),
            MM: pad(w.month),
            DD: pad(w.day),
            HH: pad(w.hour),
            mm: pad(w.minute),
            ss: pad(w.second),
          };
          dirs.add(dirPattern.replace(/\{(\w+)\}/g, (_, token: string) => values[token] ?? ''));
        }
        return [...dirs];
      };
    }
  }
}
