import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openRegister } from '../../src/core/register/index.js';
import { spawnToezicht, toezicht } from '../helpers/cli.js';
import { DAY, HOUR, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const utc = (iso: string): number => Date.parse(iso);
const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = utc(NOW);

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

/** Footage files under `dir` (toezicht's own records in `.toezicht/` at the root are not footage). */
function countFiles(dir: string, top = true): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (top && e.name === '.toezicht') continue;
    n += e.isDirectory() ? countFiles(path.join(dir, e.name), false) : 1;
  }
  return n;
}

async function setup(): Promise<{ s: SchoolFixture; root: string; expired: string[]; fresh: string[] }> {
  school = await makeSchool({
    school: { name: 'OSG De Linde', board: 'Stichting OVO' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [
      { id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1' },
      { id: 'aula', name: 'Aula', category: 'surveillance', storage: 'nas1' },
    ],
  });
  const root = path.join(school.dir, 'footage');
  const expired = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000).flatMap((t) => [frigatePath('entree', t), frigatePath('aula', t)]);
  const fresh = every(NOW_MS - 2 * DAY, NOW_MS - 2 * DAY + HOUR, 10 * 60_000).flatMap((t) => [frigatePath('entree', t), frigatePath('aula', t)]);
  writeFiles(root, [...expired, ...fresh]);
  return { s: school, root, expired, fresh };
}

describe('toezicht footage purge', () => {
  it('prints one JSON report with the promised fields, and exits 0', async () => {
    const { s, expired, fresh } = await setup();
    const r = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: s.dir });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({
      dryRun: false,
      now: NOW,
      runId: 1,
      deleted: { files: expired.length, bytes: expired.length * 'segment'.length },
      held: { files: 0 },
      kept: { files: fresh.length },
      unknown: { files: 0 },
      byCamera: { entree: { deleted: expired.length / 2, held: 0, kept: fresh.length / 2 }, aula: { deleted: expired.length / 2, held: 0, kept: fresh.length / 2 } },
      errors: [],
    });
    expect(r.stderr).toBe('');
  });

  it('--dry-run and --check delete nothing; --check exits 1 while expired footage exists and 0 after a purge', async () => {
    const { s, root, expired, fresh } = await setup();
    const dry = await toezicht(['footage', 'purge', '--now', NOW, '--dry-run', '--json'], { cwd: s.dir });
    expect(dry.exitCode).toBe(0);
    expect(dry.json).toMatchObject({ dryRun: true, runId: null, deleted: { files: expired.length } });
    const check = await toezicht(['footage', 'purge', '--now', NOW, '--check'], { cwd: s.dir });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`expired ${expired.length} files`));
    expect(countFiles(root)).toBe(expired.length + fresh.length);
    expect((await toezicht(['footage', 'purge', '--now', NOW, '--quiet'], { cwd: s.dir })).stdout).toBe('');
    expect((await toezicht(['footage', 'purge', '--now', NOW, '--check'], { cwd: s.dir })).exitCode).toBe(0);
    expect(countFiles(root)).toBe(fresh.length);
  });

  it('lets only one purge run at a time: a second one exits 3 and deletes nothing', async () => {
    const { s, root, expired, fresh } = await setup();
    const reg = openRegister(s.config.register).register;
    const lock = await reg.acquirePurgeLock();
    try {
      const r = await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toMatch(/Another purge is running/);
      expect(countFiles(root)).toBe(expired.length + fresh.length);
    } finally {
      lock.release();
      reg.close();
    }
    expect((await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir })).exitCode).toBe(0);
  });

  it('refuses without a register (exit 2), deleting nothing, and says to run init', async () => {
    const { s, root, expired, fresh } = await setup();
    renameSync(s.config.register, `${s.config.register}.away`);
    const r = await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/No register at .*run `toezicht init`/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(countFiles(root)).toBe(expired.length + fresh.length);
    expect(existsSync(s.config.register)).toBe(false); // and it did not create one
  });

  it('refuses an unmounted share (exit 2) after a run that found footage there', async () => {
    const { s, root } = await setup();
    expect((await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir })).exitCode).toBe(0);
    renameSync(root, `${root}.mounted`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(root);
    const r = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('purge.refused');
    expect(r.json.error.details[0]).toMatch(/is empty, but the purge of .* found \d+ files there; is the share mounted\?/);
  });

  it('keeps held footage across a purge, and removes it after release', async () => {
    const { s, root, expired } = await setup();
    const from = new Date(NOW_MS - 31 * DAY).toISOString();
    const to = new Date(NOW_MS - 31 * DAY + 20 * 60_000).toISOString();
    const add = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', from, '--to', to, '--case', 'Incident 14', '--reason', 'Diefstal'], { cwd: s.dir });
    expect(add.exitCode).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(/^H-\d{4}-0001$/);
    const purge = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: s.dir });
    expect(purge.json.held).toEqual({ files: 3, byHold: { [id]: 3 } });
    expect(countFiles(root)).toBeGreaterThan(0);
    const list = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(list.json.holds).toHaveLength(1);
    expect((await toezicht(['footage', 'hold', 'release', id, '--reason', 'afgehandeld'], { cwd: s.dir })).exitCode).toBe(0);
    const after = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: s.dir });
    expect(after.json.deleted.files).toBe(3);
    expect((await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir })).json.holds).toHaveLength(0);
    expect((await toezicht(['footage', 'hold', 'list', '--all', '--json'], { cwd: s.dir })).json.holds[0]).toMatchObject({ id, releaseReason: 'afgehandeld' });
    void expired;
  });

  it('rejects a hold on an unknown camera or a backwards range with exit 2', async () => {
    const { s } = await setup();
    const unknown = await toezicht(['footage', 'hold', 'add', '--camera', 'kelder', '--from', '2026-10-01', '--to', '2026-10-02', '--case', 'x', '--reason', 'y'], { cwd: s.dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown camera "kelder"; the config has: entree, aula/);
    const backwards = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', '2026-10-02', '--to', '2026-10-01T08:00', '--case', 'x', '--reason', 'y'], { cwd: s.dir });
    expect(backwards.exitCode).toBe(2);
    expect((await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', '2026-10-01'], { cwd: s.dir })).exitCode).toBe(2);
  });
});

describe('a purge killed with SIGKILL, then run again', () => {
  it('ends exactly where an uninterrupted purge would, with every deletion recorded and the chain intact', async () => {
    school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: ['a', 'b', 'c'].map((id) => ({ id, category: 'surveillance', storage: 'nas1' })),
    });
    const root = path.join(school.dir, 'footage');
    // 40 days of footage, a segment every 5 minutes per camera; one hold in the expired part.
    const starts = every(NOW_MS - 40 * DAY, NOW_MS, 5 * 60_000);
    const all = starts.flatMap((t) => ['a', 'b', 'c'].map((c) => frigatePath(c, t)));
    writeFiles(root, all);
    const holdFrom = NOW_MS - 35 * DAY;
    const holdTo = holdFrom + 6 * HOUR;
    const h = await toezicht(['footage', 'hold', 'add', '--camera', 'b', '--from', new Date(holdFrom).toISOString(), '--to', new Date(holdTo).toISOString(), '--case', 'I-9', '--reason', 'vernieling'], { cwd: school.dir });
    expect(h.exitCode).toBe(0);
    const cutoff = NOW_MS - 28 * DAY;
    const shouldStay = new Set(
      starts.flatMap((t) =>
        ['a', 'b', 'c'].filter((c) => t + 10_000 >= cutoff || (c === 'b' && t <= holdTo && t + 10_000 >= holdFrom)).map((c) => frigatePath(c, t)),
      ),
    );

    // Kill it at a few different moments, each time once it has recorded some of its deletions (watched through
    // a read-only connection to the register), so the kill lands mid-run however slow the machine is.
    for (const afterBatches of [1, 7, 30]) {
      const child = spawnToezicht(['footage', 'purge', '--now', NOW], { cwd: school.dir });
      const db = new Database(school.config.register, { readonly: true, fileMustExist: true });
      const progress = db.prepare("SELECT COUNT(*) FROM purge_batches b JOIN purge_runs r ON r.id = b.run_id WHERE r.pid = ? AND r.status = 'running'").pluck();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && child.exitCode === null && (progress.get(child.pid) as number) < afterBatches) {
        await new Promise((r) => setTimeout(r, 5));
      }
      db.close();
      expect(child.exitCode, 'the purge finished before it could be killed').toBeNull();
      child.kill('SIGKILL');
      await child;
    }
    const left = countFiles(root);
    expect(left).toBeLessThan(all.length); // the kills did land mid-run…
    expect(left).toBeGreaterThanOrEqual(shouldStay.size);

    const rerun = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.json.interruptedRuns.length).toBeGreaterThanOrEqual(1);
    const remaining = new Set(listFiles(root));
    expect([...remaining].sort()).toEqual([...shouldStay].sort());

    const reg = openRegister(school.config.register).register;
    try {
      expect((await reg.verifyAudit()).ok).toBe(true);
      // Every file that is gone was deleted by a recorded run.
      const gone = all.filter((f) => !remaining.has(f));
      for (const f of gone.filter((_, i) => i % 97 === 0)) expect(await reg.findDeletion('nas1', f), f).toBeDefined();
    } finally {
      reg.close();
    }
    const verify = await toezicht(['audit', 'verify'], { cwd: school.dir });
    expect(verify.exitCode).toBe(0);
    expect(statSync(school.config.register).mode & 0o777).toBe(0o600);
    // Five CLI runs over 35,000 files: about 20 s alone, several times that on a shared, busy machine.
  }, 240_000);
});
