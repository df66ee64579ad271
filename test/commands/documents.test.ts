// The document commands as a privacy officer runs them: the built binary, without a terminal.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { DPIA_ANSWERS, fixtureObject, FULL_CONFIG, MINIMAL_CONFIG } from '../helpers/documents.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';

let school: SchoolFixture | undefined;
/** The full example with its DPIA adopted: no error finding, so its adopted regulation may be rendered. */
function adoptable(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const settings = fixtureObject(FULL_CONFIG);
  settings.documents.dpia = { status: 'vastgesteld', adoptedOn: '2026-02-09' };
  return settings;
}
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

describe('toezicht compliance check', () => {
  it('exits 1 with the findings of a minimal school, each with its rule and source, in the language asked for', async () => {
    school = await makeSchool(fixtureObject(MINIMAL_CONFIG));
    const r = await toezicht(['compliance', 'check', '--json', '--lang', 'nl'], { cwd: school.dir });
    expect(r.exitCode).toBe(1);
    const rules = r.json.findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['fg.missing', 'consent.missing', 'camera.purpose-missing', 'signage.unconfirmed', 'dpia.missing']));
    expect(r.json.findings.find((f: { rule: string }) => f.rule === 'fg.missing')).toMatchObject({ severity: 'error', source: expect.stringMatching(/AVG art\. 37/), message: expect.stringMatching(/functionaris gegevensbescherming/) });
    const human = await toezicht(['compliance', 'check'], { cwd: school.dir });
    expect(human.stdout).toMatch(/error +No data protection officer \(FG\) is recorded/);
    expect(human.stdout).toMatch(/fg\.missing · Ouders & Onderwijs, Cameratoezicht/);
    expect(human.stdout).not.toMatch(/seed|LEGAL|checklist/);
  });

  it('exits 0 on warnings only, and 1 with --strict', async () => {
    const settings = fixtureObject(FULL_CONFIG);
    delete settings.privacy.securityPlan;
    settings.documents.dpia = { status: 'vastgesteld', adoptedOn: '2026-02-09' };
    settings.cameras = settings.cameras.filter((c: { category: string }) => c.category !== 'covert');
    school = await makeSchool(settings);
    const r = await toezicht(['compliance', 'check', '--json'], { cwd: school.dir });
    expect(r.json.findings.map((f: { rule: string }) => f.rule)).toEqual(['security-plan.missing']);
    expect(r.exitCode).toBe(0);
    expect((await toezicht(['compliance', 'check', '--strict'], { cwd: school.dir })).exitCode).toBe(1);
  });
});

