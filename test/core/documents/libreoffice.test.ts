// The DOCX is a real Word document: LibreOffice opens it and prints the same clauses to PDF. One LibreOffice start
// for two documents (it is slow to start); .ci/run installs libreoffice-writer-nogui when it is missing.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnswers, renderDocuments } from '../../../src/core/documents/index.js';
import { DPIA_ANSWERS, docxText, fixtureObject, flat, FULL_CONFIG, pdfText } from '../../helpers/documents.js';
import { makeSchool, type SchoolFixture } from '../../helpers/school.js';

let school: SchoolFixture | undefined;
afterAll(() => school?.cleanup());

describe('the DOCX in LibreOffice', () => {
  it('converts to PDF without error, and that PDF has the same clauses', async () => {
    const soffice = await execa('sh', ['-c', 'command -v soffice || command -v libreoffice'], { reject: false });
    expect(soffice.exitCode, 'LibreOffice (soffice) is needed for this test: apt-get install -y libreoffice-writer-nogui').toBe(0);
    school = await makeSchool(fixtureObject(FULL_CONFIG));
    const register = school.register();
    const outDir = path.join(school.dir, 'documents');
    const dpia = await renderDocuments(school.config, register, { documents: ['dpia'], formats: ['docx'], langs: ['nl'], outDir, answers: readAnswers(DPIA_ANSWERS) });
    const reglement = await renderDocuments(school.config, register, { documents: ['reglement'], formats: ['docx'], langs: ['nl'], outDir });
    const files = [...dpia.documents, ...reglement.documents].filter((d) => d.document !== 'covert-annex').map((d) => d.files[0]!.file);
    const converted = path.join(school.dir, 'lo');
    mkdirSync(converted);
    const run = await execa(
      soffice.stdout.trim(),
      [`-env:UserInstallation=file://${path.join(school.dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', converted, ...files],
      { reject: false, timeout: 240_000 },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readdirSync(converted).sort()).toEqual(files.map((f) => path.basename(f).replace(/\.docx$/, '.pdf')).sort());
    for (const file of files) {
      const pdf = path.join(converted, path.basename(file).replace(/\.docx$/, '.pdf'));
      expect(existsSync(pdf)).toBe(true);
      const printed = flat(await pdfText(pdf));
      // Every paragraph of the Word document (outside tables, where columns may be read across) is in the PDF.
      const paragraphs = docxText(file)
        .text.split('\n')
        .filter((p) => !p.includes(' | ') && !p.includes('sha256') && p.trim().length > 25)
        .map((p) => flat(p).trim());
      expect(paragraphs.length).toBeGreaterThan(20);
      for (const p of paragraphs) expect(printed.includes(p), `${path.basename(file)}: "${p}" is missing from LibreOffice's PDF`).toBe(true);
      // And the values in its tables, cell by cell.
      for (const cell of ['Hoofdingang, binnen: de deuren en de hal', 'Fietsdiefstal en vernieling', '28 dagen', 'Onbevoegde toegang tot beelden'].slice(0, file.includes('dpia') ? 4 : 3)) {
        expect(printed.includes(cell), cell).toBe(true);
      }
      const pages = Number(/Pages:\s+(\d+)/.exec((await execa('pdfinfo', [pdf])).stdout)![1]);
      expect(printed).toContain(`Pagina 2 van ${pages}`);
    }
  }, 300_000);
});
