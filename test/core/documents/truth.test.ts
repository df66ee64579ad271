// A public document states only what is true: every claim about sound, private rooms, signs, consent and security
// comes from the settings (or shows a gap), and a hidden camera never reaches a public document. Read back as md,
// DOCX text and pdftotext, as a privacy officer would read them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAnswers, renderDocuments, type RenderResult } from '../../../src/core/documents/index.js';
import type { Format } from '../../../src/core/documents/types.js';
import { DPIA_ANSWERS, docxText, fixtureObject, flat, FULL_CONFIG, pdfText, resolve } from '../../helpers/documents.js';
import { makeSchool, type SchoolFixture } from '../../helpers/school.js';

type Settings = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const schools: SchoolFixture[] = [];
afterEach(() => {
  for (const s of schools.splice(0)) s.cleanup();
});

/** The full example as a concept everywhere (so nothing is refused), changed by `mutate`. */
function concept(mutate: (s: Settings) => void = () => {}): Settings {
  const s = fixtureObject(FULL_CONFIG);
  s.documents = { reglement: { status: 'concept' }, protocol: { status: 'concept' }, dpia: { status: 'concept' } };
  mutate(s);
  return s;
}

async function renderAll(settings: Settings, formats: Format[] = ['md'], langs: ('nl' | 'en')[] = ['nl', 'en']): Promise<{ school: SchoolFixture; dpia: RenderResult; rest: RenderResult; texts: Map<string, string> }> {
  const school = await makeSchool(settings);
  schools.push(school);
  const register = school.register();
  const outDir = path.join(school.dir, 'documents');
  try {
    const dpia = await renderDocuments(school.config, register, { documents: ['dpia'], formats, langs, outDir, answers: readAnswers(DPIA_ANSWERS) });
    const rest = await renderDocuments(school.config, register, { documents: ['reglement', 'protocol', 'sign', 'letter'], formats, langs, outDir });
    const texts = new Map<string, string>();
    for (const d of [...dpia.documents, ...rest.documents]) {
      for (const f of d.files) {
        const raw = f.format === 'docx' ? docxText(f.file).text : f.format === 'pdf' ? await pdfText(f.file) : readFileSync(f.file, 'utf8').replace(/\\([\\`*_[\]<>|#~.+-])/g, '$1');
        texts.set(`${d.document}/${f.lang}/${f.format}`, flat(raw.replace(/\*\*?/g, '')));
      }
    }
    return { school, dpia, rest, texts };
  } finally {
    register.close();
  }
}

const NO_SOUND = /geen geluid|no sound|Er wordt geen geluid opgenomen/i;

describe('what the documents claim', () => {
  it('with a camera that records sound, no document says no sound (md, DOCX and PDF), and each says sound is recorded', async () => {
    const { texts, dpia } = await renderAll(
      concept((s) => (s.cameras.find((c: { id: string }) => c.id === 'aula').audio = true)),
      ['md', 'docx', 'pdf'],
    );
    // The example's answers say "nemen geen geluid op": the school's own words, quoted in the DPIA, and an error.
    expect(dpia.compliance.findings.filter((f) => f.rule === 'dpia.contradicts-settings').map((f) => f.severity)).toEqual(['error']);
    for (const [key, text] of texts) if (key.startsWith('dpia/')) texts.set(key, text.replace(/nemen geen geluid op|record no sound/, '(quoted answer)'));
    expect(texts.size).toBeGreaterThan(20);
    for (const [key, text] of texts) expect(text, key).not.toMatch(NO_SOUND);
    for (const lang of ['nl', 'en']) {
      expect(texts.get(`sign/${lang}/pdf`)).toMatch(/beelden en geluid op|images and sound/);
      expect(texts.get(`letter/${lang}/docx`)).toMatch(/ook geluid op|also record sound/);
    }
    // And without sound, they say so.
    const quiet = await renderAll(concept());
    expect(quiet.texts.get('sign/nl/md')).toMatch(/geen geluid/);
    expect(quiet.texts.get('dpia/nl/md')).toContain('Er wordt geen geluid opgenomen.');
  }, 120_000);

  it('the letter claims MR consent and hanging signs only when the settings record them; otherwise it shows the gap', async () => {
    const { texts } = await renderAll(
      concept((s) => {
        delete s.privacy.consent;
        s.privacy.signage = { confirmed: false };
      }),
    );
    const nl = texts.get('letter/nl/md')!;
    expect(nl).not.toMatch(/heeft ja gezegd/);
    expect(nl).not.toMatch(/hangen borden/);
    expect(nl).toMatch(/moet nog ja zeggen tegen de camera's \(\[nog in te vullen\]\)/);
    expect(nl).toMatch(/komen borden .* \(\[nog in te vullen\]\)/);
    const en = texts.get('letter/en/md')!;
    expect(en).not.toMatch(/said yes to the cameras/);
    expect(en).toMatch(/still has to say yes to the cameras \(\[to be filled in\]\)/);
    // The DPIA lists neither consent nor signs as a measure in place.
    expect(texts.get('dpia/nl/md')).not.toContain('Borden bij de entree van gebouw en terrein.');
    expect(texts.get('dpia/nl/md')).not.toContain('De MR heeft ingestemd');
  }, 60_000);

  it('the regulation states the security measures the settings list, and only those; none listed is a gap', async () => {
    const listed = await renderAll(concept((s) => (s.privacy.securityMeasures = ['personal-accounts', 'two-factor'])), ['md', 'docx']);
    const text = listed.texts.get('reglement/nl/docx')!;
    expect(text).toContain('iedere bevoegde heeft een persoonlijk account; inloggen vraagt een tweede factor');
    expect(text).not.toMatch(/afgesloten ruimte|versleuteld/);
    expect(listed.texts.get('dpia/nl/md')).not.toMatch(/versleuteld/);
    const none = await renderAll(concept((s) => delete s.privacy.securityMeasures));
    expect(none.texts.get('reglement/nl/md')).toMatch(/Verder geldt: \[nog in te vullen\]\./);
    expect(none.texts.get('reglement/en/md')).toMatch(/Furthermore: \[to be filled in\]\./);
  }, 60_000);

  it('the sign, the letter and the DPIA do not promise "no cameras in toilets" while one hangs there', async () => {
    const { texts } = await renderAll(concept((s) => (s.cameras.find((c: { id: string }) => c.id === 'aula').location = 'Personeelstoiletten, bij de wastafels')));
    for (const lang of ['nl', 'en']) {
      expect(texts.get(`sign/${lang}/md`)).not.toMatch(/Niet in toiletten|Never in toilets/);
      expect(texts.get(`letter/${lang}/md`)).not.toMatch(/nooit camera's in de wc|never cameras in the toilets/);
    }
    expect(texts.get('dpia/nl/md')).not.toContain("Geen camera's in toiletten");
  }, 60_000);

  it('the FG advises on the DPIA and is not among its signatories', async () => {
    const { texts } = await renderAll(concept());
    const nl = texts.get('dpia/nl/md')!;
    expect(nl).toMatch(/Ondertekening: \| Rol \| Naam \| Datum \| Handtekening \|.*\| Bevoegd gezag \| College van Bestuur \|/);
    expect(nl).not.toMatch(/\| Functionaris gegevensbescherming \|/);
    expect(nl).toContain('adviseert over deze DPIA (zie hierboven) en ondertekent haar niet');
    expect(texts.get('dpia/en/md')).toContain('does not sign it');
  }, 60_000);
});

describe('a hidden camera', () => {
  const withoutCovert = () => concept((s) => (s.cameras = s.cameras.filter((c: { category: string }) => c.category !== 'covert')));

  it('added or removed, leaves every public document byte-identical in text and version; it is only in the confidential annex (0600)', async () => {
    const before = await renderAll(withoutCovert(), ['md', 'html']);
    const after = await renderAll(concept(), ['md', 'html']);
    const publicDocs = (r: { dpia: RenderResult; rest: RenderResult }) => [...r.dpia.documents, ...r.rest.documents].filter((d) => d.document !== 'covert-annex');
    const a = publicDocs(before);
    const b = publicDocs(after);
    expect(b.map((d) => d.document)).toEqual(['dpia', 'reglement', 'protocol', 'sign', 'letter']);
    for (const [i, d] of a.entries()) {
      expect(b[i]!.version, d.document).toBe(d.version);
      expect(b[i]!.inputsHash, d.document).toBe(d.inputsHash);
      for (const [j, f] of d.files.entries()) {
        expect(readFileSync(b[i]!.files[j]!.file).equals(readFileSync(f.file)), `${d.document} ${f.lang} ${f.format}`).toBe(true);
      }
    }
    for (const [key, text] of after.texts) if (!key.startsWith('covert-annex')) expect(text, key).not.toMatch(/gymzaal-ingang|Gang gymzaal|CvB-besluit 2026-41|Diefstal uit tassen/);
    // The annex: with the DPIA and with the protocol, the same version; never world-readable.
    const annexes = [...after.dpia.documents, ...after.rest.documents].filter((d) => d.document === 'covert-annex');
    expect(annexes).toHaveLength(2);
    expect(annexes[1]!.version).toBe(annexes[0]!.version);
    for (const f of annexes[0]!.files) expect(statSync(f.file).mode & 0o777).toBe(0o600);
    expect(after.texts.get('covert-annex/nl/md')).toMatch(/Vertrouwelijk\. Deze bijlage wordt niet gepubliceerd/);
    expect(readdirSync(path.join(before.school.dir, 'documents')).some((f) => f.includes('vertrouwelijke-bijlage'))).toBe(false);
  }, 120_000);
});

describe('the findings documents care about', () => {
  it('a hidden camera decided after the DPIA was advised on and adopted: both dates are named', async () => {
    const { dpia } = await renderAll(concept((s) => delete s.cameras.find((c: { id: string }) => c.id === 'gymzaal-ingang').authorisation.fgAdvice), ['md'], ['nl']);
    const predates = dpia.compliance.findings.filter((f) => f.rule === 'covert.advice-predates-decision');
    expect(predates.map((f) => f.messages.nl)).toEqual([
      expect.stringMatching(/het advies van de FG \(2026-01-20\) is ouder dan het besluit over deze camera \(2026-10-01\)/),
      expect.stringMatching(/het besluit van het bevoegd gezag over de DPIA \(2026-02-09\) is ouder/),
    ]);
    expect(resolve(fixtureObject(FULL_CONFIG)).cameras.length).toBe(4);
  }, 60_000);
});

describe('the clauses a privacy officer looks for in the regulation', () => {
  it('rectification, recording hours, live viewing, remote access, new rules back to the MR, the public task, closing provisions, pupils only by exception, hidden footage only for its suspicion', async () => {
    const { texts } = await renderAll(concept(), ['md', 'pdf']);
    const nl = texts.get('reglement/nl/pdf')!;
    for (const clause of [
      'om rectificatie',
      "De camera's nemen op: 24 uur per dag, 7 dagen per week.",
      'Er wordt niet live meegekeken',
      'Beelden kunnen niet van buiten de school worden bekeken of geëxporteerd.',
      'wordt vooraf ter instemming voorgelegd aan de GMR; raakt de wijziging het toezicht op medewerkers, dan ook aan de personeelsgeleding',
      'Die taak berust op de zorgplicht van het bevoegd gezag voor de veiligheid op school.',
      'Artikel 15 Slotbepalingen',
      'In gevallen waarin dit reglement niet voorziet, beslist het bevoegd gezag, na advies van de FG.',
      'Dit reglement wordt aangehaald als: Camerareglement OSG De Linde.',
      'alleen in uitzonderingssituaties',
      'alleen gebruikt voor het vermoeden waarvoor het is ingezet',
    ]) expect(nl, clause).toContain(clause);
    const en = texts.get('reglement/en/md')!;
    for (const clause of ['to have them rectified', 'Article 15 Closing provisions', 'may be cited as: Camera regulation OSG De Linde', 'That task rests on "de zorgplicht', 'Nobody watches live']) expect(en, clause).toContain(clause);
    const gaps = await renderAll(concept((s) => { delete s.privacy.publicTaskBasis; delete s.privacy.recordingHours; delete s.privacy.liveViewing; }), ['md'], ['nl']);
    const g = gaps.texts.get('reglement/nl/md')!;
    expect(g).toContain('Die taak berust op [nog in te vullen].');
    expect(g).toContain("De camera's nemen op: [nog in te vullen].");
    expect(g).toContain('Of er live wordt meegekeken: [nog in te vullen].');
  }, 60_000);
});

describe('the sign on the wall', () => {
  it('has no placement note, version or hash on its face: they are on its second page and in the PDF metadata', async () => {
    const { rest } = await renderAll(concept(), ['pdf', 'docx'], ['nl']);
    const sign = rest.documents.find((d) => d.document === 'sign')!;
    const pdf = sign.files.find((f) => f.format === 'pdf')!.file;
    const face = flat(await pdfText(pdf, { first: 1, last: 1 }));
    expect(face).toMatch(/Cameratoezicht/);
    expect(face).not.toMatch(/sha256|versie \d|Plaatsing/i);
    const back = flat(await pdfText(pdf, { first: 2, last: 2 }));
    expect(back).toMatch(/Plaatsing \(niet afdrukken op het bord\)/);
    expect(back).toContain(sign.inputsHash.slice(0, 12));
    expect(readFileSync(pdf, 'latin1')).toContain(`inputs-sha256:${sign.inputsHash}`);
    const { parts } = docxText(sign.files.find((f) => f.format === 'docx')!.file);
    expect(parts['word/document.xml']).toContain('<w:titlePg/>');
  }, 60_000);
});
