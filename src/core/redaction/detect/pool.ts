// Detectors in worker threads, each running its own frames: ONNX Runtime with one thread per session uses a core
// fully (no waits between parallel sections), and the main thread stays free to feed the decoder and the encoder.
// On two cores two one-thread detectors do about a third more frames per CPU-second than one two-thread detector.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ToezichtError } from '../../errors.js';
import type { ModelInfo } from '../model/models.js';
import type { Frame } from './image.js';
import type { DetectorOptions } from './local.js';
import type { DetectHint, Detection, Detector } from './types.js';

export type WorkerRequest = { type: 'detect'; id: number; index: number; width: number; height: number; data: ArrayBuffer; hint?: DetectHint | undefined } | { type: 'close' };
export type WorkerReply =
  | { type: 'ready'; models: ModelInfo[]; runtime: string; settings: Record<string, unknown> }
  | { type: 'failed'; message: string; code?: string | undefined }
  | { type: 'result'; id: number; found: Detection[]; ms: number; cpuMs: number; data: ArrayBuffer }
  | { type: 'error'; id: number; message: string };

/** A detector that also says how long the detections took, apart from the waiting. */
export interface TimedDetector extends Detector {
  /** Milliseconds spent detecting (in all workers together). */
  readonly busyMs: number;
  /** CPU milliseconds the workers spent detecting (on Linux; elsewhere the same as busyMs). */
  readonly cpuMs: number;
  /** Worker threads, each detecting one frame at a time. */
  readonly workers: number;
}

/**
 * The compiled worker script. Tests run the TypeScript sources, which a worker thread cannot load; they get the
 * compiled worker from dist/, which the test setup refuses to run without a fresh build of.
 */
export function workerScript(): URL | undefined {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(`${path.sep}src${path.sep}`, `${path.sep}dist${path.sep}`);
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

interface Pending {
  resolve: (found: Detection[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export async function openDetectorPool(options: DetectorOptions, count: number, script: URL): Promise<TimedDetector> {
  const workerOptions: DetectorOptions = { ...options, threads: options.threads ?? 1, workers: 0 };
  let nextId = 0;
  let busyMs = 0;
  let cpuMs = 0;
  /** Buffers the workers gave back, for the next frames. */
  const spare: ArrayBuffer[] = [];
  let closing = false;
  const slots: Slot[] = [];
  const failAll = (slot: Slot, error: Error) => {
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
  };
  const started = Array.from({ length: count }, async () => {
    const worker = new Worker(script, { workerData: workerOptions });
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    return new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'failed') reject(new ToezichtError(m.code ?? 'redaction.detector', m.message));
        else {
          const p = slot.pending.get(m.id);
          slot.pending.delete(m.id);
          if (m.type === 'result') {
            busyMs += m.ms;
            cpuMs += m.cpuMs;
            if (spare.length < 2 * count + 2) spare.push(m.data);
            p?.resolve(m.found);
          } else p?.reject(new ToezichtError('redaction.detector', `Detection failed: ${m.message}`));
        }
      });
      worker.on('error', (error) => {
        reject(error);
        failAll(slot, new ToezichtError('redaction.detector', `A detection worker stopped: ${error.message}`, { cause: error }));
      });
      worker.on('exit', (code) => {
        if (!closing) {
          const error = new ToezichtError('redaction.detector', `A detection worker exited (code ${code}).`);
          reject(error);
          failAll(slot, error);
        }
      });
    });
  });
  let first: Extract<WorkerReply, { type: 'ready' }>;
  try {
    [first] = (await Promise.all(started)) as [Extract<WorkerReply, { type: 'ready' }>];
  } catch (error) {
    closing = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw error;
  }
  return {
    kinds: options.what,
    models: first.models,
    runtime: first.runtime,
    settings: first.settings,
    get busyMs() {
      return busyMs;
    },
    get cpuMs() {
      return cpuMs;
    },
    workers: count,
    detect(frame: Frame, index: number, hint?: DetectHint): Promise<Detection[]> {
      if (closing) return Promise.reject(new ToezichtError('redaction.detector', 'The detector is closed.'));
      // The least busy worker; a copy of the frame, since the caller may still paint it.
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      let data = spare.pop();
      if (!data || data.byteLength !== frame.data.byteLength) data = new ArrayBuffer(frame.data.byteLength);
      new Uint8Array(data).set(frame.data);
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ type: 'detect', id, index, width: frame.width, height: frame.height, data, hint } satisfies WorkerRequest, [data]);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      await Promise.all(
        slots.map(async (s) => {
          const exited = new Promise((r) => s.worker.once('exit', r));
          s.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
          const timer = setTimeout(() => void s.worker.terminate(), 5000);
          await exited;
          clearTimeout(timer);
          failAll(s, new ToezichtError('redaction.detector', 'The detector was closed.'));
        }),
      );
    },
  };
}
