// `frigate` layout: `YYYY-MM-DD/HH/<camera>/MM.SS.mp4`, in UTC, as Frigate's recording maintainer writes it.
import { utcInstant } from './local-time.js';
import type { PathParser } from './types.js';

const FRIGATE = /^(\d{4})-(\d{2})-(\d{2})\/(\d{2})\/([^/]+)\/(\d{2})\.(\d{2})\.mp4$/;

export function frigateParser(segmentSeconds: number): PathParser {
  const lengthMs = segmentSeconds * 1000;
  return (relPath) => {
    const m = FRIGATE.exec(relPath);
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[6], m[7]].map(Number) as [number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
    const start = utcInstant(year, month, day, hour, minute, second);
    // Date rolls 31 April over to 1 May: such a name is not Frigate's.
    if (new Date(start).getUTCDate() !== day) return undefined;
    return { camera: m[5]!, start, end: start + lengthMs };
  };
}
