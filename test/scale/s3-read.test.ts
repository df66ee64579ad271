// Reading footage from S3 through a SegmentReader, against a real one-node Ceph with its S3 gateway on loopback:
// ranges and a front-to-back read equal to the object's bytes, few requests, a reader pinned to the version it
// opened while the key is overwritten, a clear error for a missing key, and 503s from a proxy retried.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { verifySources, type Manifest } from '../../src/core/evidence/index.js';
import { S3Store } from '../../src/core/storage/index.js';
import type { SegmentReader } from '../../src/core/storage/index.js';
import { cephInstalled, makeBucket, s3Client } from '../helpers/s3.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';
import { startCeph } from '../services/ceph.mjs';
import { startFaultProxy } from '../services/fault-proxy.mjs';
import type { CephService } from '../services/services.d.mts';

const installed = cephInstalled();
if (!installed) console.warn('SKIPPED: the S3 tests need Ceph (Debian ceph-mon ceph-osd ceph-mgr radosgw ceph-common; .ci/run installs them)');

let ceph: CephService;
let client: S3Client;
let bucketNo = 0;

beforeAll(async () => {
  if (!installed) return;
  ceph = await startCeph();
  client = s3Client(ceph);
  process.env.AWS_ACCESS_KEY_ID = ceph.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = ceph.secretAccessKey;
}, 120_000);

const schools: SchoolFixture[] = [];

afterAll(async () => {
  for (const s of schools) s.cleanup();
  client?.destroy();
  await ceph?.stop();
});

async function bucketWith(objects: Record<string, Buffer>, options: { versioned?: boolean } = {}): Promise<string> {
  const bucket = `read-${++bucketNo}-${process.pid}`;
  await makeBucket(client, bucket, { versioned: options.versioned ?? false });
  for (const [key, body] of Object.entries(objects)) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return bucket;
}

function store(bucket: string, endpoint = ceph.endpoint, prefix = 'school/'): S3Store {
  return new S3Store({ id: 'bucket', endpoint, region: 'us-east-1', bucket, prefix, forcePathStyle: true });
}

