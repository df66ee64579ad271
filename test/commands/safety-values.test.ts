// Values that make no sense are refused, never acted on: a retention of nothing, a segment of 0 s, a folder dated
// in year 0, a FIFO among the footage, an export folder that leads into the footage by a link.
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DAY, HOUR, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

const base = {
  school: { name: 'OSG De Linde', board: 'Stichting OVO' },
  storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
  cameras: [{ id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1' }],
  access: { export: [userInfo().username] },
};

/** A school whose config is written as given (makeSchool would refuse an invalid one): its register made first. */
async function schoolWith(settings: Record<string, unknown>): Promise<SchoolFixture> {
  school = await makeSchool(base);
  const { stringify } = await import('yaml');
  writeFileSync(school.configFile, stringify(settings));
  return school;
}

function footage(root: string): { expired: string[]; fresh: string[] } {
  const expired = every(NOW_MS - 31 * DAY, NOW_MS - 31 * DAY + HOUR, 10 * 60_000).map((t) => frigatePath('entree', t));
  // The last minute: a retention of nothing would take it too.
  const fresh = every(NOW_MS - 60_000, NOW_MS, 10_000).map((t) => frigatePath('entree', t));
  writeFiles(root, [...expired, ...fresh]);
  return { expired, fresh };
}

describe('a retention shorter than one day', () => {
  for (const setting of ['P0D', 'PT0S', 'PT12H']) {
    it(`retention.surveillance ${setting} is a config error naming the guideline, and the purge deletes nothing`, async () => {
      const s = await schoolWith({ ...base, retention: { surveillance: setting } });
      const root = path.join(s.dir, 'footage');
      const { expired, fresh } = footage(root);
      const validate = await toezicht(['config', 'validate'], { cwd: s.dir });
      expect(validate.exitCode).toBe(2);
      expect(validate.stdout + validate.stderr).toMatch(new RegExp(`retention\\.surveillance: ${setting} is shorter than one day`));
      expect(validate.stdout + validate.stderr).toMatch(/guideline for surveillance is P28D/);
      const purge = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: s.dir });
      expect(purge.exitCode).toBe(2);
      expect(listFiles(root)).toEqual([...expired, ...fresh].sort());
    });
  }

  it("a camera's own retention PT0S is refused the same way; P1D is accepted", async () => {
    const s = await schoolWith({ ...base, cameras: [{ ...base.cameras[0], retention: 'PT0S' }] });
    const validate = await toezicht(['config', 'validate', '--json'], { cwd: s.dir });
    expect(validate.exitCode).toBe(2);
    expect(JSON.stringify(validate.json)).toMatch(/PT0S is shorter than one day/);
    writeFileSync(s.configFile, (await import('yaml')).stringify({ ...base, cameras: [{ ...base.cameras[0], retention: 'P1D' }] }));
    expect((await toezicht(['config', 'validate'], { cwd: s.dir })).exitCode).toBe(0);
  });
});

describe('segmentSeconds 0', () => {
  it('says it must be at least 1', async () => {
    const s = await schoolWith({ ...base, storage: [{ ...base.storage[0], segmentSeconds: 0 }] });
    const validate = await toezicht(['config', 'validate'], { cwd: s.dir });
    expect(validate.exitCode).toBe(2);
    expect(validate.stdout + validate.stderr).toMatch(/storage\[0\]\.segmentSeconds: must be at least 1/);
  });
});

