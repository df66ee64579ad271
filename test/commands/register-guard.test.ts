// Holds that survive anything: each attack on the register (issue 15) is tried as an attacker or a hurried
// administrator would, with the real register file, real folders and the built CLI; the held footage must stay.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openRegister } from '../../src/core/register/index.js';
import { spawnToezicht, toezicht } from '../helpers/cli.js';
import { DAY, HOUR, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);
const HOLD_FROM = NOW_MS - 31 * DAY;
const HOLD_TO = HOLD_FROM + 30 * 60_000;

// Each case runs the built CLI several times; on a loaded machine that takes more than the default minute.
vi.setConfig({ testTimeout: 240_000 });

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

interface Scene {
  s: SchoolFixture;
  root: string;
  held: string[];
  all: string[];
  holdId: string;
}

/** Two cameras, footage 31–30 days ago (expired) and 2 days ago, and a hold on half an hour of `entree`. */
async function scene(): Promise<Scene> {
  school = await makeSchool({
    school: { name: 'OSG De Linde' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [
      { id: 'entree', category: 'surveillance', storage: 'nas1' },
      { id: 'aula', category: 'surveillance', storage: 'nas1' },
    ],
  });
  const root = path.join(school.dir, 'footage');
  const expired = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000);
  const fresh = every(NOW_MS - 2 * DAY, NOW_MS - 2 * DAY + HOUR, 10 * 60_000);
  const all = [...expired, ...fresh].flatMap((t) => [frigatePath('entree', t), frigatePath('aula', t)]);
  writeFiles(root, all);
  const held = expired.filter((t) => t <= HOLD_TO && t + 10_000 >= HOLD_FROM).map((t) => frigatePath('entree', t));
  expect(held.length).toBeGreaterThan(0);
  const add = await toezicht(
    ['footage', 'hold', 'add', '--camera', 'entree', '--from', new Date(HOLD_FROM).toISOString(), '--to', new Date(HOLD_TO).toISOString(), '--case', 'Incident 14', '--reason', 'Diefstal fiets'],
    { cwd: school.dir },
  );
  expect(add.exitCode, add.stderr).toBe(0);
  return { s: school, root, held, all, holdId: add.stdout.trim() };
}

function present(sc: Scene): Set<string> {
  return new Set(listFiles(sc.root));
}

function expectHeldKept(sc: Scene): void {
  const files = present(sc);
  for (const f of sc.held) expect(files.has(f), `${f} is held and must stay`).toBe(true);
}

function sql(file: string, statements: string, create = false): void {
  const db = new Database(file, { fileMustExist: !create });
  try {
    db.exec(statements);
  } finally {
    db.close();
  }
}

const purge = (sc: Scene, ...extra: string[]) => toezicht(['footage', 'purge', '--now', NOW, '--json', ...extra], { cwd: sc.s.dir });

