// `synology` layout (Surveillance Station): `<camera>/<YYYYMMDD><AM|PM>/<camera>-<YYYYMMDD>-<HHMMSS>-<unix>.mp4`.
// The local time is in the name; the trailing Unix time, where present, decides (it is unambiguous in the
// repeated hour of October).
import type { PathParser } from './types.js';
import { localTimeReader } from './local-time.js';

const SYNOLOGY = /^([^/]+)\/(\d{8})(AM|PM)\/([^/]+)-(\d{8})-(\d{2})(\d{2})(\d{2})(?:-(\d{9,11}))?\.(?:mp4|mkv|avi|mov|ts)$/i;
// The Unix time and the local time come from the same recorder clock; further apart than any time zone
// allows means the name is not what it seems, and such a file is left alone.
const MAX_SKEW_MS = 15 * 3_600_000;

export function synologyParser(timeZone: string, segmentSeconds: number): PathParser {
  const readLocal = localTimeReader(timeZone);
  const lengthMs = segmentSeconds * 1000;
  return (relPath) => {
    const m = SYNOLOGY.exec(relPath);
    if (!m) return undefined;
    const [, folderCamera, folderDate, half, fileCamera, fileDate, hh, mm, ss, unix] = m;
    if (folderCamera !== fileCamera || folderDate !== fileDate) return undefined;
    const hour = Number(hh);
    if ((half!.toUpperCase() === 'AM') !== hour < 12) return undefined;
    const local = readLocal(Number(fileDate!.slice(0, 4)), Number(fileDate!.slice(4, 6)), Number(fileDate!.slice(6, 8)), hour, Number(mm), Number(ss));
    if (local === undefined) return undefined;
    let start = local;
    if (unix !== undefined) {
      start = Number(unix) * 1000;
      if (Math.abs(start - local) > MAX_SKEW_MS) return undefined;
    }
    return { camera: folderCamera!, start, end: start + lengthMs };
  };
}
