// The README walked as a new school would (issue 19, "Done when"): `init` from flags on a fresh folder, then every
// `toezicht` command the README shows, in its order, each without an error. The commands are read from the README's
// code blocks, not copied here, so the README cannot drift from what works.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { makeFaceFootage, removeFaceFootage, type FaceFootage } from '../helpers/face-footage.js';
import { placeFrigate } from '../helpers/footage.js';
import { amsterdam, tempDir } from '../helpers/school.js';

const README = path.resolve(import.meta.dirname, '../../README.md');

/** Every `toezicht …` command in the README's sh and cron blocks, continuation lines joined, comments dropped. */
export function readmeCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const block of text.matchAll(/```(?:sh|cron)\n([\s\S]*?)```/g)) {
    const lines = block[1]!.replace(/\\\n\s*/g, '').split('\n');
    for (const line of lines) {
      const at = line.indexOf('toezicht ');
      if (at < 0 || line.trimStart().startsWith('npm')) continue;
      commands.push(words(line.slice(at).replace(/\s{2,}#.*$/, '')).slice(1));
    }
  }
  return commands;
}

/** Shell words: spaces split, double and single quotes group (all the README uses). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const ACTORS = [
  { face: 3, keys: [{ t: 0, x: 40, y: 60, h: 60 }, { t: 3, x: 200, y: 70, h: 64 }] },
  { face: 13, keys: [{ t: 0, x: 300, y: 200, h: 80 }, { t: 3, x: 360, y: 180, h: 70 }] },
  { face: 9, keys: [{ t: 0, x: 500, y: 220, h: 60 }, { t: 3, x: 480, y: 230, h: 64 }] },
];

let footage: FaceFootage;
beforeAll(async () => {
  footage = await makeFaceFootage({ actors: ACTORS, width: 640, height: 360, fps: 25, seconds: 4, segmentSeconds: 2 });
}, 120_000);
afterAll(removeFaceFootage);

describe('the README, walked on a fresh folder', () => {
  it('finds the commands it shows, init from flags among them', () => {
    const commands = readmeCommands(readFileSync(README, 'utf8'));
    const ids = commands.map((c) => c.filter((w) => /^[a-z-]+$/.test(w)).slice(0, 3).join(' '));
    for (const expected of ['init', 'config validate', 'footage purge', 'footage status', 'doctor', 'footage export', 'footage verify', 'footage hold add', 'footage hold release']) {
      expect(ids.some((id) => id.startsWith(expected)), expected).toBe(true);
    }
    expect(commands.some((c) => c[0] === 'init' && c.includes('--school'))).toBe(true);
  });

  it('runs init from flags, then every command in order, without an error', async () => {
    const { dir, cleanup } = tempDir('toezicht-readme-');
    try {
      // What cannot be taken literally here: the school's folders, and the day of the incident, which must lie
      // within the retention period on the day the test runs (else the README's own nightly purge rightly deletes it).
      const yesterday = amsterdam(Date.now() - 86_400_000);
      const day = `${yesterday.y}-${String(yesterday.mo).padStart(2, '0')}-${String(yesterday.d).padStart(2, '0')}`;
      const year = String(new Date().getFullYear());
      const swaps: [RegExp, string][] = [
        [/^\/srv\/frigate\/recordings/, path.join(dir, 'footage')],
        [/^\/etc\/toezicht\/toezicht\.config\.yaml$/, path.join(dir, 'toezicht.config.yaml')],
        [/^\/media\/usb/, path.join(dir, 'usb')],
        [/2026-10-20/, day],
        [/^([EH])-2026-/, `$1-${year}-`],
      ];
      const swap = (w: string): string => swaps.reduce((s, [from, to]) => s.replace(from, to), w);
      mkdirSync(path.join(dir, 'footage'));
      mkdirSync(path.join(dir, 'usb'));
      // The recorder wrote the incident: camera entree at 07:30 school time that day.
      const start = Date.parse(`${day}T07:30:00${offsetOf(day)}`);
      placeFrigate(path.join(dir, 'footage'), 'entree', start, footage.segments, 2);

      const commands = readmeCommands(readFileSync(README, 'utf8')).map((c) => c.map(swap));
      const init = commands.find((c) => c[0] === 'init' && c.includes('--school'))!;
      const rest = commands.filter((c) => c[0] !== 'init');
      for (const args of [init, ...rest]) {
        const r = await toezicht(args, { cwd: dir });
        expect(r.exitCode, `toezicht ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stderr, `toezicht ${args.join(' ')}`).not.toMatch(/^error:/m);
      }
    } finally {
      cleanup();
    }
  }, 300_000);
});

/** The school's UTC offset on a day, as +HH:MM (summer or winter time). */
function offsetOf(day: string): string {
  const noon = Date.parse(`${day}T12:00:00Z`);
  const local = amsterdam(noon);
  const hours = local.h - 12;
  return `+${String(hours).padStart(2, '0')}:00`;
}
