// The purge against a folder swapped for a symlink while it runs: a child process exchanges a camera folder (or an
// hour folder above it) with a link to a folder outside the storage root, in a tight loop, while the real CLI
// purges. The outside folder holds files of the very same names, so any deletion that resolves a path through the
// link removes one of them. Not one may go, and held and unexpired footage stays.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DAY, HOUR, every, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const NOW = '2026-11-26T12:00:00Z';
const NOW_MS = Date.parse(NOW);
const TRIALS = Number(process.env.TOEZICHT_RACE_TRIALS ?? 20);
const EXPIRED_FROM = Date.parse('2026-10-20T08:00:00Z');

// renameat2(RENAME_EXCHANGE) through ctypes (no compiler): the folder and the link trade places atomically, so the
// name always leads somewhere, half the time outside. It stops when told (with the real folder back in place), or
// when the purge has emptied and pruned the real folder.
const SWAPPER = `
import ctypes, os, sys
real, link, stop, ready = sys.argv[1:5]
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2

def exchange():
    if libc.renameat2(AT_FDCWD, real.encode(), AT_FDCWD, link.encode(), RENAME_EXCHANGE) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

n = 0
while not os.path.exists(stop):
    try:
        exchange()
    except FileNotFoundError:
        break
    exchange()
    n += 1
    if n == 50:
        open(ready, 'w').close()
print(n)
`;

let school: SchoolFixture;
afterAll(() => school?.cleanup());

beforeAll(async () => {
  school = await makeSchool({
    school: { name: 'OSG De Linde', board: 'Stichting OVO' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [
      { id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1' },
      { id: 'aula', name: 'Aula', category: 'surveillance', storage: 'nas1' },
    ],
  });
  writeFileSync(path.join(school.dir, 'swap.py'), SWAPPER);
  // Held: aula's footage of the first expired hour (an incident), in the register before the first trial.
  const add = await toezicht(
    ['footage', 'hold', 'add', '--camera', 'aula', '--from', '2026-10-20T08:00:00Z', '--to', '2026-10-20T08:59:59Z', '--case', 'Incident 3', '--reason', 'Vernieling'],
    { cwd: school.dir },
  );
  expect(add.exitCode).toBe(0);
});

function waitFor(file: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (existsSync(file)) resolve();
      else if (Date.now() > until) reject(new Error(`${file} did not appear`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('footage purge while a folder is swapped for a symlink', () => {
  it(`deletes nothing outside the storage root in ${TRIALS} trials, and keeps held and unexpired footage`, async () => {
    const root = path.join(school.dir, 'footage');
    const trialsDir = path.join(school.dir, 'trials');
    let swapsDuringPurges = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      rmSync(root, { recursive: true, force: true });
      rmSync(trialsDir, { recursive: true, force: true });
      mkdirSync(trialsDir, { recursive: true });
      // Three expired hours of 20 s segments for both cameras, one fresh hour.
      // The swapped hour (09) has a dense entree folder: a batch long enough for the swaps to land in it.
      const expired = [
        ...every(EXPIRED_FROM, EXPIRED_FROM + 3 * HOUR, 20_000).flatMap((t) => [frigatePath('entree', t), frigatePath('aula', t)]),
        ...every(EXPIRED_FROM + HOUR, EXPIRED_FROM + 2 * HOUR, 20_000).flatMap((t) => [frigatePath('entree', t + 2_000), frigatePath('entree', t + 4_000), frigatePath('entree', t + 6_000), frigatePath('entree', t + 8_000)]),
      ];
      const fresh = every(NOW_MS - 2 * DAY, NOW_MS - 2 * DAY + HOUR, 60_000).flatMap((t) => [frigatePath('entree', t), frigatePath('aula', t)]);
      const held = expired.filter((p) => p.startsWith('2026-10-20/08/aula/'));
      writeFiles(root, [...expired, ...fresh]);

      // Even trials swap the camera folder of the second hour, odd ones the whole hour folder above it.
      const target = trial % 2 === 0 ? '2026-10-20/09/entree' : '2026-10-20/09';
      const outside = path.join(trialsDir, 'outside');
      cpSync(path.join(root, target), outside, { recursive: true });
      const outsideBefore = listFiles(outside);
      expect(outsideBefore.length).toBeGreaterThanOrEqual(180);
      const link = path.join(trialsDir, 'link');
      symlinkSync(outside, link);
      const stop = path.join(trialsDir, 'stop');
      const ready = path.join(trialsDir, 'ready');
      const swapper = spawn('python3', [path.join(school.dir, 'swap.py'), path.join(root, target), link, stop, ready], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      swapper.stdout.on('data', (d: Buffer) => (out += d.toString()));
      swapper.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => swapper.on('exit', resolve));
      await waitFor(ready, 10_000);

      const purge = await toezicht(['footage', 'purge', '--now', NOW, '--json'], { cwd: school.dir });

      writeFileSync(stop, '');
      expect(await exited, `trial ${trial}: ${out}`).toBe(0);
      const swaps = Number(out.trim());
      expect(swaps, out).toBeGreaterThan(50);
      swapsDuringPurges += swaps;

      // Never an unexpected error: a folder that changed is kept and reported (a warning, or an unreadable folder).
      expect(purge.json, purge.stdout + purge.stderr).toBeDefined();
      expect([0, 1]).toContain(purge.exitCode);
      expect(purge.json.error).toBeUndefined();
      // Not one file outside the root was touched.
      expect(listFiles(outside)).toEqual(outsideBefore);
      const left = new Set(listFiles(root));
      for (const p of [...held, ...fresh]) expect(left.has(p), `${p} (trial ${trial})`).toBe(true);
      // Whatever was not deleted this time is expired footage the next purge takes: nothing else is left.
      const unexpected = [...left].filter((p) => !held.includes(p) && !fresh.includes(p) && !expired.includes(p));
      expect(unexpected).toEqual([]);
      // Only footage of the swapped folder may have been kept back (its folder changed under the purge).
      const keptBack = [...left].filter((p) => expired.includes(p) && !held.includes(p));
      expect(keptBack.filter((p) => !p.startsWith(`${target}/`))).toEqual([]);
      expect(readdirSync(trialsDir).sort()).toEqual(['link', 'outside', 'ready', 'stop']);
    }
    expect(swapsDuringPurges).toBeGreaterThan(TRIALS * 50);
  }, 900_000);
});
