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

/** A detection asked for on a frame between the sampled ones (dense detection around a young or lost track). */
export interface DenseRequest<T = unknown> {
  frame: number;
  hint: DetectHint;
  /** Given back with the answer. */
  tag: T;
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
  /**
   * Where the detector should look closely in a sampled frame (motion gating); called for each, in order. `whole`:
   * the first and last frame, and both sides of a cut, are looked at whole.
   */
  hint?: (index: number, frame: Frame, whole: boolean) => DetectHint | undefined;
  /** Finds cuts: called for every frame in order; true when it shows another scene than the frame before. */
  isCut?: (index: number, frame: Frame) => boolean;
  /** A cut at `index`, told before the detections of that frame. */
  onCut?: (index: number) => void;
  /**
   * The detections of each sampled frame, in frame order. May ask for dense detections on frames up to
   * `denseReach` frames back (or any frame ahead); their answers come to onDense, in no particular order.
   */
  onDetections: (index: number, found: Detection[]) => void | DenseRequest[] | Promise<void | DenseRequest[]>;
  onDense?: (request: DenseRequest, found: Detection[]) => void;
  /** How many frames back dense detections may ask for (frames kept for them). */
  denseReach?: number;
  timing: ScanTiming;
}

interface InFlight {
  index: number;
  frame: Frame;
  result: Promise<Detection[]>;
  settled: boolean;
  cut: boolean;
  dense?: DenseRequest;
}

/** Scans the range; returns the number of frames decoded. */
export async function scanFrames(request: ScanRequest): Promise<number> {
  const { detector, detectEvery, timing } = request;
  const queue: InFlight[] = [];
  const reach = request.onDense ? (request.denseReach ?? 0) : 0;
  /** The last frames decoded (for dense detections and cuts), oldest first. */
  const recent: { index: number; frame: Frame }[] = [];
  /** Dense detections asked for frames not decoded yet. */
  const ahead: DenseRequest[] = [];
  const owned = !request.onFrame;
  /** Frames the scan owns go back to the pool once neither kept nor in flight. */
  const maybeRelease = (frame: Frame) => {
    if (!owned) return;
    if (recent.some((r) => r.frame === frame) || queue.some((q) => q.frame === frame)) return;
    request.pool?.release(frame.data);
  };
  const track = (entry: InFlight) => {
    entry.result.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    );
    queue.push(entry);
  };
  const submit = (index: number, frame: Frame, whole: boolean, cut: boolean) => {
    const hint = request.hint?.(index, frame, whole);
    track({ index, frame, result: hint ? detector.detect(frame, index, hint) : detector.detect(frame, index), settled: false, cut });
  };
  const submitDense = (dense: DenseRequest, frame: Frame) => {
    track({ index: dense.frame, frame, result: detector.detect(frame, dense.frame, dense.hint), settled: false, cut: false, dense });
  };
  const ask = (wanted: void | DenseRequest[]) => {
    for (const d of wanted ?? []) {
      const have = recent.find((r) => r.index === d.frame);
      if (have) submitDense(d, have.frame);
      else if (d.frame > (recent[recent.length - 1]?.index ?? -1)) ahead.push(d);
    }
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
      maybeRelease(head.frame);
      if (head.dense) request.onDense?.(head.dense, found);
      else {
        if (head.cut) request.onCut?.(head.index);
        ask(await request.onDetections(head.index, found));
      }
    }
  };

  let frames = 0;
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
      const previous = recent[recent.length - 1];
      const cut = index > 0 && Boolean(request.isCut?.(index, frame));
      // Both sides of a cut are looked at whole: the frame before (unless sampled already) and the cut itself.
      if (cut && previous && previous.index % detectEvery !== 0) submit(previous.index, previous.frame, true, false);
      recent.push({ index, frame });
      // The frame before is kept for a cut that the next one may show; more when dense detection may look back.
      while (recent.length > Math.max(2, reach + 1)) maybeRelease(recent.shift()!.frame);
      if (index === 0 || cut || index % detectEvery === 0) submit(index, frame, index === 0 || cut, cut);
      for (let i = ahead.length - 1; i >= 0; i--) {
        if (ahead[i]!.frame === index) submitDense(ahead.splice(i, 1)[0]!, frame);
      }
      await request.onFrame?.(index, frame);
      await deliver(request.inFlight);
    }
    if (request.signal?.aborted) throw stopped();
    // The last frame is always looked at, whole, so a track is not cut short at the end of the range.
    const last = recent[recent.length - 1];
    if (last && last.index % detectEvery !== 0) submit(last.index, last.frame, true, false);
    // Dense detections may ask for frames up to the last; they are answered before the end.
    while (queue.length > 0) await deliver(0);
    recent.splice(0).forEach((r) => maybeRelease(r.frame));
  } finally {
    await iterator.return?.(undefined);
    // Nothing left unhandled when the caller gives up half-way.
    await Promise.allSettled(queue.map((q) => q.result));
  }
  return frames;
}
