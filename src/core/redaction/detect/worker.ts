// A detection worker thread: opens the detector in this thread and answers frames from the pool (pool.ts).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openLocalDetector, type DetectorOptions } from './local.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort!;

/** CPU milliseconds of this thread (Linux; the wall time elsewhere), so a busy machine does not inflate the figure. */
function threadCpuMs(): number {
  try {
    const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return performance.now();
  }
}
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  const detector = await openLocalDetector(workerData as DetectorOptions);
  // One frame at a time, in the order given (the pool keeps the next one waiting here, so no time is lost between).
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'close') {
      void queue.then(() => detector.close()).finally(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      const t0 = performance.now();
      const c0 = threadCpuMs();
      try {
        const found = await detector.detect({ width: m.width, height: m.height, data: new Uint8Array(m.data) }, m.index, m.hint);
        // The frame's buffer goes back for the next frame.
        send({ type: 'result', id: m.id, found, ms: performance.now() - t0, cpuMs: threadCpuMs() - c0, data: m.data }, [m.data]);
      } catch (error) {
        send({ type: 'error', id: m.id, message: (error as Error).message });
      }
    });
  });
  send({ type: 'ready', models: [...detector.models], runtime: detector.runtime, settings: detector.settings });
} catch (error) {
  send({ type: 'failed', message: (error as Error).message, code: (error as { code?: string }).code });
}
