import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DAY, frigatePath, makeSchool, tempDir, writeFiles, type SchoolFixture } from '../helpers/school.js';

let school: SchoolFixture | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  school?.cleanup();
  school = undefined;
  for (const c of cleanups.splice(0)) c();
});

const GOOD = `school: { name: "OSG De Linde", board: "Stichting OVO", timezone: Europe/Amsterdam }
register: .toezicht/register.db
storage:
  - { id: nas1, type: fs, root: ./footage, layout: frigate }
  - { id: nas2, type: fs, root: ./other, layout: pattern, pattern: "{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4", segmentSeconds: 600 }
cameras:
  - { id: entree, name: Hoofdingang, location: "Hoofdingang, binnen", category: surveillance, storage: nas1, path: entree }
  - { id: fietsen, category: surveillance, storage: nas2 }
retention: { surveillance: P28D, online-lesson: P10M, livestream: P14D, media: school-year }
`;

/** A school whose config file is replaced by `text` after init, with expired footage that must survive. */
async function schoolWithConfig(text: string): Promise<{ dir: string; root: string; files: number }> {
  school = await makeSchool({
    school: { name: 'OSG De Linde' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }],
  });
  const root = path.join(school.dir, 'footage');
  const old = Date.parse('2026-09-01T08:00:00Z');
  writeFiles(root, [frigatePath('entree', old), frigatePath('entree', old + DAY)]);
  writeFileSync(school.configFile, text);
  return { dir: school.dir, root, files: 2 };
}

function count(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

describe('toezicht config validate', () => {
  it('accepts the documented example and exits 0', async () => {
    const { dir } = await schoolWithConfig(GOOD);
    const r = await toezicht(['config', 'validate', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ valid: true, problems: [] });
  });

  it('warns, naming the rule and its source, when retention goes beyond the guideline', async () => {
    const { dir } = await schoolWithConfig(GOOD.replace('surveillance: P28D', 'surveillance: P6W'));
    const r = await toezicht(['config', 'validate', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.json.warnings).toContainEqual(expect.objectContaining({ rule: 'retention.surveillance.beyond-guideline', source: expect.stringMatching(/seed 001/) }));
  });

  const cases: [string, string, RegExp[]][] = [
    ['a YAML syntax error', GOOD.replace('cameras:', 'cameras: [\n'), [/toezicht\.config\.yaml:\d+:\d+ .*not valid YAML/]],
    ['an unknown key', GOOD.replace('register:', 'regiser: x\nregister:'), [/toezicht\.config\.yaml:2:1 regiser: unknown key "regiser" \(did you mean "register"\?\)/]],
    ['a wrong type', GOOD.replace('segmentSeconds: 600', 'segmentSeconds: "tien minuten"'), [/:5:\d+ storage\[1\]\.segmentSeconds: expected a number, got "tien minuten"/]],
    ['a retention that is not a duration', GOOD.replace('livestream: P14D', 'livestream: 2 weken'), [/retention\.livestream: expected an ISO 8601 duration such as P28D/]],
    ['a camera pointing at an unknown storage', GOOD.replace('storage: nas2 }', 'storage: nas3 }'), [/:8:\d+ cameras\[1\]\.storage: unknown storage "nas3"; expected one of: nas1, nas2/]],
    [
      'several problems at once',
      GOOD.replace('storage: nas2 }', 'storage: nas3 }').replace('livestream: P14D', 'livestream: soms').replace('category: surveillance, storage: nas1', 'category: bewaking, storage: nas1'),
      [/cameras\[0\]\.category: expected one of surveillance, covert/, /retention\.livestream/],
    ],
  ];

  for (const [name, text, messages] of cases) {
    it(`rejects ${name} with exit 2 and a message per problem, and a purge deletes nothing`, async () => {
      const { dir, root, files } = await schoolWithConfig(text);
      const v = await toezicht(['config', 'validate'], { cwd: dir });
      expect(v.exitCode).toBe(2);
      for (const m of messages) expect(v.stderr).toMatch(m);
      expect(v.stderr).not.toMatch(/\n\s+at /);
      const p = await toezicht(['footage', 'purge'], { cwd: dir });
      expect(p.exitCode).toBe(2);
      for (const m of messages) expect(p.stderr).toMatch(m);
      expect(count(root)).toBe(files);
    });
  }

  it('reports several problems one per line, and as structured JSON', async () => {
    const { dir } = await schoolWithConfig(GOOD.replace('storage: nas2 }', 'storage: nas3 }').replace('livestream: P14D', 'livestream: soms'));
    const r = await toezicht(['config', 'validate', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.json.valid).toBe(false);
    expect(r.json.problems.map((p: { path: unknown[] }) => p.path)).toEqual(expect.arrayContaining([['cameras', 1, 'storage']]));
  });

  it('says how to start when there is no config at all', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const r = await toezicht(['footage', 'purge'], { cwd: dir, env: { HOME: dir } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/No toezicht config found .* run `toezicht init`/);
  });

  it('prints the JSON Schema of the config', async () => {
    const r = await toezicht(['config', 'schema']);
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.cameras.items.properties.category.enum).toContain('surveillance');
    expect(schema.required).toEqual(['school']);
  });
});

describe('toezicht init', () => {
  it('writes a config and a 0600 register from flags, without a terminal', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const r = await toezicht(['init', '--school', 'OSG De Linde', '--storage-root', './footage', '--camera', 'entree:Hoofdingang:Hoofdingang, binnen', '--purpose', 'Diefstal voorkomen', '--create-storage-root', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ configWritten: true, registerCreated: true });
    expect(statSync(path.join(dir, '.toezicht/register.db')).mode & 0o777).toBe(0o600);
    const v = await toezicht(['config', 'validate', '--json'], { cwd: dir });
    expect(v.json.valid).toBe(true);
    const log = await toezicht(['audit', 'log', '--json'], { cwd: dir });
    expect(log.json.entries[0]).toMatchObject({ seq: 1, action: 'register.create' });
  });

  it('never asks without a terminal: it names the missing flags and exits 2', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const r = await toezicht(['init', '--school', 'X'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/give --storage-root/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with an existing config creates only the register, asking nothing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(path.join(dir, 'school.yaml'), GOOD);
    const r = await toezicht(['init', '--config', 'school.yaml', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ configWritten: false, registerCreated: true });
    const again = await toezicht(['init', '--config', 'school.yaml', '--json'], { cwd: dir });
    expect(again.json).toMatchObject({ configWritten: false, registerCreated: false });
  });

  it('is the only command that creates a register', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(path.join(dir, 'toezicht.config.yaml'), GOOD);
    for (const args of [['footage', 'purge'], ['footage', 'status'], ['footage', 'hold', 'list'], ['audit', 'verify'], ['audit', 'log']]) {
      const r = await toezicht(args, { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/run `toezicht init`/);
    }
    expect(readdirSync(dir)).toEqual(['toezicht.config.yaml']);
  });
});