describe('a register emptied or replaced by another program\'s file', () => {
  it('an emptied register (`: > register.db`) is refused (exit 2): nothing is deleted and no schema is made in it', async () => {
    const sc = await scene();
    writeFileSync(sc.s.config.register, '');
    const r = await purge(sc);
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('register.empty');
    expect(r.json.error.message).toMatch(/is empty \(0 bytes\).*toezicht register restore.*toezicht register recover/);
    expect(present(sc).size).toBe(sc.all.length);
    expect(statSync(sc.s.config.register).size).toBe(0);
  });

  it("another program's SQLite file in its place is refused (exit 2), and left as it was", async () => {
    const sc = await scene();
    rmSync(sc.s.config.register);
    sql(sc.s.config.register, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('appeltaart');", true);
    const r = await purge(sc);
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('register.foreign');
    expect(r.json.error.message).toMatch(/is not a toezicht register/);
    expect(present(sc).size).toBe(sc.all.length);
    const db = new Database(sc.s.config.register, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['recipes']);
    db.close();
  });
});

describe('a register lost, then `toezicht init`', () => {
  it('init refuses (the storage is marked for the lost register); `register recover` rebuilds the holds, and the purge keeps the held footage', async () => {
    const sc = await scene();
    expect((await purge(sc)).exitCode).toBe(0); // marks the storage; the held footage stays
    expectHeldKept(sc);
    const marker = JSON.parse(readFileSync(path.join(sc.root, '.toezicht', 'register.json'), 'utf8')) as { registerId: string; anchor: { seq: number } };
    rmSync(sc.s.config.register);

    const init = await toezicht(['init'], { cwd: sc.s.dir });
    expect(init.exitCode).toBe(2);
    expect(init.stderr).toMatch(new RegExp(`Storage nas1 is purged by register ${marker.registerId}.*toezicht register recover`));
    expect(existsSync(sc.s.config.register)).toBe(false);

    const recover = await toezicht(['register', 'recover', '--json'], { cwd: sc.s.dir });
    expect(recover.exitCode, recover.stderr).toBe(0);
    expect(recover.json.previousRegisters).toEqual([marker.registerId]);
    expect(recover.json.anchor.seq).toBe(marker.anchor.seq);
    expect(recover.json.holds).toMatchObject([{ id: sc.holdId, released: false, cameras: ['entree'], signature: 'unsigned' }]);
    expect(recover.json.registerId).not.toBe(marker.registerId);
    expect(statSync(sc.s.config.register).mode & 0o777).toBe(0o600);

    const again = await purge(sc);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json.held.byHold).toEqual({ [sc.holdId]: sc.held.length });
    expectHeldKept(sc);
    const verify = await toezicht(['audit', 'verify', '--json'], { cwd: sc.s.dir });
    expect(verify.exitCode).toBe(0);
    // A second recover does not replace a sound register.
    expect((await toezicht(['register', 'recover'], { cwd: sc.s.dir })).exitCode).toBe(2);
  });
});

describe('the holds table edited with sqlite3 behind the register', () => {
  const edits: [string, (id: string) => string][] = [
    ['released_at set', (id) => `UPDATE holds SET released_at = '2026-11-01T00:00:00.000Z', release_reason = 'x' WHERE id = '${id}'`],
    ['its range shrunk', (id) => `UPDATE holds SET range_to = range_from + 1 WHERE id = '${id}'`],
    ['its hold_cameras rows deleted', (id) => `DELETE FROM hold_cameras WHERE hold_id = '${id}'`],
  ];
  for (const [what, edit] of edits) {
    it(`${what}: the purge refuses (exit 2) and deletes nothing; audit verify names the hold (exit 1)`, async () => {
      const sc = await scene();
      sql(sc.s.config.register, edit(sc.holdId));
      const r = await purge(sc);
      expect(r.exitCode).toBe(2);
      expect(r.json.error.code).toBe('register.holds-tampered');
      expect(r.json.error.message).toContain(sc.holdId);
      expect(present(sc).size).toBe(sc.all.length);
      const verify = await toezicht(['audit', 'verify'], { cwd: sc.s.dir });
      expect(verify.exitCode).toBe(1);
      expect(verify.stdout).toMatch(new RegExp(`The holds table was changed behind the register's back: .*${sc.holdId}`));
    });
  }
});

describe('every audit row deleted and the head reset in meta', () => {
  it('audit verify reports the chain emptied after its anchor (exit 1), and the purge refuses', async () => {
    const sc = await scene();
    expect((await purge(sc)).exitCode).toBe(0);
    // The attacker wipes the chain and the holds together, so that table and chain agree.
    sql(sc.s.config.register, `DELETE FROM audit; DELETE FROM hold_cameras; DELETE FROM holds; UPDATE meta SET value = '0' WHERE key = 'audit_head_seq'; UPDATE meta SET value = '${'0'.repeat(64)}' WHERE key = 'audit_head_hash';`);
    const verify = await toezicht(['audit', 'verify', '--json'], { cwd: sc.s.dir });
    expect(verify.exitCode).toBe(1);
    expect(verify.json.anchorProblem).toMatch(/the audit chain is empty, but storage nas1 recorded entry \d+ .*emptied/);
    const human = await toezicht(['audit', 'verify'], { cwd: sc.s.dir });
    expect(human.stdout).not.toMatch(/intact/);
    const r = await purge(sc);
    expect(r.exitCode).toBe(2);
    expectHeldKept(sc);
  });
});

