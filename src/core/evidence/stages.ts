// The stages an export and a redaction review share: check everything that can refuse before anything is written,
// register the run, preserve the footage (hold), cut the master clips in a hidden work folder, and clean up after a
// failure so that nothing half-written stays.
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { ToezichtError, UsageError } from '../errors.js';
import { settleExports } from '../exports/index.js';
import { parseRange, requireCameras } from '../footage/index.js';
import { ConcatError, resolveTool, timelineSpan, type ResolvedTool } from '../media/index.js';
import type { ExportRecord, Hold, Register } from '../register/index.js';
import { overlapsReally, realPathOf } from '../storage/index.js';
import { parseInstant } from '../time/index.js';
import { requireExportAccess } from './access.js';
import { requireUnrestricted } from './restriction.js';
import { writeClip, type WrittenClip } from './clip.js';
import { planClip, type ClipPlan } from './cut.js';
import type { Language } from './custody.js';
import { checkRecipients } from './encrypt.js';
import type { ExportOptions, ExportRequest } from './export.js';
import { loadRedaction, type LoadedRedaction } from './redact.js';
import { loadSigningKey, type SigningKey } from './signing.js';
import { gatherSources, type CameraSources, type OnCorrupt } from './sources.js';

export interface Prepared {
  config: Config;
  cameraIds: string[];
  range: { from: number; to: number };
  outDir: string;
  caseRef: string | undefined;
  reason: string | undefined;
  wantsHold: boolean;
  keepUntil: number | undefined;
  recipients: string[];
  keepAudio: boolean;
  onCorrupt: OnCorrupt;
  language: Language;
  ffmpeg: ResolvedTool;
  probe: () => ResolvedTool;
  redaction: LoadedRedaction | undefined;
  /** The school's signing key (packages only). */
  key: SigningKey | undefined;
  sources: CameraSources[];
  plans: Map<string, ClipPlan>;
  /** What the audit entry records of a restriction overridden (--override-restriction). */
  restriction: { overrideRestriction?: { reason: string; holds: string[] } };
}

export interface CutClip {
  sources: CameraSources;
  plan: ClipPlan;
  clip: WrittenClip;
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Everything that can refuse, before anything is written; then the segments of every camera, inspected. */
export async function prepareExport(config: Config, register: Register, request: ExportRequest, options: ExportOptions, kind: 'package' | 'review'): Promise<Prepared> {
  const tz = config.school.timezone;
  const cameraIds = [...new Set(request.cameras)];
  requireCameras(config, cameraIds, request.schools);
  const range = parseRange(config, request.from, request.to);
  const attempt = { cameras: cameraIds, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), ...(request.caseRef ? { case: request.caseRef } : {}) };
  await requireExportAccess(config, register, attempt);
  const restriction = await requireUnrestricted(register, attempt, range, request.overrideRestriction);

