// The segments an export reads: for each camera, the files of its storage that overlap the range (found by reading
// only the folders that can hold them), each inspected for its frames. A damaged or truncated file is named; it is
// skipped (its time becomes a gap) or it stops the export, as --on-corrupt says.
import type { Config, ResolvedCamera } from '../config/index.js';
import { ToezichtError, UsageError } from '../errors.js';
import { storageViews, type StorageView } from '../footage/index.js';
import { inspectMedia, inspectMp4, MediaProblem, NeedsProbe, type MediaInfo, type ResolvedTool } from '../media/index.js';
import { findSegments, nearestSegments, type FootageStore } from '../storage/index.js';
import { formatLocalShort } from '../time/index.js';
import type { InspectedSegment } from './cut.js';

export type OnCorrupt = 'skip' | 'fail';

export interface CorruptSegment {
  relPath: string;
  start: number;
  end: number;
  problem: string;
}

export interface CameraSources {
  camera: ResolvedCamera;
  view: StorageView;
  inspected: InspectedSegment[];
  corrupt: CorruptSegment[];
  ignored: { relPath: string; reason: string }[];
}

const PARALLEL = 8;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export interface GatherOptions {
  from: number;
  to: number;
  onCorrupt: OnCorrupt;
  ffprobe: () => ResolvedTool;
  now: number;
  onInspected?: (done: number, total: number) => void;
}

export async function gatherSources(config: Config, cameraIds: string[], options: GatherOptions): Promise<CameraSources[]> {
  const tz = config.school.timezone;
  const views = storageViews(config);
  const result: CameraSources[] = [];
  const empty: { camera: string; before?: number; after?: number }[] = [];
  const found: { camera: ResolvedCamera; view: StorageView; segments: Awaited<ReturnType<typeof findSegments>> }[] = [];
  for (const id of cameraIds) {
    const camera = config.cameras.find((c) => c.id === id)!;
    if (!camera.storage) throw new UsageError('export.no-storage', `Camera "${id}" has no storage in the config (cameras[].storage); there is no footage of it to export.`);
    const view = views.find((v) => v.id === camera.storage);
    if (!view) {
      // A recorder's footage comes over replay (devices/replay.ts); the export does not pull it yet (docs/recorders.md).
      throw new UsageError('export.recorder', `Camera "${id}" keeps its footage on recorder storage ${camera.storage}; toezicht cannot yet package an export from a recorder, so nothing was exported: export it on the recorder itself (see docs/recorders.md).`);
    }
    const check = await view.store.check();
    if (!check.ok) throw new ToezichtError('export.storage', `Storage ${view.id} of camera "${id}" cannot be read: ${check.problem}.`);
    const segments = await findSegments(view, camera.path, options.from, options.to);
    if (!segments.segments.length) {
      const near = await nearestSegments(view, camera.path, options.from, options.to);
      empty.push({ camera: id, ...(near.before ? { before: near.before.end } : {}), ...(near.after ? { after: near.after.start } : {}) });
    }
    found.push({ camera, view, segments });
  }
  if (empty.length) throw noFootage(empty, options.from, options.to, tz);

  const total = found.reduce((n, f) => n + f.segments.segments.length, 0);
  let done = 0;
  for (const { camera, view, segments } of found) {
    const corrupt: CorruptSegment[] = [];
    const inspected: InspectedSegment[] = [];
    await mapLimited(segments.segments, PARALLEL, async (ref) => {
      try {
        // A file is inspected where it is (ffprobe reads what toezicht's MP4 reader does not); an object by ranged reads.
        const localPath = view.store.localPath?.(ref.relPath);
        if (localPath === undefined) inspected.push(await inspectObject(view.store, view.id, ref.relPath, ref.start));
        else inspected.push({ relPath: ref.relPath, start: ref.start, localPath, media: await inspectMedia(localPath, options.ffprobe) });
      } catch (error) {
        if (!(error instanceof MediaProblem)) throw error;
        corrupt.push({ relPath: ref.relPath, start: ref.start, end: ref.end, problem: error.message });
      }
      options.onInspected?.(++done, total);
    });
    inspected.sort((a, b) => a.start - b.start || (a.relPath < b.relPath ? -1 : 1));
    corrupt.sort((a, b) => a.start - b.start);
    result.push({ camera, view, inspected, corrupt, ignored: segments.ignored });
  }

  const damaged = result.flatMap((r) => r.corrupt.map((c) => ({ ...c, camera: r.camera.id, storage: r.view.id })));
  if (damaged.length && options.onCorrupt === 'fail') {
    const recent = damaged.some((d) => d.start > options.now - 15 * 60_000);
    throw new ToezichtError(
      'export.corrupt',
      `${damaged.length === 1 ? `Segment ${damaged[0]!.storage}:${damaged[0]!.relPath} of camera ${damaged[0]!.camera} is damaged` : `${damaged.length} segments are damaged`}, so nothing was exported; export without ${damaged.length === 1 ? 'it' : 'them'} with --on-corrupt skip (${damaged.length === 1 ? 'its' : 'their'} time becomes a gap in the manifest)${recent ? ', or wait until the recorder has finished the segment it is writing now' : ''}.`,
      { details: damaged.map((d) => `${d.camera}: ${d.storage}:${d.relPath}: ${d.problem}`) },
    );
  }
  return result;
}

