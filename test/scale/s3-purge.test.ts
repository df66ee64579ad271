// footage purge on S3 object storage, against a real one-node Ceph with its S3 gateway on loopback: exact deletion by
// retention, a versioned bucket, throttling and 5xx from a proxy, and a purge killed with SIGKILL and run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import { purgeFootage } from '../../src/core/footage/index.js';
import { DAY, every, frigatePath, makeSchool, type SchoolFixture } from '../helpers/school.js';
import { cephInstalled, listKeys, listVersions, makeBucket, putKeys, s3Client } from '../helpers/s3.js';
import { spawnToezicht, toezicht } from '../helpers/cli.js';
import { startCeph } from '../services/ceph.mjs';
import { startFaultProxy } from '../services/fault-proxy.mjs';
import type { CephService } from '../services/services.d.mts';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CUTOFF = NOW - 28 * DAY;
const PREFIX = 'klimop/frigate/';
const installed = cephInstalled();
if (!installed) console.warn('SKIPPED: the S3 tests need Ceph (Debian ceph-mon ceph-osd ceph-mgr radosgw ceph-common; .ci/run installs them)');

let ceph: CephService;
let client: S3Client;
const schools: SchoolFixture[] = [];
let bucketNo = 0;

beforeAll(async () => {
  if (!installed) return;
  ceph = await startCeph();
  client = s3Client(ceph);
  process.env.AWS_ACCESS_KEY_ID = ceph.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = ceph.secretAccessKey;
}, 120_000);

afterAll(async () => {
  for (const s of schools) s.cleanup();
  client?.destroy();
  await ceph?.stop();
});

/** A school whose footage is in a new bucket; `endpoint` may be a proxy in front of the gateway. */
async function s3School(options: { versioned?: boolean; endpoint?: string; cameras?: string[] } = {}) {
  const bucket = `footage-${++bucketNo}-${process.pid}`;
  await makeBucket(client, bucket, { versioned: options.versioned ?? false });
  const cameras = options.cameras ?? ['entree'];
  const school = await makeSchool({
    school: { name: 'Testschool' },
    storage: [{ id: 'bucket', type: 's3', endpoint: options.endpoint ?? ceph.endpoint, bucket, prefix: PREFIX, forcePathStyle: true, layout: 'frigate' }],
    cameras: cameras.map((id) => ({ id, category: 'surveillance', storage: 'bucket' })),
  });
  schools.push(school);
  return { school, bucket };
}

/** Segments every 10 s from `before` before the cut-off to `after` after it; the expired ones and the rest. */
function segments(camera: string, before: number, after: number): { all: string[]; expired: string[]; kept: string[] } {
  const starts = every(CUTOFF - before, CUTOFF + after, 10_000);
  const key = (t: number): string => PREFIX + frigatePath(camera, t);
  return { all: starts.map(key), expired: starts.filter((t) => t + 10_000 < CUTOFF).map(key).sort(), kept: starts.filter((t) => t + 10_000 >= CUTOFF).map(key).sort() };
}

