// `footage purge`: delete every segment past its retention that no hold covers — and refuse, deleting
// nothing, whenever the ground looks wrong (no register, an unmounted share, a layout that matches nothing).
import path from 'node:path';
import { requireSchools, type Config, type ResolvedCamera } from '../config/index.js';
import { RefusalError, UsageError } from '../errors.js';
import { purgeExpiredExports, type ExportPurgeReport } from '../exports/index.js';
import type { InterruptedRun, Register } from '../register/index.js';
import { implausibleDate, type RemoveResult } from '../storage/index.js';
import { formatUtc } from '../time/index.js';
import { anchorChain, guardRegister, type StorageHold } from './register-guard.js';
import { purgeRecorders, type RecorderRetention } from './recorders.js';
import { cameraCutoff, decide, holdsByCamera, storageViews, type HeldRange, type StorageView } from './rules.js';

export interface PurgeOptions {
  now: number;
  /** Delete nothing; report the same plan. */
  dryRun?: boolean;
  /** Delete nothing; the report says whether expired footage exists (monitoring). */
  check?: boolean;
  storages?: string[];
  cameras?: string[];
  /** Include every deleted or held file in the report. */
  list?: boolean;
  /** Only the cameras of these schools (a board's config), and only the storages they use. */
  schools?: string[];
  onProgress?: (progress: PurgeProgress) => void;
}

export interface PurgeProgress {
  storage: string;
  phase: 'probe' | 'purge' | 'prune';
  scanned: number;
  deleted: number;
  bytes: number;
}

export interface CameraCounts {
  deleted: number;
  deletedBytes: number;
  held: number;
  kept: number;
  rule: string;
  cutoff: string | null;
}

export type UnknownReason = 'no-layout-match' | 'unknown-camera' | 'symlink' | 'not-a-file' | 'unreadable-folder' | 'implausible-date';

export interface PurgeReport {
  dryRun: boolean;
  check: boolean;
  now: string;
  runId: number | null;
  deleted: { files: number; bytes: number };
  held: { files: number; byHold: Record<string, number> };
  kept: { files: number };
  unknown: { files: number; byReason: Partial<Record<UnknownReason, number>>; samples: { storage: string; path: string; reason: UnknownReason }[] };
  byCamera: Record<string, CameraCounts>;
  storages: StorageCounts[];
  /** A board's config: the counts per school (cameras at the board's level under "(board)"). */
  bySchool?: Record<string, SchoolCounts>;
  interruptedRuns: InterruptedRun[];
  errors: { storage: string; path: string; message: string }[];
  warnings: string[];
  files?: { storage: string; path: string; camera: string; action: 'delete' | 'hold'; holds?: string[] }[];
  /** Evidence packages past their lifetime under exports.root (a full run only, not one limited to cameras or storages). */
  exports?: ExportPurgeReport;
  /** Holds the storages' hold records keep that the register lacks: honoured, and `--check` fails on them. */
  storageHolds: StorageHold[];
  /** The audit chain's head after the run, also written into each storage's marker (an anchor outside the register). */
  anchor?: { seq: number; hash: string };
  /** Recorders: each recording's MaximumRetentionTime, as it was and as the purge set it (footage/recorders.ts). */
  recorders?: RecorderRetention[];
}

export interface SchoolCounts {
  name: string;
  deleted: number;
  deletedBytes: number;
  held: number;
  kept: number;
}

/** The board's own cameras and storages (not of one school), in reports grouped by school. */
export const BOARD = '(board)';

export interface StorageCounts {
  id: string;
  root: string;
  files: number;
  deleted: number;
  foldersRemoved: number;
  /** The school whose storage it is (a board's config). */
  school?: string;
  /** A versioned bucket: every version of a purged object was removed, and its delete markers. */
  versioned?: boolean;
  versionsRemoved?: number;
  deleteMarkersRemoved?: number;
  /** Objects the store's Object Lock kept (a legal hold or retention not from an active toezicht hold). */
  locked?: number;
  /** Requests to an object store, and how many were retried (throttling, 5xx, dropped connections). */
  requests?: number;
  retries?: number;
}

const UNKNOWN_SAMPLES = 20;
const LOCKED_SAMPLES = 20;
/** Name under which Object Lock appears in held.byHold. */
export const OBJECT_LOCK_HOLD = 'object-lock';

