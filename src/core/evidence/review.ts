// `footage export --redact --plan-only`: a redaction review. The operator gets, per camera, the plan (what would be
// made unrecognisable in which frame) and a contact sheet (one thumbnail per track, with its id), to check and edit
// before anything is rendered or handed out. Nothing leaves the school, so it is no disclosure; it is personal data
// all the same (the contact sheet shows the faces unredacted), so it is registered like a package: in its own
// folder beside the packages (`<id>-review`, files 0600), with the lifetime a package of the same footage would have
// (`footage purge` removes it after), and an audit entry (export.review). With --case its footage is put under a hold
// at once, as an export's is, so the minutes cannot be purged while the review is under way.
//
// The masters are cut to be planned, then removed: the export that renders the reviewed plan cuts them again from
// the recorder's footage, byte for byte the same (the plan pins the master's SHA-256, so other footage is refused).
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.js';
import type { Hold, Register } from '../register/index.js';
import { REVIEW_FILE } from '../exports/index.js';
import { writeContactSheet, writePlan, type DetectionKind } from '../redaction/index.js';
import { ENCRYPTED_README, formatLocal, renderReviewReadme } from './custody.js';
import type { ExportOptions, ExportRequest } from './export.js';
import { lifetime } from './export.js';
import { besideClip } from './manifest.js';
import { planFor } from './redact.js';
import { abandonRun, beginRun, cutClips, moveIntoPlace, openWorkDir, prepareExport, preserve, stopIfInterrupted } from './stages.js';
import { createHash } from 'node:crypto';

export const REVIEW_FORMAT = 'toezicht-redaction-review/1';

export interface ReviewTrack {
  id: string;
  kind: 'face' | 'person' | 'region';
  /** First and last frame it covers (0 = the clip's first frame). */
  firstFrame: number;
  lastFrame: number;
  detections?: number;
  maxScore?: number;
}

export interface ReviewClip {
  camera: string;
  covered: { from: string; to: string };
  /** The master the plan was made for (not kept: the export cuts it again). */
  master: { file: string; sha256: string; frames: number };
  plan: { file: string; sha256: string; tracks: ReviewTrack[]; masks: number };
  contactSheet: { file: string; sha256: string };
}

/** review.json: what the review is of, and what the export that renders it must be given. */
export interface ReviewDocument {
  format: typeof REVIEW_FORMAT;
  reviewId: string;
  case: string | null;
  reason: string | null;
  school: { name: string };
  cameras: string[];
  requested: { from: string; to: string };
  covered: { from: string; to: string };
  timezone: string;
  what: DetectionKind[];
  clips: ReviewClip[];
  operator: { user: string; sudoUser?: string; host: string };
  createdAt: string;
  tool: { name: string; version: string };
  hold: { id: string } | null;
  keepUntil: string | null;
  /** The flags the rendering export must repeat, as typed, so that it cuts the same masters. */
  render: { cameras: string[]; from: string; to: string; case: string | null; reason: string | null; keepAudio: boolean; onCorrupt: string; out: string | null };
}