describe('garbage in one page of the register', () => {
  it('fails PRAGMA quick_check: the purge refuses before its first deletion (exit 2) and leaves no run behind', async () => {
    const sc = await scene();
    const file = sc.s.config.register;
    const db = new Database(file);
    const page = db.pragma('page_size', { simple: true }) as number;
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'document_renders'").pluck().get() as number;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(page, 0xa7), 0, page, (root - 1) * page);
    closeSync(fd);
    const r = await purge(sc);
    expect(r.exitCode).toBe(2);
    expect(r.json.error.message).toMatch(/fails its integrity check \(PRAGMA quick_check/);
    expect(present(sc).size).toBe(sc.all.length);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM purge_runs').pluck().get()).toBe(0);
    after.close();
  });
});

describe("a hold the storage keeps and the register lacks (a backup restored from before it)", () => {
  it('is honoured and reported; --check exits 1; restore needs --yes without a terminal; the backup is 0600', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    const root = path.join(school.dir, 'footage');
    const expired = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000);
    writeFiles(root, expired.map((t) => frigatePath('entree', t)));
    const backup = path.join(school.dir, 'register-backup.db');
    const b = await toezicht(['register', 'backup', backup, '--json'], { cwd: school.dir });
    expect(b.exitCode, b.stderr).toBe(0);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect((await toezicht(['register', 'backup', backup], { cwd: school.dir })).exitCode).toBe(2); // never over a file

    const add = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', new Date(HOLD_FROM).toISOString(), '--to', new Date(HOLD_TO).toISOString(), '--case', 'I-3', '--reason', 'vernieling'], { cwd: school.dir });
    const holdId = add.stdout.trim();
    const held = expired.filter((t) => t <= HOLD_TO && t + 10_000 >= HOLD_FROM).map((t) => frigatePath('entree', t));

    const refused = await toezicht(['register', 'restore', backup], { cwd: school.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/nothing was changed.*Add --yes/);
    const restored = await toezicht(['register', 'restore', backup, '--yes', '--json'], { cwd: school.dir });
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.json.anchor.seq).toBeGreaterThan(restored.json.backupHead.seq);
    expect(existsSync(restored.json.movedAside)).toBe(true);

    const check = await toezicht(['footage', 'purge', '--now', NOW, '--check', '--json'], { cwd: school.dir });
    expect(check.exitCode).toBe(1);
    expect(check.json.storageHolds).toMatchObject([{ storage: 'nas1', holdId, problem: 'the register has no such active hold' }]);
    const r = await toezicht(['footage', 'purge', '--now', NOW], { cwd: school.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`storage nas1 keeps hold ${holdId} \\(entree\\), but the register has no such active hold`));
    expect(r.stdout).toMatch(/audit head \d+ [0-9a-f]{64}/);
    const files = new Set(listFiles(root));
    expect([...files].sort()).toEqual([...held].sort());
  });
});