export async function purgeFootage(config: Config, register: Register, options: PurgeOptions): Promise<PurgeReport> {
  const dryRun = Boolean(options.dryRun || options.check);
  options = scopeToSchools(config, options);
  const views = storageViews(config, options.storages);
  for (const id of options.storages ?? []) {
    if (!config.storage.some((s) => s.id === id)) {
      throw new UsageError('purge.unknown-storage', `There is no storage "${id}" in the config; known: ${config.storage.map((s) => s.id).join(', ') || '(none)'}.`);
    }
  }
  for (const id of options.cameras ?? []) {
    if (!config.cameras.some((c) => c.id === id)) {
      throw new UsageError('purge.unknown-camera', `There is no camera "${id}" in the config; known: ${config.cameras.map((c) => c.id).join(', ') || '(none)'}.`);
    }
  }
  const selectedCameras = options.cameras?.length ? new Set(options.cameras) : undefined;

  const report: PurgeReport = {
    dryRun,
    check: Boolean(options.check),
    now: formatUtc(options.now),
    runId: null,
    deleted: { files: 0, bytes: 0 },
    held: { files: 0, byHold: {} },
    kept: { files: 0 },
    unknown: { files: 0, byReason: {}, samples: [] },
    byCamera: {},
    storages: [],
    interruptedRuns: [],
    errors: [],
    warnings: [],
    ...(options.list ? { files: [] } : {}),
    storageHolds: [],
  };
  const cutoffs = new Map<string, number>();
  for (const camera of config.cameras) {
    if (selectedCameras && !selectedCameras.has(camera.id)) continue;
    const cutoff = cameraCutoff(camera, config.school.timezone, options.now);
    cutoffs.set(camera.id, cutoff.before);
    report.byCamera[camera.id] = {
      deleted: 0,
      deletedBytes: 0,
      held: 0,
      kept: 0,
      rule: cutoff.rule,
      cutoff: Number.isFinite(cutoff.before) ? formatUtc(cutoff.before) : null,
    };
  }

  const lock = dryRun ? undefined : await register.acquirePurgeLock();
  try {
    // The register proves itself before anything is written or deleted (a dead run is settled only after this).
    const guard = await guardRegister(config, views, register, { sync: !dryRun });
    report.warnings.push(...guard.warnings);
    report.storageHolds = guard.storageHolds;
    // The register's holds and the storages' hold records it lacks: a segment either keeps is kept.
    const readHolds = async (): Promise<Map<string, HeldRange[]>> => {
      const map = holdsByCamera(await register.listHolds());
      for (const [camera, ranges] of guard.extraHolds) map.set(camera, [...(map.get(camera) ?? []), ...ranges]);
      return map;
    };
    const pruneLater = new Map<string, Set<string>>();
    if (!dryRun) {
      // Every storage, not only the selected ones: a dead run may have worked on any of them.
      const allViews = storageViews(config);
      const readable = new Map<string, boolean>();
      const present = new Map<string, Promise<Set<string>>>();
      for (const view of allViews) readable.set(view.id, (await view.store.check()).ok);
      report.interruptedRuns = await register.settleInterruptedRuns(async (storageId, relPath) => {
        const view = allViews.find((v) => v.id === storageId);
        // A storage that is not there now cannot say what is gone: count its files as not deleted.
        if (!view || !readable.get(storageId)) return false;
        const dir = path.posix.dirname(relPath);
        if (!pruneLater.has(storageId)) pruneLater.set(storageId, new Set());
        pruneLater.get(storageId)!.add(dir === '.' ? '' : dir);
        if (view.store.presentIn) {
          // An object store answers for a whole folder in one listing instead of a request per object.
          const key = `${storageId}\u0000${dir === '.' ? '' : dir}`;
          let names = present.get(key);
          if (!names) present.set(key, (names = view.store.presentIn(dir === '.' ? '' : dir)));
          return !(await names).has(path.posix.basename(relPath));
        }
        return !(await view.store.exists(relPath));
      });
    }

    await preflight(views, register, options, report);

    const runId = dryRun ? null : await register.beginPurgeRun({ now: options.now, options: { storages: options.storages ?? [], cameras: options.cameras ?? [] } });
    report.runId = runId;
    let holdsVersion = await register.holdsVersion();
    let holds = await readHolds();

    for (const view of views) {
      const counts: StorageCounts = { id: view.id, root: view.root, files: 0, deleted: 0, foldersRemoved: 0, ...(view.school ? { school: view.school } : {}) };
      report.storages.push(counts);
      // Deletion batches in flight: each is recorded (write-ahead) before its deletion starts, so a kill at any
      // moment leaves nothing unaccounted for; an object store works on several at once.
      const inFlight = new Set<Promise<void>>();
      const limit = Math.max(1, view.store.parallelBatches ?? 1);
      let lockedSamples = 0;
      const emptied = pruneLater.get(view.id) ?? new Set<string>();
      let lastProgress = 0;
      const progress = (phase: PurgeProgress['phase'], force = false): void => {
        const t = Date.now();
        if (!options.onProgress || (!force && t - lastProgress < 100)) return;
        lastProgress = t;
        options.onProgress({ storage: view.id, phase, scanned: counts.files, deleted: counts.deleted, bytes: report.deleted.bytes });
      };

      for await (const chunk of view.store.walk()) {
        if (chunk.error) {
          report.errors.push({ storage: view.id, path: chunk.dir || '.', message: chunk.error });
          addUnknown(report, view.id, chunk.dir || '.', 'unreadable-folder');
          continue;
        }
        counts.files += chunk.entries.length;
        // Candidates for deletion in this folder, per camera (one write-ahead batch each).
        const candidates = new Map<ResolvedCamera, { name: string; start: number; end: number }[]>();
        for (const entry of chunk.entries) {
          const rel = chunk.dir ? `${chunk.dir}/${entry.name}` : entry.name;
          if (entry.kind !== 'file') {
            addUnknown(report, view.id, rel, entry.kind === 'symlink' ? 'symlink' : 'not-a-file');
            continue;
          }
          const parsed = view.parse(rel);
          if (!parsed) {
            addUnknown(report, view.id, rel, 'no-layout-match');
            continue;
          }
          // Before 1970 or after tomorrow: no recorder wrote that; kept and reported.
          if (implausibleDate(parsed.start, options.now)) {
            addUnknown(report, view.id, rel, 'implausible-date');
            continue;
          }
          const camera = view.cameras.get(parsed.camera);
          if (!camera) {
            addUnknown(report, view.id, rel, 'unknown-camera');
            continue;
          }
          if (selectedCameras && !selectedCameras.has(camera.id)) continue;
          let list = candidates.get(camera);
          if (!list) candidates.set(camera, (list = []));
          list.push({ name: entry.name, start: parsed.start, end: parsed.end });
        }

        for (const [camera, segments] of candidates) {
          const cutoff = cutoffs.get(camera.id)!;
          let plan = classify(segments, cutoff, holds.get(camera.id) ?? []);
          let batchId: number | undefined;
          if (!dryRun && plan.toDelete.length) {
            for (;;) {
              batchId = await register.planBatch(runId!, {
                storage: view.id,
                dir: chunk.dir,
                camera: camera.id,
                names: plan.toDelete.map((s) => s.name),
                bytes: 0,
                firstStart: Math.min(...plan.toDelete.map((s) => s.start)),
                lastEnd: Math.max(...plan.toDelete.map((s) => s.end)),
              }, holdsVersion);
              if (batchId !== undefined) break;
              // A hold was added or released since the holds were read: read them again and decide again.
              holdsVersion = await register.holdsVersion();
              holds = await readHolds();
              plan = classify(segments, cutoff, holds.get(camera.id) ?? []);
              if (!plan.toDelete.length) break;
            }
          }
          const cam = report.byCamera[camera.id]!;
          const rel = (name: string): string => (chunk.dir ? `${chunk.dir}/${name}` : name);
          report.kept.files += plan.kept;
          cam.kept += plan.kept;
          report.held.files += plan.held.length;
          cam.held += plan.held.length;
          for (const h of plan.held) {
            for (const id of h.holds) report.held.byHold[id] = (report.held.byHold[id] ?? 0) + 1;
            report.files?.push({ storage: view.id, path: rel(h.name), camera: camera.id, action: 'hold', holds: h.holds });
          }
          if (!plan.toDelete.length) continue;
          if (dryRun) {
            report.deleted.files += plan.toDelete.length;
            cam.deleted += plan.toDelete.length;
            counts.deleted += plan.toDelete.length;
            for (const s of plan.toDelete) report.files?.push({ storage: view.id, path: rel(s.name), camera: camera.id, action: 'delete' });
            continue;
          }
          const names = plan.toDelete.map((s) => s.name);
          const sizes = new Map(chunk.entries.map((e) => [e.name, e.bytes]));
          const job = (async (): Promise<void> => {
            let result: RemoveResult;
            try {
              result = await view.store.remove(chunk.dir, names, { bytes: names.map((n) => sizes.get(n)) });
            } catch (error) {
              result = { removed: [], skipped: [], errors: names.map((name) => ({ name, message: (error as Error).message })) };
            }
            const bytes = result.removed.reduce((sum, r) => sum + r.bytes, 0);
            await register.completeBatch(batchId!, result.removed.map((r) => r.name), bytes);
            report.deleted.files += result.removed.length;
            report.deleted.bytes += bytes;
            cam.deleted += result.removed.length;
            cam.deletedBytes += bytes;
            counts.deleted += result.removed.length;
            for (const r of result.removed) report.files?.push({ storage: view.id, path: rel(r.name), camera: camera.id, action: 'delete' });
            for (const e of result.errors) report.errors.push({ storage: view.id, path: rel(e.name), message: `cannot delete: ${e.message}` });
            for (const sk of result.skipped) {
              if (sk.reason !== 'already gone') report.warnings.push(`${view.id}: ${rel(sk.name)} was not deleted: ${sk.reason}`);
            }
            if (result.versionsRemoved !== undefined || result.deleteMarkersRemoved !== undefined) {
              counts.versionsRemoved = (counts.versionsRemoved ?? 0) + (result.versionsRemoved ?? 0);
              counts.deleteMarkersRemoved = (counts.deleteMarkersRemoved ?? 0) + (result.deleteMarkersRemoved ?? 0);
            }
            for (const l of result.locked ?? []) {
              counts.locked = (counts.locked ?? 0) + 1;
              report.held.files++;
              cam.held++;
              report.held.byHold[OBJECT_LOCK_HOLD] = (report.held.byHold[OBJECT_LOCK_HOLD] ?? 0) + 1;
              report.files?.push({ storage: view.id, path: rel(l.name), camera: camera.id, action: 'hold', holds: [OBJECT_LOCK_HOLD] });
              if (lockedSamples++ < LOCKED_SAMPLES) report.warnings.push(`${view.id}: ${rel(l.name)} was kept: ${l.reason} (not placed by an active toezicht hold)`);
            }
            if (result.removed.length) emptied.add(chunk.dir);
          })();
          const tracked = job.finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
          if (inFlight.size >= limit) await Promise.race(inFlight);
        }
        progress('purge');
      }
      await Promise.all(inFlight);
      progress('purge', true);
      const stats = view.store.requestStats?.();
      if (stats) {
        const protection = await view.store.protection?.().catch(() => undefined);
        Object.assign(counts, stats, { versioned: counts.versionsRemoved !== undefined || Boolean(protection?.versioning) });
      }
      if (lockedSamples > LOCKED_SAMPLES) report.warnings.push(`${view.id}: ${lockedSamples - LOCKED_SAMPLES} more objects were kept by Object Lock`);
      if (!dryRun) {
        progress('prune', true);
        counts.foldersRemoved = await view.store.removeEmptyDirs(emptied);
        await register.setStorageState({ storage: view.id, files: counts.files - counts.deleted, seenAt: new Date().toISOString(), runId: runId! });
      }
    }

    // A recorder deletes its own footage: the purge makes it keep no longer than allowed.
    const recorders = await purgeRecorders(config, register, { now: options.now, dryRun, check: Boolean(options.check), ...(selectedCameras ? { cameras: selectedCameras } : {}), ...(options.storages?.length ? { storages: options.storages } : {}) }, report);
    if (recorders.length) report.recorders = recorders;

    // Exports are copies of the same footage: past their lifetime they go too (held ones stay).
    if (!options.storages?.length && !options.cameras?.length) {
      report.exports = await purgeExpiredExports(config, register, { now: options.now, dryRun });
      for (const e of report.exports.errors) report.errors.push({ storage: 'exports', path: e.path, message: e.message });
    }

    if (!dryRun) {
      await register.finishPurgeRun(runId!, {
        status: report.errors.length ? 'failed' : 'done',
        counts: {
          now: report.now,
          deletedFiles: report.deleted.files,
          deletedBytes: report.deleted.bytes,
          heldFiles: report.held.files,
          keptFiles: report.kept.files,
          unknownFiles: report.unknown.files,
          ...(report.exports?.removed.length ? { exportsRemoved: report.exports.removed.map((e) => e.id) } : {}),
          errors: report.errors.length,
        },
      });
      // The head after this run's entry, outside the register: in each storage's marker and in the summary line.
      const anchored = await anchorChain(register, views, `purge run ${runId}`);
      report.anchor = anchored.head;
      report.warnings.push(...anchored.problems);
    }
    if (config.schools.length) report.bySchool = groupBySchool(config, report);
    return report;
  } finally {
    lock?.release();
  }
}