  const outText = request.out ?? config.exports.root;
  if (!outText) throw new UsageError('export.out', `Name the folder for the ${kind === 'review' ? 'review' : 'package'} with --out DIR, or set exports.root in the config.`);
  const outDir = path.resolve(outText);
  const outName = request.out ? '--out' : 'exports.root';
  for (const s of config.storage) {
    if (s.type !== 'fs') continue;
    // By real path: a link to (or into) the footage is the footage.
    if (inside(outDir, s.root) || inside(s.root, outDir) || overlapsReally(outDir, s.root)) {
      throw new UsageError('export.out', `${outName} ${outDir} overlaps storage ${s.id} (${s.root}${realPathOf(outDir) !== outDir ? `; it leads to ${realPathOf(outDir)}` : ''}); keep evidence packages apart from footage and choose another folder.`);
    }
  }
  const existing = await stat(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') throw new UsageError('export.out', `${outName} ${outDir} cannot be made (ENOTDIR): a part of it is a file; name another folder.`);
    return undefined;
  });
  if (existing && !existing.isDirectory()) {
    throw new UsageError('export.out', `${outName} ${outDir} is a file, not a folder; name a folder for the ${kind === 'review' ? 'review' : 'package'} (it is made when missing).`);
  }
  const key = kind === 'package' ? await loadSigningKey(config.keys.dir) : undefined;
  const recipients = [...new Set(request.encryptTo ?? [])];
  if (kind === 'review' && recipients.length) throw new UsageError('redaction.plan-only', '--plan-only writes a review for the operator, not a package: leave out --encrypt-to (give it when you render with --plan).');
  checkRecipients(recipients);
  let keepUntil: number | undefined;
  if (request.keepUntil !== undefined) {
    keepUntil = parseInstant(request.keepUntil, tz, { dateOnly: 'end' });
    if (keepUntil === undefined) throw new UsageError('export.keep-until', `--keep-until "${request.keepUntil}" is not a date; use ISO 8601, e.g. 2027-01-31.`);
    if (keepUntil <= options.now) throw new UsageError('export.keep-until', `--keep-until ${request.keepUntil} is already past; the ${kind === 'review' ? 'review' : 'package'} would be removed at the next purge.`);
  }
  const caseRef = request.caseRef?.trim() || undefined;
  const reason = request.reason?.trim() || undefined;
  const wantsHold = Boolean(caseRef) && request.hold !== false;
  if (wantsHold && !reason) throw new UsageError('export.reason', 'An export for a case places a hold on its footage and needs --reason: why it must be kept (or give --no-hold).');
  if (kind === 'review' && request.redact?.plans?.length) throw new UsageError('redaction.plan-only', '--plan-only makes a new plan; leave out --plan (or leave out --plan-only to render the plan).');
  if (kind === 'review' && request.redact?.keepTracks?.length) throw new UsageError('redaction.plan-only', '--keep-track applies when the plan is rendered: give it with --plan, not with --plan-only.');
  // Reviewed plans are read (and their edits checked) before any footage is.
  const redaction = request.redact ? await loadRedaction(request.redact) : undefined;
  const ffmpeg = resolveTool('ffmpeg', config.ffmpeg.path);
  let ffprobe: ResolvedTool | undefined;
  const probe = (): ResolvedTool => (ffprobe ??= resolveTool('ffprobe', config.ffmpeg.ffprobe));
  const onCorrupt = request.onCorrupt ?? 'fail';
  const keepAudio = request.keepAudio ?? false;

  await mkdir(outDir, { recursive: true, mode: 0o750 }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError('export.out', `${outName} ${outDir} cannot be made (${error.code ?? error.message}): a part of it is a file or cannot be written; name another folder.`);
  });
  await settleExports(register);

  const sources = await gatherSources(config, cameraIds, {
    from: range.from,
    to: range.to,
    onCorrupt,
    ffprobe: probe,
    now: options.now,
    onInspected: (done, total) => options.onProgress?.({ phase: 'inspect', done, total }),
  }).catch((error: unknown) => {
    throw sourceGone(error);
  });
  const plans = new Map<string, ClipPlan>();
  for (const s of sources) plans.set(s.camera.id, clipPlan(s, range, keepAudio));
  return {
    config,
    cameraIds,
    range,
    outDir,
    caseRef,
    reason,
    wantsHold,
    keepUntil,
    recipients,
    keepAudio,
    onCorrupt,
    language: request.language ?? 'nl',
    ffmpeg,
    probe,
    redaction,
    key,
    sources,
    plans,
    restriction,
  };
}

export function clipPlan(s: CameraSources, range: { from: number; to: number }, keepAudio: boolean): ClipPlan {
  const p = planClip(s.inspected, { from: range.from, to: range.to, keepAudio, corrupt: s.corrupt });
  if (!p) {
    const damaged = s.corrupt.length;
    throw new ToezichtError(
      damaged ? 'export.corrupt' : 'export.no-footage',
      damaged
        ? `Every segment of camera ${s.camera.id} in the range is damaged; there is nothing to export.`
        : `The segments of camera ${s.camera.id} near the range hold no frames inside it; there is nothing to export.`,
      { exitCode: damaged ? 1 : 2, details: s.corrupt.map((c) => `${s.view.id}:${c.relPath}: ${c.problem}`) },
    );
  }
  return p;
}

/** Registers the run; its work folder is `.toezicht-<id>.partial` beside where it will be. */
export async function beginRun(register: Register, p: Prepared, kind: 'package' | 'review'): Promise<ExportRecord> {
  return register.beginExport({
    ...(p.caseRef ? { caseRef: p.caseRef } : {}),
    ...(p.reason ? { reason: p.reason } : {}),
    cameras: p.cameraIds,
    from: p.range.from,
    to: p.range.to,
    outDir: p.outDir,
    paths: (id) => ({ packageDir: path.join(p.outDir, kind === 'review' ? `${id}-review` : id), workDir: path.join(p.outDir, `.toezicht-${id}.partial`) }),
    encrypted: p.recipients.length > 0,
  });
}

/**
 * Preservation first: the case's footage must outlive the 4-week purge until the case is closed. A hold of the same
 * case that already covers these cameras and minutes (placed by its review, or an earlier export) is kept, not
 * doubled.
 */
export async function preserve(register: Register, p: Prepared, label: string): Promise<{ hold: Hold | null; reused: boolean }> {
  if (!p.wantsHold) return { hold: null, reused: false };
  const covered = [...p.plans.values()].reduce((acc, c) => ({ from: Math.min(acc.from, c.covered.from), to: Math.max(acc.to, c.covered.to) }), { from: p.range.from, to: p.range.to });
  const existing = (await register.listHolds()).find(
    (h) => !h.releasedAt && h.caseRef === p.caseRef && p.cameraIds.every((c) => h.cameras.includes(c)) && h.from <= covered.from && h.to >= covered.to,
  );
  if (existing) return { hold: existing, reused: true };
  return { hold: await register.addHold({ kind: 'case', caseRef: p.caseRef!, reason: `${p.reason!} (${label})`, cameras: p.cameraIds, ...covered }), reused: false };
}

