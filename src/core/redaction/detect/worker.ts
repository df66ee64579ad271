// A detection worker thread: opens the detector in this thread and answers frames from the pool (pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openLocalDetector, type DetectorOptions } from './local.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort!;
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  const detector = await openLocalDetector(workerData as DetectorOptions);
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'close') {
      void detector.close().finally(() => port.close());
      return;
    }
    const t0 = performance.now();
    detector.detect({ width: m.width, height: m.height, data: new Uint8Array(m.data) }, m.index).then(
      (found) => send({ type: 'result', id: m.id, found, ms: performance.now() - t0 }),
      (error: unknown) => send({ type: 'error', id: m.id, message: (error as Error).message }),
    );
  });
  send({ type: 'ready', models: [...detector.models], runtime: detector.runtime, settings: detector.settings });
} catch (error) {
  send({ type: 'failed', message: (error as Error).message, code: (error as { code?: string }).code });
}
