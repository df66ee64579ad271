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
      // Requests the process had sent on before it died still reach the gateway: wait until it has answered them all
      // (the ones still queued in the proxy died with their connection, as on a real network).
      await proxy.idle();
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

describe.skipIf(!installed)('holds as S3 Object Lock legal holds', () => {
  it('hold add puts legal holds that stop another client; release lifts exactly those; foreign legal holds are respected and reported', async () => {
    const { GetObjectLegalHoldCommand, PutObjectLegalHoldCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const bucket = `locked-${process.pid}`;
    await makeBucket(client, bucket, { objectLock: true });
    const school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'vault', type: 's3', endpoint: ceph.endpoint, bucket, prefix: PREFIX, forcePathStyle: true, layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'vault' }],
    });
    schools.push(school);
    // Two hours of footage, all past retention; the hold covers 20 minutes in the middle.
    const starts = every(CUTOFF - 2 * 3_600_000, CUTOFF - 600_000, 10_000);
    const key = (t: number): string => PREFIX + frigatePath('entree', t);
    await putKeys(client, bucket, starts.map(key));
    const holdFrom = CUTOFF - 3_600_000;
    const holdTo = holdFrom + 20 * 60_000;
    const inHold = starts.filter((t) => t <= holdTo && t + 10_000 >= holdFrom).map(key);
    const versionOf = async (k: string): Promise<string> => (await listVersions(client, bucket, k)).find((v) => v.key === k && !v.marker)!.versionId;
    const legalHold = async (k: string): Promise<string | undefined> =>
      (await client.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: k, VersionId: await versionOf(k) })).catch(() => undefined))?.LegalHold?.Status;
    // Someone else (a records officer with the bucket's own tools) put legal holds on one object in the range and one outside it.
    const foreignIn = inHold[3]!;
    const foreignOut = key(starts[0]!);
    for (const k of [foreignIn, foreignOut]) await client.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: k, VersionId: await versionOf(k), LegalHold: { Status: 'ON' } }));

    const env = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey };
    const cfg = ['--config', school.configFile];
    const check = await toezicht(['storage', 'check', ...cfg, '--json'], { env });
    expect(check.exitCode).toBe(0);
    expect(check.json.storages[0].protection).toMatchObject({ objectLock: true, tamperProof: true, versioning: 'Enabled' });

    const added = await toezicht(
      ['footage', 'hold', 'add', ...cfg, '--camera', 'entree', '--from', new Date(holdFrom).toISOString(), '--to', new Date(holdTo).toISOString(), '--case', 'I-7', '--reason', 'Vandalisme', '--json'],
      { env },
    );
    expect(added.exitCode).toBe(0);
    expect(added.json.objectLock).toEqual([{ storage: 'vault', objectLock: true, placed: inHold.length - 1, alreadyOn: 1, foreign: 1, errors: [] }]);
    for (const k of inHold) expect(await legalHold(k)).toBe('ON');
    expect(await legalHold(key(starts.at(-1)!))).not.toBe('ON');

    // Another tool with the bucket's keys cannot delete held footage.
    const victim = inHold[0]!;
    await expect(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: victim, VersionId: await versionOf(victim) }))).rejects.toThrow(/AccessDenied|forbidden/i);

    const purge1 = await toezicht(['footage', 'purge', ...cfg, '--now', new Date(NOW).toISOString(), '--json'], { env });
    expect(purge1.json.errors).toEqual([]);
    expect(purge1.json.held.byHold['object-lock']).toBe(1); // the foreign legal hold outside the hold's range
    expect(await listKeys(client, bucket)).toEqual([...inHold, foreignOut].sort());
    expect(purge1.json.warnings.join('\n')).toMatch(/legal hold/);

    const released = await toezicht(['footage', 'hold', 'release', added.json.id, ...cfg, '--reason', 'Zaak gesloten', '--json'], { env });
    expect(released.exitCode).toBe(0);
    expect(released.json.objectLock).toMatchObject([{ storage: 'vault', lifted: inHold.length - 1, keptForOtherHolds: 0, errors: [] }]);
    expect(await legalHold(foreignIn)).toBe('ON'); // not toezicht's to lift
    expect(await legalHold(victim)).toBe('OFF');

    const purge2 = await toezicht(['footage', 'purge', ...cfg, '--now', new Date(NOW).toISOString(), '--json'], { env });
    expect(purge2.json.errors).toEqual([]);
    expect(purge2.json.deleted.files).toBe(inHold.length - 1);
    expect(await listKeys(client, bucket)).toEqual([foreignIn, foreignOut].sort());
    const audit = await toezicht(['audit', 'verify', ...cfg, '--json']);
    expect(audit.exitCode).toBe(0);
  }, 120_000);

  it('storage check says a bucket without Object Lock is not tamper-proof, and a missing bucket cannot be read', async () => {
    const { school } = await s3School();
    const env = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey };
    const plain = await toezicht(['storage', 'check', '--config', school.configFile], { env });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toMatch(/not tamper-proof/);
    expect(plain.stdout).toMatch(/no Object Lock/);
    const other = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'gone', type: 's3', endpoint: ceph.endpoint, bucket: 'no-such-bucket', forcePathStyle: true, layout: 'frigate' }],
    });
    schools.push(other);
    const missing = await toezicht(['storage', 'check', '--config', other.configFile, '--json'], { env });
    expect(missing.exitCode).toBe(1);
    expect(missing.json.storages[0]).toMatchObject({ ok: false, problem: expect.stringMatching(/does not exist/) });
    // No keys at all: one sentence that says what to set, and the secret is never printed.
    const nokeys = await toezicht(['storage', 'check', '--config', school.configFile], { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } });
    expect(nokeys.exitCode).toBe(2);
    expect(nokeys.stderr).toMatch(/AWS_ACCESS_KEY_ID/);
    expect(plain.stdout + plain.stderr).not.toContain(ceph.secretAccessKey);
  });
});
