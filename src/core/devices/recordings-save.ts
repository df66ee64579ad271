// `cameras discover --save` on a recorder: a camera on that recorder's storage that names no recording yet gets the
// token of the one recording whose source matches it (by the camera's id, name or path, or its device address).
// Only an unambiguous match is written; anything else is left for a person (`cameras show <recorder>` lists them).
import type { Document } from 'yaml';
import type { DeviceReport } from './model.js';

interface CameraEntry {
  id?: string;
  name?: string;
  path?: string;
  storage?: string;
  recording?: string;
  device?: { address?: string };
}

interface StorageEntry {
  id?: string;
  type?: string;
  address?: string;
}

const norm = (s: string | null | undefined): string => (s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');

function hostOf(uri: string | null): string | undefined {
  if (!uri) return undefined;
  try {
    return new URL(uri).hostname;
  } catch {
    return undefined;
  }
}

/** Sets `recording` on matching cameras of the document (top-level cameras and storages); returns what it set. */
export function fillRecordings(doc: Document.Parsed, devices: DeviceReport[]): { id: string; recording: string }[] {
  const json = doc.toJS() as { cameras?: CameraEntry[]; storage?: StorageEntry[] } | null;
  const cameras = json?.cameras ?? [];
  const storages = json?.storage ?? [];
  const set: { id: string; recording: string }[] = [];
  for (const d of devices) {
    if (d.kind !== 'recorder' || !d.recordings.length) continue;
    const mine = new Set(storages.filter((s) => s.type === 'recorder' && s.address?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') === d.address).map((s) => s.id));
    const taken = new Set(cameras.filter((c) => c.storage && mine.has(c.storage) && c.recording).map((c) => c.recording));
    cameras.forEach((c, index) => {
      if (!c.storage || !mine.has(c.storage) || c.recording || !c.id) return;
      const names = [c.id, c.name, c.path].map(norm).filter(Boolean);
      const matches = d.recordings.filter(
        (r) => !taken.has(r.token) && ((r.source && names.includes(norm(r.source))) || (c.device?.address && hostOf(r.sourceAddress) === c.device.address)),
      );
      if (matches.length !== 1) return;
      doc.setIn(['cameras', index, 'recording'], matches[0]!.token);
      taken.add(matches[0]!.token);
      set.push({ id: c.id, recording: matches[0]!.token });
    });
  }
  return set;
}
