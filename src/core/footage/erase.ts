// Erasing the footage of cameras in a window on request (AVG art. 17), as the purge deletes: under the purge lock,
// planned in the register before a file goes (write-ahead, checked against the holds), recorded per file and
// audited as a purge run naming its reason. Footage that another hold keeps blocks the whole erasure: nothing is
// deleted, and the caller learns which holds stand in the way.
import path from 'node:path';
import type { Config } from '../config/index.js';
import { RefusalError, ToezichtError } from '../errors.js';
import type { Hold, Register } from '../register/index.js';
import { findSegments } from '../storage/index.js';
import { formatUtc } from '../time/index.js';
import { requireCameras } from './holds.js';
import { guardRegister } from './register-guard.js';
import { storageViews } from './rules.js';

export interface EraseRequest {
  cameras: string[];
  from: number;
  to: number;
  /** Holds that do not block this erasure (the request's own preservation hold). */
  ignoreHolds: string[];
  /** What the erasure is for (a request id): in the run's options and its audit entry. */
  reference: string;
}

export interface ErasedFile {
  storage: string;
  path: string;
  camera: string;
  start: string;
  bytes: number;
}

export interface EraseResult {
  /** The purge run that recorded the deletions; null when nothing was deleted. */
  runId: number | null;
  auditSeq: number | null;
  deleted: ErasedFile[];
  bytes: number;
  /** Holds that keep footage of the window; when any, nothing was deleted. */
  blockedBy: { hold: Hold; files: number }[];
  errors: { storage: string; path: string; message: string }[];
}

interface Candidate {
  storage: string;
  dir: string;
  name: string;
  camera: string;
  start: number;
  end: number;
}

/** Segments of the cameras that overlap the window, by their layout times. */
async function candidates(config: Config, cameras: string[], from: number, to: number): Promise<Candidate[]> {
  const views = storageViews(config);
  const out: Candidate[] = [];
  for (const id of cameras) {
    const camera = config.cameras.find((c) => c.id === id)!;
    if (!camera.storage) continue;
    const view = views.find((v) => v.id === camera.storage)!;
    const check = await view.store.check();
    if (!check.ok) throw new ToezichtError('erase.storage', `Storage ${view.id} of camera "${id}" cannot be read (${check.problem}); nothing was erased.`);
    const { segments } = await findSegments(view, camera.path, from, to);
    for (const s of segments) {
      // Strict overlap: a segment that only touches the window's edge holds none of it.
      if (!(s.start < to && s.end > from)) continue;
      const slash = s.relPath.lastIndexOf('/');
      out.push({ storage: view.id, dir: slash < 0 ? '' : s.relPath.slice(0, slash), name: s.relPath.slice(slash + 1), camera: id, start: s.start, end: s.end });
    }
  }
  return out;
}

/** What an erasure would delete now (per camera, with sizes), and the holds that would block it: for a confirmation. */
export interface ErasurePreview {
  files: number;
  bytes: number;
  cameras: { camera: string; files: number; bytes: number }[];
  blockedBy: { hold: Hold; files: number }[];
}

