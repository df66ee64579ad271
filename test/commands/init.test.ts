// toezicht init (issue 19.3): the config it writes lets the README's next steps run — purposes, access.export,
// exports.root, the signing key — and it refuses what would break them, from flags and on a terminal.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { tempDir } from '../helpers/school.js';
import { onTerminal } from '../helpers/terminal.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function fresh(withFootage = true): string {
  const { dir, cleanup } = tempDir('toezicht-init-');
  cleanups.push(cleanup);
  if (withFootage) mkdirSync(path.join(dir, 'footage'));
  return dir;
}
const ME = userInfo().username;
const BASE = ['init', '--school', 'OSG De Linde', '--storage-root', './footage', '--camera', 'entree:Hoofdingang:Hoofdingang, binnen'];
const config = (dir: string): any => parse(readFileSync(path.join(dir, 'toezicht.config.yaml'), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('toezicht init from flags', () => {
  it('writes purposes, access.export (this user), a private exports folder and a private signing key', async () => {
    const dir = fresh();
    const r = await toezicht([...BASE, '--purpose', 'Diefstal en vernieling voorkomen', '--json'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ configWritten: true, registerCreated: true, exportsRoot: path.join(dir, 'exports'), signingKey: { fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const c = config(dir);
    expect(c.cameras[0]).toMatchObject({ id: 'entree', purpose: 'Diefstal en vernieling voorkomen' });
    expect(c.access.export).toEqual([ME]);
    expect(c.exports.root).toBe('exports');
    expect(statSync(path.join(dir, 'exports')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, '.toezicht/keys/signing-key.pem')).mode & 0o777).toBe(0o600);
    // The first compliance run has no finding init could have prevented.
    const check = await toezicht(['compliance', 'check', '--json'], { cwd: dir });
    const rules = (check.json.findings as { rule: string }[]).map((f) => f.rule);
    expect(rules).toContain('fg.missing'); // what only the school can fill in
    expect(rules).not.toContain('camera.purpose-missing');
    // The key is in the audit chain, as `keys init` puts it.
    const log = await toezicht(['audit', 'log', '--json'], { cwd: dir });
    expect(log.json.entries.map((e: { action: string }) => e.action)).toEqual(['register.create', 'keys.init']);
  });

  it('gives each camera its own purpose with ID=TEXT, the rest the common one', async () => {
    const dir = fresh();
    const r = await toezicht([...BASE, '--camera', 'fietsen', '--purpose', 'fietsen=Fietsendiefstal voorkomen', '--purpose', 'Veiligheid bij de ingang', '--export-user', 'beheerder', '--export-user', 'directie'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const c = config(dir);
    expect(c.cameras.map((x: { purpose: string }) => x.purpose)).toEqual(['Veiligheid bij de ingang', 'Fietsendiefstal voorkomen']);
    expect(c.access.export).toEqual(['beheerder', 'directie']);
  });

  const refusals: [string, string[], RegExp][] = [
    ['a camera without a purpose', [], /needs its purpose .*missing: entree/],
    ['a purpose for a camera that is not there', ['--purpose', 'aula=Iets'], /no camera "aula"/],
    ['Synology without --segment-seconds', ['--purpose', 'X', '--layout', 'synology'], /--segment-seconds \(e\.g\. 1800\)/],
    ['a pattern layout without --pattern', ['--purpose', 'X', '--layout', 'pattern'], /--pattern/],
    ['a footage folder that does not exist', ['--purpose', 'X', '--storage-root=./nas'], /footage folder .*nas does not exist; mount .* --create-storage-root/],
  ];
  for (const [what, extra, message] of refusals) {
    it(`refuses ${what}: exit 2, nothing written`, async () => {
      const dir = fresh();
      const own = extra.find((a) => a.startsWith('--storage-root='));
      const args = own ? [...BASE.map((a) => (a === './footage' ? own.slice('--storage-root='.length) : a)), ...extra.filter((a) => a !== own)] : [...BASE, ...extra];
      const r = await toezicht(args, { cwd: dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(dir)).toEqual(['footage']);
    });
  }

  it('refuses a footage path that is a file', async () => {
    const dir = fresh(false);
    writeFileSync(path.join(dir, 'footage'), 'not a folder');
    const r = await toezicht([...BASE, '--purpose', 'X'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/is a file, not a folder/);
  });

  it('makes the footage folder with --create-storage-root, and Synology gets its segmentSeconds', async () => {
    const dir = fresh(false);
    const r = await toezicht([...BASE, '--purpose', 'X', '--create-storage-root', '--layout', 'synology', '--segment-seconds', '1800'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(statSync(path.join(dir, 'footage')).isDirectory()).toBe(true);
    expect(config(dir).storage[0]).toMatchObject({ layout: 'synology', segmentSeconds: 1800 });
  });

  it('leaves the key for later with --no-signing-key, and says how to make it', async () => {
    const dir = fresh();
    const r = await toezicht([...BASE, '--purpose', 'X', '--no-signing-key'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.toezicht/keys'))).toBe(false);
    expect(r.stdout).toMatch(/run `toezicht keys init` before the first export/);
  });
});

describe('toezicht init on a terminal', () => {
  it('asks, offers to make a missing footage folder, asks the purpose and Synology file length, and makes the key', async () => {
    const dir = fresh(false);
    const r = await onTerminal(
      ['init'],
      [
        { when: /Name of the school/, send: 'OSG De Linde\r' },
        { when: /School board/, send: '\r' },
        { when: /Time zone/, send: '\r' },
        { when: /Folder with the footage/, send: 'nas\r' },
        { when: /does not exist\. Make it now\?/, send: 'y\r' },
        { when: /How does the recorder name its files/, send: '\u001b[B\r' }, // one down: synology
        { when: /Longest recording file in seconds/, send: '\r' }, // the offered 1800
        { when: /Add a camera\?/, send: '\r' },
        { when: /Camera id/, send: 'Gang\r' },
        { when: /Name, e\.g\./, send: 'Gang\r' },
        { when: /Location and what it sees/, send: '\r' },
        { when: /Category/, send: '\r' },
        { when: /Why is this camera needed/, send: 'Vernieling voorkomen\r' },
        { when: /Add another camera\?/, send: '\r' },
        { when: /OS users who may export/, send: '\r' },
        { when: /signing key .* now\?/, send: '\r' },
      ],
      { cwd: dir },
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/Made the signing key/);
    const c = config(dir);
    expect(c.storage[0]).toMatchObject({ root: 'nas', layout: 'synology', segmentSeconds: 1800 });
    expect(c.cameras[0]).toMatchObject({ id: 'Gang', purpose: 'Vernieling voorkomen' });
    expect(c.access.export).toEqual([ME]);
    expect(statSync(path.join(dir, 'nas')).isDirectory()).toBe(true);
  });

  it('asks for the footage folder again when the user does not want the missing one made', async () => {
    const dir = fresh();
    const r = await onTerminal(
      ['init', '--school', 'X', '--purpose', 'Y', '--no-signing-key'],
      [
        { when: /School board/, send: '\r' },
        { when: /Time zone/, send: '\r' },
        { when: /Folder with the footage/, send: 'typo\r' },
        { when: /does not exist\. Make it now\?/, send: '\r' }, // default No
        { when: /Folder with the footage/, send: 'footage\r' },
        { when: /How does the recorder name its files/, send: '\r' },
        { when: /Add a camera\?/, send: 'n\r' },
        { when: /OS users who may export/, send: 'beheerder\r' },
      ],
      { cwd: dir },
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(existsSync(path.join(dir, 'typo'))).toBe(false);
    expect(config(dir).storage[0].root).toBe('footage');
    expect(config(dir).access.export).toEqual(['beheerder']);
  });
});
