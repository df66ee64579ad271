// A school's first week on the built CLI (issue 19, and issue 15 item 7), on a pseudo-terminal (`script`) where the
// promise is about terminals and without one where it is about cron and scripts: a typo never runs a command, an
// erasure asks first (and needs --yes without a terminal), prompts check each answer where it is asked and keep the
// answers when the work after them fails, a hold says what it keeps, an export says why and for whom, user text is
// shown escaped, and every --help carries the exit-code table.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { Config } from '@oclif/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { plural, shown, tidy } from '../../src/cli/format.js';
import ToezichtHelp from '../../src/cli/help.js';
import { EXIT_CODE_MEANINGS } from '../../src/core/errors.js';
import { BIN, toezicht } from '../helpers/cli.js';
import { exportSchool } from '../helpers/export-school.js';
import { makeStream, placeFrigate, removeStreams } from '../helpers/footage.js';
import { DAY, frigatePath, listFiles, makeSchool, writeFiles, type SchoolFixture } from '../helpers/school.js';

const REPO = path.resolve(import.meta.dirname, '../..');
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const sh = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

interface Answer {
  /** Sent once the output since the last answer matches. */
  after: RegExp;
  send: string;
}

/**
 * Runs the built CLI on a pseudo-terminal (util-linux `script`), typing each answer once its question shows.
 * Returns the exit code and what the terminal showed, without escape sequences.
 */
async function onTerminal(args: string[], options: { cwd: string; env?: Record<string, string>; answers?: Answer[] }): Promise<{ exitCode: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map(sh).join(' ');
  // CI='' : the command base asks nothing under CI; this terminal is a person's.
  const child = execa('script', ['-qec', command, '/dev/null'], { cwd: options.cwd, env: { TERM: 'xterm', CI: '', NO_COLOR: '1', ...options.env }, reject: false, stdin: 'pipe', all: true, timeout: 60_000 });
  const pending = [...(options.answers ?? [])];
  let output = '';
  let from = 0;
  child.all!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const next = pending[0];
    if (next && next.after.test(output.slice(from).replace(ANSI, ''))) {
      pending.shift();
      from = output.length;
      child.stdin!.write(next.send);
    }
  });
  const result = await child;
  child.stdin!.end();
  return { exitCode: result.exitCode ?? -1, output: output.replace(ANSI, '').replace(/\r/g, '') };
}

const schools: SchoolFixture[] = [];
afterEach(() => {
  for (const s of schools.splice(0)) s.cleanup();
});
afterAll(() => removeStreams());