export async function previewErasure(config: Config, register: Register, request: Omit<EraseRequest, 'reference'>): Promise<ErasurePreview> {
  requireCameras(config, request.cameras);
  const found = await candidates(config, request.cameras, request.from, request.to);
  const views = new Map(storageViews(config).map((v) => [v.id, v]));
  const cameras = request.cameras.map((camera) => ({ camera, files: 0, bytes: 0 }));
  const groups = new Map<string, Candidate[]>();
  for (const c of found) {
    const key = `${c.storage}\0${c.dir}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  for (const group of groups.values()) {
    const store = views.get(group[0]!.storage)!.store;
    await store.check();
    const sizes = await store.sizes(group[0]!.dir, group.map((c) => c.name));
    group.forEach((c, i) => {
      const row = cameras.find((r) => r.camera === c.camera)!;
      row.files++;
      row.bytes += sizes[i] ?? 0;
    });
  }
  return {
    files: found.length,
    bytes: cameras.reduce((n, c) => n + c.bytes, 0),
    cameras,
    blockedBy: blockers(found, await register.listHolds(), request.ignoreHolds),
  };
}

function blockers(list: Candidate[], holds: readonly Hold[], ignore: readonly string[]): { hold: Hold; files: number }[] {
  const out: { hold: Hold; files: number }[] = [];
  for (const h of holds) {
    if (h.releasedAt || ignore.includes(h.id)) continue;
    // The purge's rule: a segment that touches a hold is kept.
    const files = list.filter((c) => h.cameras.includes(c.camera) && c.start <= h.to && c.end >= h.from).length;
    if (files) out.push({ hold: h, files });
  }
  return out;
}

export async function eraseFootage(config: Config, register: Register, request: EraseRequest, options: { now: number }): Promise<EraseResult> {
  requireCameras(config, request.cameras);
  const result: EraseResult = { runId: null, auditSeq: null, deleted: [], bytes: 0, blockedBy: [], errors: [] };
  const lock = await register.acquirePurgeLock();
  try {
    // The register proves itself first, as before a purge: an emptied, foreign or tampered register erases nothing.
    const mine = storageViews(config).filter((v) => [...v.cameras.values()].some((c) => request.cameras.includes(c.id)));
    const guard = await guardRegister(config, mine, register, { what: 'The erasure' });
    const found = await candidates(config, request.cameras, request.from, request.to);
    // A hold only a storage's hold records still keep blocks the erasure as a register's hold does.
    const kept = [...guard.extraHolds].flatMap(([camera, ranges]) =>
      ranges.filter((r) => found.some((c) => c.camera === camera && c.start <= r.to && c.end >= r.from)).map((r) => r.id),
    );
    if (kept.length) {
      throw new RefusalError(
        'erase.storage-hold',
        `Nothing was erased: footage of this window is kept by hold ${[...new Set(kept)].join(', ')} in the storage's hold records, which the register does not have; run \`toezicht footage purge --check\` to see it, and restore or recover the register first.`,
      );
    }
    let holdsVersion = await register.holdsVersion();
    result.blockedBy = blockers(found, await register.listHolds(), request.ignoreHolds);
    if (result.blockedBy.length || !found.length) return result;

    const runId = await register.beginPurgeRun({
      now: options.now,
      options: { erasure: request.reference, cameras: [...request.cameras].sort(), from: formatUtc(request.from), to: formatUtc(request.to) },
    });
    result.runId = runId;
    const views = new Map(storageViews(config).map((v) => [v.id, v]));
    const groups = new Map<string, Candidate[]>();
    for (const c of found) {
      const key = `${c.storage}\0${c.dir}\0${c.camera}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(c);
    }
    try {
      for (const group of groups.values()) {
        const { storage, dir, camera } = group[0]!;
        const batch = { storage, dir, camera, names: group.map((c) => c.name), bytes: 0, firstStart: Math.min(...group.map((c) => c.start)), lastEnd: Math.max(...group.map((c) => c.end)) };
        let batchId = await register.planBatch(runId, batch, holdsVersion);
        while (batchId === undefined) {
          // A hold was placed or released since the holds were read: decide again before deleting anything more.
          holdsVersion = await register.holdsVersion();
          result.blockedBy = blockers(found, await register.listHolds(), request.ignoreHolds);
          if (result.blockedBy.length) break;
          batchId = await register.planBatch(runId, batch, holdsVersion);
        }
        if (batchId === undefined) break;
        const view = views.get(storage)!;
        await view.store.check();
        const removed = await view.store.remove(dir, batch.names);
        const bytes = removed.removed.reduce((n, r) => n + r.bytes, 0);
        await register.completeBatch(batchId, removed.removed.map((r) => r.name), bytes);
        for (const r of removed.removed) {
          const c = group.find((x) => x.name === r.name)!;
          result.deleted.push({ storage, path: dir ? `${dir}/${r.name}` : r.name, camera, start: formatUtc(c.start), bytes: r.bytes });
        }
        result.bytes += bytes;
        for (const e of removed.errors) result.errors.push({ storage, path: path.posix.join(dir, e.name), message: `cannot delete: ${e.message}` });
        for (const sk of removed.skipped) {
          if (sk.reason !== 'already gone') result.errors.push({ storage, path: path.posix.join(dir, sk.name), message: `not deleted: ${sk.reason}` });
        }
        if (removed.removed.length) await view.store.removeEmptyDirs([dir]);
      }
    } finally {
      const entry = await register.finishPurgeRun(runId, {
        status: result.errors.length ? 'failed' : 'done',
        counts: {
          erasure: request.reference,
          deletedFiles: result.deleted.length,
          deletedBytes: result.bytes,
          errors: result.errors.length,
          ...(result.blockedBy.length ? { stoppedByHolds: result.blockedBy.map((b) => b.hold.id) } : {}),
        },
      });
      result.auditSeq = entry.seq;
    }
    return result;
  } finally {
    lock.release();
  }
}
