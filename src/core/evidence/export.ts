// `footage export`: the right minutes of the right cameras, as an evidence package a receiver can check without us.
// Order matters: everything that can refuse does so before anything is written; the footage is put under a hold
// before it is copied (preservation first); the package is written in a hidden work folder beside its final place,
// recorded with its audit entry, and only then renamed into place, so there is never a half-written package.
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config, ResolvedCamera } from '../config/index.js';
import { ToezichtError, UsageError } from '../errors.js';
import { settleExports } from '../exports/index.js';
import { cameraCutoff, parseRange, requireCameras } from '../footage/index.js';
import { ConcatError, resolveTool, timelineSpan, toolVersion, type ResolvedTool } from '../media/index.js';
import type { Hold, Register } from '../register/index.js';
import { parseInstant } from '../time/index.js';
import { requireExportAccess } from './access.js';
import { requireUnrestricted } from './restriction.js';
import { planClip, type ClipPlan } from './cut.js';
import { checkRecipients } from './encrypt.js';
import { writeClip, type WrittenClip } from './clip.js';
import { type Language } from './custody.js';
import { buildManifest, finishPackage, hashSources } from './package.js';
import { loadSigningKey } from './signing.js';
import { gatherSources, type CameraSources, type OnCorrupt } from './sources.js';
import type { Manifest } from './manifest.js';

export interface ExportRequest {
  cameras: string[];
  /** As typed: ISO 8601, school time without an offset. */
  from: string;
  to: string;
  /** Folder for the package; default exports.root. */
  out?: string;
  caseRef?: string;
  reason?: string;
  legalBasis?: string;
  recipient?: string;
  /** As typed (a date means the end of that day). */
  keepUntil?: string;
  /** Place a hold on the exported footage when there is a case (default true). */
  hold?: boolean;
  keepAudio?: boolean;
  encryptTo?: string[];
  force?: boolean;
  onCorrupt?: OnCorrupt;
  /** Recorder clock minus true time, in seconds, when measured. */
  clockOffsetSeconds?: number;
  language?: Language;
  /** Why restricted footage (AVG art. 18) may be exported after all; without it, restricted footage is refused. */
  overrideRestriction?: string;
}

export type ExportPhase = 'inspect' | 'copy' | 'encrypt' | 'finish';

export interface ExportProgress {
  phase: ExportPhase;
  camera?: string;
  /** Work done and to do in this phase: segments (inspect), seconds of clip (copy), bytes (encrypt). */
  done: number;
  total: number;
}

