// An export whose sources disappear mid-way (a purge, a recorder removing its own files) names the file and exits
// 1, as docs/export.md says, never "unexpected error"; no package and no work folder stay.
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnToezicht } from '../helpers/cli.js';
import { makeStream, placeFrigate, removeStreams } from '../helpers/footage.js';
import { exportSchool } from '../helpers/export-school.js';
import type { SchoolFixture } from '../helpers/school.js';

afterAll(removeStreams);
let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

describe('footage export when its sources vanish', () => {
  it('exits 1 naming a vanished segment, and leaves no package behind', async () => {
    school = await exportSchool();
    const root = path.join(school.dir, 'recordings');
    const segments = await makeStream({ seconds: 600, segmentSeconds: 10, size: '320x180' });
    const placed = placeFrigate(root, 'entree', Date.parse('2026-10-20T08:00:00Z'), segments, 10);
    const exports = path.join(school.dir, 'exports');
    const run = spawnToezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00Z', '--to', '2026-10-20T08:09:59Z', '--no-hold', '--reason', 'Diefstal fiets', '--json'], { cwd: school.dir });
    // The moment the work folder appears the sources were found and inspected: then they go, as a purge would take them.
    let removed = false;
    while (!removed) {
      if (existsSync(exports) && readdirSync(exports).some((n) => n.startsWith('.toezicht-'))) {
        for (const rel of [...placed].reverse()) unlinkSync(path.join(root, rel));
        removed = true;
      } else if (run.exitCode !== null) break;
      else await new Promise((r) => setTimeout(r, 2));
    }
    const r = await run;
    expect(removed, 'the export finished before its sources could be removed').toBe(true);
    const stdout = String(r.stdout);
    expect(r.exitCode, stdout).toBe(1);
    expect(stdout, String(r.stderr)).not.toBe('');
    const error = JSON.parse(stdout).error;
    expect(error.message).not.toMatch(/unexpected/);
    expect(placed.some((rel) => error.message.includes(path.basename(rel)) && error.message.includes('entree'))).toBe(true);
    expect(readdirSync(exports)).toEqual([]);
  }, 180_000);
});
