// Start-up (issue 19.12): a config unchanged since it was validated is read back without yaml or zod; any edit, or a
// new build, validates again, so the cache can never hide a problem.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { tempDir } from '../helpers/school.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const LOGGER = pathToFileURL(path.resolve(import.meta.dirname, '../fixtures/module-log.mjs')).href;

describe('the validated-config cache', () => {
  it('skips yaml and zod when the config is unchanged, and validates again after every edit', async () => {
    const { dir, cleanup } = tempDir('toezicht-cache-');
    cleanups.push(cleanup);
    const cache = path.join(dir, 'cache');
    const school = path.join(dir, 'school');
    mkdirSync(path.join(school, 'footage'), { recursive: true });
    const file = path.join(school, 'toezicht.config.yaml');
    const good = 'school: { name: X }\nstorage:\n  - { id: nas1, type: fs, root: ./footage, layout: frigate }\nretention: { surveillance: P6W }\n';
    writeFileSync(file, good);
    const env = (log: string): Record<string, string> => ({
      XDG_CACHE_HOME: cache,
      TOEZICHT_MODULE_LOG: log,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${LOGGER}`,
    });
    const loaded = (log: string): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    expect((await toezicht(['init'], { cwd: school, env: env(path.join(dir, 'init.log')) })).exitCode).toBe(0);

    const first = await toezicht(['config', 'validate', '--json'], { cwd: school, env: env(path.join(dir, '1.log')) });
    const second = await toezicht(['config', 'validate', '--json'], { cwd: school, env: env(path.join(dir, '2.log')) });
    expect(first.exitCode).toBe(0);
    // The same answer, the warning with its line included, without loading the parser or the schema.
    expect(second.json).toEqual(first.json);
    expect(second.json.warnings).toContainEqual(expect.objectContaining({ rule: 'retention.surveillance.beyond-guideline', line: 4 }));
    expect(loaded(path.join(dir, '2.log'))).not.toMatch(/node_modules\/(zod|yaml|cosmiconfig)\//);
    expect(loaded(path.join(dir, '2.log'))).toMatch(/dist\/commands\/config\/validate\.js/);
    const entries = readdirSync(path.join(cache, 'toezicht/configs'));
    expect(entries).toHaveLength(1);
    expect(statSync(path.join(cache, 'toezicht/configs')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cache, 'toezicht/configs', entries[0]!)).mode & 0o777).toBe(0o600);

    // An edit is validated: the new problem is reported, however recently the old text was cached.
    writeFileSync(file, good.replace('P6W', 'six weeks'));
    const broken = await toezicht(['config', 'validate'], { cwd: school, env: env(path.join(dir, '3.log')) });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/toezicht\.config\.yaml:4:\d+ retention\.surveillance: expected an ISO 8601 duration/);
    for (const args of [['footage', 'status'], ['footage', 'hold', 'list']]) expect((await toezicht(args, { cwd: school })).exitCode, args.join(' ')).toBe(2);
    writeFileSync(file, good);
    expect((await toezicht(['config', 'validate'], { cwd: school, env: env(path.join(dir, '4.log')) })).exitCode).toBe(0);
  });
});