const NOW = Date.now();
// Footage of 35 days ago, on a whole hour: past the 4-week retention.
const OLD = Math.floor((NOW - 35 * DAY) / 3_600_000) * 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A school with three 10-minute segments per camera, 35 days old (plain files: these commands read only names). */
async function school(): Promise<{ s: SchoolFixture; root: string; placed: string[] }> {
  const s = await makeSchool({
    school: { name: 'OSG De Linde' },
    storage: [{ id: 'nas1', type: 'fs', root: './recordings', layout: 'frigate' }],
    cameras: [
      { id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1' },
      { id: 'aula', name: 'Aula', category: 'surveillance', storage: 'nas1' },
    ],
  });
  schools.push(s);
  const root = path.join(s.dir, 'recordings');
  const placed = ['entree', 'aula'].flatMap((c) => [0, 10, 20].map((m) => frigatePath(c, OLD + m * 60_000)));
  writeFiles(root, placed, 'a segment of 23 bytes..');
  return { s, root, placed };
}

describe('19.1 a typo never runs a command', () => {
  it('names the nearest command and stops with exit 2, without a terminal, with --json, and on a terminal even when Y is typed', async () => {
    const { s, root, placed } = await school();
    const plain = await toezicht(['footage', 'purg'], { cwd: s.dir });
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toBe('error: "footage purg" is not a toezicht command; did you mean "toezicht footage purge"? Nothing was run: type it out. "toezicht --help" lists the commands.');
    expect(plain.stdout).toBe('');

    const json = await toezicht(['footage', 'purg', '--json'], { cwd: s.dir });
    expect(json.exitCode).toBe(2);
    expect(json.json.error).toMatchObject({ code: 'command.unknown', suggestion: 'footage purge', exitCode: 2 });

    // The old plugin asked "Did you mean footage purge? (Y/n)" and Enter ran a real purge.
    const typed = await onTerminal(['footage', 'purg'], { cwd: s.dir, answers: [{ after: /./, send: 'Y\r' }] });
    expect(typed.exitCode).toBe(2);
    expect(typed.output).toContain('did you mean "toezicht footage purge"? Nothing was run');
    expect(typed.output).not.toMatch(/\(Y\/n\)/);
    // The expired footage is all there, and no purge run was recorded.
    expect(placed.every((rel) => existsSync(path.join(root, rel)))).toBe(true);
    const log = await toezicht(['audit', 'log', '--json'], { cwd: s.dir });
    expect(log.json.entries.map((e: { action: string }) => e.action)).toEqual(['register.create']);

    const topicless = await toezicht(['hold', 'add', '--camera', 'entree'], { cwd: s.dir });
    expect(topicless.exitCode).toBe(2);
    expect(topicless.stderr).toContain('did you mean "toezicht footage hold add"? Nothing was run');

    const far = await toezicht(['wipe-everything'], { cwd: s.dir });
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toBe('error: "wipe-everything" is not a toezicht command. "toezicht --help" lists the commands.');
  });
});

describe('19.2 an erasure asks before it deletes', () => {
  const erasure = async (s: SchoolFixture): Promise<string> => {
    const r = await toezicht(
      ['rights', 'request', '--type', 'erasure', '--requester', 'Mark Jansen', '--relation', 'staff', '--subject', 'Mark Jansen', '--camera', 'entree', '--from', iso(OLD), '--to', iso(OLD + 15 * 60_000), '--format', 'md', '--json'],
      { cwd: s.dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const id = r.json.request.id as string;
    expect((await toezicht(['rights', 'verify-identity', id, '--method', 'Personeelspas'], { cwd: s.dir })).exitCode).toBe(0);
    return id;
  };

  it('without a terminal refuses without --yes (exit 2, nothing deleted) and says what it would delete; --yes deletes', async () => {
    const { s, root, placed } = await school();
    const id = await erasure(s);
    const refused = await toezicht(['rights', 'fulfil', id], { cwd: s.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^error: This would delete 2 files \(46 B\) of footage for request R-\d{4}-0001, which cannot be undone; nothing was changed\. Add --yes/);
    expect(refused.stderr).toContain('entree: 2 files, 46 B');
    const asJson = await toezicht(['rights', 'fulfil', id, '--json'], { cwd: s.dir });
    expect(asJson.exitCode).toBe(2);
    expect(asJson.json.error.code).toBe('confirm.yes-required');
    expect(placed.every((rel) => existsSync(path.join(root, rel)))).toBe(true);

    const done = await toezicht(['rights', 'fulfil', id, '--yes', '--json'], { cwd: s.dir });
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.json.fulfilment).toMatchObject({ erased: true, files: 2 });
    expect(listFiles(root)).toEqual(placed.filter((rel) => !rel.includes('/entree/') || rel.endsWith('20.00.mp4')).sort());
  });

  it('on a terminal shows what will be deleted and asks, default No; yes deletes', async () => {
    const { s, root, placed } = await school();
    const id = await erasure(s);
    const enter = await onTerminal(['rights', 'fulfil', id], { cwd: s.dir, answers: [{ after: /Go ahead\?/, send: '\r' }] });
    expect(enter.exitCode).toBe(2);
    expect(enter.output).toContain(`It will delete 2 files (46 B) of footage for request ${id}:`);
    expect(enter.output).toContain('entree: 2 files, 46 B');
    expect(enter.output).toMatch(/Go ahead\? \(y\/N\)/);
    expect(enter.output).toContain('Not confirmed; nothing was changed.');
    expect(placed.every((rel) => existsSync(path.join(root, rel)))).toBe(true);

    const yes = await onTerminal(['rights', 'fulfil', id], { cwd: s.dir, answers: [{ after: /Go ahead\?/, send: 'y\r' }] });
    expect(yes.exitCode, yes.output).toBe(0);
    expect(yes.output).toContain(`${id}: footage of the window erased (2 files, purge run`);
    expect(placed.filter((rel) => existsSync(path.join(root, rel)))).toHaveLength(4);
  });
});

describe('19.4 every prompt checks its answer where it is asked', () => {
  const parentRequest = (to?: string): string[] => [
    'rights', 'request', '--type', 'access', '--requester', 'Jolanda de Vries', '--relation', 'parent', '--subject', 'Sanne de Vries',
    '--camera', 'entree', '--from', iso(OLD), ...(to ? ['--to', to] : []), '--description', 'Sanne werd geduwd', '--format', 'md',
  ];

  it('asks a birth date off the calendar again, and registers the request with the corrected one', async () => {
    const { s } = await school();
    const r = await onTerminal(parentRequest(iso(OLD + 600_000)), {
      cwd: s.dir,
      answers: [
        { after: /date of birth/, send: '2015-02-30\r' },
        { after: /not a date on the calendar/, send: '\u0015' }, // Ctrl-U: clear the line, as a person would
        { after: /./, send: '2015-02-28\r' },
      ],
    });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('"2015-02-30" is not a date on the calendar; use YYYY-MM-DD');
    const list = await toezicht(['rights', 'show', 'R-' + new Date().getFullYear() + '-0001', '--json'], { cwd: s.dir });
    expect(list.json.request).toMatchObject({ subjectBirthdate: '2015-02-28', subject: 'Sanne de Vries' });
  });

  it('checks what flags gave before asking anything', async () => {
    const { s } = await school();
    const r = await onTerminal([...parentRequest(), '--subject-birthdate', '2015-02-30'], { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain('--subject-birthdate "2015-02-30" is not a date; use YYYY-MM-DD.');
    expect(r.output).not.toContain('End of the window');
  });

  it('keeps the answers in a file it names when registering fails after the last question, and starts again from it', async () => {
    const { s } = await school();
    // The register refuses to write the request (as a failing disk would): registering fails after the questions.
    const db = new Database(s.config.register);
    db.exec("CREATE TRIGGER refuse_requests BEFORE INSERT ON rights_requests BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
    db.close();
    const r = await onTerminal(parentRequest(), {
      cwd: s.dir,
      answers: [
        { after: /date of birth/, send: '2014-03-02\r' },
        { after: /End of the window/, send: `${iso(OLD + 600_000)}\r` },
        { after: /Keep your answers in/, send: '\r' },
      ],
    });
    expect(r.exitCode).toBe(1);
    const named = /Your answers are in (\S+) \(it holds names: delete it when done\)\. Try again with: toezicht rights request --answers (\S+)/.exec(r.output);
    expect(named, r.output).not.toBeNull();
    const file = named![1]!;
    expect(named![2]).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ subjectBirthdate: '2014-03-02', to: iso(OLD + 600_000), requester: 'Jolanda de Vries', cameras: ['entree'] });
    // Nothing was registered, and the kept answers register it once the register writes again (no terminal needed).
    expect((await toezicht(['rights', 'list', '--json'], { cwd: s.dir })).json.requests).toEqual([]);
    const writable = new Database(s.config.register);
    writable.exec('DROP TRIGGER refuse_requests;');
    writable.close();
    const again = await toezicht(['rights', 'request', '--answers', file, '--format', 'md', '--json'], { cwd: s.dir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json.request).toMatchObject({ subjectBirthdate: '2014-03-02', requester: 'Jolanda de Vries', cameras: ['entree'] });
  });
});

describe('19.7 a hold says what it keeps', () => {
  it('prints the cameras, segments and bytes it covers; warns about an identical hold and a purged range; times ISO in --json', async () => {
    const { s } = await school();
    const range = ['--from', iso(OLD), '--to', iso(OLD + 15 * 60_000)];
    const first = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--camera', 'aula', ...range, '--case', 'I-1', '--reason', 'Diefstal'], { cwd: s.dir });
    expect(first.exitCode).toBe(0);
    // Without a terminal the id alone on stdout, for a script; what it keeps on stderr.
    expect(first.stdout).toMatch(/^H-\d{4}-0001$/);
    expect(first.stderr).toBe(`${first.stdout} keeps 4 segments (92 B) now: aula 2 (46 B), entree 2 (46 B)`);

    const twin = await toezicht(['footage', 'hold', 'add', '--camera', 'aula', '--camera', 'entree', ...range, '--case', 'I-2', '--reason', 'Dubbel', '--json'], { cwd: s.dir });
    expect(twin.exitCode).toBe(0);
    expect(twin.json).toMatchObject({ from: iso(OLD), to: iso(OLD + 15 * 60_000), coverage: { segments: 4, bytes: 92 } });
    expect(twin.json.coverage.warnings).toEqual([`hold ${first.stdout} (case I-1) already keeps exactly these cameras and times; release one of them when its case is closed`]);
    const list = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(list.json.holds.map((h: { from: unknown; to: unknown }) => [h.from, h.to])).toEqual([[iso(OLD), iso(OLD + 15 * 60_000)], [iso(OLD), iso(OLD + 15 * 60_000)]]);

    // The purge deletes the unheld expired segment of each camera; a hold on it afterwards keeps nothing.
    expect((await toezicht(['footage', 'purge', '--json'], { cwd: s.dir })).json.deleted.files).toBe(2);
    const late = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', iso(OLD + 20 * 60_000), '--to', iso(OLD + 25 * 60_000), '--case', 'I-3', '--reason', 'Te laat'], { cwd: s.dir });
    expect(late.exitCode).toBe(0);
    expect(late.stderr).toContain('keeps 0 segments (0 B) now');
    expect(late.stderr).toContain('warning: entree: the range was purged already (1 file deleted before this hold); the hold keeps nothing of it');

    const tty = await onTerminal(['footage', 'hold', 'add', '--camera', 'aula', '--from', iso(OLD), '--to', iso(OLD + 60_000), '--case', 'I-4', '--reason', 'Kort'], { cwd: s.dir });
    expect(tty.exitCode).toBe(0);
    expect(tty.output).toMatch(/keeps {4}1 segment \(23 B\) now/);
  });
});

describe('19.7 an export says why and for whom', () => {
  it('requires --reason (exit 2, in the error: form), warns about a missing recipient and legal basis without a terminal, asks for them on one', async () => {
    const s = await exportSchool();
    schools.push(s);
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', Date.parse('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const base = ['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:02', '--to', '2026-10-20T08:00:08', '--no-hold'];
    const noReason = await toezicht(base, { cwd: s.dir });
    expect(noReason.exitCode).toBe(2);
    expect(noReason.stderr).toBe('error: Missing required flag --reason. "toezicht footage export --help" shows its flags and examples.');

    const quiet = await toezicht([...base, '--reason', 'Controle'], { cwd: s.dir });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).toContain('warning: no --recipient or --legal-basis: the custody record will say "(niet opgegeven)"; name them for a disclosure.');
    expect(quiet.stdout).toContain('(recipient not given), legal basis (not given)');

    const asked = await onTerminal([...base, '--reason', 'Controle'], {
      cwd: s.dir,
      answers: [
        { after: /Who receives it/, send: 'Politie Zaandam\r' },
        { after: /On what legal basis/, send: 'art. 6(1)(f) AVG\r' },
      ],
    });
    expect(asked.exitCode, asked.output).toBe(0);
    expect(asked.output).toContain('for       Politie Zaandam, legal basis art. 6(1)(f) AVG');
    const pkg = /written to (\S+)/.exec(asked.output)![1]!;
    const record = readFileSync(path.join(pkg, 'proces-verbaal.txt'), 'utf8');
    expect(record).toContain('Politie Zaandam');
    expect(record).toContain('art. 6(1)(f) AVG');
  });
});

describe('15.7 text from users is stored as given and shown escaped', () => {
  it('a case and a reason with ESC[2J and a newline: raw in --json, escaped in hold list, audit log, rights list and warnings', async () => {
    const { s } = await school();
    const nasty = 'I-7\u001b[2J';
    const reason = 'Diefstal\nhold H-0000-9999  released';
    const add = await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', iso(OLD), '--to', iso(OLD + 60_000), '--case', nasty, '--reason', reason, '--json'], { cwd: s.dir });
    expect(add.exitCode).toBe(0);
    expect(add.json).toMatchObject({ caseRef: nasty, reason });
    await toezicht(['rights', 'request', '--type', 'access', '--requester', 'Evil\u001b]0;pwned\u0007 Name', '--relation', 'self', '--camera', 'aula', '--from', iso(OLD), '--to', iso(OLD + 60_000), '--format', 'md'], { cwd: s.dir });

    const views = await Promise.all([
      toezicht(['footage', 'hold', 'list'], { cwd: s.dir }),
      toezicht(['audit', 'log'], { cwd: s.dir }),
      toezicht(['rights', 'list'], { cwd: s.dir }),
      toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', iso(OLD), '--to', iso(OLD + 60_000), '--case', 'I-8', '--reason', 'x'], { cwd: s.dir }),
    ]);
    for (const v of views) {
      expect(v.exitCode, v.stderr).toBe(0);
      expect(v.stdout + v.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
    const [holds, audit, rights, twin] = views;
    expect(holds!.stdout).toContain('I-7\\e[2J');
    expect(holds!.stdout).toContain('Diefstal\\nhold H-0000-9999  released');
    // The fake line never starts a line of its own.
    expect(holds!.stdout.split('\n').some((l) => l.startsWith('hold H-0000-9999'))).toBe(false);
    expect(audit!.stdout).toContain('case     I-7\\e[2J');
    expect(audit!.stdout).toContain('reason   Diefstal\\nhold H-0000-9999  released');
    expect(rights!.stdout).toContain('Evil\\e]0;pwned\\u{7} Name');
    // A warning that quotes the case (the identical hold) escapes it too.
    expect(twin!.stderr).toContain('(case I-7\\e[2J) already keeps exactly');
    const json = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(json.json.holds[0]).toMatchObject({ caseRef: nasty, reason });
  });
});

describe('19.8 readable output', () => {
  it('audit log and rights show render details as fields within 80 columns, never as JSON', async () => {
    const { s } = await school();
    const long = 'Sanne werd bij de ingang geduwd door twee leerlingen uit de bovenbouw; de mentor heeft het gezien en wil weten wie er nog meer bij stond, '.repeat(3);
    const r = await toezicht(['rights', 'request', '--type', 'access', '--requester', 'Jolanda de Vries', '--relation', 'parent', '--subject', 'Sanne de Vries', '--subject-birthdate', '2014-03-02', '--camera', 'entree', '--camera', 'aula', '--from', iso(OLD), '--to', iso(OLD + 600_000), '--description', long, '--format', 'md', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const id = r.json.request.id as string;
    // Times in --json are ISO 8601, the request's window and its hold's range too (epoch milliseconds before).
    expect(r.json.request).toMatchObject({ from: iso(OLD), to: iso(OLD + 600_000) });
    expect(r.json.hold).toMatchObject({ from: iso(OLD), to: iso(OLD + 600_000) });
    await toezicht(['rights', 'verify-identity', id, '--method', 'Paspoort getoond aan de balie, niet gekopieerd; gezag gecontroleerd in de leerlingenadministratie van de school'], { cwd: s.dir });
    const shown = await toezicht(['rights', 'show', id, '--json'], { cwd: s.dir });
    expect(shown.json.request).toMatchObject({ from: iso(OLD), to: iso(OLD + 600_000) });
    expect(shown.json.holds[0]).toMatchObject({ from: iso(OLD), to: iso(OLD + 600_000) });
    for (const args of [['audit', 'log'], ['rights', 'show', id]]) {
      const v = await toezicht(args, { cwd: s.dir });
      expect(v.exitCode, v.stderr).toBe(0);
      const lines = v.stdout.split('\n');
      expect(lines.filter((l) => l.length > 80), args.join(' ')).toEqual([]);
      expect(v.stdout).not.toMatch(/[{[]"/);
    }
    const audit = (await toezicht(['audit', 'log'], { cwd: s.dir })).stdout;
    expect(audit).toMatch(/^ {4}cameras +aula, entree$/m);
    expect(audit).toMatch(/^#\d+ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2}\S+ {2}rights\.request$/m);
  });

  it('says "1 file", never "1 files"; status lines in school time and KB like the table', async () => {
    const s = await makeSchool({ school: { name: 'OSG De Linde' }, storage: [{ id: 'nas1', type: 'fs', root: './recordings', layout: 'frigate' }], cameras: [{ id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1' }] });
    schools.push(s);
    writeFiles(path.join(s.dir, 'recordings'), [frigatePath('entree', OLD)], 'x'.repeat(3000));
    const status = await toezicht(['footage', 'status'], { cwd: s.dir });
    expect(status.exitCode).toBe(1);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' }).format(new Date(OLD));
    expect(status.stdout).toContain(`error: entree: 1 segment (2.9 KB) kept past retention`);
    expect(status.stdout).toContain(`the oldest from ${local};`);
    expect(status.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z|bytes\)/);
    const purge = await toezicht(['footage', 'purge'], { cwd: s.dir });
    expect(purge.exitCode).toBe(0);
    expect(purge.stdout).toContain('deleted 1 file (2.9 KB)');
    expect(purge.stdout).not.toMatch(/\b1 files\b/);
  });

  it('respects NO_COLOR on a terminal, and colours without it', async () => {
    const { s } = await school();
    await toezicht(['footage', 'hold', 'add', '--camera', 'entree', '--from', iso(OLD), '--to', iso(OLD + 60_000), '--case', 'I-1', '--reason', 'x'], { cwd: s.dir });
    const raw = async (env: Record<string, string>): Promise<string> => {
      const r = await execa('script', ['-qec', [process.execPath, BIN, 'footage', 'hold', 'list'].map(sh).join(' '), '/dev/null'], { cwd: s.dir, env: { TERM: 'xterm', CI: '', ...env }, reject: false, stdin: 'ignore' });
      return r.stdout;
    };
    expect(await raw({ NO_COLOR: '', FORCE_COLOR: '' })).toMatch(/\u001b\[\d+m/);
    expect(await raw({ NO_COLOR: '1' })).not.toMatch(/\u001b\[/);
  });

  it('the demo echoes each command so that it can be pasted into a shell', async () => {
    const { quote } = (await import(path.join(REPO, 'scripts/shell-quote.mjs'))) as { quote: (a: string) => string };
    const args = ['footage', 'export', '--case', 'Incident 2026-14', '--reason', "Fiets van 't plein; \"aangifte\" $HOME `x`", '--from', '2026-10-20T08:00:00.000Z'];
    const echoed = args.map(quote).join(' ');
    expect(echoed).toContain('--case \'Incident 2026-14\'');
    const back = await execa('sh', ['-c', `printf '%s\\n' ${echoed}`]);
    expect(back.stdout.split('\n')).toEqual(args);
    expect(readFileSync(path.join(REPO, 'scripts/demo.mjs'), 'utf8')).toMatch(/shell\(`toezicht \$\{args\.map\(quote\)\.join\(' '\)\}`\)/);
  });
});

describe('19.8 one clean sentence', () => {
  it('no "mounted?." or "..", no sentence twice; plurals; escapes shown, never passed on', () => {
    expect(tidy('storage x: its root /r does not exist; is the share mounted?. Fix this and run it again.')).toBe('storage x: its root /r does not exist; is the share mounted? Fix this and run it again.');
    expect(tidy('It failed.. Nothing was changed. Nothing was changed.')).toBe('It failed. Nothing was changed.');
    expect(tidy('Wait… or use the dots ... as they are.')).toBe('Wait… or use the dots ... as they are.');
    expect([plural(1, 'file'), plural(2, 'file'), plural(1, 'entry', 'entries'), plural(0, 'entry', 'entries')]).toEqual(['1 file', '2 files', '1 entry', '0 entries']);
    expect(shown('a\u001b[2Jb\nc\td\u202ee\u0007')).toBe('a\\e[2Jb\\nc\\td\\u{202e}e\\u{7}');
  });
});

describe('19.9 exit codes in every help', () => {
  it('every command\'s --help and the top-level help show the table; docs/exit-codes.md says the same', async () => {
    const config = await Config.load(REPO);
    const help = new ToezichtHelp(config) as unknown as { formatCommand: (c: unknown) => string; formatRoot: () => string };
    const table = EXIT_CODE_MEANINGS.map(([code]) => new RegExp(`^ {2}${code} {2}\\S`, 'm'));
    const ours = config.commands.filter((c) => c.pluginName === 'toezicht');
    expect(ours.length).toBeGreaterThanOrEqual(37);
    for (const c of ours) {
      const text = help.formatCommand(c).replace(ANSI, '');
      expect(text, c.id).toContain('EXIT CODES');
      for (const line of table) expect(text, c.id).toMatch(line);
    }
    expect(help.formatRoot().replace(ANSI, '')).toContain('EXIT CODES (every command; docs/exit-codes.md)');
    const spawned = await toezicht(['rights', 'fulfil', '--help']);
    expect(spawned.stdout).toMatch(/EXIT CODES[^\n]*\n {2}0 {2}done/);
    const doc = readFileSync(path.join(REPO, 'docs/exit-codes.md'), 'utf8');
    for (const [code, meaning] of EXIT_CODE_MEANINGS) expect(doc).toContain(`| ${code} | ${meaning} |`);
  });
});

describe('19.10 quiet by default', () => {
  it('no Node-version warning from the AWS SDK when an S3 client is made', async () => {
    const script = `const { makeClient } = await import(${JSON.stringify(path.join(REPO, 'dist/core/storage/s3/client.js'))});
      await makeClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, keys: { accessKeyId: 'a', secretAccessKey: 'b' } });`;
    const r = await execa(process.execPath, ['--input-type=module', '-e', script], { reject: false, env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined } as unknown as Record<string, string> });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('npm warns about no project config but the one npm 10 needs, and every install script is reviewed (onnxruntime-node\'s denied)', async () => {
    const r = await execa('npm', ['config', 'get', 'fund'], { cwd: REPO, reject: false });
    const unknown = [...r.stderr.matchAll(/Unknown project config "([^"]+)"/g)].map((m) => m[1]);
    expect(unknown.filter((key) => key !== 'onnxruntime-node-install')).toEqual([]);
    // Node 20's npm 10 runs install scripts whatever allowScripts says: this key keeps onnxruntime-node from downloading.
    expect(readFileSync(path.join(REPO, '.npmrc'), 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
    const scripted = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, p]) => p.hasInstallScript)
      .map(([k]) => k.replace(/^.*node_modules\//, ''));
    for (const name of scripted) expect(pkg.allowScripts, name).toHaveProperty([name]);
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
    expect(pkg.oclif.plugins).not.toContain('@oclif/plugin-not-found');
  });
});
