// Real footage for tests: one continuous stream made by ffmpeg and cut by its segment muxer, the way Frigate and
// Surveillance Station cut theirs, then laid out in a storage tree under the names a recorder would give it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTool, runTool } from '../../src/core/media/index.js';
import { frigatePath, synologyPath } from './school.js';

export interface StreamSpec {
  /** Total length in seconds. */
  seconds: number;
  segmentSeconds: number;
  fps?: number;
  /** Frames between keyframes. */
  gop?: number;
  size?: string;
  audio?: boolean;
  /** Let x264 use B-frames (as some cameras do). */
  bframes?: boolean;
  /** Recorder metadata to strip. */
  title?: string;
}

const cacheRoot = path.join(tmpdir(), `toezicht-footage-${process.pid}`);

/** Removes the streams this test process made (call from afterAll). */
export function removeStreams(): void {
  rmSync(cacheRoot, { recursive: true, force: true });
}

/** Segment files of one continuous stream, in order (made once per spec per test process). */
export async function makeStream(spec: StreamSpec): Promise<string[]> {
  const fps = spec.fps ?? 10;
  const gop = spec.gop ?? 20;
  const key = `${spec.seconds}s-${spec.segmentSeconds}-${fps}-${gop}-${spec.size ?? '160x90'}-${spec.audio ? 'a' : 'n'}-${spec.bframes ? 'b' : 'p'}-${spec.title ?? ''}`.replace(/[^\w.-]/g, '_');
  const dir = path.join(cacheRoot, key);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    const ffmpeg = resolveTool('ffmpeg');
    await runTool(ffmpeg, [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', `testsrc2=size=${spec.size ?? '160x90'}:rate=${fps}`,
      ...(spec.audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000'] : []),
      '-t', String(spec.seconds),
      '-c:v', 'libx264', '-preset', spec.bframes ? 'veryfast' : 'ultrafast', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
      ...(spec.bframes ? ['-bf', '2', '-x264-params', 'open-gop=0'] : ['-bf', '0']),
      '-pix_fmt', 'yuv420p',
      ...(spec.audio ? ['-c:a', 'aac', '-b:a', '16k'] : []),
      ...(spec.title ? ['-metadata', `title=${spec.title}`, '-metadata', 'comment=recorder-internal'] : []),
      '-f', 'segment', '-segment_time', String(spec.segmentSeconds), '-reset_timestamps', '1',
      path.join(dir, 'seg%04d.mp4'),
    ]);
  }
  return readdirSync(dir).filter((n) => n.endsWith('.mp4')).sort().map((n) => path.join(dir, n));
}

/** Copies segments into a Frigate tree from `startMs`, one every `segmentSeconds`; returns their relative paths. */
export function placeFrigate(root: string, camera: string, startMs: number, segments: string[], segmentSeconds: number, skip: number[] = []): string[] {
  const placed: string[] = [];
  segments.forEach((file, i) => {
    if (skip.includes(i)) return;
    const rel = frigatePath(camera, startMs + i * segmentSeconds * 1000);
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    copyFileSync(file, path.join(root, rel));
    placed.push(rel);
  });
  return placed;
}

/** The same for a Synology Surveillance Station tree (local half-day folders, Unix time in the name). */
export function placeSynology(root: string, camera: string, startMs: number, segments: string[], segmentSeconds: number): string[] {
  return segments.map((file, i) => {
    const rel = synologyPath(camera, startMs + i * segmentSeconds * 1000);
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    copyFileSync(file, path.join(root, rel));
    return rel;
  });
}