export interface ExportOptions {
  now: number;
  toolVersion: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportResult {
  exportId: string;
  packageDir: string;
  manifest: Manifest;
  manifestSha256: string;
  hold: Hold | null;
  keepUntil: string | null;
  encrypted: boolean;
  /** The files in the package folder. */
  files: string[];
  auditSeq: number;
  warnings: string[];
  /** How the work went (for benchmarks and --verbose). */
  stats: { clips: number; hashedWhileWriting: number; segments: number };
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** When footage of `camera` that ends at `endMs` outlives its retention (the purge's own rule, searched for). */
export function footageExpiry(camera: ResolvedCamera, timeZone: string, endMs: number): number | undefined {
  const expiredAt = (now: number): boolean => cameraCutoff(camera, timeZone, now).before > endMs;
  const far = endMs + 20 * 366 * 86_400_000;
  if (!expiredAt(far)) return undefined;
  let lo = endMs;
  let hi = endMs + 86_400_000;
  while (!expiredAt(hi)) hi = Math.min(far, lo + (hi - lo) * 2);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (expiredAt(mid)) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi / 1000) * 1000;
}

export async function exportFootage(config: Config, register: Register, request: ExportRequest, options: ExportOptions): Promise<ExportResult> {
  const tz = config.school.timezone;
  const cameraIds = [...new Set(request.cameras)];
  requireCameras(config, cameraIds);
  const range = parseRange(config, request.from, request.to);
  const attempt = { cameras: cameraIds, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), ...(request.caseRef ? { case: request.caseRef } : {}) };
  await requireExportAccess(config, register, attempt);
  const restriction = await requireUnrestricted(register, attempt, range, request.overrideRestriction);

  const outText = request.out ?? config.exports.root;
  if (!outText) throw new UsageError('export.out', 'Name the folder for the package with --out DIR, or set exports.root in the config.');
  const outDir = path.resolve(outText);
  for (const s of config.storage) {
    if (inside(outDir, s.root) || inside(s.root, outDir)) {
      throw new UsageError('export.out', `--out ${outDir} overlaps storage ${s.id} (${s.root}); keep evidence packages apart from footage and choose another folder.`);
    }
  }
  const key = await loadSigningKey(config.keys.dir);
  const recipients = [...new Set(request.encryptTo ?? [])];
  checkRecipients(recipients);
  let keepUntil: number | undefined;
  if (request.keepUntil !== undefined) {
    keepUntil = parseInstant(request.keepUntil, tz, { dateOnly: 'end' });
    if (keepUntil === undefined) throw new UsageError('export.keep-until', `--keep-until "${request.keepUntil}" is not a date; use ISO 8601, e.g. 2027-01-31.`);
    if (keepUntil <= options.now) throw new UsageError('export.keep-until', `--keep-until ${request.keepUntil} is already past; the package would be removed at the next purge.`);
  }
  const caseRef = request.caseRef?.trim() || undefined;
  const wantsHold = Boolean(caseRef) && request.hold !== false;
  if (wantsHold && !request.reason?.trim()) throw new UsageError('export.reason', 'An export for a case places a hold on its footage and needs --reason: why it must be kept (or give --no-hold).');
  const ffmpeg = resolveTool('ffmpeg', config.ffmpeg.path);
  let ffprobe: ResolvedTool | undefined;
  const getProbe = (): ResolvedTool => (ffprobe ??= resolveTool('ffprobe', config.ffmpeg.ffprobe));
  const onCorrupt = request.onCorrupt ?? 'fail';
  const language = request.language ?? 'nl';

  await mkdir(outDir, { recursive: true, mode: 0o750 });
  await settleExports(register);

  const sources = await gatherSources(config, cameraIds, {
    from: range.from,
    to: range.to,
    onCorrupt,
    ffprobe: getProbe,
    now: options.now,
    onInspected: (done, total) => options.onProgress?.({ phase: 'inspect', done, total }),
  });
  const plans = new Map<string, ClipPlan>();
  for (const s of sources) plans.set(s.camera.id, plan(s, range, request.keepAudio ?? false));

  const record = await register.beginExport({
    ...(caseRef ? { caseRef } : {}),
    ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}),
    cameras: cameraIds,
    from: range.from,
    to: range.to,
    outDir,
    paths: (id) => ({ packageDir: path.join(outDir, id), workDir: path.join(outDir, `.toezicht-${id}.partial`) }),
    encrypted: recipients.length > 0,
  });
  const { packageDir, workDir } = record;
  let hold: Hold | null = null;
  let closeHashing: (() => Promise<void>) | undefined;
  try {
    const existing = await stat(packageDir).catch(() => undefined);
    if (existing && !request.force) {
      throw new UsageError('export.exists', `${packageDir} already exists (from another register or an earlier export); nothing was written. Move it away, or replace it with --force.`);
    }
    await mkdir(workDir, { mode: 0o750 });

    // Preservation first: the incident's footage must outlive the 4-week purge until the case is closed.
    if (wantsHold) {
      const covered = [...plans.values()].reduce((acc, p) => ({ from: Math.min(acc.from, p.covered.from), to: Math.max(acc.to, p.covered.to) }), { from: range.from, to: range.to });
      hold = await register.addHold({ kind: 'case', caseRef: caseRef!, reason: `${request.reason!.trim()} (export ${record.id})`, cameras: cameraIds, ...covered });
    }

    // The sources are hashed while ffmpeg copies them (both read the same files), on a thread of their own.
    const hashing = hashSources(plans.values());
    closeHashing = hashing.close;
    const sourceHashes = hashing.hashes;
    const ffmpegVersion = toolVersion(ffmpeg);
    ffmpegVersion.catch(() => undefined);
    const totalSeconds = [...plans.values()].reduce((n, p) => n + (p.covered.to - p.covered.from) / 1000, 0);
    let doneSeconds = 0;
    const clips: { sources: CameraSources; plan: ClipPlan; clip: WrittenClip }[] = [];
    for (const s of sources) {
      let p = plans.get(s.camera.id)!;
      for (let attempt = 0; ; attempt++) {
        try {
          const clip = await writeClip(ffmpeg, {
            camera: s.camera.id,
            plan: p,
            workDir,
            keepAudio: request.keepAudio ?? false,
            ...(options.signal ? { signal: options.signal } : {}),
            onProgress: (sec) => options.onProgress?.({ phase: 'copy', camera: s.camera.id, done: doneSeconds + Math.min(sec, (p.covered.to - p.covered.from) / 1000), total: totalSeconds }),
          });
          clips.push({ sources: s, plan: p, clip });
          break;
        } catch (error) {
          // ffmpeg stumbled over a segment the inspection passed: it is damaged after all.
          const bad = error instanceof ConcatError && error.file ? s.inspected.find((i) => i.localPath === error.file) : undefined;
          if (!bad || attempt >= 5) throw error;
          if (onCorrupt === 'fail') {
            throw new ToezichtError('export.corrupt', `Segment ${s.view.id}:${bad.relPath} of camera ${s.camera.id} is damaged (ffmpeg cannot read it), so nothing was exported; export without it with --on-corrupt skip.`, {
              details: (error as ConcatError).details,
            });
          }
          s.inspected = s.inspected.filter((i) => i !== bad);
          s.corrupt.push({ relPath: bad.relPath, start: bad.start, end: bad.start + Math.round(timelineSpan(bad.media.video).end * 1000), problem: 'ffmpeg cannot read it' });
          p = plan(s, range, request.keepAudio ?? false);
          plans.set(s.camera.id, p);
        }
      }
      doneSeconds += (p.covered.to - p.covered.from) / 1000;
    }

    const stopIfInterrupted = (): void => {
      if (options.signal?.aborted) throw new ToezichtError('export.interrupted', 'The export was interrupted.');
    };
    stopIfInterrupted();
    if (keepUntil === undefined && !hold) {
      // No case: the copy lives as long as the footage it copies may (the camera's retention).
      const ends = sources.map((s) => footageExpiry(s.camera, tz, plans.get(s.camera.id)!.covered.to));
      keepUntil = ends.some((e) => e === undefined) ? undefined : Math.max(...(ends as number[]));
    }

    const manifest = await buildManifest({
      config,
      exportId: record.id,
      request: { ...request, caseRef, language },
      range,
      clips,
      sourceHashes,
      operator: register.actor,
      createdAt: new Date(options.now).toISOString(),
      tool: { name: 'toezicht', version: options.toolVersion, node: process.version, ffmpeg: { path: ffmpeg.path, source: ffmpeg.source, version: await ffmpegVersion } },
      hold,
      keepUntil,
      key,
    });
    const finished = await finishPackage({
      workDir,
      manifest,
      key,
      language,
      layouts: sources.map((s) => ({ layout: s.view.layout, ...(config.storage.find((x) => x.id === s.view.id)?.pattern ? { pattern: config.storage.find((x) => x.id === s.view.id)!.pattern! } : {}), timeZone: s.view.layout === 'frigate' ? 'UTC' : (config.storage.find((x) => x.id === s.view.id)?.timezone ?? tz) })),
      recipients,
      school: config.school,
      onEncrypted: (done, total) => options.onProgress?.({ phase: 'encrypt', done, total }),
    });
    options.onProgress?.({ phase: 'finish', done: 1, total: 1 });
    await closeHashing();
    stopIfInterrupted();

    const { entry } = await register.completeExport(record.id, {
      manifestSha256: finished.manifestSha256,
      bytes: finished.bytes,
      ...(keepUntil !== undefined ? { keepUntil } : {}),
      ...(hold ? { holdId: hold.id } : {}),
      audit: {
        ...(caseRef ? { case: caseRef } : {}),
        ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}),
        ...(request.legalBasis?.trim() ? { legalBasis: request.legalBasis.trim() } : {}),
        ...(request.recipient?.trim() ? { recipient: request.recipient.trim() } : {}),
        cameras: cameraIds,
        from: manifest.requested.from,
        to: manifest.requested.to,
        covered: manifest.covered,
        clips: manifest.clips.map((c) => ({ camera: c.camera, file: c.output.file, sha256: c.output.sha256 })),
        manifestSha256: finished.manifestSha256,
        packageDir,
        ...(recipients.length ? { encryptedTo: recipients } : {}),
        ...(keepUntil !== undefined ? { keepUntil: new Date(keepUntil).toISOString() } : {}),
        ...restriction,
      },
    });
    // Into place: a package that was there (only with --force) goes aside first, then away.
    if (existing) {
      const aside = path.join(outDir, `.toezicht-${record.id}.replaced`);
      await rename(packageDir, aside);
      await rename(workDir, packageDir);
      await rm(aside, { recursive: true, force: true });
    } else {
      await rename(workDir, packageDir);
    }
    return {
      exportId: record.id,
      packageDir,
      manifest,
      manifestSha256: finished.manifestSha256,
      hold,
      keepUntil: keepUntil === undefined ? null : new Date(keepUntil).toISOString(),
      encrypted: recipients.length > 0,
      files: (await readdir(packageDir)).sort(),
      auditSeq: entry.seq,
      stats: { clips: clips.length, hashedWhileWriting: clips.filter((c) => c.clip.hashedWhileWriting).length, segments: clips.reduce((n, c) => n + c.plan.parts.length, 0) },
      warnings: [
        ...(keepUntil !== undefined && keepUntil <= options.now
          ? [`the footage is already older than the camera's retention, so this package expires at once and goes at the next purge; give --case (a hold) or --keep-until to keep it`]
          : []),
        ...sources.flatMap((s) => s.ignored.map((i) => `${s.camera.id}: ${s.view.id}:${i.relPath} was not exported: ${i.reason}`)),
        ...manifest.clips.flatMap((c) => c.notes.map((n) => `${c.camera}: ${n}`)),
      ],
    };
  } catch (error) {
    await closeHashing?.();
    await rm(workDir, { recursive: true, force: true });
    const interrupted = options.signal?.aborted ?? false;
    const message = error instanceof Error ? error.message : String(error);
    await register.abandonExport(record.id, interrupted ? 'interrupted' : 'failed', `${message}${hold ? ` The hold ${hold.id} on its footage stays.` : ''}`).catch(() => undefined);
    if (interrupted) throw new ToezichtError('export.interrupted', `The export was interrupted; no package was written${hold ? ` (the hold ${hold.id} on its footage stays)` : ''}.`);
    if (hold && error instanceof ToezichtError) {
      throw new ToezichtError(error.code, `${error.message} The hold ${hold.id} placed on its footage stays.`, { exitCode: error.exitCode, details: error.details, cause: error });
    }
    throw error;
  }
}

function plan(s: CameraSources, range: { from: number; to: number }, keepAudio: boolean): ClipPlan {
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