interface FolderPlan {
  toDelete: { name: string; start: number; end: number }[];
  held: { name: string; holds: string[] }[];
  kept: number;
}

/** Pure: what happens to each segment of one camera in one folder. */
function classify(segments: { name: string; start: number; end: number }[], cutoff: number, holds: readonly HeldRange[]): FolderPlan {
  const plan: FolderPlan = { toDelete: [], held: [], kept: 0 };
  for (const s of segments) {
    const d = decide(s, cutoff, holds);
    if (d.action === 'delete') plan.toDelete.push(s);
    else if (d.action === 'hold') plan.held.push({ name: s.name, holds: d.holds });
    else plan.kept++;
  }
  return plan;
}

function addUnknown(report: PurgeReport, storage: string, relPath: string, reason: UnknownReason): void {
  report.unknown.files++;
  report.unknown.byReason[reason] = (report.unknown.byReason[reason] ?? 0) + 1;
  if (report.unknown.samples.length < UNKNOWN_SAMPLES) report.unknown.samples.push({ storage, path: relPath, reason });
}

/**
 * Before anything is deleted: every storage must be there, hold footage where it held footage before,
 * and be read by its layout. Any doubt stops the whole run.
 */
async function preflight(views: StorageView[], register: Register, options: PurgeOptions, report: PurgeReport): Promise<void> {
  const problems: string[] = [];
  for (const view of views) {
    options.onProgress?.({ storage: view.id, phase: 'probe', scanned: 0, deleted: 0, bytes: 0 });
    const check = await view.store.check();
    if (!check.ok) {
      problems.push(`storage ${view.id}: ${check.problem}`);
      continue;
    }
    let files = 0;
    let matched = false;
    let knownCamera = false;
    const samples: string[] = [];
    for await (const chunk of view.store.walk()) {
      for (const entry of chunk.entries) {
        if (entry.kind !== 'file') continue;
        files++;
        const rel = chunk.dir ? `${chunk.dir}/${entry.name}` : entry.name;
        const parsed = view.parse(rel);
        if (parsed) {
          matched = true;
          if (view.cameras.has(parsed.camera)) knownCamera = true;
        } else if (samples.length < 3) samples.push(rel);
        if (knownCamera) break;
      }
      if (knownCamera) break;
    }
    if (files === 0) {
      const previous = await register.storageState(view.id);
      if (previous && previous.files > 0) {
        problems.push(
          `storage ${view.id}: ${view.root} is empty, but the purge of ${previous.seenAt} (run ${previous.runId}) found ${previous.files} files there; is the share mounted?`,
        );
      }
      continue;
    }
    if (!matched) {
      problems.push(
        `storage ${view.id}: none of the ${files} files under ${view.root} match the ${view.layout} layout (for example ${samples.map((s) => `"${s}"`).join(', ')}); check its layout and root`,
      );
      continue;
    }
    if (!knownCamera) {
      report.warnings.push(`storage ${view.id}: footage found, but none of it belongs to a camera in the config (cameras there: ${[...view.cameras.keys()].join(', ') || 'none'}); check cameras[].path.`);
    }
  }
  if (problems.length) {
    throw new RefusalError(
      'purge.refused',
      `The purge refused to run and deleted nothing: ${problems.length === 1 ? problems[0] : `${problems.length} storages look wrong`}. Fix this and run it again.`,
      { details: problems },
    );
  }
}


