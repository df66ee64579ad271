// `--school` on the commands that act on footage, in a board's config: footage export, footage hold add/list/release
// and footage exports. Real config files, the real register, real segments and the built CLI.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSigningKey } from '../../src/core/evidence/index.js';
import { toezicht } from '../helpers/cli.js';
import { ME } from '../helpers/export-school.js';
import { makeStream, placeFrigate, removeStreams } from '../helpers/footage.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';

afterAll(removeStreams);
let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

// Two schools with their own storage and cameras, and one camera of the board's own office.
const board = {
  school: { name: 'Stichting Voorbeeld' },
  storage: [{ id: 'bestuur-nas', type: 'fs', root: './bestuur', layout: 'frigate' }],
  cameras: [{ id: 'kantoor', category: 'surveillance', storage: 'bestuur-nas' }],
  schools: [
    {
      id: 'klimop',
      name: 'OBS De Klimop',
      storage: [{ id: 'klimop-nas', type: 'fs', root: './klimop', layout: 'frigate' }],
      cameras: [
        { id: 'klimop-entree', category: 'surveillance', storage: 'klimop-nas' },
        { id: 'klimop-aula', category: 'surveillance', storage: 'klimop-nas' },
      ],
    },
    {
      id: 'esdoorn',
      name: 'CBS De Esdoorn',
      storage: [{ id: 'esdoorn-nas', type: 'fs', root: './esdoorn', layout: 'frigate' }],
      cameras: [{ id: 'esdoorn-plein', category: 'surveillance', storage: 'esdoorn-nas' }],
    },
  ],
  access: { export: [ME] },
  exports: { root: './exports' },
};

async function makeBoard(): Promise<SchoolFixture> {
  school = await makeBoardIn();
  return school;
}

async function makeBoardIn(): Promise<SchoolFixture> {
  const s = await makeSchool(board);
  for (const d of ['bestuur', 'klimop', 'esdoorn']) mkdirSync(path.join(s.dir, d));
  await createSigningKey(s.config.keys.dir);
  return s;
}

/** The lines of a grouped listing under the heading that starts with `heading`, up to the next blank line. */
function section(text: string, heading: string): string {
  const start = text.split('\n').findIndex((l) => l.startsWith(heading));
  if (start < 0) return '';
  const rest = text.split('\n').slice(start + 1);
  const end = rest.findIndex((l) => l.trim() === '');
  return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}

/** What a refusal says: on stderr, or in the JSON document with --json. */
const said = (r: { stderr: string; json: { error?: { message: string } } | undefined }): string => r.json?.error?.message ?? r.stderr;

const range = ['--from', '2026-10-20T08:00:00Z', '--to', '2026-10-20T08:00:05Z'];

