// `footage export --redact`: a redacted working copy beside each master clip, from a plan made here or reviewed by
// the operator (--plan). The master is never touched (LEGAL §5: a redacted copy is renamed and uniquely identified);
// the copy, the plan it was rendered from and their hashes go into the package and its manifest.
import { chmod, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PrivacyMask } from '../config/index.js';
import { UsageError } from '../errors.js';
import {
  parseRedactWhat,
  planRedaction,
  readPlan,
  redact,
  renderRedaction,
  writePlan,
  type DetectionKind,
  type Detector,
  type PlanOptions,
  type RedactionPlan,
  type RedactionProgress,
  type RedactionStyle,
  type RenderResult,
} from '../redaction/index.js';
import { besideClip, type ManifestRedacted } from './manifest.js';

export interface RedactRequest {
  /** What to find (default faces); not with `plans` (a plan says what it covers). */
  what?: DetectionKind[] | string;
  style?: RedactionStyle | string;
  /** Reviewed plans (--plan): files, or review folders whose plans are all taken. One per camera. */
  plans?: string[];
  /** Tracks left visible (--keep-track): `ID`, or `CAMERA:ID` in a package of several cameras. Needs `plans`. */
  keepTracks?: string[];
  /** Engine settings (tests, the benchmark). */
  options?: PlanOptions;
  /** A detector instead of the shipped models (tests). */
  detector?: Detector;
}

export interface ReviewedPlan {
  /** Where it was read from. */
  source: string;
  plan: RedactionPlan;
}

/** A redaction request checked before anything is read or written. */
export interface LoadedRedaction {
  what: DetectionKind[];
  style: RedactionStyle;
  reviewed: ReviewedPlan[] | undefined;
  keep: { camera?: string; id: string; text: string }[];
  options?: PlanOptions;
  detector?: Detector;
}

const PLAN_SUFFIX = '.redaction-plan.json';
const STYLES: readonly RedactionStyle[] = ['pixelate', 'fill'];

export async function loadRedaction(request: RedactRequest): Promise<LoadedRedaction> {
  const style = (request.style ?? 'pixelate') as RedactionStyle;
  if (!STYLES.includes(style)) throw new UsageError('redaction.style', `Unknown redaction style "${String(request.style)}"; use pixelate or fill (never blur: it can be partly undone).`);
  const plans = request.plans ?? [];
  if (plans.length && request.what !== undefined) {
    throw new UsageError('redaction.what', '--redact-what does not go with --plan: the reviewed plan says what is redacted (make a new plan with --plan-only to change it).');
  }
  const what = request.what === undefined ? (['face'] as DetectionKind[]) : typeof request.what === 'string' ? parseRedactWhat(request.what) : request.what;
  const keep = (request.keepTracks ?? []).map((text) => {
    const m = /^(?:([A-Za-z0-9][A-Za-z0-9_-]*):)?([A-Za-z0-9][A-Za-z0-9_.-]*)$/.exec(text.trim());
    if (!m) throw new UsageError('redaction.keep-track', `--keep-track "${text}" is not a track id; give the id shown on the contact sheet (e.g. f2), or CAMERA:ID.`);
    return { ...(m[1] ? { camera: m[1] } : {}), id: m[2]!, text };
  });
  if (keep.length && !plans.length) {
    // Track ids come from a plan the operator looked at; a plan made again might number its tracks otherwise, and
    // leave the wrong person visible.
    throw new UsageError('redaction.keep-track', '--keep-track names a track of a reviewed plan: make the plan with --plan-only, look at the contact sheet, and give the plan with --plan.');
  }
  const reviewed: ReviewedPlan[] = [];
  for (const given of plans) {
    const st = await stat(given).catch(() => undefined);
    if (st?.isDirectory()) {
      const names = (await readdir(given)).filter((n) => n.endsWith(PLAN_SUFFIX)).sort();
      if (!names.length) throw new UsageError('redaction.plan-unreadable', `${given} holds no redaction plan (*${PLAN_SUFFIX}); give the review folder that --plan-only wrote, or a plan file.`);
      for (const n of names) reviewed.push({ source: path.join(given, n), plan: await readPlan(path.join(given, n)) });
    } else {
      reviewed.push({ source: given, plan: await readPlan(given) });
    }
  }
  return {
    what: plans.length ? [] : what,
    style,
    reviewed: plans.length ? reviewed : undefined,
    keep,
    ...(request.options ? { options: request.options } : {}),
    ...(request.detector ? { detector: request.detector } : {}),
  };
}

