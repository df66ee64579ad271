// Every document in every format and language, from the full example school and from a minimal one, read back
// as a person would see it (DOCX unzipped, PDF through pdftotext) and checked against the checklists of
// LEGAL.md (A regulation, B DPIA, D sign) with the school's own values.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswers, renderDocuments, type RenderedDocument } from '../../../src/core/documents/index.js';
import type { DocumentKind, Format, Lang, RenderKind } from '../../../src/core/documents/types.js';
import { DPIA_ANSWERS, docxText, fixtureObject, flat, FULL_CONFIG, MINIMAL_CONFIG, pdfText } from '../../helpers/documents.js';
import { makeSchool, type SchoolFixture } from '../../helpers/school.js';

const KINDS: DocumentKind[] = ['dpia', 'reglement', 'protocol', 'sign', 'letter'];
const FORMATS: Format[] = ['md', 'html', 'docx', 'pdf'];
const LANGS: Lang[] = ['nl', 'en'];

interface Rendered {
  school: SchoolFixture;
  documents: RenderedDocument[];
  /** Plain text of each file, keyed `kind/lang/format`. */
  texts: Map<string, string>;
}

async function textOf(file: string, format: Format): Promise<string> {
  // A URL that wrapped after a "/" in the PDF reads back with a line break in it.
  const raw = format === 'docx' ? docxText(file).text : format === 'pdf' ? (await pdfText(file)).replace(/(https?:\/\/\S*\/)\n/g, '$1') : readFileSync(file, 'utf8');
  const text =
    format === 'html'
      ? raw.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<\/?(strong|em)>/g, '').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
      : format === 'md'
        ? raw.replace(/\\([\\`*_[\]<>|#~.+-])/g, '$1')
        : raw;
  // Table cells become words in a row; line breaks and the markup of emphasis go.
  return flat(text.replace(/\|/g, ' ').replace(/\*\*?/g, ''));
}

async function renderAll(configFile: string, answers: boolean): Promise<Rendered> {
  const school = await makeSchool(fixtureObject(configFile));
  const register = school.register();
  const outDir = path.join(school.dir, 'documents');
  // The DPIA first: the regulation refers to its version.
  const dpia = await renderDocuments(school.config, register, { documents: ['dpia'], formats: FORMATS, langs: LANGS, outDir, answers: answers ? readAnswers(DPIA_ANSWERS) : {} });
  const rest = await renderDocuments(school.config, register, { documents: ['reglement', 'protocol', 'sign', 'letter'], formats: FORMATS, langs: LANGS, outDir });
  const documents = [...dpia.documents, ...rest.documents];
  const texts = new Map<string, string>();
  for (const d of documents) for (const f of d.files) texts.set(`${d.document}/${f.lang}/${f.format}`, await textOf(f.file, f.format));
  return { school, documents, texts };
}

let full: Rendered;
let minimal: Rendered;
beforeAll(async () => {
  full = await renderAll(FULL_CONFIG, true);
  minimal = await renderAll(MINIMAL_CONFIG, false);
}, 180_000);
afterAll(() => {
  full?.school.cleanup();
  minimal?.school.cleanup();
});

/** Checks that every needle is in every format of a document in one language. */
function expectIn(r: Rendered, kind: RenderKind, lang: Lang, needles: Record<string, (string | RegExp)[]>): void {
  for (const format of FORMATS) {
    const text = r.texts.get(`${kind}/${lang}/${format}`)!;
    expect(text, `${kind}/${lang}/${format}`).toBeTruthy();
    for (const [item, list] of Object.entries(needles)) {
      for (const needle of list) {
        const ok = typeof needle === 'string' ? text.includes(needle) : needle.test(text);
        expect(ok, `${kind} ${lang} ${format}: ${item} should contain ${String(needle)}`).toBe(true);
      }
    }
  }
}
function expectNotIn(r: Rendered, kind: RenderKind, lang: Lang, needles: (string | RegExp)[]): void {
  for (const format of FORMATS) {
    const text = r.texts.get(`${kind}/${lang}/${format}`)!;
    for (const needle of needles) {
      const found = typeof needle === 'string' ? text.includes(needle) : needle.test(text);
      expect(found, `${kind} ${lang} ${format} should not contain ${String(needle)}`).toBe(false);
    }
  }
}

const PURPOSES = ['het voorkomen en vastleggen van diefstal en vandalisme', 'het opsporen van ernstig pestgedrag en geweld', 'het beveiligen van de toegang tot gebouw en terrein'];
const OVERT = [
  ['Hoofdingang (entree)', 'Hoofdingang, binnen: de deuren en de hal', 'Toegang en inbraak'],
  ['Fietsenstalling (fietsen)', 'Fietsenstalling, buiten', 'Fietsdiefstal en vernieling'],
  ['Aula (aula)', 'Aula, overzicht vanaf het podium', 'Vernieling en ernstig pestgedrag'],
];
const COVERT = ['Gang gymzaal', 'Gang naar de gymzaal', 'CvB-besluit 2026-41', 'Herhaalde diefstal uit tassen in de gang naar de gymzaal'];
const LIVESTREAM_WHY = 'Ouders die de voorlichtingsavond misten, kijken de opname in de drie weken erna terug.';

describe('every document, format and language', () => {
  it('is written for both schools, each version recorded with its inputs hash', () => {
    for (const r of [full, minimal]) {
      // The full school has a hidden camera: its confidential annex comes with the DPIA and with the protocol.
      const kinds: string[] = r === full ? [...KINDS, 'covert-annex', 'covert-annex'] : [...KINDS];
      expect(r.documents.map((d) => d.document).sort()).toEqual(kinds.sort());
      for (const d of r.documents) {
        expect(d.files).toHaveLength(FORMATS.length * LANGS.length);
        expect(d.version).toBe(1);
        expect(d.inputsHash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(readdirSync(path.join(r.school.dir, 'documents'))).toHaveLength(new Set(kinds).size * FORMATS.length * LANGS.length);
    }
    for (const d of full.documents) for (const f of d.files) expect(full.texts.get(`${d.document}/${f.lang}/${f.format}`), `${d.document} ${f.lang} ${f.format}`).toContain(d.inputsHash.slice(0, 12));
  });

  it('leaves no template syntax and no empty heading behind', () => {
    for (const r of [full, minimal]) {
      for (const [key, text] of r.texts) {
        expect(text, key).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
      }
      for (const d of r.documents) {
        for (const f of d.files.filter((x) => x.format === 'md')) {
          const lines = readFileSync(f.file, 'utf8').split('\n').filter((l) => l.trim());
          lines.forEach((line, i) => {
            const level = /^(#+) /.exec(line)?.[1]?.length;
            const next = /^(#+) /.exec(lines[i + 1] ?? '# end')?.[1]?.length;
            if (level && next) expect(next > level, `${f.file}: "${line}" has nothing under it`).toBe(true);
          });
        }
      }
    }
  });
});

describe('the camera regulation (checklist A)', () => {
  it('has every item of checklist A in Dutch, filled from the settings', () => {
    expectIn(full, 'reglement', 'nl', {
      'A1 definitions': ['Begripsbepalingen', 'heimelijk cameratoezicht:', 'camerasysteem:', 'beheerder:', 'incident:'],
      'A2 exhaustive purposes, no assessment': [...PURPOSES, 'nooit gebruikt om leerlingen of medewerkers te beoordelen'],
      'A3 controller, legal basis, roles, processor agreement': [
        'Stichting Openbaar Onderwijs Zaanstreek is verwerkingsverantwoordelijke',
        'taak van algemeen belang (artikel 6 lid 1 sub e AVG)',
        'Ruud de Vries, Veilig Beeld B.V.',
        'verwerkersovereenkomst gesloten op 2 maart 2026 (kenmerk VO-2026-017)',
        'Mr. A. (Anouk) Jansen, Privacy op School',
      ],
      'A4 necessity, security policy, DPIA': ['noodzakelijk', 'Schoolveiligheidsplan 2026-2028', 'DPIA cameratoezicht versie 1'],
      'A5 camera annex, no toilets, no audio, street': [...OVERT.flat(), 'toiletten, kleedruimtes', 'nemen geen geluid op', 'openbare weg'],
      'A6 informing': ['borden bij de entree van het schoolgebouw', 'https://www.osgdelinde.nl/camerareglement', 'bij de receptie', 'aan ouders en medewerkers toegestuurd'],
      'A7 viewing': ['beheerder van het camerasysteem (Ruud de Vries)', 'schooldirectie', 'conciërge', 'vier-ogenprincipe', 'logboek'],
      'A8 retention': [
        'automatisch verwijderd 28 dagen nadat ze zijn gemaakt',
        'Cameratoezicht (beveiliging) 28 dagen 28 dagen',
        `Opnames van livestreams 21 dagen 14 dagen ${LIVESTREAM_WHY}`,
        'Opnames van online lessen 10 maanden 10 maanden',
        'Video-opnames voor scholing en coaching 30 dagen',
        "Foto's en video's door medewerkers tot het einde van het schooljaar (31 juli)",
        'Fietsenstalling 14 dagen 28 dagen',
        'Zodra het incident is afgehandeld, worden ze vernietigd',
      ],
      'A9 security': ['Beveiligingsplan camerasysteem 2026', 'versleuteld'],
      'A10 hidden cameras': ['Heimelijk cameratoezicht is verboden', 'serieus en concreet vermoeden', 'vertrouwenspersoon', 'na afloop geïnformeerd'],
      'A11 third parties and police': ['Openbaar Ministerie', 'Elke verstrekking wordt vastgelegd'],
      'A12 rights': ['inzage', 'jonger dan 16 jaar', 'binnen een maand', 'onherkenbaar gemaakt', 'info@osgdelinde.nl'],
      'A13 incidents and complaints': ['datalek', 'fg@privacyopschool.nl', 'de klachtencommissie, klachten@osgdelinde.nl', 'Klachtenregeling SOOZ 2025', 'Autoriteit Persoonsgegevens'],
      'A14 consent, evaluation, entry into force': ['De GMR heeft ingestemd met dit reglement op 1 februari 2026', 'vastgesteld door College van Bestuur op 9 februari 2026', 'uiterlijk op 1 maart 2028', 'treedt in werking'],
    });
  });

  it('has every item of checklist A in English', () => {
    expectIn(full, 'reglement', 'en', {
      A1: ['Definitions', 'hidden camera surveillance means', 'camera system means', 'incident means'],
      A2: [...PURPOSES, 'never used to assess pupils or staff'],
      A3: ['Stichting Openbaar Onderwijs Zaanstreek is the controller', 'Article 6(1)(e) GDPR', 'processor agreement has been concluded with the beheerder on 2 March 2026 (reference VO-2026-017)'],
      A4: ['Schoolveiligheidsplan 2026-2028', 'DPIA camera surveillance version 1'],
      A5: [...OVERT.flat(), 'record no sound', 'public road'],
      A6: ['signs at the entrance', 'https://www.osgdelinde.nl/camerareglement'],
      A7: ['conciërge', 'four-eyes principle', 'log'],
      A8: ['Camera surveillance (security) 28 days 28 days', `Recordings of livestreams 21 days 14 days ${LIVESTREAM_WHY}`, 'Fietsenstalling 14 days 28 days'],
      A9: ['Beveiligingsplan camerasysteem 2026'],
      A10: ['Hidden camera surveillance is prohibited', 'confidential counsellor'],
      A11: ['police', 'Every disclosure is recorded'],
      A12: ['under 16', 'within one month'],
      A13: ['fg@privacyopschool.nl', 'Klachtenregeling SOOZ 2025', 'Autoriteit Persoonsgegevens'],
      A14: ['The GMR consented to this regulation on 1 February 2026', 'adopted by College van Bestuur on 9 February 2026', 'no later than 1 March 2028'],
    });
  });

  it('announces hidden cameras in general terms but never names one (the regulation goes to parents)', () => {
    for (const lang of LANGS) expectNotIn(full, 'reglement', lang, COVERT);
  });

  it('carries a title page with version, status, date, consent and revision date, and page numbers', async () => {
    const pdf = full.documents.find((d) => d.document === 'reglement')!.files.find((f) => f.format === 'pdf' && f.lang === 'nl')!.file;
    const first = flat(await pdfText(pdf, { first: 1, last: 1 }));
    for (const s of ['Camerareglement OSG De Linde', 'Versie 1', 'Status vastgesteld', 'Datum 9 februari 2026', 'Instemming GMR 1 februari 2026', 'Revisiedatum 1 maart 2028']) expect(first).toContain(s);
    expect(first).not.toMatch(/Pagina \d/);
    const pages = Number(/Pages:\s+(\d+)/.exec((await execa('pdfinfo', [pdf])).stdout)![1]);
    expect(pages).toBeGreaterThan(3);
    expect(flat(await pdfText(pdf, { first: 2, last: 2 }))).toContain(`Pagina 2 van ${pages}`);
    const fonts = (await execa('pdffonts', [pdf])).stdout.split('\n').filter((l) => /SourceSans3/.test(l));
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+/); // embedded, subset, unicode map

    const docx = full.documents.find((d) => d.document === 'reglement')!.files.find((f) => f.format === 'docx' && f.lang === 'nl')!.file;
    const { parts, text } = docxText(docx);
    expect(flat(text)).toMatch(/Versie: 1 Status: vastgesteld Datum: 9 februari 2026 Vastgesteld door: College van Bestuur Instemming GMR: 1 februari 2026 Revisiedatum: 1 maart 2028/);
    expect(parts['word/document.xml']).toContain('<w:titlePg/>');
    expect(parts['word/document.xml']).toMatch(/<w:pStyle w:val="Heading2"\/>/);
    expect(parts['word/document.xml']).toMatch(/<w:tbl>/);
    const footers = Object.entries(parts).filter(([n]) => /word\/footer\d+\.xml/.test(n)).map(([, x]) => x).join('');
    expect(footers).toMatch(/PAGE/);
    expect(footers).toMatch(/NUMPAGES/);
    expect(footers).toContain('Pagina ');
  });
});

describe('the DPIA (checklist B)', () => {
  it('has every section of checklist B, with the answers and the inventory', () => {
    expectIn(full, 'dpia', 'nl', {
      'B1 proposal, controller, processors, FG advice': ['Na elf fietsdiefstallen', 'Stichting Openbaar Onderwijs Zaanstreek', 'Veilig Beeld B.V.', 'verwerkersovereenkomst van 2 maart 2026', 'Positief, mits de bewaartermijn automatisch wordt gehandhaafd'],
      'B2 cameras, data, subjects, technology, locations': ["3 camera's", 'minderjarig', 'Geen geluid', 'Geen biometrie', ...OVERT.flat()],
      'B3 purposes and interests': [...PURPOSES, 'Het belang van veiligheid en eigendom weegt op'],
      'B4 legal framework': ['AVG', 'UAVG', 'WMS', 'WOR', '139f en 441b'],
      'B5 retention against 72 hours': ['72 uur', 'Cameratoezicht (beveiliging) 28 dagen 28 dagen', `Opnames van livestreams 21 dagen 14 dagen ${LIVESTREAM_WHY}`],
      'B6 legal basis, no special categories': ['artikel 6 lid 1 sub e AVG', 'geen bijzondere persoonsgegevens of biometrische gegevens'],
      'B7 necessity, proportionality, subsidiarity': ['Surveillance door medewerkers dekt de avonden', 'betere verlichting van de fietsenstalling', 'een slot op het hek na 18.00 uur', 'De camera\'s zien alleen ingangen'],
      'B8 rights: redaction, objection, restriction': ['onherkenbaar gemaakt', 'bezwaar', 'Beperking'],
      'B9 risks, likelihood x impact before and after': ['Onbevoegde toegang tot beelden', '3 × 4 = 12 (hoog) 3 × 3 = 9 (hoog)', 'Te lang bewaren', 'Onveilige verwerker'],
      'B10 measures, residual risk, action plan, Art. 36': ['Persoonlijke accounts', 'Beelden worden automatisch verwijderd na de bewaartermijn', 'Camerabeelden aula afschermen richting podium Ruud de Vries 1 december 2026', 'raadpleegt de school de Autoriteit Persoonsgegevens (voorafgaande raadpleging, artikel 36 AVG)'],
      'B11 views, sign-off, review': ['De GMR stemt in; evaluatie na een jaar. (1 februari 2026)', 'De leerlingenraad en de oudergeleding', 'College van Bestuur, 9 februari 2026', /Herziening: .* uiterlijk op \d{1,2} \w+ \d{4}/, 'Ondertekening'],
      'annex: every camera but the hidden one': ['Camera-inventaris', ...OVERT.flat()],
      'hidden cameras only announced, in a confidential annex': ['vertrouwelijke bijlage', 'personeelsgeleding'],
    });
    expectNotIn(full, 'dpia', 'nl', [...COVERT, 'Misbruik van heimelijk cameratoezicht', 'gymzaal-ingang']);
    expectIn(full, 'covert-annex', 'nl', {
      'hidden camera, with its own FG advice, board decision and staff consent': [...COVERT, 'van 5 oktober 2026 tot en met 30 november 2026', 'Positief, mits na afloop geïnformeerd (28 september 2026)', 'CvB-besluit 2026-41, genomen op 1 oktober 2026', 'personeelsgeleding van de MR: 30 september 2026', 'Misbruik van heimelijk cameratoezicht'],
      'seed 000: used only for that suspicion': ['alleen gebruikt voor het vermoeden waarvoor de camera is geplaatst'],
    });
    expectIn(full, 'dpia', 'en', {
      B1: ['Proposal', 'Advice of the DPO'],
      B4: ['Criminal Code'],
      B5: ['72 hours', 'Camera surveillance (security) 28 days 28 days'],
      B9: ['Unauthorised access to images', '3 × 4 = 12 (high) 3 × 3 = 9 (high)'],
      B10: ['prior consultation, Article 36 GDPR'],
      B11: ['Sign-off'],
    });
    expectIn(full, 'covert-annex', 'en', { covert: [...COVERT, 'from 5 October 2026 to 30 November 2026', 'Confidential'] });
  });

  it('has a hidden-camera section only when there is a hidden camera, and no prior consultation when no high risk remains', () => {
    for (const lang of LANGS) {
      expectNotIn(minimal, 'dpia', lang, [/12 Heimelijk cameratoezicht|12 Hidden camera surveillance/, 'DPIA-plichtig', 'Misbruik van heimelijk', 'Misuse of hidden', 'Onveilige verwerker']);
    }
    expectIn(minimal, 'dpia', 'nl', { residual: ['Voorafgaande raadpleging van de Autoriteit Persoonsgegevens (artikel 36 AVG) is niet nodig'], annex: ['ingang (ingang)'] });
  });
});

describe('the sign (checklist D)', () => {
  it('has every item of checklist D, filled from the settings', async () => {
    for (const lang of LANGS) {
      expectIn(full, 'sign', lang, {
        'D1 pictogram and placement': [lang === 'nl' ? 'op ooghoogte' : 'at eye level'],
        'D2 controller and contact': ['Stichting Openbaar Onderwijs Zaanstreek', 'info@osgdelinde.nl, 075 612 34 56'],
        'D3 specific purposes': PURPOSES,
        'D4 legal basis': [lang === 'nl' ? 'taak van algemeen belang (art. 6 lid 1 sub e AVG)' : 'task in the public interest (Art. 6(1)(e) GDPR)', 'de veiligheid van leerlingen en medewerkers'],
        'D5 FG contact': ['Mr. A. (Anouk) Jansen, fg@privacyopschool.nl, 020 123 45 67'],
        'D6 rights': [lang === 'nl' ? 'bezwaar maken' : 'object'],
        'D7 retention': [lang === 'nl' ? 'maximaal 28 dagen' : 'at most 28 days'],
        'D8 police': [lang === 'nl' ? 'politie' : 'police'],
        'D9 area, no audio': [...OVERT.map((c) => c[1]!), lang === 'nl' ? 'geen geluid' : 'no sound'],
        'D10 second layer': ['https://www.osgdelinde.nl/camerareglement', 'bij de receptie'],
      });
      expectNotIn(full, 'sign', lang, COVERT);
    }
    const files = full.documents.find((d) => d.document === 'sign')!.files;
    const docx = docxText(files.find((f) => f.format === 'docx')!.file);
    expect(Object.keys(docx.parts).join(' ')).toMatch(/word\/_rels\/document\.xml\.rels/);
    expect(docx.parts['word/_rels/document.xml.rels']).toMatch(/media\/[^"]+\.png/);
    expect((await execa('pdfimages', ['-list', files.find((f) => f.format === 'pdf')!.file])).stdout.split('\n').length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(files.find((f) => f.format === 'html')!.file, 'utf8')).toMatch(/<img alt="camera" src="data:image\/png;base64,/);
  });
});

describe('the protocol (seed 001, seed 003)', () => {
  it('covers each recording category the school has, with its rules and periods', () => {
    expectIn(full, 'protocol', 'nl', {
      surveillance: ['Cameratoezicht', '28 dagen nadat ze zijn gemaakt verwijderd'],
      coaching: ['Video-opnames voor scholing en coaching', 'uitdrukkelijke toestemming', 'niet herkenbaar in beeld', '30 dagen'],
      'online lessons': ['Online lessen', 'Alleen de docent mag', 'Leerlingen en ouders mogen de les niet opnemen', 'uiterlijk 10 maanden'],
      livestreams: ['Livestreams van gebeurtenissen', 'inlog en een wachtwoord', 'automatisch wordt opgenomen', 'uiterlijk 21 dagen'],
      'hidden cameras': ['Heimelijk cameratoezicht', 'was- en toiletruimtes'],
      'staff photos (seed 003)': ["Foto's en video's door medewerkers", 'vanaf 16 jaar', 'apart per kanaal', 'Geen eigen cloud', 'tot het einde van het schooljaar (31 juli)', 'beveiligde applicatie'],
    });
    expectIn(full, 'protocol', 'en', { coaching: ['Video recordings for training and coaching'], online: ['Online lessons'], livestream: ['Livestreams of events'], media: ['Photos and videos by staff'] });
  });

  it('leaves out the sections of categories the school does not have', () => {
    expectNotIn(minimal, 'protocol', 'nl', ['Video-opnames voor scholing en coaching', 'Online lessen', 'Livestreams van gebeurtenissen', "Foto's en video's door medewerkers"]);
    expectNotIn(minimal, 'protocol', 'en', ['Video recordings for training', 'Online lessons', 'Livestreams of events', 'Photos and videos by staff']);
    expectIn(minimal, 'protocol', 'nl', { surveillance: ['Cameratoezicht', '28 dagen nadat ze zijn gemaakt verwijderd'], covert: ['Heimelijk cameratoezicht'] });
  });
});

describe('the letter to pupils and parents (seed 004)', () => {
  it('says which data, what for, on what basis, shared with whom, how long, and what you may ask', () => {
    expectIn(full, 'letter', 'nl', {
      'which data': ['geen geluid', 'Hoofdingang, binnen: de deuren en de hal'],
      purpose: PURPOSES,
      'legal basis': ['AVG', 'taak van algemeen belang'],
      'shared with whom': ['politie', 'Veilig Beeld B.V.'],
      retention: ['na 28 dagen vanzelf gewist'],
      rights: ['een kopie krijgen', 'gewist', 'jonger dan 16', 'binnen een maand'],
      questions: ['fg@privacyopschool.nl', 'Autoriteit Persoonsgegevens'],
      'online lessons and photos': ['Online lessen', "Foto's en filmpjes"],
    });
  });

  it('is plain language a child understands: short sentences, no legal jargon', () => {
    for (const lang of LANGS) {
      const md = readFileSync(full.documents.find((d) => d.document === 'letter')!.files.find((f) => f.format === 'md' && f.lang === lang)!.file, 'utf8');
      const body = md.split('\n---\n').slice(1).join('\n').replace(/^#.*$/gm, '');
      const sentences = body.split(/[.!?](?:\s|$)/).map((s) => s.trim().split(/\s+/).filter(Boolean).length).filter((n) => n > 0);
      const average = sentences.reduce((a, n) => a + n, 0) / sentences.length;
      expect(average, `${lang}: average words per sentence`).toBeLessThan(16);
      expect(body).not.toMatch(/verwerkingsverantwoordelijke|betrokkene|grondslag|controller|data subject/i);
    }
  });
});

describe('the minimal school', () => {
  it('gets every document, with its retention table from the defaults and visible gaps where settings are missing', () => {
    for (const lang of LANGS) {
      const missing = lang === 'nl' ? '[nog in te vullen]' : '[to be filled in]';
      expectIn(minimal, 'reglement', lang, {
        gaps: [missing],
        retention: [lang === 'nl' ? 'Cameratoezicht (beveiliging) 28 dagen 28 dagen' : 'Camera surveillance (security) 28 days 28 days'],
        annex: ['ingang (ingang)'],
        school: ['Basisschool De Kleine Wereld'],
      });
      expectIn(minimal, 'sign', lang, { gaps: [missing] });
    }
  });
});
