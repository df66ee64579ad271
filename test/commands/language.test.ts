// One language setting for every human text (issue 19.6): --lang, then the config's language, then LC_ALL /
// LC_MESSAGES / LANG; on the built CLI, with and without a terminal.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { tempDir } from '../helpers/school.js';
import { onTerminal } from '../helpers/terminal.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function fresh(): string {
  const { dir, cleanup } = tempDir('toezicht-lang-');
  cleanups.push(cleanup);
  return dir;
}

const NL_MISSING = /^fout: Zonder terminal vraagt init niets: geef --storage-root/m;
const EN_MISSING = /^error: Without a terminal init asks nothing: give --storage-root/m;

describe('the language of messages', () => {
  it('follows LANG, and LC_ALL over LANG', async () => {
    const dir = fresh();
    expect((await toezicht(['init', '--school', 'X'], { cwd: dir, env: { LANG: 'nl_NL.UTF-8' } })).stderr).toMatch(NL_MISSING);
    expect((await toezicht(['init', '--school', 'X'], { cwd: dir, env: { LANG: 'nl_NL.UTF-8', LC_ALL: 'en_GB.UTF-8' } })).stderr).toMatch(EN_MISSING);
    expect((await toezicht(['init', '--school', 'X'], { cwd: dir, env: { LANG: 'C.UTF-8' } })).stderr).toMatch(EN_MISSING);
  });

  it('takes --lang over LANG, and keeps the exit code and the JSON shape', async () => {
    const dir = fresh();
    const r = await toezicht(['init', '--school', 'X', '--lang', 'en'], { cwd: dir, env: { LANG: 'nl_NL.UTF-8' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(EN_MISSING);
    const j = await toezicht(['init', '--school', 'X', '--lang', 'nl', '--json'], { cwd: dir });
    expect(j.exitCode).toBe(2);
    expect(j.json.error).toMatchObject({ code: 'init.missing', exitCode: 2, message: expect.stringMatching(/^Zonder terminal vraagt init niets/) });
  });

  it("takes the config's language over LANG, and --lang over the config; init --lang writes it", async () => {
    const dir = fresh();
    mkdirSync(path.join(dir, 'footage'));
    const init = await toezicht(['init', '--school', 'X', '--storage-root', 'footage', '--lang', 'nl', '--no-signing-key'], { cwd: dir });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/^.*toezicht\.config\.yaml geschreven en register .* gemaakt \(modus 0600\)\.$/m);
    expect(readFileSync(path.join(dir, 'toezicht.config.yaml'), 'utf8')).toMatch(/^language: nl$/m);
    const nl = await toezicht(['doctor'], { cwd: dir, env: { LANG: 'en_US.UTF-8' } });
    expect(nl.stdout).toMatch(/^ok +De configuratie .* is geldig\.$/m);
    expect(nl.stdout).toMatch(/^let op +Er is geen ondertekeningssleutel/m);
    const en = await toezicht(['doctor', '--lang', 'en'], { cwd: dir });
    expect(en.stdout).toMatch(/^ok +The config .* is valid\.$/m);
    // A config that says English wins over a Dutch LANG.
    writeFileSync(path.join(dir, 'toezicht.config.yaml'), readFileSync(path.join(dir, 'toezicht.config.yaml'), 'utf8').replace('language: nl', 'language: en'));
    expect((await toezicht(['doctor'], { cwd: dir, env: { LANG: 'nl_NL.UTF-8' } })).stdout).toMatch(/^ok +The config .* is valid\.$/m);
  });

  it('rejects a language it does not have (exit 2)', async () => {
    const r = await toezicht(['doctor', '--lang', 'de'], { cwd: fresh() });
    expect(r.exitCode).toBe(2);
  });
});

describe('help', () => {
  it('speaks Dutch or English at the top level, and never of seeds', async () => {
    const nl = await toezicht(['--help'], { env: { LANG: 'nl_NL.UTF-8' } });
    expect(nl.exitCode).toBe(0);
    expect(nl.stdout).toMatch(/^ {2}footage +Camerabeelden op de opslag van de school/m);
    expect(nl.stdout).toMatch(/^ {2}doctor +Controleer wat een school/m);
    const en = await toezicht(['--help', '--lang', 'en'], { env: { LANG: 'nl_NL.UTF-8' } });
    expect(en.stdout).toMatch(/^ {2}footage +Footage on the school storage/m);
    for (const r of [nl, en]) expect(r.stdout).not.toMatch(/\bseeds?\b/i);
  });

  it("gives a converted command's flags in the language, and the global ones", async () => {
    const r = await toezicht(['init', '--help', '--lang', 'nl']);
    expect(r.stdout).toMatch(/--storage-root=<value> +Map met de camerabeelden/);
    expect(r.stdout).toMatch(/--lang=<option> +Taal van meldingen en help/);
    expect(r.stdout).toMatch(/^ {2}Een paar vragen beantwoorden$/m);
    // A command not converted yet keeps its English, never a wrong text.
    const other = await toezicht(['footage', 'purge', '--help', '--lang', 'nl']);
    expect(other.stdout).toMatch(/^ {2}See what would be deleted, without deleting anything$/m);
  });
});

describe('on a terminal', () => {
  it('asks init\'s questions in the chosen language', async () => {
    const dir = fresh();
    mkdirSync(path.join(dir, 'footage'));
    const r = await onTerminal(
      ['init', '--lang', 'nl', '--storage-root', 'footage', '--no-signing-key'],
      [
        { when: /Naam van de school/, send: 'De Linde\r' },
        { when: /Schoolbestuur/, send: '\r' },
        { when: /Tijdzone/, send: '\r' },
        { when: /Hoe noemt de recorder zijn bestanden/, send: '\r' },
        { when: /Een camera toevoegen\?/, send: 'n\r' },
        { when: /OS-gebruikers die beelden mogen exporteren/, send: '\r' },
      ],
      { cwd: dir },
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/Nog geen ondertekeningssleutel/);
  });
});