describe('a purge killed mid-run after a register recovery', () => {
  it('ends where an uninterrupted purge would', async () => {
    school = await makeSchool({
      school: { name: 'Testschool' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: ['a', 'b'].map((id) => ({ id, category: 'surveillance', storage: 'nas1' })),
    });
    const root = path.join(school.dir, 'footage');
    const starts = every(NOW_MS - 40 * DAY, NOW_MS, 10 * 60_000);
    const all = starts.flatMap((t) => ['a', 'b'].map((c) => frigatePath(c, t)));
    writeFiles(root, all);
    const holdFrom = NOW_MS - 35 * DAY;
    const holdTo = holdFrom + 6 * HOUR;
    const h = await toezicht(['footage', 'hold', 'add', '--camera', 'b', '--from', new Date(holdFrom).toISOString(), '--to', new Date(holdTo).toISOString(), '--case', 'I-9', '--reason', 'vernieling'], { cwd: school.dir });
    expect(h.exitCode).toBe(0);
    const cutoff = NOW_MS - 28 * DAY;
    const shouldStay = new Set(starts.flatMap((t) => ['a', 'b'].filter((c) => t + 10_000 >= cutoff || (c === 'b' && t <= holdTo && t + 10_000 >= holdFrom)).map((c) => frigatePath(c, t))));

    // The register is lost; it is recovered from the storage's hold record.
    rmSync(school.config.register);
    expect((await toezicht(['register', 'recover'], { cwd: school.dir })).exitCode).toBe(0);

    const child = spawnToezicht(['footage', 'purge', '--now', NOW], { cwd: school.dir });
    const db = new Database(school.config.register, { readonly: true, fileMustExist: true });
    const progress = db.prepare("SELECT COUNT(*) FROM purge_batches b JOIN purge_runs r ON r.id = b.run_id WHERE r.pid = ? AND r.status = 'running'").pluck();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null && (progress.get(child.pid) as number) < 5) await new Promise((r) => setTimeout(r, 5));
    db.close();
    expect(child.exitCode, 'the purge finished before it could be killed').toBeNull();
    child.kill('SIGKILL');
    await child;
    const left = listFiles(root).length;
    expect(left).toBeLessThan(all.length);

    const rerun = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.json.interruptedRuns).toHaveLength(1);
    expect(listFiles(root)).toEqual([...shouldStay].sort());
    expect((await toezicht(['audit', 'verify'], { cwd: school.dir })).exitCode).toBe(0);
  }, 240_000);
});

describe("hold records signed with the school's key", () => {
  it('a release forged in the storage (without the key) is not believed: the footage stays', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    const root = path.join(school.dir, 'footage');
    const expired = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000);
    writeFiles(root, expired.map((t) => frigatePath('entree', t)));
    expect((await toezicht(['keys', 'init'], { cwd: school.dir })).exitCode).toBe(0);
    const backup = path.join(school.dir, 'before-hold.db');
    expect((await toezicht(['register', 'backup', backup], { cwd: school.dir })).exitCode).toBe(0);
    const add = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', new Date(HOLD_FROM).toISOString(), '--to', new Date(HOLD_TO).toISOString(), '--case', 'I-4', '--reason', 'inbraak'], { cwd: school.dir });
    const holdId = add.stdout.trim();
    const held = expired.filter((t) => t <= HOLD_TO && t + 10_000 >= HOLD_FROM).map((t) => frigatePath('entree', t));
    const recordFile = path.join(root, '.toezicht', 'holds', `${holdId}.json`);
    const stored = JSON.parse(readFileSync(recordFile, 'utf8')) as { payload: string; signature: string; fingerprint: string };
    expect(stored.signature).toMatch(/^[A-Za-z0-9+/=]{80,}$/);

    // Someone who can write the share but lacks the key marks the hold released, and rolls the register back.
    const forged = { ...JSON.parse(stored.payload), released: { at: '2026-11-20T00:00:00.000Z', reason: 'x' } };
    writeFileSync(recordFile, JSON.stringify({ ...stored, payload: JSON.stringify(forged) }));
    expect((await toezicht(['register', 'restore', backup, '--yes'], { cwd: school.dir })).exitCode).toBe(0);

    const r = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.warnings.join('\n')).toMatch(new RegExp(`the release of hold ${holdId} in its hold record is not signed by the school key`));
    expect(r.json.storageHolds).toMatchObject([{ holdId }]);
    expect(listFiles(root)).toEqual([...held].sort());
  });
});

