// `footage export`: the right minutes of the right cameras, as an evidence package a receiver can check without us.
// Order matters: everything that can refuse does so before anything is written; the footage is put under a hold
// before it is copied (preservation first); the package is written in a hidden work folder beside its final place,
// recorded with its audit entry, and only then renamed into place, so there is never a half-written package.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isFileStorage, schoolsOfCameras, type Config, type ResolvedCamera } from '../config/index.js';
import { anchorChain, cameraCutoff, recordHoldAtStorages } from '../footage/index.js';
import { toolVersion } from '../media/index.js';
import type { Hold, Register } from '../register/index.js';
import { type Language } from './custody.js';
import type { Manifest, ManifestRedacted } from './manifest.js';
import { copiesItself } from './clip.js';
import { buildManifest, finishPackage, hashSources } from './package.js';
import { assignPlans, redactClip, type RedactRequest } from './redact.js';
import type { OnCorrupt } from './sources.js';
import { abandonRun, beginRun, cutClips, moveIntoPlace, openWorkDir, prepareExport, preserve, stopIfInterrupted, type Prepared } from './stages.js';

export interface ExportRequest {
  cameras: string[];
  /** `--school` (a board's config): every camera must belong to one of these schools. */
  schools?: string[];
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
  /** A redacted working copy of every clip beside its master (--redact); see redact.ts. */
  redact?: RedactRequest;
  /**
   * A review made for a data-subject request: the command that renders it (`rights fulfil R-… --keep-track ID`),
   * said by the CLI and written into the review folder's LEESMIJ alike; default `footage export … --plan DIR`.
   */
  reviewFor?: { request: string; next: string };
}

export type ExportPhase = 'inspect' | 'copy' | 'detect' | 'render' | 'sheet' | 'encrypt' | 'finish';