describe.skipIf(!installed)('footage purge on S3', () => {
  it('deletes exactly the expired objects, over several listing pages and DeleteObjects batches, and leaves other keys alone', async () => {
    const { school, bucket } = await s3School({ cameras: ['entree', 'gang'] });
    const a = segments('entree', 2.5 * 3_600_000, 1_800_000);
    const b = segments('gang', 1_800_000, 1_800_000);
    const outside = ['other-school/2026-10-01/01/entree/00.00.mp4', `${PREFIX}notes.txt`];
    await putKeys(client, bucket, [...a.all, ...b.all, ...outside]);
    expect(a.expired.length + b.expired.length).toBeGreaterThan(1000);

    const report = await purgeFootage(school.config, school.register(), { now: NOW });
    expect(report.errors).toEqual([]);
    expect(report.deleted.files).toBe(a.expired.length + b.expired.length);
    expect(report.deleted.bytes).toBe((a.expired.length + b.expired.length) * 'segment'.length);
    expect(await listKeys(client, bucket)).toEqual([...a.kept, ...b.kept, ...outside].sort());
    expect(report.unknown.files).toBe(1); // notes.txt: in the prefix, no footage, never deleted
    expect(report.storages[0]).toMatchObject({ id: 'bucket', deleted: a.expired.length + b.expired.length, versioned: false });

    // The register's audit chain still verifies, and a second run finds nothing to do.
    expect((await school.register().verifyAudit()).ok).toBe(true);
    const again = await purgeFootage(school.config, school.register(), { now: NOW });
    expect(again.deleted.files).toBe(0);
  });

  it('on a versioned bucket removes every version and delete marker of the purged footage, and says so', async () => {
    const { school, bucket } = await s3School({ versioned: true });
    const s = segments('entree', 600_000, 600_000);
    await putKeys(client, bucket, s.all, 'first');
    // Half of the expired objects were overwritten (a re-upload), one was "deleted" by a tool (a delete marker only).
    await putKeys(client, bucket, s.expired.filter((_, i) => i % 2 === 0), 'second!');
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: s.expired[1]! }));
    const before = await listVersions(client, bucket);
    const expiredSet = new Set(s.expired);
    const expiredVersions = before.filter((v) => expiredSet.has(v.key));

    const report = await purgeFootage(school.config, school.register(), { now: NOW });
    expect(report.errors).toEqual([]);
    // The one behind a delete marker is no current footage, but its old version is: it is purged too.
    expect(report.deleted.files).toBe(s.expired.length);
    const after = await listVersions(client, bucket);
    expect(after.filter((v) => expiredSet.has(v.key))).toEqual([]);
    expect(after.filter((v) => !v.marker).map((v) => v.key).sort()).toEqual(s.kept);
    expect(report.storages[0]).toMatchObject({
      versioned: true,
      versionsRemoved: expiredVersions.filter((v) => !v.marker).length,
      deleteMarkersRemoved: expiredVersions.filter((v) => v.marker).length,
    });
  });

  it('retries throttling (503 SlowDown) and 500s from a proxy and still deletes exactly the expired objects', async () => {
    const proxy = await startFaultProxy(ceph.endpoint, { failEvery: 2, status: 503 });
    try {
      const { school, bucket } = await s3School({ endpoint: proxy.endpoint });
      const s = segments('entree', 3_600_000, 600_000);
      await putKeys(client, bucket, s.all);
      const report = await purgeFootage(school.config, school.register(), { now: NOW });
      expect(proxy.stats.faults).toBeGreaterThanOrEqual(3);
      expect(report.errors).toEqual([]);
      // Retried, counted in the report (the faults before the walk fell on the interrupted-run check).
      expect(report.storages[0]!.retries).toBeGreaterThan(0);
      expect(await listKeys(client, bucket)).toEqual(s.kept);

      // A gateway that keeps failing: the purge reports the keys it could not delete and deletes nothing wrongly.
      const more = segments('entree', 3_600_000 + 600_000, -3_600_000);
      await putKeys(client, bucket, more.all);
      proxy.set({ failEvery: 1, status: 500, only: 'POST' });
      const failing = await purgeFootage(school.config, school.register(), { now: NOW });
      expect(failing.deleted.files).toBe(0);
      expect(failing.errors.map((e) => e.path).sort()).toEqual(more.expired.map((k) => k.slice(PREFIX.length)).sort());
      expect(failing.errors[0]!.message).toMatch(/InternalError|HTTP 500/);
      proxy.set({ failEvery: 0 });
      expect(await listKeys(client, bucket)).toEqual([...more.all, ...s.kept].sort());
    } finally {
      await proxy.stop();
    }
  }, 120_000);

  it('a purge killed with SIGKILL, run again, ends where an uninterrupted run would', async () => {
    // A slow gateway (one DeleteObjects at a time, each after a second) so that the kill lands between deletions.
    const proxy = await startFaultProxy(ceph.endpoint, { delayMs: 1000, serial: 'POST' });
    try {
      const { school, bucket } = await s3School({ endpoint: proxy.endpoint, cameras: ['entree', 'gang', 'aula'] });
      const sets = ['entree', 'gang', 'aula'].map((c) => segments(c, 1.5 * 3_600_000, 900_000));
      await putKeys(client, bucket, sets.flatMap((s) => s.all));
      const expired = sets.flatMap((s) => s.expired);
      const env = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey };
      const args = ['footage', 'purge', '--config', school.configFile, '--now', new Date(NOW).toISOString(), '--json'];
      const child = spawnToezicht(args, { env });
      // Kill it once some, not all, of the expired objects are gone.
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const left = (await listKeys(client, bucket)).length;
        if (left < sets.flatMap((s) => s.all).length) break;
      }
      child.kill('SIGKILL');
      await child;
      // Requests the process had sent before it died still reach the gateway (through the slow proxy): wait for them.
      await new Promise((r) => setTimeout(r, 1000));
      const between = await listKeys(client, bucket);
      expect(between.length).toBeGreaterThan(sets.flatMap((s) => s.kept).length);

      const rerun = await toezicht(args, { env });
      expect(rerun.exitCode).toBe(0);
      expect(rerun.json.interruptedRuns.length).toBe(1);
      expect(await listKeys(client, bucket)).toEqual(sets.flatMap((s) => s.kept).sort());
      // Files of the dead run's last batches are settled from its journal; the rest are deleted by the rerun.
      expect(rerun.json.deleted.files).toBe(between.filter((k) => expired.includes(k)).length);
      expect(rerun.json.interruptedRuns[0].deleted + rerun.json.deleted.files).toBe(expired.length);
      const verify = await toezicht(['audit', 'verify', '--config', school.configFile, '--json']);
      expect(verify.exitCode).toBe(0);
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});