export interface ClipToRedact {
  camera: string;
  /** The master's file name in the package. */
  file: string;
}

/**
 * Which reviewed plan belongs to which clip (by the clip's file name, which says camera and start), and which of its
 * tracks stay visible. Every clip needs exactly one plan and every plan a clip: a review of other minutes is refused.
 */
export function assignPlans(loaded: LoadedRedaction, clips: ClipToRedact[]): Map<string, { reviewed?: ReviewedPlan; keep: string[] }> {
  const out = new Map<string, { reviewed?: ReviewedPlan; keep: string[] }>(clips.map((c) => [c.camera, { keep: [] }]));
  if (loaded.reviewed) {
    for (const r of loaded.reviewed) {
      const name = path.basename(r.plan.input.file);
      const clip = clips.find((c) => c.file === name);
      if (!clip) {
        throw new UsageError(
          'redaction.plan-other-clip',
          `The plan ${r.source} is for the clip ${name}, which this export does not make (it makes ${clips.map((c) => c.file).join(', ')}); export the same cameras and minutes as the review, or make a new plan with --plan-only.`,
        );
      }
      const slot = out.get(clip.camera)!;
      if (slot.reviewed) throw new UsageError('redaction.plan-twice', `Two plans for camera ${clip.camera}: ${slot.reviewed.source} and ${r.source}; give one.`);
      slot.reviewed = r;
    }
    const missing = clips.filter((c) => !out.get(c.camera)!.reviewed);
    if (missing.length) {
      throw new UsageError('redaction.plan-missing', `No plan for camera ${missing.map((c) => c.camera).join(', ')} among --plan; give the review folder, or a plan for every camera.`);
    }
  }
  for (const k of loaded.keep) {
    if (k.camera !== undefined && !clips.some((c) => c.camera === k.camera)) {
      throw new UsageError('redaction.keep-track', `--keep-track ${k.text}: camera ${k.camera} is not in this export.`);
    }
    // The contact sheet prints ids in capitals (F2 for f2): an id matches exactly, else regardless of case.
    const idIn = (c: ClipToRedact): string | undefined => {
      const tracks = out.get(c.camera)!.reviewed?.plan.tracks ?? [];
      return tracks.find((t) => t.id === k.id)?.id ?? tracks.filter((t) => t.id.toLowerCase() === k.id.toLowerCase()).map((t) => t.id).find((_, i, all) => all.length === 1);
    };
    const holders = clips.filter((c) => (k.camera === undefined || c.camera === k.camera) && idIn(c) !== undefined);
    if (!holders.length) throw new UsageError('redaction.unknown-track', `--keep-track ${k.text}: the plan${k.camera ? ` of camera ${k.camera}` : 's'} has no track ${k.id}; see the contact sheet for the track ids.`);
    if (holders.length > 1) throw new UsageError('redaction.keep-track', `--keep-track ${k.text}: cameras ${holders.map((c) => c.camera).join(' and ')} both have a track ${k.id}; name the camera, e.g. --keep-track ${holders[0]!.camera}:${k.id}.`);
    const slot = out.get(holders[0]!.camera)!;
    const id = idIn(holders[0]!)!;
    if (!slot.keep.includes(id)) slot.keep.push(id);
  }
  return out;
}

/** The camera's static masks always apply: any the plan lacks (an edit removed it) are put back. */
export function withCameraMasks(plan: RedactionPlan, masks: readonly PrivacyMask[] | undefined): RedactionPlan {
  const same = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean => JSON.stringify(a) === JSON.stringify(b);
  const missing = (masks ?? []).filter((m) => !plan.masks.some((p) => same(p.polygon, m.polygon)));
  if (!missing.length) return plan;
  const ids = new Set(plan.masks.map((m) => m.id));
  let n = 1;
  const added = missing.map((m) => {
    while (ids.has(`m${n}`)) n++;
    ids.add(`m${n}`);
    return { id: `m${n}`, ...(m.name ? { name: m.name } : {}), polygon: m.polygon.map(([x, y]) => [x, y] as [number, number]) };
  });
  return { ...plan, masks: [...plan.masks, ...added] };
}

export interface RedactClipJob {
  camera: string;
  masks: readonly PrivacyMask[] | undefined;
  /** The master in the work folder, and its hash. */
  master: { path: string; file: string; sha256: string };
  reviewed?: ReviewedPlan;
  keep: string[];
  loaded: LoadedRedaction;
  keepAudio: boolean;
  ffmpeg: { path?: string; ffprobe?: string };
  signal?: AbortSignal;
  onProgress?: (p: RedactionProgress) => void;
}

