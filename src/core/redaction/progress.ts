// Progress of a long pass over frames: frames per second and the time left, for a terminal line or a log.

export interface RedactionProgress {
  phase: 'detect' | 'render' | 'sheet';
  /** Frames done in this phase. */
  frame: number;
  /** Frames expected in this phase (from the clip's duration; may be off by a frame). */
  frames: number;
  fps: number;
  etaSeconds: number | undefined;
}

export type ProgressCallback = (p: RedactionProgress) => void;

/** Reports at most every `intervalMs`, and always at the end. */
export function progressMeter(phase: RedactionProgress['phase'], frames: number, callback: ProgressCallback | undefined, intervalMs = 250) {
  const start = performance.now();
  let lastReport = 0;
  const report = (frame: number, final: boolean) => {
    if (!callback) return;
    const now = performance.now();
    if (!final && now - lastReport < intervalMs) return;
    lastReport = now;
    const seconds = (now - start) / 1000;
    const fps = seconds > 0 ? frame / seconds : 0;
    const left = Math.max(0, frames - frame);
    callback({ phase, frame, frames: Math.max(frames, frame), fps, etaSeconds: final ? 0 : fps > 0 ? left / fps : undefined });
  };
  return { tick: (frame: number) => report(frame, false), end: (frame: number) => report(frame, true) };
}