describe('a hold released in the register without its storage\'s word (a school with a key)', () => {
  it('stays kept and reported until `hold release` is run again, which writes the signed release; then it goes', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    const root = path.join(school.dir, 'footage');
    const expired = every(NOW_MS - 31 * DAY, NOW_MS - 30 * DAY, 10 * 60_000);
    writeFiles(root, expired.map((t) => frigatePath('entree', t)));
    expect((await toezicht(['keys', 'init'], { cwd: school.dir })).exitCode).toBe(0);
    const add = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', new Date(HOLD_FROM).toISOString(), '--to', new Date(HOLD_TO).toISOString(), '--case', 'R-1', '--reason', 'inzage'], { cwd: school.dir });
    const holdId = add.stdout.trim();
    const held = expired.filter((t) => t <= HOLD_TO && t + 10_000 >= HOLD_FROM).map((t) => frigatePath('entree', t));
    // As a request's close does: the register releases, the storage is not told.
    const reg = openRegister(school.config.register).register;
    await reg.releaseHold(holdId, 'verzoek afgehandeld');
    await reg.close();

    const first = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json.storageHolds).toMatchObject([{ holdId }]);
    expect(first.json.warnings.join('\n')).toMatch(new RegExp(`toezicht footage hold release ${holdId} --reason`));
    expect(listFiles(root)).toEqual([...held].sort());

    const again = await toezicht(['footage', 'hold', 'release', holdId, '--reason', 'verzoek afgehandeld', '--json'], { cwd: school.dir });
    expect(again.exitCode, again.stderr).toBe(0);
    const second = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(second.json.storageHolds).toEqual([]);
    expect(second.json.deleted.files).toBe(held.length);
    expect(listFiles(root)).toEqual([]);
  });
});

describe('a backup from before registers had an id', () => {
  it('is restored with the id of the register the storage is marked for, and the purge accepts it', async () => {
    const sc = await scene();
    expect((await purge(sc)).exitCode).toBe(0);
    const marker = JSON.parse(readFileSync(path.join(sc.root, '.toezicht', 'register.json'), 'utf8')) as { registerId: string };
    const backup = path.join(sc.s.dir, 'old.db');
    expect((await toezicht(['register', 'backup', backup], { cwd: sc.s.dir })).exitCode).toBe(0);
    sql(backup, "DELETE FROM meta WHERE key = 'register_id'; PRAGMA user_version = 5;");
    const restored = await toezicht(['register', 'restore', backup, '--yes', '--json'], { cwd: sc.s.dir });
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.json.registerId).toBe(marker.registerId);
    const r = await purge(sc);
    expect(r.exitCode, r.stderr).toBe(0);
    expectHeldKept(sc);
  });
});

describe('the audit chain rewritten with fresh hashes', () => {
  it('verifies on its own, but audit verify reports it rewritten against the anchor (exit 1)', async () => {
    const sc = await scene();
    expect((await purge(sc)).exitCode).toBe(0);
    const { canonicalJson, entryHash } = await import('../../src/core/register/chain.js');
    const db = new Database(sc.s.config.register, { fileMustExist: true });
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as { seq: number; at: string; actor: string; action: string; details: string; prev_hash: string; hash: string }[];
    // Change the reason of the first entry and hash every entry again, as someone with the register's file could.
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const details = JSON.parse(r.details) as Record<string, unknown>;
      if (r.seq === 1) details.school = 'Een andere school';
      const hash = entryHash({ seq: r.seq, at: r.at, actor: JSON.parse(r.actor), action: r.action, details }, prev);
      db.prepare('UPDATE audit SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(canonicalJson(details), prev, hash, r.seq);
      prev = hash;
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head_hash'").run(prev);
    db.close();
    const verify = await toezicht(['audit', 'verify', '--json'], { cwd: sc.s.dir });
    expect(verify.exitCode).toBe(1);
    expect(verify.json.broken).toBeUndefined(); // the chain itself checks out…
    expect(verify.json.anchorProblem).toMatch(/was rewritten after it/); // …but not against its anchor
    expect((await purge(sc)).exitCode).toBe(2);
    expectHeldKept(sc);
  });
});