/** Plans a master (or takes its reviewed plan) and makes the plan. The plan names the master by file name only. */
export async function planFor(job: Pick<RedactClipJob, 'camera' | 'masks' | 'master' | 'reviewed' | 'loaded' | 'ffmpeg' | 'signal' | 'onProgress'>): Promise<{ plan: RedactionPlan; source: 'made' | 'reviewed' }> {
  if (job.reviewed) {
    const { plan, source } = job.reviewed;
    if (plan.input.sha256 && plan.input.sha256 !== job.master.sha256) {
      throw new UsageError(
        'redaction.plan-mismatch',
        `The plan ${source} was made for other footage than camera ${job.camera}'s clip now (its SHA-256 differs): the recordings changed, or the review was made with other times or another --keep-audio. Give the same --from, --to and --keep-audio as the review, or make a new plan with --plan-only.`,
      );
    }
    return { plan: withCameraMasks(plan, job.masks), source: 'reviewed' };
  }
  const plan = await planRedaction({
    input: job.master.path,
    what: job.loaded.what,
    ...(job.masks ? { masks: job.masks } : {}),
    ...(job.loaded.options ? { options: job.loaded.options } : {}),
    ...(job.loaded.detector ? { detector: job.loaded.detector } : {}),
    ffmpeg: job.ffmpeg,
    ...(job.signal ? { signal: job.signal } : {}),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
  });
  // The plan travels with the package or the review: it names the clip, not the work folder it was made in.
  return { plan: { ...plan, input: { ...plan.input, file: job.master.file } }, source: 'made' };
}

/** Writes `<camera>_<start>.redacted.mp4` and its plan beside the master; returns what the manifest says of them. */
export async function redactClip(job: RedactClipJob): Promise<ManifestRedacted> {
  const dir = path.dirname(job.master.path);
  const file = besideClip(job.master.file, 'redacted.mp4');
  const common = {
    input: job.master.path,
    style: job.loaded.style,
    keepAudio: job.keepAudio,
    output: path.join(dir, file),
    ffmpeg: job.ffmpeg,
    ...(job.signal ? { signal: job.signal } : {}),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
  };
  let plan: RedactionPlan;
  let source: 'made' | 'reviewed';
  let r: RenderResult;
  if (job.reviewed) {
    ({ plan, source } = await planFor(job));
    r = await renderRedaction({ ...common, plan, keepTracks: job.keep });
  } else {
    // No review: plan and render in one decoding pass (the engine falls back to two when it must).
    const done = await redact({
      ...common,
      what: job.loaded.what,
      ...(job.masks ? { masks: job.masks } : {}),
      ...(job.loaded.options ? { options: job.loaded.options } : {}),
      ...(job.loaded.detector ? { detector: job.loaded.detector } : {}),
    });
    // The plan travels with the package: it names the clip, not the work folder it was made in.
    plan = { ...done.plan, input: { ...done.plan.input, file: job.master.file } };
    source = 'made';
    r = done.render;
  }
  const planFile = besideClip(job.master.file, 'redaction-plan.json');
  const written = await writePlan(plan, path.join(dir, planFile));
  // Package files are 0640 (personal data, readable by the group that handles exports).
  await chmod(path.join(dir, file), 0o640);
  await chmod(path.join(dir, planFile), 0o640);
  return {
    file,
    sha256: r.sha256,
    bytes: r.bytes,
    master: { file: job.master.file, sha256: job.master.sha256 },
    frames: r.frames,
    durationSeconds: Math.round(r.durationSeconds * 1000) / 1000,
    width: r.width,
    height: r.height,
    fps: `${r.fps.num}/${r.fps.den}`,
    codec: 'h264',
    encoder: r.encoder,
    audio: r.audio,
    style: r.style,
    what: plan.detection.what,
    planFile,
    planSha256: written.sha256,
    planSource: source,
    tracks: plan.tracks.length,
    keptTracks: r.keptTracks,
    redactedTracks: r.redactedTracks,
    masks: r.masks,
    models: r.models.map((m) => ({ name: m.name, package: m.package, packageVersion: m.packageVersion, licence: m.licence, sha256: m.sha256 })),
    runtime: plan.detection.runtime,
    detectEvery: plan.detection.detectEvery,
  };
}
