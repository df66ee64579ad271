import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DAY, HOUR, every, frigatePath, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

async function setup(): Promise<{ s: SchoolFixture; root: string }> {
  school = await makeSchool({
    school: { name: 'Testschool' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [
      { id: 'lang', category: 'surveillance', storage: 'nas1' },
      { id: 'kort', category: 'surveillance', storage: 'nas1' },
      { id: 'nieuw', category: 'surveillance', storage: 'nas1', since: '2026-11-20' },
    ],
  });
  const root = path.join(school.dir, 'footage');
  // lang: 35 days (7 too many); kort: 10 days (the recorder loses footage); nieuw: 5 days but installed on the 20th.
  writeFiles(root, every(NOW_MS - 35 * DAY, NOW_MS, 6 * HOUR).map((t) => frigatePath('lang', t)));
  writeFiles(root, every(NOW_MS - 10 * DAY, NOW_MS, 6 * HOUR).map((t) => frigatePath('kort', t)));
  writeFiles(root, every(NOW_MS - 5 * DAY, NOW_MS, 6 * HOUR).map((t) => frigatePath('nieuw', t)));
  return { s: school, root };
}

describe('toezicht footage status', () => {
  it('is an error when footage is kept too long, a warning when a recorder keeps too little; held footage is left out', async () => {
    const { s } = await setup();
    const hold = await toezicht(['footage', 'hold', 'add', '--camera', 'lang', '--from', new Date(NOW_MS - 35 * DAY).toISOString(), '--to', new Date(NOW_MS - 34 * DAY).toISOString(), '--case', 'I', '--reason', 'r'], { cwd: s.dir });
    expect(hold.exitCode).toBe(0);
    const r = await toezicht(['footage', 'status', '--now', NOW, '--json'], { cwd: s.dir });
    expect(r.exitCode).toBe(1);
    const byId = Object.fromEntries(r.json.cameras.map((c: { id: string }) => [c.id, c]));
    expect(byId.lang).toMatchObject({ files: 140, held: { files: 5 }, expired: { files: 23 } });
    // Held: the five segments from 35 to 34 days back (edges included). The oldest unheld one is 33.75 days old:
    // held footage does not count as what the storage keeps by itself.
    expect(byId.lang.actualRetentionDays).toBe(33.8);
    const rules = r.json.findings.map((f: { rule: string; camera?: string; severity: string }) => `${f.severity} ${f.rule} ${f.camera ?? ''}`.trim());
    expect(rules).toEqual(expect.arrayContaining(['error retention.exceeded lang', 'warning retention.short kort']));
    expect(rules.some((x: string) => x.includes('nieuw'))).toBe(false);

    await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
    const after = await toezicht(['footage', 'status', '--now', NOW, '--json'], { cwd: s.dir });
    expect(after.exitCode).toBe(0);
    expect(after.json.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  });
});

describe('toezicht audit verify', () => {
  it('exits 0 on an intact chain and 1 naming the first broken entry after an edit', async () => {
    const { s } = await setup();
    await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
    expect((await toezicht(['audit', 'verify'], { cwd: s.dir })).exitCode).toBe(0);
    const db = new Database(s.config.register);
    db.prepare("UPDATE audit SET details = json_set(details, '$.deletedFiles', 0) WHERE action = 'purge.run'").run();
    db.close();
    const r = await toezicht(['audit', 'verify', '--json'], { cwd: s.dir });
    expect(r.exitCode).toBe(1);
    expect(r.json).toMatchObject({ ok: false, broken: { seq: 2 } });
  });

  it('catches an edited deletion record through the digest in its run entry', async () => {
    const { s } = await setup();
    await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
    const db = new Database(s.config.register);
    db.prepare("UPDATE purge_batches SET names = '[]' WHERE id = 1").run();
    db.close();
    const r = await toezicht(['audit', 'verify'], { cwd: s.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/deletion records of purge run 1 no longer match/);
  });

  it('shows the log, filtered by action', async () => {
    const { s } = await setup();
    await toezicht(['footage', 'purge', '--now', NOW], { cwd: s.dir });
    const r = await toezicht(['audit', 'log', '--action', 'purge', '--json'], { cwd: s.dir });
    expect(r.json.entries.map((e: { action: string }) => e.action)).toEqual(['purge.run']);
    expect(r.json.entries[0].details).toMatchObject({ deletedFiles: 28, heldFiles: 0, status: 'done' });
    const human = await toezicht(['audit', 'log', '--since', 'P1D'], { cwd: s.dir });
    expect(human.stdout).toMatch(/register\.create[\s\S]*purge\.run/);
  });
});
