// Recorder footage with real faces in it: a scene from face-scene.mjs (faces from the photos in @vladmandic/face-api,
// moving over a corridor, with ground truth for every frame) cut into segments by ffmpeg's segment muxer, the way a
// recorder cuts its stream. Made once per spec per test process.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTool, runTool } from '../../src/core/media/index.js';
import { renderScene, type SceneActor, type SceneBox, type TruthEntry } from './face-scene.mjs';

export type { SceneActor, SceneBox, TruthEntry };

export interface FaceFootageSpec {
  actors: SceneActor[];
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** Segment length; a multiple of the scene's GOP (2 s). */
  segmentSeconds: number;
  audio?: boolean;
}

export interface FaceFootage {
  /** The segment files, in order. */
  segments: string[];
  /** Ground truth per frame of the whole scene. */
  truth: TruthEntry[][];
  frames: number;
}

const cacheRoot = path.join(tmpdir(), `toezicht-faces-${process.pid}`);
const made = new Map<string, FaceFootage>();

export function removeFaceFootage(): void {
  rmSync(cacheRoot, { recursive: true, force: true });
  made.clear();
}

export async function makeFaceFootage(spec: FaceFootageSpec): Promise<FaceFootage> {
  const key = JSON.stringify(spec);
  const known = made.get(key);
  if (known) return known;
  const dir = path.join(cacheRoot, String(made.size));
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const scene = path.join(dir, 'scene.mp4');
  const { truth, frames } = await renderScene({ file: scene, width: spec.width, height: spec.height, fps: spec.fps, seconds: spec.seconds, actors: spec.actors, audio: spec.audio ?? false });
  await runTool(resolveTool('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-i', scene, '-map', '0', '-c', 'copy', '-f', 'segment', '-segment_time', String(spec.segmentSeconds), '-reset_timestamps', '1', path.join(dir, 'seg%03d.mp4')]);
  const segments = readdirSync(dir).filter((n) => n.startsWith('seg')).sort().map((n) => path.join(dir, n));
  const footage = { segments, truth, frames };
  made.set(key, footage);
  return footage;
}