describe('dates no recorder writes, and files that are no files', () => {
  it('a folder 0000-01-01 (and one in 2099) is unknown: kept and reported as implausible-date, never read as 1900', async () => {
    school = await makeSchool(base);
    const root = path.join(school.dir, 'footage');
    const { expired, fresh } = footage(root);
    const odd = ['0000-01-01/10/entree/00.00.mp4', '0001-01-01/10/entree/00.00.mp4', '1969-12-31/23/entree/59.50.mp4', '2099-01-01/10/entree/00.00.mp4'];
    writeFiles(root, odd);
    const purge = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(purge.exitCode).toBe(0);
    expect(purge.json.deleted.files).toBe(expired.length);
    expect(purge.json.unknown.byReason).toEqual({ 'implausible-date': odd.length });
    expect(purge.json.unknown.samples.map((x: { path: string }) => x.path).sort()).toEqual([...odd].sort());
    expect(listFiles(root)).toEqual([...fresh, ...odd].sort());
  });

  it('a FIFO and a socket among the footage are unknown and never opened: the purge does not hang on them', async () => {
    school = await makeSchool(base);
    const root = path.join(school.dir, 'footage');
    const { expired, fresh } = footage(root);
    const dir = path.dirname(path.join(root, expired[0]!));
    execFileSync('mkfifo', [path.join(dir, '59.00.mp4')]);
    execFileSync('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(dir, '59.10.mp4'))})`]);
    const purge = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });
    expect(purge.exitCode).toBe(0);
    expect(purge.json.deleted.files).toBe(expired.length);
    expect(purge.json.unknown.byReason).toEqual({ 'not-a-file': 2 });
    expect(existsSync(path.join(dir, '59.00.mp4'))).toBe(true);
    expect(existsSync(path.join(dir, '59.10.mp4'))).toBe(true);
    expect(listFiles(root).filter((p) => fresh.includes(p))).toEqual([...fresh].sort());
  });
});

describe('where an export may be written', () => {
  const exportArgs = ['footage', 'export', '--camera', 'entree', '--from', '2026-11-26T11:59:10Z', '--to', '2026-11-26T11:59:40Z', '--no-hold', '--reason', 'Diefstal fiets', '--json'];

  it('--out L, a link to the storage root (or into it), is refused with exit 2 and nothing is written there', async () => {
    school = await makeSchool(base);
    const root = path.join(school.dir, 'footage');
    const { expired, fresh } = footage(root);
    symlinkSync(root, path.join(school.dir, 'usb'));
    symlinkSync(path.join(root, expired[0]!.split('/')[0]!), path.join(school.dir, 'usb2'));
    for (const out of ['usb', 'usb2', 'usb/pakketten']) {
      const r = await toezicht([...exportArgs, '--out', out], { cwd: school.dir });
      expect(r.exitCode, `${out}: ${r.stdout}`).toBe(2);
      expect(r.json.error.code).toBe('export.out');
      expect(r.json.error.message).toMatch(/--out .* overlaps storage nas1 .*it leads to/);
    }
    expect(listFiles(root)).toEqual([...expired, ...fresh].sort());
  });

  it('exports.root as such a link is a config error, and an export with it is refused', async () => {
    const s = await schoolWith({ ...base, exports: { root: './exports' } });
    const root = path.join(s.dir, 'footage');
    const { expired, fresh } = footage(root);
    symlinkSync(root, path.join(s.dir, 'exports'));
    const validate = await toezicht(['config', 'validate'], { cwd: s.dir });
    expect(validate.exitCode).toBe(2);
    expect(validate.stdout + validate.stderr).toMatch(/exports\.root: evidence packages must be kept apart from footage, but .*exports \(it leads to .*footage\)/);
    const r = await toezicht(exportArgs, { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(listFiles(root)).toEqual([...expired, ...fresh].sort());
  });

  it('--out naming an existing file (or a folder under one) is exit 2 with a sentence, not an unexpected error', async () => {
    school = await makeSchool(base);
    footage(path.join(school.dir, 'footage'));
    writeFileSync(path.join(school.dir, 'notes.txt'), 'not a folder');
    mkdirSync(path.join(school.dir, 'out'));
    for (const [out, pattern] of [
      ['notes.txt', /--out .*notes\.txt is a file, not a folder/],
      ['notes.txt/pkg', /--out .*notes\.txt\/pkg cannot be made \(ENOTDIR\)/],
    ] as const) {
      const r = await toezicht([...exportArgs, '--out', out], { cwd: school.dir });
      expect(r.exitCode, r.stdout).toBe(2);
      expect(r.json.error.message).toMatch(pattern);
      expect(r.json.error.message).not.toMatch(/unexpected/);
    }
  });
});
