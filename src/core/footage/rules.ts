// The keep-or-delete decision for one segment, and what it needs: each camera's cut-off and its holds.
import { isFileStorage, type Config, type ResolvedCamera } from '../config/index.js';
import { retentionCutoff, type Category, type Cutoff } from '../policy/retention.js';
import type { Hold } from '../register/index.js';
import { openStorage, type OpenedStorage } from '../storage/index.js';
import { parseInstant } from '../time/index.js';

export type Decision =
  | { action: 'delete' }
  | { action: 'keep'; why: 'unexpired' | 'no-retention' }
  | { action: 'hold'; holds: string[] };

export interface HeldRange {
  id: string;
  from: number;
  to: number;
}

/**
 * Pure: a segment may go once its end is before the camera's cut-off and no active hold touches it.
 * A segment that merely touches a hold's edge is kept: segment ends are estimates, and holds never give way.
 */
export function decide(segment: { start: number; end: number }, cutoff: number, holds: readonly HeldRange[]): Decision {
  if (cutoff === -Infinity) return { action: 'keep', why: 'no-retention' };
  if (!(segment.end < cutoff)) return { action: 'keep', why: 'unexpired' };
  const covering = holds.filter((h) => segment.start <= h.to && segment.end >= h.from);
  // One id once, even when the register's hold and a storage's record of it both cover the segment.
  if (covering.length) return { action: 'hold', holds: [...new Set(covering.map((h) => h.id))] };
  return { action: 'delete' };
}

export function cameraCutoff(camera: ResolvedCamera, timeZone: string, now: number): Cutoff {
  const until = camera.authorisation ? parseInstant(camera.authorisation.until, timeZone, { dateOnly: 'end' }) : undefined;
  return retentionCutoff(
    {
      category: camera.category as Category,
      setting: camera.effectiveRetention,
      timeZone,
      ...(until !== undefined ? { authorisedUntil: until } : {}),
    },
    now,
  );
}

/** Active holds by camera id. */
export function holdsByCamera(holds: readonly Hold[]): Map<string, HeldRange[]> {
  const map = new Map<string, HeldRange[]>();
  for (const h of holds) {
    if (h.releasedAt) continue;
    for (const camera of h.cameras) {
      let list = map.get(camera);
      if (!list) map.set(camera, (list = []));
      list.push({ id: h.id, from: h.from, to: h.to });
    }
  }
  return map;
}

export interface StorageView extends OpenedStorage {
  id: string;
  /** The school whose storage it is, in a board's config. */
  school?: string;
  root: string;
  layout: string;
  /** Cameras of this storage by their name inside the layout. */
  cameras: Map<string, ResolvedCamera>;
}

/** Each configured storage with its parser and the cameras whose footage it holds. */
export function storageViews(config: Config, only?: readonly string[]): StorageView[] {
  return config.storage
    .filter(isFileStorage)
    .filter((s) => !only?.length || only.includes(s.id))
    .map((s) => {
      const cameras = new Map(config.cameras.filter((c) => c.storage === s.id).map((c) => [c.path, c]));
      const single = cameras.size === 1 ? [...cameras.keys()][0] : undefined;
      return { id: s.id, root: s.root, layout: s.layout, cameras, ...(s.school ? { school: s.school } : {}), ...openStorage(s, config.school.timezone, single) };
    });
}
