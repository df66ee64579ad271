// `toezicht report` on the built CLI: a year of history, the PDF read back and rasterised, the JSON against the
// register file, and hidden cameras only in the confidential variant.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht, type CliResult } from '../helpers/cli.js';
import { HIDDEN, yearSchool, type YearSchool } from '../core/report/year.js';

let year: YearSchool;
let pdf: CliResult;
let confidential: CliResult;

beforeAll(async () => {
  year = await yearSchool();
  pdf = await toezicht(['report', '--config', year.s.configFile, '--year', '2026', '--format', 'pdf', '--out', path.join(year.s.dir, 'public'), '--json']);
  confidential = await toezicht(['report', '--config', year.s.configFile, '--year', '2026', '--format', 'pdf', '--out', path.join(year.s.dir, 'confidential'), '--confidential', '--json', '--lang', 'nl']);
}, 300_000);
afterAll(() => year?.s.cleanup());

/** The pixels of a P6 PPM. */
function readPpm(file: string): { width: number; height: number; rgb: Buffer } {
  const buf = readFileSync(file);
  const header = buf.subarray(0, 50).toString('latin1').split(/\s+/);
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, rgb: buf.subarray(buf.length - width * height * 3) };
}

describe('toezicht report', () => {
  it('writes a PDF and prints one JSON document whose figures are the register\'s', () => {
    expect(pdf.exitCode, pdf.stderr).toBe(0);
    const { files, sha256, report } = pdf.json;
    expect(files).toHaveLength(1);
    expect(files[0].path).toMatch(/toezicht-report-2026-01-01-2026-12-31\.pdf$/);
    expect(statSync(files[0].path).mode & 0o077).toBe(0);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const db = new Database(year.s.config.register, { readonly: true });
    try {
      const audit = db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number };
      expect(report.proof).toMatchObject({ intact: true, entries: audit.n });
      const files = db.prepare("SELECT SUM(json_array_length(names)) AS n, SUM(bytes) AS b FROM purge_batches WHERE state = 'done' AND camera <> ?").get(HIDDEN) as { n: number; b: number };
      expect(report.deletions.totals).toMatchObject({ files: files.n, bytes: files.b });
      const requests = db.prepare("SELECT COUNT(*) AS n FROM rights_requests WHERE cameras NOT LIKE ?").get(`%${HIDDEN}%`) as { n: number };
      expect(report.requests.items).toHaveLength(requests.n);
    } finally {
      db.close();
    }
  });

  it('makes a PDF that opens, says what it is, and whose first page has its chart drawn', () => {
    const file = pdf.json.files[0].path as string;
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Camera surveillance: accountability report');
    expect(text).toContain('Period: 2026-01-01 to 2026-12-31');
    expect(text).toContain('1. Retention kept');
    expect(text).toContain('6. Proof');
    expect(text.replace(/\s+/g, '')).toContain(pdf.json.sha256);
    expect(text).not.toContain(HIDDEN);
    const prefix = path.join(year.s.dir, 'page');
    execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', file, prefix]);
    const ppm = readdirSync(year.s.dir).find((f) => f.startsWith('page') && f.endsWith('.ppm'))!;
    const { width, height, rgb } = readPpm(path.join(year.s.dir, ppm));
    // The timeline's bars are #4f7cac; in the plot area (right of the labels) a chart covers rows and columns.
    const rows = new Set<number>();
    let blue = 0;
    for (let y = 0; y < height; y++) {
      for (let x = Math.floor(width * 0.25); x < Math.floor(width * 0.9); x++) {
        const i = (y * width + x) * 3;
        if (Math.abs(rgb[i]! - 79) < 25 && Math.abs(rgb[i + 1]! - 124) < 25 && Math.abs(rgb[i + 2]! - 172) < 25) {
          blue++;
          rows.add(y);
        }
      }
    }
    expect(blue).toBeGreaterThan(width * 0.4 * 4);
    expect(rows.size).toBeGreaterThan(4);
    // The picture in the README is this page: REPORT_PICTURE=docs/report-page.png npx vitest run test/commands/report.test.ts
    if (process.env.REPORT_PICTURE) execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, process.env.REPORT_PICTURE.replace(/\.png$/, '')]);
  });

  it('names the hidden camera only in the confidential variant, in Dutch when asked', () => {
    expect(confidential.exitCode, confidential.stderr).toBe(0);
    expect(JSON.stringify(pdf.json.report)).not.toContain(HIDDEN);
    expect(confidential.json.report.retention.cameras.map((c: { id: string }) => c.id)).toContain(HIDDEN);
    const file = confidential.json.files[0].path as string;
    expect(file).toMatch(/-confidential\.pdf$/);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Cameratoezicht: verantwoordingsrapport');
    expect(text).toContain('VERTROUWELIJK');
    expect(text).toContain(HIDDEN);
  });

  it('writes Markdown with its pictures beside it, and refuses a period it cannot read (exit 2)', async () => {
    const out = path.join(year.s.dir, 'md');
    const md = await toezicht(['report', '--config', year.s.configFile, '--from', '2026-03-01', '--to', '2026-06-30', '--format', 'md', '--out', out]);
    expect(md.exitCode, md.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['toezicht-report-2026-03-01-2026-06-30-purges.svg', 'toezicht-report-2026-03-01-2026-06-30-requests.svg', 'toezicht-report-2026-03-01-2026-06-30-retention.svg', 'toezicht-report-2026-03-01-2026-06-30.md']);
    expect(readFileSync(path.join(out, 'toezicht-report-2026-03-01-2026-06-30.md'), 'utf8')).toContain('![Footage per camera over the period](toezicht-report-2026-03-01-2026-06-30-retention.svg)');
    const bad = await toezicht(['report', '--config', year.s.configFile, '--from', '2026-06-30', '--to', '2026-03-01']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--from/);
    const none = await toezicht(['report', '--config', year.s.configFile, '--json']);
    expect(none.exitCode).toBe(2);
  });
});