/** The object as another tool reads it: one plain GET. */
async function getObject(bucket: string, key: string, versionId?: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

async function readAll(reader: SegmentReader, chunk: number): Promise<Buffer> {
  const out = Buffer.alloc(reader.bytes);
  let at = 0;
  for (;;) {
    const n = await reader.read(out, at, Math.min(chunk, reader.bytes - at) || chunk, at);
    if (n === 0) break;
    at += n;
  }
  expect(at).toBe(reader.bytes);
  return out;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(!installed)('reading segments from S3', () => {
  it('reads arbitrary ranges and the whole object front to back, byte for byte, in few requests and flat memory', async () => {
    const body = randomBytes(20_000_000);
    const bucket = await bucketWith({ 'school/cam/2026-11-26/10.00.mp4': body });
    const s = store(bucket);
    const expected = await getObject(bucket, 'school/cam/2026-11-26/10.00.mp4');
    expect(sha(expected)).toBe(sha(body));

    // Front to back in 4 MiB calls (as the hash of `footage verify --sources` reads).
    const before = s.requestStats().requests;
    const reader = await s.openSegment('cam/2026-11-26/10.00.mp4');
    expect(reader.bytes).toBe(body.length);
    expect(reader.origin).toEqual({ kind: 's3', bucket, key: 'school/cam/2026-11-26/10.00.mp4' });
    expect(sha(await readAll(reader, 4 * 1024 * 1024))).toBe(sha(expected));
    const requests = s.requestStats().requests - before;
    // One HeadObject and about one GET per 8 MiB, not one per call.
    expect(requests).toBeLessThanOrEqual(6);
    console.log(`front-to-back read of 20 MB in 4 MiB calls: ${requests} requests`);

    // Reads past the end give 0; a read across the end gives what there is.
    const tail = Buffer.alloc(100);
    expect(await reader.read(tail, 0, 100, body.length)).toBe(0);
    expect(await reader.read(tail, 0, 100, body.length + 5)).toBe(0);
    expect(await reader.read(tail, 0, 100, body.length - 40)).toBe(40);
    expect(tail.subarray(0, 40).equals(body.subarray(body.length - 40))).toBe(true);

    // Arbitrary ranges, backwards and forwards, small and large (one larger than a block), into an offset.
    const ranges: [number, number][] = [[0, 8], [19_999_990, 10], [5_000_000, 300_000], [4, 1], [12_345_678, 9_000_000], [262_143, 3], [10, 1_000_000], [7, 7]];
    for (const [position, length] of ranges) {
      const buf = Buffer.alloc(length + 16, 0xee);
      const n = await reader.read(buf, 16, length, position);
      const want = Math.min(length, body.length - position);
      expect(n, `read ${length} at ${position}`).toBe(want);
      expect(buf.subarray(16, 16 + n).equals(expected.subarray(position, position + n)), `bytes ${position}+${length}`).toBe(true);
      expect(buf.subarray(0, 16).every((b) => b === 0xee)).toBe(true);
    }
    // Many small forward reads (an MP4 reader walking boxes) cost few requests too: blocks grow as it goes.
    const small = await s.openSegment('cam/2026-11-26/10.00.mp4');
    const beforeSmall = s.requestStats().requests;
    expect(sha(await readAll(small, 64 * 1024))).toBe(sha(expected));
    const smallRequests = s.requestStats().requests - beforeSmall;
    expect(smallRequests).toBeLessThanOrEqual(12);
    console.log(`front-to-back read of 20 MB in 64 KiB calls: ${smallRequests} requests`);
    await small.close();
    await reader.close();
  });

  it('a reader opened on one version keeps reading that version after the key is overwritten (versioned bucket)', async () => {
    const a = randomBytes(3_000_000);
    const b = randomBytes(3_000_000);
    const key = 'school/cam/2026-11-26/10.10.mp4';
    const bucket = await bucketWith({ [key]: a }, { versioned: true });
    const s = store(bucket);
    const reader = await s.openSegment('cam/2026-11-26/10.10.mp4');
    expect(reader.origin.kind === 's3' && reader.origin.versionId).toBeTruthy();
    const first = Buffer.alloc(1000);
    await reader.read(first, 0, 1000, 0);
    expect(first.equals(a.subarray(0, 1000))).toBe(true);

    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: b }));
    expect(sha(await getObject(bucket, key))).toBe(sha(b));
    // Past the first block, so these bytes are fetched after the overwrite.
    const rest = Buffer.alloc(1_000_000);
    expect(await reader.read(rest, 0, rest.length, 2_000_000)).toBe(rest.length);
    expect(rest.equals(a.subarray(2_000_000, 3_000_000))).toBe(true);
    await reader.close();

    // Opened by its version id later (as verify does from a manifest): still A; the current version is B.
    const versionId = (reader.origin as { versionId: string }).versionId;
    const again = await s.openSegment('cam/2026-11-26/10.10.mp4', { versionId });
    expect(sha(await readAll(again, 4 * 1024 * 1024))).toBe(sha(a));
    const current = await s.openSegment('cam/2026-11-26/10.10.mp4');
    expect(sha(await readAll(current, 4 * 1024 * 1024))).toBe(sha(b));
  });

  it('on an unversioned bucket a reader is pinned by the ETag: an overwrite while it reads is a clear error, not mixed bytes', async () => {
    const key = 'school/cam/2026-11-26/10.20.mp4';
    const bucket = await bucketWith({ [key]: randomBytes(2_000_000) });
    const s = store(bucket);
    const reader = await s.openSegment('cam/2026-11-26/10.20.mp4');
    await reader.read(Buffer.alloc(10), 0, 10, 0);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(2_000_000) }));
    await expect(reader.read(Buffer.alloc(10), 0, 10, 1_500_000)).rejects.toMatchObject({
      code: 'storage.segment-replaced',
      message: expect.stringContaining(`s3://${bucket}/${key} was overwritten`),
    });
  });

  it('a missing key or version is a clear error naming bucket and key', async () => {
    const bucket = await bucketWith({ 'school/cam/x.mp4': Buffer.from('segment') }, { versioned: true });
    const s = store(bucket);
    await expect(s.openSegment('cam/gone.mp4')).rejects.toMatchObject({ code: 'storage.segment-gone', message: `s3://${bucket}/school/cam/gone.mp4 is not in the bucket: it was deleted or purged.` });
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const reader = await s.openSegment('cam/x.mp4');
    const versionId = (reader.origin as { versionId: string }).versionId;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'school/cam/x.mp4', VersionId: versionId }));
    await expect(s.openSegment('cam/x.mp4', { versionId })).rejects.toMatchObject({ code: 'storage.segment-gone', message: expect.stringContaining(`s3://${bucket}/school/cam/x.mp4 (version ${versionId}) is not in the bucket`) });
    // The reader opened before the delete finds the version gone on its next fetch.
    await expect(reader.read(Buffer.alloc(4), 0, 4, 0)).rejects.toMatchObject({ code: 'storage.segment-gone' });
  });

  it('retries 503 SlowDown from a proxy and still reads every byte', async () => {
    const body = randomBytes(6_000_000);
    const bucket = await bucketWith({ 'school/cam/10.30.mp4': body });
    const proxy = await startFaultProxy(ceph.endpoint, { failEvery: 2, status: 503 });
    try {
      const s = store(bucket, proxy.endpoint);
      const reader = await s.openSegment('cam/10.30.mp4');
      expect(sha(await readAll(reader, 1024 * 1024))).toBe(sha(body));
      expect(proxy.stats.faults).toBeGreaterThanOrEqual(2);
      expect(s.requestStats().retries).toBe(proxy.stats.faults);
    } finally {
      await proxy.stop();
    }
  });

  it('verify --sources reads each source version named in the manifest: unchanged, overwritten (pinned or not), gone', async () => {
    const bodies = { a: randomBytes(1_500_000), b: randomBytes(700_000), c: randomBytes(900_000) };
    const keys = { a: 'school/entree/2026-11-26/10/00.00.mp4', b: 'school/entree/2026-11-26/10/00.10.mp4', c: 'school/entree/2026-11-26/10/00.20.mp4' };
    const versioned = await bucketWith({ [keys.a]: bodies.a, [keys.b]: bodies.b, [keys.c]: bodies.c }, { versioned: true });
    const plain = await bucketWith({ [keys.a]: bodies.a });
    const school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [
        { id: 'bucket', type: 's3', endpoint: ceph.endpoint, bucket: versioned, prefix: 'school/', forcePathStyle: true, layout: 'frigate' },
        { id: 'old', type: 's3', endpoint: ceph.endpoint, bucket: plain, prefix: 'school/', forcePathStyle: true, layout: 'frigate' },
      ],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'bucket' }],
    });
    schools.push(school);
    // The sources as an export records them: bucket, full key and the version it read.
    const s = store(versioned);
    const source = async (name: 'a' | 'b' | 'c', storage = 'bucket', bucket = versioned) => {
      const reader = await (storage === 'bucket' ? s : store(plain)).openSegment(keys[name].slice('school/'.length));
      const origin = reader.origin as { bucket: string; key: string; versionId?: string };
      await reader.close();
      return {
        camera: 'entree', storage, path: keys[name].slice('school/'.length), bucket, key: origin.key, ...(origin.versionId ? { versionId: origin.versionId } : {}),
        sha256: sha(bodies[name]), bytes: bodies[name].length,
        start: new Date().toISOString(), end: new Date().toISOString(), used: { from: new Date().toISOString(), to: new Date().toISOString() },
      };
    };
    const sources = [await source('a'), await source('b'), await source('c'), await source('a', 'old', plain)];
    const manifest = { sources, clips: [] } as unknown as Manifest;
    const first = await verifySources(manifest, school.config);
    expect(first).toMatchObject({ ok: true, checked: 4, unchanged: 4 });
    expect(first.requests!.requests).toBeLessThanOrEqual(20);

    // a overwritten in both buckets: the versioned one still has the version exported (unchanged); the plain one not.
    await client.send(new PutObjectCommand({ Bucket: versioned, Key: keys.a, Body: randomBytes(1_500_000) }));
    await client.send(new PutObjectCommand({ Bucket: plain, Key: keys.a, Body: randomBytes(1_500_000) }));
    // b's exported version deleted for good (as the purge does on a versioned bucket).
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await client.send(new DeleteObjectCommand({ Bucket: versioned, Key: keys.b, VersionId: sources[1]!.versionId }));
    const after = await verifySources(manifest, school.config);
    expect(after.sources.map((x) => x.status)).toEqual(['unchanged', 'missing', 'unchanged', 'changed']);
    expect(after.sources[1]!.detail).toContain(`s3://${versioned}/${keys.b} (version ${sources[1]!.versionId}) is gone from its storage`);
    expect(after.sources[3]!.detail).toBe(`s3://${plain}/${keys.a} has changed: its SHA-256 is not the one in the manifest.`);
  });
});
