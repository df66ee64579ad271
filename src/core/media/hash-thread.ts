// SHA-256 of sources on a thread of its own, fed from shared memory: the MP4 writer reads every source once, into
// shared buffers, and this thread hashes each buffer while the main thread hashes and writes the clip's part of it.
// Two hashes on two cores, one read of the footage.
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

export type HashRequest =
  | { op: 'update'; id: number; slot: number; memory: SharedArrayBuffer; length: number }
  | { op: 'digest'; id: number };

export type HashReply = { op: 'released'; slot: number } | { op: 'digest'; id: number; sha256: string; bytes: number };

const hashes = new Map<number, { hash: Hash; bytes: number }>();

parentPort?.on('message', (m: HashRequest) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = { hash: createHash('sha256'), bytes: 0 }));
    h.hash.update(new Uint8Array(m.memory, 0, m.length));
    h.bytes += m.length;
    parentPort!.postMessage({ op: 'released', slot: m.slot } satisfies HashReply);
  } else {
    const h = hashes.get(m.id) ?? { hash: createHash('sha256'), bytes: 0 };
    hashes.delete(m.id);
    parentPort!.postMessage({ op: 'digest', id: m.id, sha256: h.hash.digest('hex'), bytes: h.bytes } satisfies HashReply);
  }
});
