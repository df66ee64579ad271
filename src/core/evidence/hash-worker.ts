// Hashes source segments on its own thread, one after the other, so that the clip can be hashed on the main
// thread at the same time, while ffmpeg writes it: on two cores both finish within ffmpeg's own time.
import { parentPort } from 'node:worker_threads';
import { sha256File } from './hash.js';

const queue: { id: number; file: string }[] = [];
let busy = false;

async function drain(): Promise<void> {
  busy = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    try {
      parentPort!.postMessage({ id: job.id, ...(await sha256File(job.file)) });
    } catch (error) {
      parentPort!.postMessage({ id: job.id, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  }
  busy = false;
}

parentPort?.on('message', (message: { id: number; file: string }) => {
  queue.push(message);
  if (!busy) void drain();
});
