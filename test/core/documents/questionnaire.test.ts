// The DPIA questionnaire, answered by a script instead of a person: its answers are saved, and the next run
// renders the same DPIA without asking; a second round starts from the first one's answers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDpia, readAnswers, type Asker } from '../../../src/core/documents/index.js';
import { markdownToBlocks } from '../../../src/core/documents/compose.js';
import { fixtureObject, FULL_CONFIG } from '../../helpers/documents.js';
import { makeSchool, type SchoolFixture } from '../../helpers/school.js';

let school: SchoolFixture | undefined;
afterEach(() => school?.cleanup());

/** Answers questions by matching their text; records what was asked and with which default. */
function scripted(replies: [RegExp, string | boolean | number][]): Asker & { asked: { message: string; default?: unknown }[] } {
  const asked: { message: string; default?: unknown }[] = [];
  const reply = (message: string, fallback: unknown): unknown => {
    const hit = replies.find(([re]) => re.test(message));
    return hit ? hit[1] : fallback;
  };
  return {
    asked,
    text: async (message, options = {}) => (asked.push({ message, default: options.default }), String(reply(message, options.default ?? ''))),
    confirm: async (message, d) => (asked.push({ message, default: d }), Boolean(reply(message, d))),
    scale: async (message, d) => (asked.push({ message, default: d }), Number(reply(message, d))),
  };
}

describe('the DPIA questionnaire', () => {
  it('saves the answers, renders from them, and next time starts from them', async () => {
    school = await makeSchool(fixtureObject(FULL_CONFIG));
    const register = school.register();
    const outDir = path.join(school.dir, 'documents');
    let actions = 0;
    const first = scripted([
      [/Waarom wil de school/, 'Inbraken in de fietsenstalling'],
      [/noodzakelijk/, 'Geen ander middel dekt de nacht'],
      [/mildere maatregelen/, 'verlichting; een hek'],
      [/Samenvatting van het advies van de FG/, 'Positief'],
      [/'Te lang bewaren' nu beoordelen/, true],
      [/'Te lang bewaren': kans vóór/, 4],
      [/Wie neemt het besluit/, 'College van Bestuur'],
    ]);
    const add = first.confirm;
    first.confirm = async (message, d) => (/actie toevoegen/.test(message) ? actions++ === 0 : add(message, d));
    first.text = ((orig) => async (message: string, options?: { default?: string }) => (/^Actie$/.test(message) ? 'Camera aula bijstellen' : orig(message, options)))(first.text);
    // Dates are checked where they are asked: a month 13 and a 30 February are asked again.
    const fgDates = ['2026-13-01', '2026-02-30', '2026-01-20'];
    first.text = ((orig) => async (message: string, options?: { default?: string }) => (/Datum van het advies van de FG/.test(message) ? (first.asked.push({ message }), fgDates.shift()!) : orig(message, options)))(first.text);

    const result = await generateDpia(school.config, register, { asker: first, formats: ['md'], langs: ['nl'], outDir });
    expect(result.asked).toBe(true);
    const file = path.join(school.dir, 'dpia-answers.yaml');
    expect(result.answersFile).toBe(file);
    const saved = readAnswers(file);
    expect(saved).toMatchObject({
      description: 'Inbraken in de fietsenstalling',
      alternatives: ['verlichting', 'een hek'],
      fgAdvice: { date: '2026-01-20', summary: 'Positief' },
      actions: [{ action: 'Camera aula bijstellen' }],
      decision: { by: 'College van Bestuur' },
    });
    expect(fgDates).toEqual([]);
    expect(first.asked.filter((q) => /Datum van het advies van de FG/.test(q.message))).toHaveLength(3);
    expect(saved.risks?.['over-retention']?.before.likelihood).toBe(4);
    // Enter on the other risks leaves them unrated: no default rating is saved as an answer.
    expect(Object.keys(saved.risks ?? {})).toEqual(['over-retention']);
    // An external beheerder and a hidden camera: their risks are asked too.
    expect(first.asked.some((q) => /Onveilige verwerker/.test(q.message))).toBe(true);
    expect(first.asked.some((q) => /Misbruik van heimelijk/.test(q.message))).toBe(true);
    const md = readFileSync(result.documents[0]!.files[0]!.file, 'utf8');
    expect(md).toContain('Inbraken in de fietsenstalling');
    expect(md).toContain('| Te lang bewaren | Beelden worden langer bewaard dan de bewaartermijn, of niet verwijderd na afhandeling van een incident. | 4 × 2 = 8 (middel) |');
    expect(md).toMatch(/\| Verlies van beelden \| .* \| niet beoordeeld \| niet beoordeeld \|/);

    // Without an asker the saved answers give the same version: reproducible without questions.
    const again = await generateDpia(school.config, register, { formats: ['md'], langs: ['nl'], outDir });
    expect(again.asked).toBe(false);
    expect(again.documents[0]).toMatchObject({ version: 1, created: false });

    // A review starts from last time's answers.
    const review = scripted([[/Waarom wil de school/, 'Inbraken, en nu ook vernieling']]);
    const reviewed = await generateDpia(school.config, register, { asker: review, interactive: true, formats: ['md'], langs: ['nl'], outDir });
    expect(review.asked.find((q) => /noodzakelijk/.test(q.message))?.default).toBe('Geen ander middel dekt de nacht');
    expect(reviewed.documents[0]).toMatchObject({ version: 2, created: true });
    expect(readAnswers(file).actions).toEqual([{ action: 'Camera aula bijstellen' }]);
    expect(existsSync(path.join(outDir, 'dpia-cameratoezicht-v2-nl.md'))).toBe(true);
  });
});

describe('sections that do not apply', () => {
  it('are left out, not left empty: a heading with nothing under it goes, with parents that become empty', () => {
    const blocks = markdownToBlocks('## A\n\ntext\n\n## B\n\n### B1\n\n### B2\n\n## C\n\n- item\n\n## D\n');
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text)).toEqual(['A', 'C']);
  });
});
