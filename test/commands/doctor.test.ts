// toezicht doctor (issue 19.11) on the built CLI: a fresh school passes; each broken part fails its own line with
// what to do and exit 1, while the other lines are still checked.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { tempDir } from '../helpers/school.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function freshSchool(extra: string[] = []): Promise<string> {
  const { dir, cleanup } = tempDir('toezicht-doctor-');
  cleanups.push(cleanup);
  mkdirSync(path.join(dir, 'footage/2026-12-01'), { recursive: true });
  const r = await toezicht(['init', '--school', 'OSG De Linde', '--storage-root', './footage', '--camera', 'entree', '--purpose', 'Diefstal voorkomen', ...extra], { cwd: dir });
  expect(r.exitCode, r.stderr).toBe(0);
  return dir;
}

type Line = { area: string; status: string; key: string; message: string; fix?: string };
const line = (json: { checks: Line[] }, area: string): Line => json.checks.find((c) => c.area === area)!;

describe('toezicht doctor', () => {
  it('passes a school fresh from init: every area checked, warnings say what to do, exit 0', async () => {
    const dir = await freshSchool();
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.json.ok).toBe(true);
    const areas = new Set(r.json.checks.map((c: Line) => c.area));
    for (const a of ['config', 'register', 'key', 'storage', 'ffmpeg', 'ffprobe', 'clock', 'schedule', 'holds', 'exports']) expect(areas, a).toContain(a);
    expect(line(r.json, 'register')).toMatchObject({ status: 'ok', message: expect.stringMatching(/audit chain is intact \(2 entries\)/) });
    expect(line(r.json, 'key')).toMatchObject({ status: 'ok', message: expect.stringMatching(/readable by this user only/) });
    expect(line(r.json, 'ffmpeg')).toMatchObject({ status: 'ok', message: expect.stringMatching(/^ffmpeg \S+ \(/) });
    for (const c of r.json.checks as Line[]) if (c.status === 'warn') expect(c.fix, c.key).toBeTruthy();
    // Markers are not on this branch: said, not silently passed over.
    expect(r.json.checks).toContainEqual(expect.objectContaining({ area: 'storage', status: 'skip', key: 'storage.no-markers' }));
    const text = await toezicht(['doctor'], { cwd: dir });
    expect(text.stdout).toMatch(/^ok {2}.*The config .* is valid\.$/m);
    expect(text.stdout).toMatch(/^Nothing failed \(\d warning\(s\)\)\.$/m);
  });

  it('fails a signing key others can read, saying to chmod it', async () => {
    const dir = await freshSchool();
    chmodSync(path.join(dir, '.toezicht/keys/signing-key.pem'), 0o644);
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(line(r.json, 'key')).toMatchObject({ status: 'fail', key: 'key.open', fix: expect.stringMatching(/chmod 600 .*signing-key\.pem/) });
    expect(line(r.json, 'register').status).toBe('ok');
  });

  it('warns when there is no signing key yet', async () => {
    const dir = await freshSchool(['--no-signing-key']);
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(line(r.json, 'key')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/toezicht keys init/) });
  });

  it('fails a storage root that is not there (an unmounted share)', async () => {
    const dir = await freshSchool();
    rmSync(path.join(dir, 'footage'), { recursive: true });
    const r = await toezicht(['doctor'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^fail +Storage nas1: its root .*footage does not exist\.\n +→ Mount the recorder's share/m);
    expect(r.stdout).toMatch(/check\(s\) failed/);
  });

  it('fails a register whose audit chain was edited, naming the entry', async () => {
    const dir = await freshSchool();
    const db = new Database(path.join(dir, '.toezicht/register.db'));
    db.prepare("UPDATE audit SET details = '{}' WHERE seq = 1").run();
    db.close();
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(line(r.json, 'register')).toMatchObject({ status: 'fail', key: 'register.broken', message: expect.stringMatching(/broken at entry 1/), fix: expect.stringMatching(/toezicht audit verify/) });
  });

  it('fails a register others can read', async () => {
    const dir = await freshSchool();
    chmodSync(path.join(dir, '.toezicht/register.db'), 0o644);
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(line(r.json, 'register')).toMatchObject({ status: 'fail', key: 'register.open', fix: expect.stringMatching(/chmod 600/) });
  });

  it('without a config fails that line and still checks ffmpeg, the clock and the schedule', async () => {
    const { dir, cleanup } = tempDir('toezicht-doctor-');
    cleanups.push(cleanup);
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(line(r.json, 'config')).toMatchObject({ status: 'fail', key: 'config.missing', fix: expect.stringMatching(/toezicht init/) });
    expect(r.json.checks.map((c: Line) => c.area)).toEqual(['config', 'ffmpeg', 'ffprobe', 'clock', 'schedule']);
  });

  it('fails an invalid config with its first problem', async () => {
    const { dir, cleanup } = tempDir('toezicht-doctor-');
    cleanups.push(cleanup);
    writeFileSync(path.join(dir, 'toezicht.config.yaml'), 'school: { name: X }\nretention: { surveillance: four weeks }\n');
    const r = await toezicht(['doctor', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(line(r.json, 'config')).toMatchObject({ status: 'fail', key: 'config.invalid', message: expect.stringMatching(/retention\.surveillance/) });
  });
});