export interface ExportProgress {
  phase: ExportPhase;
  camera?: string;
  /** Work done and to do in this phase: segments (inspect), seconds of clip (copy), frames (detect, render, sheet), bytes (encrypt). */
  done: number;
  total: number;
  /** Frames per second (detect, render). */
  fps?: number;
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
  /** The hold was already there (placed by the review or an earlier export of the case), not placed now. */
  holdReused: boolean;
  keepUntil: string | null;
  encrypted: boolean;
  /** The files in the package folder. */
  files: string[];
  auditSeq: number;
  warnings: string[];
  /** How the work went (for benchmarks and --verbose). */
  stats: { clips: number; hashedWhileWriting: number; segments: number };
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
  const p = await prepareExport(config, register, request, options, 'package');
  const key = p.key!;
  const record = await beginRun(register, p, 'package');
  let hold: Hold | null = null;
  let closeHashing: (() => Promise<void>) | undefined;
  try {
    const { existing } = await openWorkDir(record, request.force);
    let holdReused = false;
    ({ hold, reused: holdReused } = await preserve(register, p, `export ${record.id}`));

    // Sources of a clip ffmpeg joins are hashed alongside it, on a thread of their own; toezicht's own writer
    // hashes the sources it copies as it reads them.
    const hashing = hashSources([...p.plans.values()].filter((plan) => !copiesItself(plan, p.keepAudio)));
    closeHashing = hashing.close;
    const clips = await cutClips(p, record.workDir, options, true);
    stopIfInterrupted(options);
    const redacted = p.redaction ? await redactClips(p, clips, record.workDir, options) : undefined;
    stopIfInterrupted(options);
    const keepUntil = lifetime(p, hold);

    const manifest = await buildManifest({
      config,
      exportId: record.id,
      request: { ...request, caseRef: p.caseRef, language: p.language },
      range: p.range,
      clips,
      sourceHashes: hashing.hashes,
      operator: register.actor,
      createdAt: new Date(options.now).toISOString(),
      tool: {
        name: 'toezicht',
        version: options.toolVersion,
        node: process.version,
        // ffmpeg is named when it made something in the package: a clip it joined, or a redacted copy.
        ...(clips.some((c) => c.clip.writer === 'ffmpeg') || redacted ? { ffmpeg: { path: p.ffmpeg.path, source: p.ffmpeg.source, version: await toolVersion(p.ffmpeg) } } : {}),
      },
      hold,
      keepUntil,
      key,
      ...(redacted ? { redacted } : {}),
    });
    const finished = await finishPackage({
      workDir: record.workDir,
      manifest,
      key,
      language: p.language,
      layouts: p.sources.map((s) => ({ layout: s.view.layout, ...(config.storage.filter(isFileStorage).find((x) => x.id === s.view.id)?.pattern ? { pattern: config.storage.filter(isFileStorage).find((x) => x.id === s.view.id)!.pattern! } : {}), timeZone: s.view.layout === 'frigate' ? 'UTC' : (config.storage.filter(isFileStorage).find((x) => x.id === s.view.id)?.timezone ?? config.school.timezone) })),
      recipients: p.recipients,
      school: config.school,
      onEncrypted: (done, total) => options.onProgress?.({ phase: 'encrypt', done, total }),
    });
    options.onProgress?.({ phase: 'finish', done: 1, total: 1 });
    await closeHashing();
    stopIfInterrupted(options);

    const { entry } = await register.completeExport(record.id, {
      manifestSha256: finished.manifestSha256,
      bytes: finished.bytes,
      ...(keepUntil !== undefined ? { keepUntil } : {}),
      ...(hold ? { holdId: hold.id } : {}),
      audit: {
        ...(p.caseRef ? { case: p.caseRef } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
        ...(request.legalBasis?.trim() ? { legalBasis: request.legalBasis.trim() } : {}),
        ...(request.recipient?.trim() ? { recipient: request.recipient.trim() } : {}),
        cameras: p.cameraIds,
        ...(config.schools.length ? { schools: schoolsOfCameras(config, p.cameraIds) } : {}),
        from: manifest.requested.from,
        to: manifest.requested.to,
        covered: manifest.covered,
        clips: manifest.clips.map((c) => ({ camera: c.camera, file: c.output.file, sha256: c.output.sha256 })),
        ...(redacted ? { redaction: redactionAudit(manifest) } : {}),
        ...p.restriction,
        manifestSha256: finished.manifestSha256,
        packageDir: record.packageDir,
        ...(p.recipients.length ? { encryptedTo: p.recipients } : {}),
        ...(keepUntil !== undefined ? { keepUntil: new Date(keepUntil).toISOString() } : {}),
      },
    });
    await moveIntoPlace(record, existing);
    // Outside the register too (docs/audit.md): the export's hold beside its footage, and the chain's head in the
    // markers of the storages it came from. A storage that is away now gets both at the next purge.
    const anchorProblems = [
      ...(hold && !holdReused ? await recordHoldAtStorages(config, register, hold) : []),
      ...(await anchorChain(register, [...new Map(p.sources.map((s) => [s.view.id, s.view])).values()], `export ${record.id}`)).problems,
    ];
    return {
      exportId: record.id,
      packageDir: record.packageDir,
      manifest,
      manifestSha256: finished.manifestSha256,
      hold,
      holdReused,
      keepUntil: keepUntil === undefined ? null : new Date(keepUntil).toISOString(),
      encrypted: p.recipients.length > 0,
      files: (await readdir(record.packageDir)).sort(),
      auditSeq: entry.seq,
      stats: { clips: clips.length, hashedWhileWriting: clips.filter((c) => c.clip.hashedWhileWriting).length, segments: clips.reduce((n, c) => n + c.plan.parts.length, 0) },
      warnings: [
        ...(keepUntil !== undefined && keepUntil <= options.now
          ? [`the footage is already older than the camera's retention, so this package expires at once and goes at the next purge; give --case (a hold) or --keep-until to keep it`]
          : []),
        ...p.sources.flatMap((s) => s.ignored.map((i) => `${s.camera.id}: ${s.view.id}:${i.relPath} was not exported: ${i.reason}`)),
        ...manifest.clips.flatMap((c) => c.notes.map((n) => `${c.camera}: ${n}`)),
        ...anchorProblems,
      ],
    };
  } catch (error) {
    await closeHashing?.();
    return abandonRun(register, record, hold, error, options, 'package');
  }
}

/** The package's lifetime: --keep-until; else, without a case, as long as the footage it copies may be kept. */
export function lifetime(p: Prepared, hold: Hold | null): number | undefined {
  if (p.keepUntil !== undefined || hold) return p.keepUntil;
  const ends = p.sources.map((s) => footageExpiry(s.camera, p.config.school.timezone, p.plans.get(s.camera.id)!.covered.to));
  return ends.some((e) => e === undefined) ? undefined : Math.max(...(ends as number[]));
}

/** A redacted working copy beside every master, from a plan made now or reviewed (--plan). */
async function redactClips(p: Prepared, clips: Awaited<ReturnType<typeof cutClips>>, workDir: string, options: ExportOptions): Promise<Map<string, ManifestRedacted>> {
  const loaded = p.redaction!;
  const assigned = assignPlans(loaded, clips.map((c) => ({ camera: c.sources.camera.id, file: c.clip.file })));
  const out = new Map<string, ManifestRedacted>();
  for (const c of clips) {
    const camera = c.sources.camera;
    const slot = assigned.get(camera.id)!;
    out.set(
      camera.id,
      await redactClip({
        camera: camera.id,
        masks: camera.masks,
        master: { path: path.join(workDir, c.clip.file), file: c.clip.file, sha256: c.clip.sha256 },
        ...(slot.reviewed ? { reviewed: slot.reviewed } : {}),
        keep: slot.keep,
        loaded,
        keepAudio: p.keepAudio,
        ffmpeg: p.config.ffmpeg,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (r) => options.onProgress?.({ phase: r.phase, camera: camera.id, done: r.frame, total: r.frames, fps: r.fps }),
      }),
    );
    stopIfInterrupted(options);
  }
  return out;
}

/** What the audit entry says of a redacted export: per clip, the copy, the plan's hash, the style, the kept tracks. */
function redactionAudit(manifest: Manifest): Record<string, unknown> {
  const copies = manifest.clips.flatMap((c) => (c.redacted ? [{ camera: c.camera, r: c.redacted }] : []));
  return {
    style: copies[0]?.r.style,
    clips: copies.map(({ camera, r }) => ({ camera, file: r.file, sha256: r.sha256, planSha256: r.planSha256, planSource: r.planSource, keptTracks: r.keptTracks, redactedTracks: r.redactedTracks, masks: r.masks })),
  };
}
