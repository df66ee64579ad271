// Types for face-scene.mjs (plain JS, shared with bench/redact).
export interface SceneBox {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface SceneActor {
  face: number;
  z?: number;
  keys: { t: number; x: number; y: number; h: number }[];
}
export interface TruthEntry {
  actor: number;
  box: SceneBox;
  h: number;
  visible: number;
}
export const FACES: unknown[];
export function ffmpegPath(): string;
export function random(seed: number): () => number;
export function renderScene(options: {
  file: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  actors: SceneActor[];
  audio?: boolean;
  seed?: number;
  preset?: string;
  crf?: number;
}): Promise<{ truth: TruthEntry[][]; frames: number }>;
export function coverage(box: SceneBox, covering: SceneBox[], width: number, height: number, step?: number): { total: number; covered: number; share: number };
export function visibleShare(box: SceneBox, width: number, height: number): number;
