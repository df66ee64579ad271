// One camera's clip: ffmpeg joins and cuts the planned frames into the package's work folder while the clip is
// hashed as it is written; the file is then read back to confirm what it holds.
import path from 'node:path';
import { chmod, rm } from 'node:fs/promises';
import { ToezichtError } from '../errors.js';
import { concatCopy, inspectMp4, timelineSpan, type ResolvedTool } from '../media/index.js';
import type { ClipPlan } from './cut.js';
import { GrowingFileHasher, sha256File } from './hash.js';
import { clipFileName } from './manifest.js';

export interface WrittenClip {
  file: string;
  sha256: string;
  bytes: number;
  durationSeconds: number;
  frames: number;
  notes: string[];
  /** The hash was taken while ffmpeg wrote (true), or by reading the file again. */
  hashedWhileWriting: boolean;
}

export interface ClipJob {
  camera: string;
  plan: ClipPlan;
  workDir: string;
  keepAudio: boolean;
  signal?: AbortSignal;
  onProgress?: (seconds: number) => void;
}

export async function writeClip(ffmpeg: ResolvedTool, job: ClipJob): Promise<WrittenClip> {
  const { plan } = job;
  const file = clipFileName(job.camera, plan.covered.from);
  const output = path.join(job.workDir, file);
  const listFile = path.join(job.workDir, `.${job.camera}.ffconcat`);
  // The media data is exactly the frames when they are copied as they are (video only, one configuration).
  const predictable = !job.keepAudio && !plan.mixedConfig && plan.frameBytes !== undefined && plan.streamIds !== undefined;
  const hasher = new GrowingFileHasher(output, predictable ? plan.frameBytes : undefined);
  hasher.start();
  let warnings: string[];
  try {
    ({ warnings } = await concatCopy(ffmpeg, {
      parts: plan.parts.map((p) => ({ file: p.segment.localPath, ...(p.inpoint !== undefined ? { inpoint: p.inpoint } : {}), ...(p.duration !== undefined ? { duration: p.duration } : {}) })),
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
    await rm(output, { force: true });
    throw error;
  } finally {
    await rm(listFile, { force: true });
  }
  await chmod(output, 0o640);
  const hashed = (await hasher.finish()) ?? undefined;
  const { sha256, bytes } = hashed ?? (await sha256File(output));
  const media = await inspectMp4(output);
  const span = timelineSpan(media.video);
  const frames = media.video.pts.length;
  // The clip must hold exactly the planned frames: a cut one keyframe off would be a clip of other minutes than
  // the manifest says. Frames copied as they are have the sizes of the source frames, in order.
  if (!plan.mixedConfig && media.video.sizes && plan.parts.every((p) => p.segment.media.video.sizes)) {
    const planned = plan.parts.flatMap((p) => Array.from(p.segment.media.video.sizes!.subarray(p.firstFrame, p.endFrame)));
    const actual = Array.from(media.video.sizes);
    if (planned.length !== actual.length || planned.some((n, i) => n !== actual[i])) {
      await rm(output, { force: true });
      throw new ToezichtError('export.cut', `ffmpeg did not cut camera ${job.camera}'s clip where it was planned (${actual.length} frames where ${planned.length} were planned); nothing was exported. Run it again with --verbose and report the output.`, {
        details: [`ffmpeg: ${ffmpeg.path} (${ffmpeg.source})`, ...warnings.slice(-5)],
      });
    }
  }
  const notes: string[] = [];
  if (plan.mixedConfig) notes.push('parameter sets are repeated in the stream: the camera changed its encoder settings within the period');
  for (const o of plan.overlaps) notes.push(`segment ${o.segment} starts ${o.seconds.toFixed(1)} s before the previous one ends (the recorder's clock stepped back); it follows it in the clip`);
  if (frames !== plan.frames) notes.push(`the clip has ${frames} frames where ${plan.frames} were planned`);
  for (const w of warnings) notes.push(`ffmpeg: ${w}`);
  return { file, sha256, bytes, durationSeconds: Math.round((span.end - Math.min(0, span.start)) * 1000) / 1000, frames, notes, hashedWhileWriting: hashed !== undefined };
}
