// footage verify --sources on a file-tree storage: a real export of real segments, then the sources read again from
// the storage: unchanged, one byte flipped, one deleted (and how "gone" is worded before and after the retention).
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifySources, type Manifest } from '../../src/core/evidence/index.js';
import { toezicht } from '../helpers/cli.js';
import { exportSchool } from '../helpers/export-school.js';
import { makeStream, placeFrigate, removeStreams } from '../helpers/footage.js';
import type { SchoolFixture } from '../helpers/school.js';

afterAll(removeStreams);
let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

const DAY = 86_400_000;

describe('toezicht footage verify --sources', () => {
  it('reads every source again: unchanged → 0; a flipped byte → 1 naming it; a deleted one → 1, gone', async () => {
    school = await exportSchool();
    const s = school;
    const root = path.join(s.dir, 'recordings');
    // Footage of two hours ago (well within its retention), 30 s in 10 s segments.
    const start = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    const placed = placeFrigate(root, 'entree', start, await makeStream({ seconds: 30, segmentSeconds: 10 }), 10);
    const iso = (ms: number): string => new Date(ms).toISOString();
    const r = await toezicht(
      ['footage', 'export', '--camera', 'entree', '--from', iso(start + 2_000), '--to', iso(start + 25_000), '--case', 'Incident 7', '--reason', 'Vernieling', '--recipient', 'Politie', '--legal-basis', 'art. 6(1)(f) AVG', '--json'],
      { cwd: s.dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = path.join(s.dir, 'exports', r.json.exportId);
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.sources.map((x) => x.path)).toEqual(placed);

    // Plain verify needs no config (run from elsewhere); --sources reads the config of the school.
    expect((await toezicht(['footage', 'verify', pkg, '--json'], { cwd: path.dirname(s.dir) })).exitCode).toBe(0);
    const ok = await toezicht(['footage', 'verify', pkg, '--sources', '--json'], { cwd: s.dir });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, packageOk: true, sources: { ok: true, checked: 3, unchanged: 3, changed: 0, missing: 0 } });
    expect(ok.json.sources.sources.map((x: { path: string; status: string }) => [x.path, x.status])).toEqual(placed.map((p) => [p, 'unchanged']));
    const human = await toezicht(['footage', 'verify', pkg, '--sources'], { cwd: s.dir });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/OK: all 3 sources are unchanged in their storage/);

    // One byte flipped in the middle segment: the package is still fine, the source is not.
    const middle = path.join(root, placed[1]!);
    const bytes = readFileSync(middle);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(middle, bytes);
    const flipped = await toezicht(['footage', 'verify', pkg, '--sources', '--json'], { cwd: s.dir });
    expect(flipped.exitCode).toBe(1);
    expect(flipped.json).toMatchObject({ ok: false, packageOk: true, sources: { ok: false, unchanged: 2, changed: 1 } });
    const changed = flipped.json.sources.sources.find((x: { status: string }) => x.status === 'changed');
    expect(changed).toMatchObject({ path: placed[1], storage: 'nas1', camera: 'entree' });
    expect(changed.detail).toBe(`nas1:${placed[1]} has changed: its SHA-256 is not the one in the manifest.`);
    const flippedHuman = await toezicht(['footage', 'verify', pkg, '--sources'], { cwd: s.dir });
    expect(flippedHuman.exitCode).toBe(1);
    expect(flippedHuman.stdout).toMatch(/OK: .* is unchanged/); // the package itself
    expect(flippedHuman.stdout).toContain(`FAIL  nas1:${placed[1]} has changed`);
    expect(flippedHuman.stdout).toMatch(/SOURCES NOT AS EXPORTED: 1 changed of 3/);

    // The last one deleted: gone, and since its retention has not passed, not by the purge.
    unlinkSync(path.join(root, placed[2]!));
    const deleted = await toezicht(['footage', 'verify', pkg, '--sources', '--json'], { cwd: s.dir });
    expect(deleted.exitCode).toBe(1);
    expect(deleted.json.sources).toMatchObject({ changed: 1, missing: 1, unchanged: 1 });
    const missing = deleted.json.sources.sources.find((x: { status: string }) => x.status === 'missing');
    expect(missing).toMatchObject({ path: placed[2], retention: 'not-passed' });
    expect(missing.detail).toMatch(/is gone from its storage although its retention \(surveillance .*\) has not passed: it was deleted, not by the purge/);

    // The same, seen after the camera's retention has run out: purged, as it should be (still reported as gone).
    const later = await verifySources(manifest, s.config, { now: Date.now() + 60 * DAY });
    const purged = later.sources.find((x) => x.status === 'missing')!;
    expect(purged.retention).toBe('passed');
    expect(purged.detail).toMatch(/the footage has passed its retention \(surveillance .*\) and was purged, as it should be/);

    // A storage that cannot be reached (an unmounted share) makes its sources unreadable, never "gone".
    const unmounted = await verifySources(manifest, { ...s.config, storage: s.config.storage.map((x) => (x.id === 'nas1' ? { ...x, root: path.join(s.dir, 'not-mounted') } : x)) });
    expect(unmounted).toMatchObject({ ok: false, unreadable: 3, missing: 0 });
    expect(unmounted.sources[0]!.detail).toMatch(/does not exist \(is the share mounted\?\)/);
  });

  it('an encrypted package: --sources reads the manifest inside it with --identity, and asks for one without', async () => {
    school = await exportSchool();
    const s = school;
    const start = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', start, await makeStream({ seconds: 30, segmentSeconds: 10 }), 10);
    const identity = await generateIdentity();
    const r = await toezicht(
      ['footage', 'export', '--camera', 'entree', '--from', new Date(start + 2_000).toISOString(), '--to', new Date(start + 15_000).toISOString(), '--no-hold', '--reason', 'Test', '--encrypt-to', await identityToRecipient(identity), '--json'],
      { cwd: s.dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = path.join(s.dir, 'exports', r.json.exportId);
    const without = await toezicht(['footage', 'verify', pkg, '--sources', '--json'], { cwd: s.dir });
    expect(without.exitCode).toBe(2);
    expect(without.json.error.message).toMatch(/is encrypted: --sources needs its manifest.*give --identity FILE/);
    const identityFile = path.join(s.dir, 'key.txt');
    writeFileSync(identityFile, `${identity}\n`);
    const ok = await toezicht(['footage', 'verify', pkg, '--sources', '--identity', identityFile, '--json'], { cwd: s.dir });
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, encrypted: true, contentsChecked: true, sources: { ok: true, checked: 2, unchanged: 2 } });
  });
});
