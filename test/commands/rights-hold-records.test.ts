// A data-subject request's hold is written beside the footage when it is placed, not at the next purge: a register
// lost between the request and that purge must not take the hold, and the footage, with it (issue 15).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DAY, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);

vi.setConfig({ testTimeout: 240_000 });

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

describe("a request's hold when the register is lost before the next purge", () => {
  it('is in the storage at once, survives `register recover`, and the purge keeps the footage past its retention', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    const root = path.join(school.dir, 'footage');
    // Footage 27 days old: inside retention when the request comes, past it at the purge a week later.
    const from = NOW_MS - 27 * DAY;
    const starts = every(from, from + 30 * 60_000, 10 * 60_000);
    const files = starts.map((t) => frigatePath('entree', t));
    writeFiles(root, files);
    // A first purge marks the storage for this register (nothing is old enough to go yet).
    const first = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json.deleted.files).toBe(0);

    const request = await toezicht(
      ['rights', 'request', '--type', 'access', '--requester', 'Sanne de Vries', '--relation', 'self', '--subject', 'Sanne de Vries',
        '--camera', 'entree', '--from', new Date(from).toISOString(), '--to', new Date(from + 30 * 60_000).toISOString(), '--format', 'md', '--json'],
      { cwd: school.dir },
    );
    expect(request.exitCode, request.stderr).toBe(0);
    const holdId = request.json.hold.id as string;
    const record = path.join(root, '.toezicht', 'holds', `${holdId}.json`);
    expect(existsSync(record), 'the hold record is written when the request is registered').toBe(true);
    expect(readFileSync(record, 'utf8')).toContain(holdId);

    // The register is lost before any purge ran again; it is rebuilt from the storage.
    rmSync(school.config.register);
    const recover = await toezicht(['register', 'recover', '--json'], { cwd: school.dir });
    expect(recover.exitCode, recover.stderr).toBe(0);
    expect(recover.json.holds).toMatchObject([{ id: holdId, released: false, cameras: ['entree'] }]);

    // A week later every file is past its 28 days; the request's hold keeps them all.
    const later = new Date(NOW_MS + 7 * DAY).toISOString();
    const purge = await toezicht(['footage', 'purge', '--now', later, '--json'], { cwd: school.dir });
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(purge.json.deleted.files).toBe(0);
    expect(new Set(listFiles(root))).toEqual(new Set(files));
  });
});

describe('an erasure when the holds table was edited behind the register\'s back', () => {
  it('is refused (exit 2) before anything is deleted, as the purge is', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
    });
    const root = path.join(school.dir, 'footage');
    const from = Date.now() - 2 * DAY;
    const to = from + 30 * 60_000;
    const files = every(from, to, 10 * 60_000).map((t) => frigatePath('entree', t));
    writeFiles(root, files);
    const window = ['--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()];
    const hold = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', ...window, '--case', 'Incident 14', '--reason', 'Diefstal fiets'], { cwd: school.dir });
    expect(hold.exitCode, hold.stderr).toBe(0);
    const holdId = hold.stdout.trim();
    // Someone releases the incident's hold with sqlite3, then asks for the footage to be erased.
    const db = new Database(school.config.register);
    db.prepare("UPDATE holds SET released_at = '2026-11-01T00:00:00.000Z', release_reason = 'x' WHERE id = ?").run(holdId);
    db.close();
    const request = await toezicht(
      ['rights', 'request', '--type', 'erasure', '--requester', 'Mark Jansen', '--relation', 'staff', '--subject', 'Mark Jansen', '--camera', 'entree', ...window, '--format', 'md', '--json'],
      { cwd: school.dir },
    );
    expect(request.exitCode, request.stderr).toBe(0);
    const id = request.json.request.id as string;
    expect((await toezicht(['rights', 'verify-identity', id, '--method', 'Personeelspas'], { cwd: school.dir })).exitCode).toBe(0);
    const erase = await toezicht(['rights', 'fulfil', id, '--yes', '--json'], { cwd: school.dir });
    expect(erase.exitCode).toBe(2);
    expect(erase.json.error.code).toBe('register.holds-tampered');
    expect(erase.json.error.message).toMatch(/^The erasure refused to run and deleted nothing/);
    expect(new Set(listFiles(root))).toEqual(new Set(files));
  });
});