export interface ReviewResult {
  reviewId: string;
  reviewDir: string;
  review: ReviewDocument;
  reviewSha256: string;
  hold: Hold | null;
  holdReused: boolean;
  keepUntil: string | null;
  files: string[];
  auditSeq: number;
  /** The command that renders the reviewed plans (add --keep-track, --recipient … as needed). */
  next: string;
  warnings: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();
const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The export that renders this review's plans. */
export function renderCommand(doc: ReviewDocument, reviewDir: string): string {
  const r = doc.render;
  const args = [
    'toezicht', 'footage', 'export',
    ...r.cameras.flatMap((c) => ['--camera', c]),
    '--from', r.from, '--to', r.to,
    ...(r.case ? ['--case', r.case] : []),
    ...(r.reason ? ['--reason', r.reason] : []),
    ...(r.keepAudio ? ['--keep-audio'] : []),
    ...(r.onCorrupt !== 'fail' ? ['--on-corrupt', r.onCorrupt] : []),
    ...(r.out ? ['--out', r.out] : []),
    '--redact', '--plan', reviewDir,
  ];
  return args.map(quote).join(' ');
}

export async function reviewRedaction(config: Config, register: Register, request: ExportRequest, options: ExportOptions): Promise<ReviewResult> {
  const p = await prepareExport(config, register, { ...request, redact: request.redact ?? {} }, options, 'review');
  const record = await beginRun(register, p, 'review');
  let hold: Hold | null = null;
  try {
    const { existing } = await openWorkDir(record, request.force);
    let holdReused = false;
    ({ hold, reused: holdReused } = await preserve(register, p, `redaction review ${record.id}`));
    const clips = await cutClips(p, record.workDir, options);
    stopIfInterrupted(options);
    const reviewed: ReviewClip[] = [];
    const warnings: string[] = [];
    for (const c of clips) {
      const camera = c.sources.camera;
      const master = { path: path.join(record.workDir, c.clip.file), file: c.clip.file, sha256: c.clip.sha256 };
      const onProgress = (r: { phase: 'detect' | 'render' | 'sheet'; frame: number; frames: number; fps: number }): void =>
        options.onProgress?.({ phase: r.phase, camera: camera.id, done: r.frame, total: r.frames, fps: r.fps });
      const { plan } = await planFor({
        camera: camera.id,
        masks: camera.masks,
        master,
        loaded: p.redaction!,
        ffmpeg: config.ffmpeg,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress,
      });
      stopIfInterrupted(options);
      const planFile = besideClip(c.clip.file, 'redaction-plan.json');
      const written = await writePlan(plan, path.join(record.workDir, planFile));
      const sheetFile = besideClip(c.clip.file, 'contact-sheet.png');
      const sheet = await writeContactSheet({ plan, input: master.path, output: path.join(record.workDir, sheetFile), ffmpeg: config.ffmpeg, onProgress });
      await rm(master.path);
      if (!plan.tracks.length) warnings.push(`${camera.id}: the detector found no ${plan.detection.what.map((w) => `${w}s`).join(' or ')}; look at the footage before you hand out a copy, and add boxes to the plan where needed`);
      reviewed.push({
        camera: camera.id,
        covered: { from: iso(c.plan.covered.from), to: iso(c.plan.covered.to) },
        master: { file: c.clip.file, sha256: c.clip.sha256, frames: plan.input.frames },
        plan: {
          file: planFile,
          sha256: written.sha256,
          tracks: plan.tracks.map((t) => ({
            id: t.id,
            kind: t.kind,
            firstFrame: t.keyframes[0]!.frame,
            lastFrame: t.keyframes[t.keyframes.length - 1]!.frame,
            ...(t.detections !== undefined ? { detections: t.detections } : {}),
            ...(t.maxScore !== undefined ? { maxScore: t.maxScore } : {}),
          })),
          masks: plan.masks.length,
        },
        contactSheet: { file: sheetFile, sha256: sheet.sha256 },
      });
    }
    const keepUntil = lifetime(p, hold);
    const doc: ReviewDocument = {
      format: REVIEW_FORMAT,
      reviewId: record.id,
      case: p.caseRef ?? null,
      reason: p.reason ?? null,
      school: { name: config.school.name },
      cameras: p.cameraIds,
      requested: { from: iso(p.range.from), to: iso(p.range.to) },
      covered: { from: iso(Math.min(...clips.map((c) => c.plan.covered.from))), to: iso(Math.max(...clips.map((c) => c.plan.covered.to))) },
      timezone: config.school.timezone,
      what: p.redaction!.what,
      clips: reviewed,
      operator: { user: register.actor.user, ...(register.actor.sudoUser ? { sudoUser: register.actor.sudoUser } : {}), host: register.actor.host },
      createdAt: iso(options.now),
      tool: { name: 'toezicht', version: options.toolVersion },
      hold: hold ? { id: hold.id } : null,
      keepUntil: keepUntil === undefined ? null : iso(keepUntil),
      render: {
        cameras: p.cameraIds,
        from: request.from,
        to: request.to,
        case: p.caseRef ?? null,
        reason: p.reason ?? null,
        keepAudio: p.keepAudio,
        onCorrupt: p.onCorrupt,
        out: request.out ?? null,
      },
    };
    const next = request.reviewFor?.next ?? renderCommand(doc, record.packageDir);
    // What keeps this footage, as the CLI says it: the hold this review placed, or the holds already on it (the
    // request's own hold for a data-subject request), so the folder's text never contradicts the register.
    const heldBy = hold
      ? [hold]
      : (await register.listHolds()).filter((h) => !h.releasedAt && p.cameraIds.every((c) => h.cameras.includes(c)) && h.from <= p.range.from && h.to >= p.range.to);
    const docBytes = `${JSON.stringify(doc, null, 2)}\n`;
    await writeFile(path.join(record.workDir, REVIEW_FILE), docBytes, { flag: 'wx', mode: 0o600 });
    const nl = p.language === 'nl';
    const keeper = heldBy[0];
    const keepText = doc.keepUntil
      ? `${nl ? 'na' : 'after'} ${formatLocal(doc.keepUntil, doc.timezone, p.language)}`
      : keeper
        ? nl ? `zodra bewaarplicht ${keeper.id} is opgeheven` : `once hold ${keeper.id} is released`
        : nl ? 'niet vanzelf (voor deze camera geldt geen bewaartermijn)' : 'not by itself (no retention applies to this camera)';
    const readme = renderReviewReadme(p.language, {
      doc,
      next,
      created: formatLocal(doc.createdAt, doc.timezone, p.language),
      keepText,
      heldBy: heldBy.map((h) => {
        const request = h.kind === 'request' || h.kind === 'restriction';
        return nl
          ? { id: h.id, what: `${request ? 'verzoek' : 'zaak'} ${h.caseRef}`, until: request ? 'het verzoek' : 'de zaak' }
          : { id: h.id, what: `${request ? 'request' : 'case'} ${h.caseRef}`, until: request ? 'the request' : 'the case' };
      }),
      request: request.reviewFor?.request ?? null,
    });
    await writeFile(path.join(record.workDir, ENCRYPTED_README[p.language]), readme, { flag: 'wx', mode: 0o640 });
    stopIfInterrupted(options);
    const names = await readdir(record.workDir);
    let bytes = 0;
    for (const name of names) bytes += (await stat(path.join(record.workDir, name))).size;
    const reviewSha256 = sha(docBytes);
    const { entry } = await register.completeReview(record.id, {
      manifestSha256: reviewSha256,
      bytes,
      ...(keepUntil !== undefined ? { keepUntil } : {}),
      ...(hold ? { holdId: hold.id } : {}),
      audit: {
        ...(p.caseRef ? { case: p.caseRef } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
        cameras: p.cameraIds,
        from: doc.requested.from,
        to: doc.requested.to,
        covered: doc.covered,
        what: doc.what,
        clips: reviewed.map((c) => ({ camera: c.camera, master: c.master.sha256, plan: c.plan.file, planSha256: c.plan.sha256, tracks: c.plan.tracks.length, contactSheetSha256: c.contactSheet.sha256 })),
        reviewSha256,
        reviewDir: record.packageDir,
        ...(keepUntil !== undefined ? { keepUntil: iso(keepUntil) } : {}),
      },
    });
    await moveIntoPlace(record, existing);
    return {
      reviewId: record.id,
      reviewDir: record.packageDir,
      review: doc,
      reviewSha256,
      hold,
      holdReused,
      keepUntil: doc.keepUntil,
      files: names.sort(),
      auditSeq: entry.seq,
      next,
      warnings: [
        ...(keepUntil !== undefined && keepUntil <= options.now ? ['the footage is already older than the camera\'s retention, so this review expires at once and goes at the next purge; give --case (a hold) or --keep-until'] : []),
        ...(hold ? [] : ['no --case: the footage is not held, and may be purged before the plan is rendered']),
        ...p.sources.flatMap((s) => s.ignored.map((i) => `${s.camera.id}: ${s.view.id}:${i.relPath} was not read: ${i.reason}`)),
        ...warnings,
      ],
    };
  } catch (error) {
    return abandonRun(register, record, hold, error, options, 'review');
  }
}
