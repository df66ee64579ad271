// A board's config with several schools: ids unique across the board, --school on the purge, reports by school.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/config/contract.js';
import { footageStatus, purgeFootage } from '../../../src/core/footage/index.js';
import { DAY, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../../helpers/school.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

const board = {
  school: { name: 'Stichting Voorbeeld' },
  schools: [
    {
      id: 'klimop',
      name: 'OBS De Klimop',
      storage: [{ id: 'klimop-nas', type: 'fs', root: './klimop', layout: 'frigate' }],
      cameras: [{ id: 'klimop-entree', category: 'surveillance', storage: 'klimop-nas' }],
    },
    {
      id: 'esdoorn',
      name: 'CBS De Esdoorn',
      storage: [{ id: 'esdoorn-nas', type: 'fs', root: './esdoorn', layout: 'frigate' }],
      cameras: [{ id: 'esdoorn-plein', category: 'surveillance', storage: 'esdoorn-nas' }],
    },
  ],
};

describe("a board's schools", () => {
  it('purges one school with --school, leaves the other alone, and reports by school', async () => {
    school = await makeSchool(board);
    const roots = { klimop: path.join(school.dir, 'klimop'), esdoorn: path.join(school.dir, 'esdoorn') };
    for (const r of Object.values(roots)) mkdirSync(r, { recursive: true });
    const old = [40, 35, 30].map((d) => NOW - d * DAY);
    const recent = [3, 1].map((d) => NOW - d * DAY);
    writeFiles(roots.klimop, [...old, ...recent].map((t) => frigatePath('klimop-entree', t)));
    writeFiles(roots.esdoorn, [...old, ...recent].map((t) => frigatePath('esdoorn-plein', t)));

    const one = await purgeFootage(school.config, school.register(), { now: NOW, schools: ['klimop'] });
    expect(one.deleted.files).toBe(3);
    expect(one.storages.map((s) => [s.id, s.school])).toEqual([['klimop-nas', 'klimop']]);
    expect(one.bySchool).toEqual({ klimop: { name: 'OBS De Klimop', deleted: 3, deletedBytes: 3 * 'segment'.length, held: 0, kept: 2 } });
    expect(listFiles(roots.klimop)).toEqual(recent.map((t) => frigatePath('klimop-entree', t)).sort());
    expect(listFiles(roots.esdoorn)).toHaveLength(5);

    const all = await purgeFootage(school.config, school.register(), { now: NOW });
    expect(all.bySchool).toMatchObject({ klimop: { deleted: 0, kept: 2 }, esdoorn: { name: 'CBS De Esdoorn', deleted: 3, kept: 2 } });
    await expect(purgeFootage(school.config, school.register(), { now: NOW, schools: ['eik'] })).rejects.toThrow(/no school "eik".*klimop, esdoorn/);

    const status = await footageStatus(school.config, school.register(), { now: NOW, schools: ['esdoorn'] });
    expect(status.cameras.map((c) => [c.school, c.id, c.files])).toEqual([['esdoorn', 'esdoorn-plein', 2]]);
    expect(status.storages.map((s) => s.id)).toEqual(['esdoorn-nas']);
  });

  it('keeps camera and storage ids unique across the board, and a school to its own storages', () => {
    const dup = validateConfig(
      {
        ...board,
        schools: [board.schools[0], { ...board.schools[1], cameras: [{ id: 'klimop-entree', category: 'surveillance', storage: 'esdoorn-nas' }] }],
      },
      '/tmp',
    );
    expect(dup.problems.map((p) => p.message).join('\n')).toMatch(/duplicate camera id "klimop-entree".*unique across the board/);
    const foreign = validateConfig(
      { ...board, schools: [board.schools[0], { ...board.schools[1], cameras: [{ id: 'esdoorn-plein', category: 'surveillance', storage: 'klimop-nas' }] }] },
      '/tmp',
    );
    expect(foreign.problems.map((p) => p.message).join('\n')).toMatch(/storage "klimop-nas" belongs to school "klimop"/);
    expect(validateConfig(board, '/tmp').problems).toEqual([]);
  });
});