describe('--school in a board config', () => {
  it('footage export refuses a camera of another school, records the schools, and footage exports filters and groups by school', async () => {
    const s = await makeBoard();
    const segments = await makeStream({ seconds: 6, segmentSeconds: 2 });
    const start = Date.parse('2026-10-20T08:00:00Z');
    placeFrigate(path.join(s.dir, 'klimop'), 'klimop-entree', start, segments, 2);
    placeFrigate(path.join(s.dir, 'esdoorn'), 'esdoorn-plein', start, segments, 2);
    const exportArgs = (...extra: string[]): string[] => ['footage', 'export', ...range, '--no-hold', '--reason', 'Test', ...extra];

    // Refusals change nothing, so they may run side by side.
    const [other, boardCamera, unknown] = await Promise.all([
      toezicht(exportArgs('--school', 'klimop', '--camera', 'klimop-entree', '--camera', 'esdoorn-plein'), { cwd: s.dir }),
      toezicht(exportArgs('--school', 'klimop', '--camera', 'kantoor'), { cwd: s.dir }),
      toezicht(exportArgs('--school', 'eik', '--camera', 'klimop-entree'), { cwd: s.dir }),
    ]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/Camera "esdoorn-plein" belongs to school "esdoorn", not to school "klimop"/);
    expect(boardCamera.exitCode).toBe(2);
    expect(boardCamera.stderr).toMatch(/Camera "kantoor" is the board's own, not a camera of school "klimop"/);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/no school "eik" in the config; known: klimop, esdoorn/);
    // Nothing was written by the refusals.
    expect((await toezicht(['footage', 'exports', '--all', '--json'], { cwd: s.dir })).json.exports).toEqual([]);

    const klimop = await toezicht(exportArgs('--school', 'klimop', '--camera', 'klimop-entree', '--json'), { cwd: s.dir });
    expect(klimop.exitCode, klimop.stderr).toBe(0);
    // Two schools named: a camera of either is fine.
    const esdoorn = await toezicht(exportArgs('--school', 'klimop', '--school', 'esdoorn', '--camera', 'esdoorn-plein', '--json'), { cwd: s.dir });
    expect(esdoorn.exitCode, esdoorn.stderr).toBe(0);
    const ids = { klimop: klimop.json.exportId as string, esdoorn: esdoorn.json.exportId as string };
    // The package itself says whose footage it is.
    expect(klimop.json.manifest.clips.map((c: { camera: string; school: string }) => [c.camera, c.school])).toEqual([['klimop-entree', 'klimop']]);

    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    const created = audit.json.entries.filter((e: { action: string }) => e.action === 'export.create');
    expect(created.map((e: { details: { exportId: string; schools: string[] } }) => [e.details.exportId, e.details.schools])).toEqual([
      [ids.klimop, ['klimop']],
      [ids.esdoorn, ['esdoorn']],
    ]);
    expect((await toezicht(['audit', 'verify'], { cwd: s.dir })).exitCode).toBe(0);

    const [filtered, human, one, unknownList] = await Promise.all([
      toezicht(['footage', 'exports', '--school', 'esdoorn', '--json'], { cwd: s.dir }),
      toezicht(['footage', 'exports'], { cwd: s.dir }),
      toezicht(['footage', 'exports', '--school', 'klimop'], { cwd: s.dir }),
      toezicht(['footage', 'exports', '--school', 'eik'], { cwd: s.dir }),
    ]);
    expect(filtered.exitCode).toBe(0);
    expect(filtered.json.exports.map((e: { id: string; schools: string[] }) => [e.id, e.schools])).toEqual([[ids.esdoorn, ['esdoorn']]]);
    expect(filtered.json.bySchool).toEqual({ esdoorn: [ids.esdoorn] });

    expect(human.exitCode).toBe(0);
    expect(section(human.stdout, 'OBS De Klimop (klimop)')).toContain(ids.klimop);
    expect(section(human.stdout, 'OBS De Klimop (klimop)')).not.toContain(ids.esdoorn);
    expect(section(human.stdout, 'CBS De Esdoorn (esdoorn)')).toContain(ids.esdoorn);
    expect(section(human.stdout, 'CBS De Esdoorn (esdoorn)')).not.toContain(ids.klimop);
    expect(one.stdout).toContain('OBS De Klimop (klimop)');
    expect(one.stdout).not.toContain('Esdoorn');
    expect(unknownList.exitCode).toBe(2);
  });

  it('footage hold add takes a whole school or refuses a foreign camera; hold list groups and filters by school; hold release --school refuses another school\'s hold', async () => {
    const s = await makeBoard();
    const hold = (...extra: string[]): Promise<Awaited<ReturnType<typeof toezicht>>> =>
      toezicht(['footage', 'hold', 'add', ...range, '--case', 'I-1', '--reason', 'Inbraak', '--json', ...extra], { cwd: s.dir });

    const whole = await hold('--school', 'klimop');
    expect(whole.exitCode, whole.stderr).toBe(0);
    expect(whole.json.cameras).toEqual(['klimop-aula', 'klimop-entree']);

    const [foreign, neither, unknownSchool] = await Promise.all([hold('--school', 'klimop', '--camera', 'klimop-aula', '--camera', 'esdoorn-plein'), hold(), hold('--school', 'eik')]);
    expect(foreign.exitCode).toBe(2);
    expect(said(foreign)).toMatch(/Camera "esdoorn-plein" belongs to school "esdoorn", not to school "klimop"/);
    expect(neither.exitCode).toBe(2);
    expect(said(neither)).toMatch(/--camera/);
    expect(unknownSchool.exitCode).toBe(2);
    expect(said(unknownSchool)).toMatch(/no school "eik".*known: klimop, esdoorn/);

    const named = await hold('--school', 'esdoorn', '--camera', 'esdoorn-plein');
    expect(named.exitCode, named.stderr).toBe(0);
    expect(named.json.cameras).toEqual(['esdoorn-plein']);
    // Without --school, any cameras: this one touches a school and the board's own camera.
    const mixed = await hold('--camera', 'esdoorn-plein', '--camera', 'kantoor');
    expect(mixed.exitCode, mixed.stderr).toBe(0);
    const ids = { klimop: whole.json.id as string, esdoorn: named.json.id as string, mixed: mixed.json.id as string };
    // Each hold's audit entry names the schools whose footage it keeps (the board's own camera belongs to none).
    const added = (await toezicht(['audit', 'log', '--action', 'hold', '--json'], { cwd: s.dir })).json.entries.filter((e: { action: string }) => e.action === 'hold.add');
    expect(added.map((e: { details: { holdId: string; schools?: string[] } }) => [e.details.holdId, e.details.schools])).toEqual([
      [ids.klimop, ['klimop']],
      [ids.esdoorn, ['esdoorn']],
      [ids.mixed, ['esdoorn']],
    ]);

    const [all, onlyEsdoorn, human] = await Promise.all([
      toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir }),
      toezicht(['footage', 'hold', 'list', '--school', 'esdoorn', '--json'], { cwd: s.dir }),
      toezicht(['footage', 'hold', 'list'], { cwd: s.dir }),
    ]);
    expect(all.json.holds.map((h: { id: string; schools: string[] }) => [h.id, h.schools])).toEqual([
      [ids.klimop, ['klimop']],
      [ids.esdoorn, ['esdoorn']],
      [ids.mixed, ['(board)', 'esdoorn']],
    ]);
    expect(all.json.bySchool).toEqual({ klimop: [ids.klimop], esdoorn: [ids.esdoorn, ids.mixed], '(board)': [ids.mixed] });

    expect(onlyEsdoorn.json.holds.map((h: { id: string }) => h.id)).toEqual([ids.esdoorn, ids.mixed]);

    const klimopPart = section(human.stdout, 'OBS De Klimop (klimop)');
    expect(klimopPart).toContain(ids.klimop);
    expect(klimopPart).not.toContain(ids.esdoorn);
    const esdoornPart = section(human.stdout, 'CBS De Esdoorn (esdoorn)');
    expect(esdoornPart).toContain(ids.esdoorn);
    expect(esdoornPart).toContain(ids.mixed);
    expect(esdoornPart).not.toContain(ids.klimop);
    expect(section(human.stdout, 'Stichting Voorbeeld (cameras of no school')).toContain(ids.mixed);

    // The admin of De Esdoorn cannot release De Klimop's hold by mistake.
    const wrong = await toezicht(['footage', 'hold', 'release', ids.klimop, '--school', 'esdoorn', '--reason', 'Zaak gesloten'], { cwd: s.dir });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(new RegExp(`Hold ${ids.klimop} is on cameras of school klimop .*none of school esdoorn, so it was not released`));
    const still = await toezicht(['footage', 'hold', 'list', '--school', 'klimop', '--json'], { cwd: s.dir });
    expect(still.json.holds.map((h: { id: string; releasedAt?: string }) => [h.id, h.releasedAt ?? null])).toEqual([[ids.klimop, null]]);

    const right = await toezicht(['footage', 'hold', 'release', ids.klimop, '--school', 'klimop', '--reason', 'Zaak gesloten', '--json'], { cwd: s.dir });
    expect(right.exitCode, right.stderr).toBe(0);
    expect(right.json.releasedAt).toEqual(expect.any(String));
    // A hold on two schools' cameras can be released by either.
    const shared = await toezicht(['footage', 'hold', 'release', ids.mixed, '--school', 'esdoorn', '--reason', 'Zaak gesloten'], { cwd: s.dir });
    expect(shared.exitCode, shared.stderr).toBe(0);
    const active = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(active.json.holds.map((h: { id: string }) => h.id)).toEqual([ids.esdoorn]);
  });

  it('refuses --school in a config without schools: with one sentence (exit 2), on every command that takes it', async () => {
    school = await makeSchool({
      school: { name: 'OSG De Linde' },
      storage: [{ id: 'nas1', type: 'fs', root: './recordings', layout: 'frigate' }],
      cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
      access: { export: [ME] },
      exports: { root: './exports' },
    });
    const cwd = school.dir;
    const runs = await Promise.all([
      toezicht(['footage', 'hold', 'add', '--school', 'linde', ...range, '--case', 'I-1', '--reason', 'x'], { cwd }),
      toezicht(['footage', 'hold', 'list', '--school', 'linde'], { cwd }),
      toezicht(['footage', 'exports', '--school', 'linde'], { cwd }),
      toezicht(['footage', 'export', '--school', 'linde', '--camera', 'entree', ...range, '--no-hold', '--reason', 'Test', '--out', path.join(cwd, 'out')], { cwd }),
      toezicht(['footage', 'purge', '--school', 'linde', '--dry-run'], { cwd }),
      toezicht(['footage', 'status', '--school', 'linde'], { cwd }),
    ]);
    for (const r of runs) {
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/--school linde needs a board's config with schools:, and this config has none/);
    }
    // Without --school the one-school listing is as before: no grouping, no schools field.
    expect((await toezicht(['footage', 'hold', 'add', '--camera', 'entree', ...range, '--case', 'I-1', '--reason', 'x'], { cwd })).exitCode).toBe(0);
    const list = await toezicht(['footage', 'hold', 'list', '--json'], { cwd });
    expect(list.json.bySchool).toBeUndefined();
    expect(list.json.holds[0].schools).toBeUndefined();
    expect(list.json.holds[0].cameras).toEqual(['entree']);
  });
});