/** `--school`: the cameras of those schools, and (unless storages were named) only the storages they use. */
function scopeToSchools(config: Config, options: PurgeOptions): PurgeOptions {
  if (!options.schools?.length) return options;
  const wanted = new Set(requireSchools(config, options.schools));
  let cameras = config.cameras.filter((c) => c.school !== undefined && wanted.has(c.school)).map((c) => c.id);
  if (options.cameras?.length) cameras = cameras.filter((c) => options.cameras!.includes(c));
  if (!cameras.length) throw new UsageError('purge.empty-school', `School ${options.schools.join(', ')} has no cameras${options.cameras?.length ? ' among those named with --camera' : ''}; nothing to purge.`);
  const storages = options.storages?.length ? options.storages : [...new Set(config.cameras.filter((c) => cameras.includes(c.id)).flatMap((c) => (c.storage ? [c.storage] : [])))];
  return { ...options, cameras, storages };
}

function groupBySchool(config: Config, report: PurgeReport): Record<string, SchoolCounts> {
  const names = new Map(config.schools.map((s) => [s.id, s.name]));
  const schoolOf = new Map(config.cameras.map((c) => [c.id, c.school ?? BOARD]));
  const out: Record<string, SchoolCounts> = {};
  for (const [camera, c] of Object.entries(report.byCamera)) {
    const school = schoolOf.get(camera) ?? BOARD;
    const g = (out[school] ??= { name: names.get(school) ?? config.school.name, deleted: 0, deletedBytes: 0, held: 0, kept: 0 });
    g.deleted += c.deleted;
    g.deletedBytes += c.deletedBytes;
    g.held += c.held;
    g.kept += c.kept;
  }
  return out;
}
