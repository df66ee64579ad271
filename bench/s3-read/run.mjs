// bench/s3-read: reading segments from S3 through the store's SegmentReader (ranged GETs pinned to a version, read-ahead
// blocks of 256 KiB growing to 8 MiB, two kept) against the baseline of one plain GetObject streamed to the end, on
// the same objects in the same run, on a one-node Ceph with its S3 gateway on loopback (test/services/ceph.mjs).
// Both hash what they read (SHA-256), as `footage verify --sources` does. Prints MB/s, requests, the ratio, and the
// growth of RSS while each reads.
//
//   npm run build && node bench/s3-read/run.mjs [--segments 20] [--mb 20] [--chunk-kib 4096]
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startCeph } from '../../test/services/ceph.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { S3Store } = await import(path.join(repo, 'dist/core/storage/index.js'));
const { values } = parseArgs({
  options: { segments: { type: 'string', default: '20' }, mb: { type: 'string', default: '20' }, 'chunk-kib': { type: 'string', default: '4096' } },
});
const SEGMENTS = Number(values.segments);
const BYTES = Number(values.mb) * 1_000_000;
const CHUNK = Number(values['chunk-kib']) * 1024;
const MB = (b) => (b / 1e6).toFixed(1);

console.log('starting a one-node Ceph with its S3 gateway on loopback …');
const ceph = await startCeph({ memstoreBytes: Math.max(2 * 1024 ** 3, SEGMENTS * BYTES * 2) });
try {
  process.env.AWS_ACCESS_KEY_ID = ceph.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = ceph.secretAccessKey;
  const client = new S3Client({
    endpoint: ceph.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const keys = Array.from({ length: SEGMENTS }, (_, i) => `cam/2026-11-26/10/${String(i).padStart(2, '0')}.00.mp4`);
  const body = randomBytes(BYTES);
  for (const key of keys) await client.send(new PutObjectCommand({ Bucket: 'bench', Key: key, Body: body }));
  const want = createHash('sha256').update(body).digest('hex');
  console.log(`${SEGMENTS} objects of ${MB(BYTES)} MB; reads in ${CHUNK / 1024} KiB calls`);

  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const measure = async (name, fn) => {
    globalThis.gc?.();
    const rss0 = process.memoryUsage().rss;
    peak = rss0;
    const t0 = performance.now();
    const requests = await fn();
    const s = (performance.now() - t0) / 1000;
    const row = { name, seconds: s, mbps: (SEGMENTS * BYTES) / 1e6 / s, requests, rssGrowth: peak - rss0 };
    console.log(`${name.padEnd(22)} ${s.toFixed(2)} s  ${row.mbps.toFixed(0)} MB/s  ${requests} requests  RSS +${MB(row.rssGrowth)} MB`);
    return row;
  };

  // Baseline: one GetObject per object, its body streamed into the hash.
  const plain = await measure('plain GetObject', async () => {
    for (const key of keys) {
      const answer = await client.send(new GetObjectCommand({ Bucket: 'bench', Key: key }));
      const hash = createHash('sha256');
      for await (const chunk of answer.Body) hash.update(chunk);
      if (hash.digest('hex') !== want) throw new Error('baseline read wrong bytes');
    }
    return keys.length;
  });

  const store = new S3Store({ id: 'bench', endpoint: ceph.endpoint, region: 'us-east-1', bucket: 'bench', prefix: '', forcePathStyle: true });
  const reader = await measure('SegmentReader', async () => {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (const key of keys) {
      const r = await store.openSegment(key);
      const hash = createHash('sha256');
      let at = 0;
      for (;;) {
        const n = await r.read(buf, 0, CHUNK, at);
        if (!n) break;
        hash.update(buf.subarray(0, n));
        at += n;
      }
      await r.close();
      if (hash.digest('hex') !== want) throw new Error('reader read wrong bytes');
    }
    return store.requestStats().requests;
  });
  clearInterval(sample);
  console.log(`ratio SegmentReader / plain GetObject (time): ${(reader.seconds / plain.seconds).toFixed(2)}; requests per object ${(reader.requests / SEGMENTS).toFixed(1)}`);
  client.destroy();
} finally {
  await ceph.stop();
}
