// One pass over the frames of a range: decode, hand every n-th frame (and the last) to the detector, and deliver the
// detections in frame order while the decoder runs on. Several detections are in flight at once, so detector
// workers, the decoder and whatever the caller does with the frames (the renderer) keep both cores busy.
import type { DetectHint, Detection, Detector, Frame } from './detect/index.js';
import { decodeFrames, stopped, type ClipInfo, type FramePool, type Range, type Tools } from './video.js';

export interface ScanTiming {
  /** Waiting for the decoder. */
  decode: number;
  /** Waiting for detections (the detector's own time is counted by the detector). */
  detectWait: number;
}

export interface ScanRequest {
  tools: Tools;
  input: string;
  info: ClipInfo;
  range: Range;
  detector: Detector;
  detectEvery: number;
  /** Detections in flight at most (default 2 per worker, at least 1). */
  inFlight: number;
  signal?: AbortSignal | undefined;
  /** Buffers for the frames; without onFrame, each is released once the detector has it. */
  pool?: FramePool;
  /** Every frame as decoded, in order, before its detections are known; the callee releases it to the pool. */
  onFrame?: (index: number, frame: Frame) => void | Promise<void>;
  /** Where the detector should look closely in a sampled frame (motion gating); called for each, in order. */
  hint?: (index: number, frame: Frame) => DetectHint | undefined;
  /** The detections of each sampled frame, in frame order. */
  onDetections: (index: number, found: Detection[]) => void | Promise<void>;
  timing: ScanTiming;
}

interface InFlight {
  index: number;
  frame: Frame;
  result: Promise<Detection[]>;
  settled: boolean;
}

/** Scans the range; returns the number of frames decoded. */
export async function scanFrames(request: ScanRequest): Promise<number> {
  const { detector, detectEvery, timing } = request;
  const queue: InFlight[] = [];
  const submit = (index: number, frame: Frame) => {
    const hint = request.hint?.(index, frame);
    const entry: InFlight = { index, frame, result: hint ? detector.detect(frame, index, hint) : detector.detect(frame, index), settled: false };
    entry.result.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    );
    queue.push(entry);
  };
  /** Delivers finished detections at the head of the queue; waits for the head while more than `keep` are open. */
  const deliver = async (keep: number) => {
    while (queue.length > 0 && (queue.length > keep || queue[0]!.settled)) {
      const head = queue[0]!;
      const t0 = performance.now();
      const found = await head.result;
      timing.detectWait += performance.now() - t0;
      queue.shift();
      // A detector may read its frame until it answers.
      if (!request.onFrame) request.pool?.release(head.frame.data);
      await request.onDetections(head.index, found);
    }
  };

  let frames = 0;
  let last: { index: number; frame: Frame } | undefined;
  const iterator = decodeFrames(request.tools, request.input, request.info, request.range, {
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.pool ? { pool: request.pool } : {}),
  })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const t0 = performance.now();
      const next = await iterator.next();
      timing.decode += performance.now() - t0;
      if (next.done) break;
      const index = frames++;
      const frame = next.value;
      if (last && !request.onFrame) request.pool?.release(last.frame.data);
      if (index % detectEvery === 0) {
        submit(index, frame);
        last = undefined;
      } else {
        last = { index, frame };
      }
      await request.onFrame?.(index, frame);
      await deliver(request.inFlight);
    }
    if (request.signal?.aborted) throw stopped();
    // The last frame is always looked at, so a track is not cut short at the end of the range.
    if (last) submit(last.index, last.frame);
    await deliver(0);
  } finally {
    await iterator.return?.(undefined);
    // Nothing left unhandled when the caller gives up half-way.
    await Promise.allSettled(queue.map((q) => q.result));
  }
  return frames;
}
