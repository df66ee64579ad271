// One camera's clip, written into the package's work folder and hashed as it is written; its index is then read
// back to confirm it holds exactly the planned frames. toezicht copies the frames itself when the segments allow it
// (MP4 with one decoder configuration, video only): no process, and object storage is read once, streamed. Other
// footage (other containers, changed encoder settings, --keep-audio) is joined by ffmpeg's concat demuxer.
import { chmod, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { ToezichtError } from '../errors.js';
import { ConcatError, SourceReadError, concatCopy, copyableLayouts, inspectMp4, openMediaFile, timelineSpan, writeMp4Clip, type ResolvedTool } from '../media/index.js';
import type { ClipPlan, InspectedSegment } from './cut.js';
import { GrowingFileHasher, sha256File, sha256Reader } from './hash.js';
import { clipFileName } from './manifest.js';

export interface WrittenClip {
  file: string;
  sha256: string;
  bytes: number;
  durationSeconds: number;
  frames: number;
  notes: string[];
  /** The hash was taken while the clip was written (true), or by reading the file again. */
  hashedWhileWriting: boolean;
  /** Who joined the frames: toezicht's own MP4 writer, or ffmpeg. */
  writer: 'toezicht' | 'ffmpeg';
  /** Sources hashed while they were copied (each read once), by their localPath; the rest are hashed beside ffmpeg. */
  sourceHashes: Map<string, { sha256: string; bytes: number }>;
}

export interface ClipJob {
  camera: string;
  plan: ClipPlan;
  workDir: string;
  keepAudio: boolean;
  /** Hash every source while it is copied (a package): each is then read once, whole. Objects are always hashed. */
  hashSources?: boolean;
  signal?: AbortSignal;
  onProgress?: (seconds: number) => void;
}

/** Whether toezicht can copy the plan's frames itself (see the top of this file). */
export function copiesItself(plan: ClipPlan, keepAudio: boolean): boolean {
  const audio = keepAudio && plan.parts.some((p) => p.segment.media.tracks.some((t) => t.kind === 'audio' && t.samples > 0));
  // A gap is carried by one frame's duration, a 32-bit count of the track's units (13 hours at 90 kHz).
  const gapFits = plan.parts.every((p) => !p.segment.media.video.layout || (p.gapAfter ?? 0) * p.segment.media.video.layout.timescale < 2 ** 32 - 2 ** 26);
  return !audio && !plan.mixedConfig && gapFits && plan.parts.every((p) => p.segment.media.video.sizes) && copyableLayouts(plan.parts.map((p) => p.segment.media.video.layout));
}

export async function writeClip(ffmpeg: ResolvedTool, job: ClipJob): Promise<WrittenClip> {
  const { plan } = job;
  const file = clipFileName(job.camera, plan.covered.from);
  const output = path.join(job.workDir, file);
  let written: { sha256: string; bytes: number; hashedWhileWriting: boolean; warnings: string[]; sourceHashes: Map<string, { sha256: string; bytes: number }> };
  let writer: WrittenClip['writer'];
  try {
    if (copiesItself(plan, job.keepAudio)) {
      writer = 'toezicht';
      written = await copyFrames(job, output);
    } else {
      writer = 'ffmpeg';
      written = await joinWithFfmpeg(ffmpeg, job, output);
    }
  } catch (error) {
    await rm(output, { force: true });
    if (job.signal?.aborted) throw new ToezichtError('export.interrupted', 'The export was interrupted; nothing was written.');
    throw error;
  }
  const { sha256, bytes, hashedWhileWriting, warnings, sourceHashes } = written;
  const media = await inspectMp4(output);
  const span = timelineSpan(media.video);
  const frames = media.video.pts.length;
  // The clip must hold exactly the planned frames: a cut one keyframe off would be a clip of other minutes than
  // the manifest says. Frames copied as they are have the sizes of the source frames, in order.
  if (!plan.mixedConfig && media.video.sizes && plan.parts.every((p) => p.segment.media.video.sizes)) {
    const actual = media.video.sizes;
    const planned = plan.parts.reduce((n, p) => n + p.endFrame - p.firstFrame, 0);
    let i = 0;
    let same = planned === actual.length;
    for (const p of plan.parts) {
      const sizes = p.segment.media.video.sizes!;
      for (let f = p.firstFrame; same && f < p.endFrame; f++) same = sizes[f] === actual[i++];
    }
    if (!same) {
      await rm(output, { force: true });
      throw new ToezichtError('export.cut', `The clip of camera ${job.camera} was not cut where it was planned (${actual.length} frames where ${planned} were planned); nothing was exported. Run it again with --verbose and report the output.`, {
        details: [writer === 'ffmpeg' ? `ffmpeg: ${ffmpeg.path} (${ffmpeg.source})` : 'written by toezicht', ...warnings.slice(-5)],
      });
    }
  }
  const notes: string[] = [];
  if (plan.mixedConfig) notes.push('parameter sets are repeated in the stream: the camera changed its encoder settings within the period');
  for (const o of plan.overlaps) notes.push(`segment ${o.segment} starts ${o.seconds.toFixed(1)} s before the previous one ends (the recorder's clock stepped back); it follows it in the clip`);
  if (frames !== plan.frames) notes.push(`the clip has ${frames} frames where ${plan.frames} were planned`);
  for (const w of warnings) notes.push(`ffmpeg: ${w}`);
  return { file, sha256, bytes, durationSeconds: Math.round((span.end - Math.min(0, span.start)) * 1000) / 1000, frames, notes, hashedWhileWriting, writer, sourceHashes };
}

/** Opens a segment: the file, or the inspected version of the object. */
function opener(segment: InspectedSegment): () => Promise<Awaited<ReturnType<typeof openMediaFile>>> {
  return segment.open ?? (() => openMediaFile(segment.localPath));
}

async function copyFrames(job: ClipJob, output: string): Promise<Awaited<ReturnType<typeof joinWithFfmpeg>>> {
  const { plan } = job;
  const seconds = (plan.covered.to - plan.covered.from) / 1000;
  const result = await writeMp4Clip({
    parts: plan.parts.map((p) => ({
      open: opener(p.segment),
      layout: p.segment.media.video.layout!,
      sizes: p.segment.media.video.sizes!,
      bytes: p.segment.media.bytes,
      keyframes: p.segment.media.video.keyframes,
      firstFrame: p.firstFrame,
      endFrame: p.endFrame,
      gapAfter: p.gapAfter ?? 0,
      hashSource: Boolean(job.hashSources || p.segment.open),
    })),
    output,
    creationTime: plan.covered.from,
    ...(job.onProgress ? { onProgress: (done: number, total: number) => job.onProgress!((done / Math.max(1, total)) * seconds) } : {}),
    ...(job.signal ? { signal: job.signal } : {}),
  }).catch((error: unknown) => {
    // Reported like a segment ffmpeg cannot read, so --on-corrupt decides (stages.ts).
    if (error instanceof SourceReadError) {
      const segment = plan.parts[error.part]!.segment;
      throw new ConcatError(`${segment.relPath}: ${error.message}`, { file: segment.localPath, details: [] });
    }
    throw error;
  });
  const sourceHashes = new Map<string, { sha256: string; bytes: number }>();
  plan.parts.forEach((p, i) => {
    const h = result.sourceHashes[i];
    if (h) sourceHashes.set(p.segment.localPath, h);
  });
  return { sha256: result.sha256, bytes: result.bytes, hashedWhileWriting: true, warnings: [], sourceHashes };
}

/**
 * Object storage for ffmpeg: the segments of the clip are fetched into a folder of the work folder (the inspected
 * versions, hashed on the way) and removed after. Only the segments of the asked range, never a day's footage.
 */
async function fetchForFfmpeg(plan: ClipPlan, dir: string): Promise<{ files: Map<InspectedSegment, string>; hashes: Map<string, { sha256: string; bytes: number }> }> {
  const files = new Map<InspectedSegment, string>();
  const hashes = new Map<string, { sha256: string; bytes: number }>();
  const remote = plan.parts.filter((p) => p.segment.open);
  if (!remote.length) return { files, hashes };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let n = 0;
  for (const { segment } of remote) {
    const file = path.join(dir, `${String(n++).padStart(5, '0')}${path.extname(segment.relPath)}`);
    const source = await segment.open!();
    const out = await open(file, 'wx', 0o600);
    try {
      let at = 0;
      const hashed = await sha256Reader(source, async (chunk) => {
        for (let done = 0; done < chunk.length; ) done += (await out.write(chunk, done, chunk.length - done, at + done)).bytesWritten;
        at += chunk.length;
      });
      if (hashed.bytes !== source.bytes) throw new Error(`${segment.relPath} ended at byte ${hashed.bytes} of ${source.bytes}`);
      hashes.set(segment.localPath, hashed);
      files.set(segment, file);
    } finally {
      await out.close();
      await source.close();
    }
  }
  return { files, hashes };
}

async function joinWithFfmpeg(ffmpeg: ResolvedTool, job: ClipJob, output: string): Promise<{ sha256: string; bytes: number; hashedWhileWriting: boolean; warnings: string[]; sourceHashes: Map<string, { sha256: string; bytes: number }> }> {
  const { plan } = job;
  const listFile = path.join(job.workDir, `.${job.camera}.ffconcat`);
  const fetchDir = path.join(job.workDir, `.${job.camera}.sources`);
  const fetched = await fetchForFfmpeg(plan, fetchDir);
  // The media data is exactly the frames when they are copied as they are (video only, one configuration).
  const predictable = !job.keepAudio && !plan.mixedConfig && plan.frameBytes !== undefined && plan.streamIds !== undefined;
  const hasher = new GrowingFileHasher(output, predictable ? plan.frameBytes : undefined);
  hasher.start();
  let warnings: string[];
  try {
    ({ warnings } = await concatCopy(ffmpeg, {
      parts: plan.parts.map((p) => ({ file: fetched.files.get(p.segment) ?? p.segment.localPath, ...(p.inpoint !== undefined ? { inpoint: p.inpoint } : {}), ...(p.duration !== undefined ? { duration: p.duration } : {}) })),
      listFile,
      output,
      ...(plan.streamIds ? { streamIds: plan.streamIds } : {}),
      keepAudio: job.keepAudio,
      ...(plan.limit !== undefined ? { limit: plan.limit } : {}),
      creationTime: new Date(plan.covered.from).toISOString(),
      convertParameterSets: plan.mixedConfig,
      ...(job.onProgress ? { onProgress: job.onProgress } : {}),
      ...(job.signal ? { signal: job.signal } : {}),
    }));
  } catch (error) {
    await hasher.abandon();
    // A local copy ffmpeg could not read stands for its object.
    if (error instanceof ConcatError && error.file) {
      const segment = [...fetched.files].find(([, f]) => f === error.file)?.[0];
      if (segment) throw new ConcatError(error.message, { file: segment.localPath, details: error.details });
    }
    throw error;
  } finally {
    await rm(listFile, { force: true });
    await rm(fetchDir, { recursive: true, force: true });
  }
  await chmod(output, 0o640);
  const hashed = (await hasher.finish()) ?? undefined;
  const { sha256, bytes } = hashed ?? (await sha256File(output));
  return { sha256, bytes, hashedWhileWriting: hashed !== undefined, warnings, sourceHashes: fetched.hashes };
}