/**
 * A segment in object storage, inspected through ranged reads of one version (a few requests: the box headers and
 * the index). The clip is later copied from that same version, so a segment overwritten meanwhile cannot mix in.
 */
async function inspectObject(store: FootageStore, storageId: string, relPath: string, start: number): Promise<InspectedSegment> {
  const reader = await store.openSegment(relPath);
  let media: MediaInfo;
  try {
    if (reader.origin.kind !== 's3') throw new Error(`storage ${storageId} opened ${relPath} as a file`);
    media = await inspectMp4(reader, `${storageId}:${relPath}`);
  } catch (error) {
    // Not an MP4 toezicht can read by itself (MPEG-TS, fragmented MP4): ffprobe would need a local copy.
    if (error instanceof NeedsProbe) {
      throw new MediaProblem(`it is not a plain MP4 file (${error.message}), and only plain MP4 is read from object storage`);
    }
    throw error;
  } finally {
    await reader.close();
  }
  const origin = reader.origin;
  return {
    relPath,
    start,
    localPath: `s3://${origin.bucket}/${origin.key}`,
    media,
    origin,
    open: async () => {
      const again = await store.openSegment(relPath, origin.versionId ? { versionId: origin.versionId } : {});
      // Without versions, a rewritten object is noticed by its size (and later by its hash in the manifest).
      if (again.bytes !== media.bytes) {
        await again.close();
        throw new ToezichtError('export.changed', `Segment ${storageId}:${relPath} changed while it was exported (${media.bytes} bytes, now ${again.bytes}); nothing was exported. Export again.`);
      }
      return again;
    },
  };
}

function noFootage(empty: { camera: string; before?: number; after?: number }[], from: number, to: number, tz: string): UsageError {
  const when = (ms: number): string => formatLocalShort(ms, tz, true);
  const line = (e: (typeof empty)[number]): string =>
    `${e.camera}: nearest footage before: ${e.before !== undefined ? `ends ${when(e.before)}` : 'none'}; after: ${e.after !== undefined ? `starts ${when(e.after)}` : 'none'}`;
  const first = empty[0]!;
  return new UsageError(
    'export.no-footage',
    `There is no footage of camera${empty.length > 1 ? 's' : ''} ${empty.map((e) => e.camera).join(', ')} between ${when(from)} and ${when(to)} (${tz}); ` +
      (empty.length === 1
        ? `the nearest is ${first.before !== undefined ? `before it until ${when(first.before)}` : 'none before it'} and ${first.after !== undefined ? `after it from ${when(first.after)}` : 'none after it'}.`
        : 'the nearest footage of each is below.'),
    { details: empty.map(line) },
  );
}