/** Refuses to write over an existing folder without --force; makes the work folder. */
export async function openWorkDir(record: ExportRecord, force: boolean | undefined): Promise<{ existing: boolean }> {
  const existing = await stat(record.packageDir).catch(() => undefined);
  if (existing && !force) {
    throw new UsageError('export.exists', `${record.packageDir} already exists (from another register or an earlier export); nothing was written. Move it away, or replace it with --force.`);
  }
  await mkdir(record.workDir, { mode: 0o750 });
  return { existing: Boolean(existing) };
}

/** Cuts every camera's master clip into the work folder; a segment that cannot be read after all is skipped or fails the run. */
export async function cutClips(p: Prepared, workDir: string, options: ExportOptions, hashSources = false): Promise<CutClip[]> {
  const totalSeconds = [...p.plans.values()].reduce((n, c) => n + (c.covered.to - c.covered.from) / 1000, 0);
  let doneSeconds = 0;
  const clips: CutClip[] = [];
  for (const s of p.sources) {
    let plan = p.plans.get(s.camera.id)!;
    for (let attempt = 0; ; attempt++) {
      try {
        const clip = await writeClip(p.ffmpeg, {
          camera: s.camera.id,
          plan,
          workDir,
          keepAudio: p.keepAudio,
          hashSources,
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (sec) => options.onProgress?.({ phase: 'copy', camera: s.camera.id, done: doneSeconds + Math.min(sec, (plan.covered.to - plan.covered.from) / 1000), total: totalSeconds }),
        });
        clips.push({ sources: s, plan, clip });
        break;
      } catch (error) {
        // ffmpeg stumbled over a segment the inspection passed: it is damaged after all.
        const bad = error instanceof ConcatError && error.file ? s.inspected.find((i) => i.localPath === error.file) : undefined;
        if (!bad || attempt >= 5) throw error;
        if (p.onCorrupt === 'fail') {
          throw new ToezichtError('export.corrupt', `Segment ${s.view.id}:${bad.relPath} of camera ${s.camera.id} cannot be read after all (damaged or cut short since it was inspected), so nothing was exported; export without it with --on-corrupt skip.`, {
            details: (error as ConcatError).details,
          });
        }
        s.inspected = s.inspected.filter((i) => i !== bad);
        s.corrupt.push({ relPath: bad.relPath, start: bad.start, end: bad.start + Math.round(timelineSpan(bad.media.video).end * 1000), problem: 'cannot be read after all (damaged)' });
        plan = clipPlan(s, p.range, p.keepAudio);
        p.plans.set(s.camera.id, plan);
      }
    }
    doneSeconds += (plan.covered.to - plan.covered.from) / 1000;
  }
  return clips;
}

export function stopIfInterrupted(options: ExportOptions): void {
  if (options.signal?.aborted) throw new ToezichtError('export.interrupted', 'The export was interrupted.');
}

/** Into place: a folder that was there (only with --force) goes aside first, then away. */
export async function moveIntoPlace(record: ExportRecord, existing: boolean): Promise<void> {
  if (existing) {
    const aside = path.join(record.outDir, `.toezicht-${record.id}.replaced`);
    await rename(record.packageDir, aside);
    await rename(record.workDir, record.packageDir);
    await rm(aside, { recursive: true, force: true });
  } else {
    await rename(record.workDir, record.packageDir);
  }
}

/**
 * A file that vanished mid-way (a purge, a recorder removing its own segments) is a failure that names the file
 * (exit 1), not an unexpected error: fs errors carry the path they were about.
 */
export function sourceGone(error: unknown): unknown {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || error instanceof ToezichtError || e.code !== 'ENOENT' || typeof e.path !== 'string') return error;
  return new ToezichtError(
    'export.source-gone',
    `${e.path} disappeared while it was exported (purged, or removed by the recorder); nothing was exported. Export again: the footage that is still there is found anew.`,
    { cause: error },
  );
}

/** After a failure: no work folder stays, the run is recorded as failed or interrupted, a placed hold stays. */
export async function abandonRun(register: Register, record: ExportRecord, hold: Hold | null, error: unknown, options: ExportOptions, what: string): Promise<never> {
  await rm(record.workDir, { recursive: true, force: true });
  const interrupted = options.signal?.aborted ?? false;
  error = sourceGone(error);
  const message = error instanceof Error ? error.message : String(error);
  await register.abandonExport(record.id, interrupted ? 'interrupted' : 'failed', `${message}${hold ? ` The hold ${hold.id} on its footage stays.` : ''}`).catch(() => undefined);
  if (interrupted) throw new ToezichtError('export.interrupted', `The export was interrupted; no ${what} was written${hold ? ` (the hold ${hold.id} on its footage stays)` : ''}.`);
  if (hold && error instanceof ToezichtError) {
    throw new ToezichtError(error.code, `${error.message} The hold ${hold.id} placed on its footage stays.`, { exitCode: error.exitCode, details: error.details, cause: error });
  }
  throw error;
}