describe('toezicht reglement render', () => {
  it('writes the documents, warns on findings (exit 1 on an error finding), and with --strict refuses (exit 2) and writes nothing', async () => {
    school = await makeSchool(fixtureObject(MINIMAL_CONFIG));
    const strict = await toezicht(['reglement', 'render', '--strict', '--json'], { cwd: school.dir });
    expect(strict.exitCode).toBe(2);
    expect(strict.json.error).toMatchObject({ code: 'documents.strict', details: expect.arrayContaining([expect.stringMatching(/^error fg\.missing/)]) });
    expect(existsSync(path.join(school.dir, 'documents'))).toBe(false);

    // A concept is written with its findings printed; an error among them makes the run exit 1.
    const r = await toezicht(['reglement', 'render', '--format', 'md', '--format', 'pdf'], { cwd: school.dir });
    // Written as a concept, but fg.missing is an error: exit 1, so a script does not take it for the adopted version.
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Er is geen functionaris gegevensbescherming/);
    expect(r.stderr).not.toMatch(/seed \d|LEGAL|checklist/);
    expect(readdirSync(path.join(school.dir, 'documents')).sort()).toEqual(
      ['bord-cameratoezicht', 'brief-leerlingen-en-ouders', 'camerareglement', 'protocol-camera-en-videobeelden'].flatMap((n) => [`${n}-v1-nl.md`, `${n}-v1-nl.pdf`]),
    );
  });

  it('refuses an adopted (vastgesteld) document while an error finding or a gap remains: exit 2, nothing written, no version', async () => {
    const withError = adoptable();
    delete withError.privacy.consent; // consent.missing is an error
    school = await makeSchool(withError);
    const r = await toezicht(['reglement', 'render', '--document', 'reglement', '--json'], { cwd: school.dir });
    expect(r.exitCode).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'documents.not-adoptable', details: expect.arrayContaining([expect.stringMatching(/^error consent\.missing/)]) });
    expect(existsSync(path.join(school.dir, 'documents'))).toBe(false);
    expect((await toezicht(['reglement', 'history', '--json'], { cwd: school.dir })).json.versions).toEqual([]);
    school.cleanup();

    // No error, but a gap: the security measures are not listed.
    const withGap = adoptable();
    delete withGap.privacy.securityMeasures;
    school = await makeSchool(withGap);
    const gap = await toezicht(['reglement', 'render', '--document', 'reglement'], { cwd: school.dir });
    expect(gap.exitCode).toBe(2);
    expect(gap.stderr).toMatch(/reglement .*gap to fill in; nothing was written/);
    expect(existsSync(path.join(school.dir, 'documents'))).toBe(false);
    // As a concept it is written, with its gap visible, and no error: exit 0.
    const asConcept = adoptable();
    delete asConcept.privacy.securityMeasures;
    asConcept.documents.reglement.status = 'concept';
    writeFileSync(school.configFile, stringify(asConcept));
    const c = await toezicht(['reglement', 'render', '--document', 'reglement', '--format', 'md', '--json'], { cwd: school.dir });
    expect(c.exitCode).toBe(0);
    expect(readFileSync(c.json.documents[0].files[0].file, 'utf8')).toContain('Verder geldt: \\[nog in te vullen\\].');
  });

  it('keeps a version per change of the inputs: same inputs, same version; history and diff show what changed', async () => {
    school = await makeSchool(adoptable());
    const render = (...extra: string[]) => toezicht(['reglement', 'render', '--document', 'reglement', '--format', 'md', '--json', ...extra], { cwd: school!.dir });
    const first = await render();
    // An adoptable school (its DPIA adopted, no error finding): written, exit 0.
    expect(first.exitCode).toBe(0);
    expect(first.json.documents[0]).toMatchObject({ document: 'reglement', version: 1, created: true });
    const again = await render();
    expect(again.json.documents[0]).toMatchObject({ version: 1, created: false, inputsHash: first.json.documents[0].inputsHash });

    const settings = adoptable();
    settings.retention.surveillance = 'P21D';
    settings.cameras.push({ id: 'plein', name: 'Schoolplein', location: 'Schoolplein, vanaf het dak', purpose: 'Vernieling', category: 'surveillance', storage: 'nas1' });
    writeFileSync(school.configFile, stringify(settings));
    const second = await render();
    expect(second.json.documents[0]).toMatchObject({ version: 2, created: true });
    expect(readFileSync(second.json.documents[0].files[0].file, 'utf8')).toContain('| Schoolplein (plein) | Schoolplein, vanaf het dak |');

    const history = await toezicht(['reglement', 'history', '--json'], { cwd: school.dir });
    expect(history.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(history.json.versions[1].changes).toEqual(
      expect.arrayContaining([
        { path: 'retention.surveillance', change: 'changed', from: 'P28D', to: 'P21D' },
        expect.objectContaining({ path: 'cameras[plein]', change: 'added' }),
      ]),
    );
    const human = await toezicht(['reglement', 'history'], { cwd: school.dir });
    expect(human.stdout).toMatch(/2 .* retention\.surveillance: P28D → P21D/);

    const diff = await toezicht(['reglement', 'diff', '1', '2', '--json'], { cwd: school.dir });
    expect(diff.exitCode).toBe(0);
    expect(diff.json.text).toMatch(/^-1\. Beelden van het cameratoezicht worden automatisch verwijderd 28 dagen/m);
    expect(diff.json.text).toMatch(/^\+1\. Beelden van het cameratoezicht worden automatisch verwijderd 21 dagen/m);
    expect(diff.json.text).toMatch(/^\+\| Schoolplein \(plein\)/m);
    const missing = await toezicht(['reglement', 'diff', '1', '7'], { cwd: school.dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no version 7 of the reglement; the register has versions 1, 2/);

    // Each new version is in the audit chain, and the chain still verifies.
    const audit = await toezicht(['audit', 'log', '--json'], { cwd: school.dir });
    const versions = JSON.stringify(audit.json).match(/document\.version/g) ?? [];
    expect(versions).toHaveLength(2);
    expect((await toezicht(['audit', 'verify'], { cwd: school.dir })).exitCode).toBe(0);
  });

  it('uses the school\'s own template copies, falling back to the built-in ones for what they lack', async () => {
    school = await makeSchool(adoptable());
    const own = path.join(school.dir, 'sjablonen', 'nl');
    mkdirSync(own, { recursive: true });
    const builtin = readFileSync(path.resolve(import.meta.dirname, '../../templates/nl/reglement.md'), 'utf8');
    writeFileSync(path.join(own, 'reglement.md'), builtin.replace('## Artikel 1 Begripsbepalingen', '**Briefhoofd OSG De Linde · Lindelaan 12**\n\n## Artikel 1 Begripsbepalingen'));
    writeFileSync(path.join(own, 'strings.yaml'), 'labels:\n  version: Versienummer\n');
    const r = await toezicht(['reglement', 'render', '--templates', path.join(school.dir, 'sjablonen'), '--document', 'reglement', '--document', 'sign', '--format', 'md', '--json'], { cwd: school.dir });
    expect(r.exitCode).toBe(0);
    const reglement = readFileSync(r.json.documents[0].files[0].file, 'utf8');
    expect(reglement).toContain('**Briefhoofd OSG De Linde · Lindelaan 12**');
    expect(reglement).toContain('| Versienummer | 1 |');
    expect(reglement).toContain('| Status | vastgesteld |');
    expect(readFileSync(r.json.documents[1].files[0].file, 'utf8')).toContain('# Cameratoezicht');
    const bad = await toezicht(['reglement', 'render', '--templates', path.join(school.dir, 'nergens')], { cwd: school.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--templates .* is not a folder/);
  });
});

describe('toezicht dpia generate', () => {
  it('without a terminal and without answers asks nothing: exit 2 naming --answers', async () => {
    school = await makeSchool(fixtureObject(FULL_CONFIG));
    const r = await toezicht(['dpia', 'generate'], { cwd: school.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no DPIA answers at .*dpia-answers\.yaml.*give --answers FILE/);
    expect((await toezicht(['dpia', 'generate', '--interactive', '--answers', DPIA_ANSWERS], { cwd: school.dir })).stderr).toMatch(/--interactive needs a terminal/);
  });

  it('renders from an answers file, and the DPIA then satisfies the check; bad answers are exit 2 with the key', async () => {
    school = await makeSchool(fixtureObject(FULL_CONFIG));
    expect((await toezicht(['compliance', 'check', '--json'], { cwd: school.dir })).json.findings.map((f: { rule: string }) => f.rule)).toContain('dpia.missing');
    const r = await toezicht(['dpia', 'generate', '--answers', DPIA_ANSWERS, '--format', 'docx', '--lang', 'nl', '--lang', 'en', '--json'], { cwd: school.dir });
    expect(r.exitCode).toBe(0);
    expect(r.json.documents[0].files.map((f: { file: string }) => path.basename(f.file))).toEqual(['dpia-cameratoezicht-v1-nl.docx', 'dpia-camera-surveillance-v1-en.docx']);
    expect((await toezicht(['compliance', 'check', '--json'], { cwd: school.dir })).json.findings.map((f: { rule: string }) => f.rule)).not.toContain('dpia.missing');
    const history = await toezicht(['dpia', 'history', '--json'], { cwd: school.dir });
    expect(history.json.versions[0].inputsHash).toBe(r.json.documents[0].inputsHash);

    const bad = path.join(school.dir, 'bad.yaml');
    writeFileSync(bad, 'risks:\n  loss: { before: { likelihood: 7, impact: 2 }, after: { likelihood: 1, impact: 1 } }\n');
    const b = await toezicht(['dpia', 'generate', '--answers', bad], { cwd: school.dir });
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/risks\.loss\.before\.likelihood/);
  });
});
