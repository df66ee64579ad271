// footage export from S3 object storage, against a real one-node Ceph with its S3 gateway on loopback: the clip is
// copied from the objects as they are read (no local copy of the footage), the manifest names bucket, key and
// version of every source with its hash, and the package checks out with standard tools and `footage verify`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey } from '../../src/core/evidence/index.js';
import { resolveTool, runTool } from '../../src/core/media/index.js';
import { toezicht } from '../helpers/cli.js';
import { ME } from '../helpers/export-school.js';
import { makeStream, removeStreams } from '../helpers/footage.js';
import { frigatePath, makeSchool, type SchoolFixture } from '../helpers/school.js';
import { cephInstalled, listVersions, makeBucket, s3Client } from '../helpers/s3.js';
import { startCeph } from '../services/ceph.mjs';
import type { CephService } from '../services/services.d.mts';

const PREFIX = 'linde/frigate/';
const START = Date.parse('2026-10-20T23:59:30Z');
const installed = cephInstalled();
if (!installed) console.warn('SKIPPED: the S3 export tests need Ceph (Debian ceph-mon ceph-osd ceph-mgr radosgw ceph-common; .ci/run installs them)');

let ceph: CephService;
let client: S3Client;
const schools: SchoolFixture[] = [];
let bucketNo = 0;

beforeAll(async () => {
  if (!installed) return;
  ceph = await startCeph();
  client = s3Client(ceph);
}, 120_000);

afterAll(async () => {
  for (const s of schools) s.cleanup();
  client?.destroy();
  await ceph?.stop();
  removeStreams();
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A school whose camera `entree` records into a new versioned bucket; the segments uploaded as a recorder would. */
async function s3School(segments: string[]): Promise<{ school: SchoolFixture; bucket: string; keys: string[] }> {
  const bucket = `export-${++bucketNo}-${process.pid}`;
  await makeBucket(client, bucket, { versioned: true });
  const keys: string[] = [];
  for (const [i, file] of segments.entries()) {
    const key = PREFIX + frigatePath('entree', START + i * 10_000);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
    keys.push(key);
  }
  const school = await makeSchool({
    school: { name: 'OSG De Linde' },
    storage: [{ id: 'bucket', type: 's3', endpoint: ceph.endpoint, bucket, prefix: PREFIX, forcePathStyle: true, layout: 'frigate' }],
    cameras: [{ id: 'entree', category: 'surveillance', storage: 'bucket' }],
    access: { export: [ME] },
    exports: { root: './exports' },
  });
  schools.push(school);
  await createSigningKey(school.config.keys.dir);
  return { school, bucket, keys };
}

const env = (): Record<string, string> => ({ AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey });

async function packetHashes(file: string): Promise<string[]> {
  const { stdout } = await runTool(resolveTool('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

describe.skipIf(!installed)('footage export from S3', () => {
  it('copies the clip straight from the objects; the manifest names bucket, key and version; the package verifies', async () => {
    const segments = await makeStream({ seconds: 40, segmentSeconds: 10 });
    const { school, bucket, keys } = await s3School(segments);
    // A newer version of the first object is what the export must read, not the one it replaced.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[0]!, Body: readFileSync(segments[0]!) }));

    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-21T01:59:35', '--to', '2026-10-21T02:00:05', '--no-hold', '--reason', 'Test', '--json'], { cwd: school.dir, env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = r.json.packageDir as string;
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
    expect(manifest.output.writer).toBe('toezicht');
    // Keyframes every 2 s: 23:59:34 up to 00:00:06, from all four objects.
    expect(manifest.covered).toEqual({ from: '2026-10-20T23:59:34.000Z', to: '2026-10-21T00:00:06.000Z' });
    const versions = await listVersions(client, bucket);
    const current = new Map<string, string>();
    for (const v of versions) if (!v.marker && !current.has(v.key)) current.set(v.key, v.versionId);
    expect(manifest.sources).toHaveLength(4);
    manifest.sources.forEach((src: { bucket: string; key: string; versionId: string; path: string; sha256: string; bytes: number; storage: string }, i: number) => {
      const body = readFileSync(segments[i]!);
      expect(src).toMatchObject({ storage: 'bucket', bucket, key: keys[i], path: keys[i]!.slice(PREFIX.length), sha256: sha256(body), bytes: body.length });
      expect(src.versionId).toBeTruthy();
    });
    // The version read is the newest one of each key (ListObjectVersions gives the latest first).
    const latest = (key: string): string => versions.find((v) => v.key === key && !v.marker)!.versionId;
    expect(manifest.sources.map((s: { key: string; versionId: string }) => s.versionId)).toEqual(keys.map(latest));

    // The clip holds the frames of the segments, unchanged: 32 s of 10 fps from 23:59:34.
    const clip = path.join(pkg, manifest.output.file);
    expect(manifest.output).toMatchObject({ frames: 320, durationSeconds: 32, sha256: sha256(readFileSync(clip)) });
    const sourceFrames = (await Promise.all(segments.map(packetHashes))).flat();
    expect(await packetHashes(clip)).toEqual(sourceFrames.slice(40, 360));

    // Nothing but the package was written; a receiver checks it with standard tools and with toezicht.
    expect(readdirSync(path.dirname(pkg))).toEqual([path.basename(pkg)]);
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg, reject: false })).exitCode).toBe(0);
    const v = await toezicht(['footage', 'verify', pkg, '--json'], { cwd: school.dir });
    expect(v.exitCode, v.stdout).toBe(0);

    // The sources, read again from the bucket by the versions the manifest names, are unchanged; they stay so when
    // the recorder (or anyone) writes a key again, because the manifest pins the version that was exported.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: keys[1]!, Body: readFileSync(segments[3]!) }));
    const again = await toezicht(['footage', 'verify', pkg, '--sources', '--json'], { cwd: school.dir, env: env() });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.json.sources.sources.map((x: { key: string; status: string }) => [x.key, x.status])).toEqual(keys.map((k) => [k, 'unchanged']));
  });

  it('with --keep-audio lets ffmpeg join the objects, fetched only for the clip and removed after', async () => {
    const segments = await makeStream({ seconds: 30, segmentSeconds: 10, audio: true });
    const { school, bucket, keys } = await s3School(segments);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-21T01:59:41', '--to', '2026-10-21T01:59:55', '--keep-audio', '--no-hold', '--reason', 'Test', '--json'], { cwd: school.dir, env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = r.json.packageDir as string;
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
    expect(manifest.output).toMatchObject({ writer: 'ffmpeg', audio: true });
    expect(manifest.sources.map((s: { key: string; bucket: string; sha256: string }) => [s.bucket, s.key, s.sha256])).toEqual(
      [1, 2].map((i) => [bucket, keys[i], sha256(readFileSync(segments[i]!))]),
    );
    // No fetched segment stays behind in the package or beside it.
    expect(readdirSync(pkg).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readdirSync(path.dirname(pkg))).toEqual([path.basename(pkg)]);
    const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', path.join(pkg, manifest.output.file)]);
    expect(stdout.trim().split('\n').sort()).toEqual(['audio', 'video']);
  });
});
