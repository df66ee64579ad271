import Database from 'better-sqlite3';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../../src/cli/messages.js';
import { openRegister } from '../../../src/core/register/index.js';
import { makeReport, reportDigest, type Report, type Text } from '../../../src/core/report/index.js';
import { HIDDEN, VISIBLE, yearSchool, type YearSchool } from './year.js';

const en = messages('report', 'en');
const text: Text = (k, v) => en.get(k, v);
const FROM = Date.parse('2025-12-31T23:00:00Z'); // 1 January 2026, Amsterdam
const TO = Date.parse('2026-12-31T23:00:00Z');

let year: YearSchool;
let publicReport: Report;
let confidential: Report;
let db: Database.Database;

const localDay = (ms: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(ms));
/** Parses the SVG (an XML parser: it throws on anything ill-formed) and counts its elements per data-kind. */
function kinds(svg: string): Map<string, { name: string; attributes: Record<string, string> }[]> {
  const out = new Map<string, { name: string; attributes: Record<string, string> }[]>();
  const parser = new SaxesParser();
  let root = '';
  parser.on('opentag', (tag) => {
    if (!root) root = tag.name;
    const attributes = tag.attributes as Record<string, string>;
    if (/script|foreignObject|image|use/i.test(tag.name) || Object.keys(attributes).some((a) => /href|^on/i.test(a))) throw new Error(`unexpected <${tag.name}>`);
    const kind = attributes['data-kind'];
    if (kind) out.set(kind, [...(out.get(kind) ?? []), { name: tag.name, attributes }]);
  });
  parser.write(svg).close();
  if (root !== 'svg') throw new Error('not an SVG');
  return out;
}
const count = (svg: string, kind: string): number => kinds(svg).get(kind)?.length ?? 0;

async function report(options: { confidential?: boolean; format?: 'md' | 'html' | 'pdf' } = {}): Promise<Report> {
  const { register } = openRegister(year.s.config.register);
  try {
    return await makeReport(year.s.config, register, { from: FROM, to: TO, now: Date.now(), lang: 'en', text, format: options.format ?? 'md', confidential: options.confidential ?? false });
  } finally {
    await register.close();
  }
}

beforeAll(async () => {
  year = await yearSchool();
  publicReport = await report();
  confidential = await report({ confidential: true });
  db = new Database(year.s.config.register, { readonly: true });
}, 240_000);
afterAll(() => {
  db?.close();
  year?.s.cleanup();
});

describe('the report model equals what the register holds', () => {
  it('counts per night the files and bytes the purge runs deleted of the cameras shown', () => {
    const rows = db
      .prepare(
        `SELECT r.now_ms AS now, b.camera, SUM(json_array_length(b.names)) AS files, SUM(b.bytes) AS bytes
         FROM purge_batches b JOIN purge_runs r ON r.id = b.run_id WHERE b.state = 'done' GROUP BY r.id, b.camera`,
      )
      .all() as { now: number; camera: string; files: number; bytes: number }[];
    const expected = (cameras: string[]): Map<string, { files: number; bytes: number }> => {
      const m = new Map<string, { files: number; bytes: number }>();
      for (const r of rows.filter((x) => cameras.includes(x.camera))) {
        const d = localDay(r.now);
        const e = m.get(d) ?? { files: 0, bytes: 0 };
        e.files += r.files;
        e.bytes += r.bytes;
        m.set(d, e);
      }
      return m;
    };
    const got = (r: Report): Map<string, { files: number; bytes: number }> => new Map(r.model.deletions.nights.filter((n) => n.files).map((n) => [n.date, { files: n.files, bytes: n.bytes }]));
    expect(got(publicReport)).toEqual(expected(VISIBLE));
    expect(got(confidential)).toEqual(expected([...VISIBLE, HIDDEN]));
    expect(publicReport.model.deletions.totals.files).toBeGreaterThan(500);
    // The hidden camera's deletions (July, after its authorisation ended) are not in the public figures.
    expect(confidential.model.deletions.totals.files - publicReport.model.deletions.totals.files).toBe(rows.filter((r) => r.camera === HIDDEN).reduce((n, r) => n + r.files, 0));
    const runs = db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'purge.run'").get() as { n: number };
    expect(publicReport.model.deletions.totals.runs).toBe(runs.n);
    expect(publicReport.model.deletions.nights.length).toBe(year.nights.length);
  });

  it('lists the run that was killed and settled, and the refusal with its reason', () => {
    const settled = db.prepare("SELECT details FROM audit WHERE action = 'purge.interrupted'").all() as { details: string }[];
    expect(publicReport.model.deletions.settled.map((s) => s.runId)).toEqual(settled.map((s) => (JSON.parse(s.details) as { runId: number }).runId));
    expect(publicReport.model.deletions.refusals).toEqual([expect.objectContaining({ action: 'export.refused', reason: 'user not in access.export' })]);
  });

  it('has every hold, export and request of the register, except those of the hidden camera alone', () => {
    const holdRows = db.prepare('SELECT h.id, h.case_ref, h.released_at, GROUP_CONCAT(c.camera) AS cameras FROM holds h JOIN hold_cameras c ON c.hold_id = h.id GROUP BY h.id ORDER BY h.id').all() as { id: string; case_ref: string; released_at: string | null; cameras: string }[];
    const visibleHolds = holdRows.filter((h) => h.cameras !== HIDDEN);
    expect(publicReport.model.holds.map((h) => [h.id, h.caseRef, h.releasedAt ?? null]).sort()).toEqual(visibleHolds.map((h) => [h.id, h.case_ref, h.released_at]).sort());
    expect(confidential.model.holds).toHaveLength(holdRows.length);

    const exportRows = db.prepare("SELECT id, status, cameras, keep_until, purged_at FROM exports WHERE status IN ('done', 'purged') ORDER BY id").all() as { id: string; status: string; cameras: string; keep_until: number; purged_at: string | null }[];
    const visibleExports = exportRows.filter((e) => JSON.parse(e.cameras).some((c: string) => c !== HIDDEN));
    expect(publicReport.model.exports.map((e) => [e.id, e.status, e.removedAt ?? null])).toEqual(visibleExports.map((e) => [e.id, e.status, e.purged_at]));
    const creates = new Map((db.prepare("SELECT details FROM audit WHERE action = 'export.create'").all() as { details: string }[]).map((r) => JSON.parse(r.details) as Record<string, unknown>).map((d) => [d.exportId, d]));
    for (const e of publicReport.model.exports) {
      expect(e.recipient).toBe(creates.get(e.id)!.recipient);
      expect(e.legalBasis).toBe(creates.get(e.id)!.legalBasis);
      expect(e.redacted).toBe(creates.get(e.id)!.redaction !== undefined);
    }

    const requestRows = db.prepare('SELECT id, type, cameras, received_on, due_on, extended_due_on, answered_at FROM rights_requests ORDER BY received_on').all() as { id: string; type: string; cameras: string; received_on: string; due_on: string; extended_due_on: string | null; answered_at: string | null }[];
    const visibleRequests = requestRows.filter((r) => JSON.parse(r.cameras).some((c: string) => c !== HIDDEN));
    const day = 86_400_000;
    const today = localDay(Date.now());
    expect(publicReport.model.requests.items.map((r) => ({ id: r.id, due: r.dueOn, days: r.daysTaken, deadline: r.deadlineDays, onTime: r.onTime }))).toEqual(
      visibleRequests.map((r) => {
        const due = r.extended_due_on ?? r.due_on;
        const answered = r.answered_at ? r.answered_at.slice(0, 10) : today;
        return { id: r.id, due, days: Math.round((Date.parse(answered) - Date.parse(r.received_on)) / day), deadline: Math.round((Date.parse(due) - Date.parse(r.received_on)) / day), onTime: answered <= due };
      }),
    );
    expect(publicReport.model.requests.byType.copy).toEqual({ received: 1, answered: 1, onTime: 0, late: 1, open: 0 });
    expect(publicReport.model.requests.byType.access).toMatchObject({ received: 2, open: 1 });
    expect(confidential.model.requests.byType.access!.received).toBe(3);
  });

  it('states the audit chain as its verification does, and hashes its own figures', () => {
    const n = db.prepare('SELECT COUNT(*) AS n, MAX(seq) AS last FROM audit').get() as { n: number; last: number };
    const last = db.prepare('SELECT hash FROM audit WHERE seq = ?').get(n.last) as { hash: string };
    expect(publicReport.model.proof).toMatchObject({ intact: true, entries: n.n, lastHash: last.hash });
    expect(publicReport.sha256).toBe(reportDigest(publicReport.model));
    expect(String(publicReport.files[0]!.content)).toContain(publicReport.sha256);
  });

  it('shows per camera the footage present, the hold, the outage and the month ends within the allowed age', () => {
    const gang = publicReport.model.retention.cameras.find((c) => c.id === 'gang')!;
    const outage = gang.gaps.find((g) => g.from <= Date.parse('2026-02-11T00:00:00Z') && g.to >= Date.parse('2026-02-19T00:00:00Z'));
    expect(outage).toBeDefined();
    const entree = publicReport.model.retention.cameras.find((c) => c.id === 'entree')!;
    expect(entree.held.map((h) => h.from)).toEqual([Date.parse('2026-03-10T00:00:00Z')]);
    expect(entree.present[0]!.from).toBe(Date.parse('2026-01-01T00:00:00Z'));
    const files = db.prepare("SELECT SUM(json_array_length(names)) AS n FROM purge_batches WHERE camera = 'entree' AND state = 'done'").get() as { n: number };
    expect(entree.filesDeleted).toBe(files.n);
    // The purge ran weekly, not nightly: footage reached up to 28 + 7 days, and a month end 2.9 days after a run is
    // flagged (the rule allows 28 days and a nightly purge's slack).
    expect(entree.monthEnds.length).toBe(11);
    expect(entree.monthEnds.every((m) => m.allowedDays !== null && m.allowedDays >= 27 && m.allowedDays <= 29)).toBe(true);
    expect(entree.monthEnds.filter((m) => !m.held).every((m) => m.oldestAgeDays! <= 28 + 7 + 1)).toBe(true);
    expect(entree.monthEnds.every((m) => m.ok === (m.held || m.oldestAgeDays! <= m.allowedDays! + 1.5))).toBe(true);
    expect(entree.monthEnds.find((m) => m.date === '2026-01-31')).toMatchObject({ held: false, ok: false });
    // From March on the held footage of 10 March is the oldest, and says so.
    expect(entree.monthEnds.find((m) => m.date === '2026-04-30')).toMatchObject({ held: true, ok: true });
    expect(entree.monthEnds.find((m) => m.date === '2026-04-30')!.oldestAgeDays).toBeGreaterThan(36);
  });
});

describe('the pictures', () => {
  const svg = (r: Report, id: string): string => String(r.files.find((f) => f.name.endsWith(`-${id}.svg`))!.content);

  it('has one row per camera, one bar per night and one per request', () => {
    expect(count(svg(publicReport, 'retention'), 'camera')).toBe(2);
    expect(count(svg(confidential, 'retention'), 'camera')).toBe(3);
    expect(count(svg(publicReport, 'retention'), 'held')).toBe(2);
    expect(count(svg(publicReport, 'purges'), 'night')).toBe(publicReport.model.deletions.nights.length);
    expect(count(svg(publicReport, 'requests'), 'request')).toBe(4);
    expect(count(svg(confidential, 'requests'), 'request')).toBe(5);
    // Late bars are red, those within the deadline green.
    const bars = kinds(svg(publicReport, 'requests')).get('request')!;
    const late = publicReport.model.requests.items.filter((r) => !r.onTime).map((r) => r.id);
    expect(bars.filter((b) => b.attributes.fill === '#c0392b').map((b) => b.attributes['data-id'])).toEqual(late);
    expect(late.length).toBe(1);
  });

  it('is well-formed SVG with no script and no external reference', () => {
    for (const id of ['retention', 'purges', 'requests']) {
      const s = svg(publicReport, id);
      expect(() => kinds(s)).not.toThrow();
      expect(s.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/url\(|https?:/);
    }
  });
});

describe('hidden cameras', () => {
  it('appear nowhere in the default report, and in the confidential one', async () => {
    const html = String((await report({ format: 'html' })).files[0]!.content);
    const md = publicReport.files.map((f) => String(f.content)).join('\n');
    for (const out of [html, md, JSON.stringify(publicReport.model)]) {
      expect(out).not.toContain(HIDDEN);
      expect(out).not.toContain('INC-K');
    }
    const confidentialText = confidential.files.map((f) => String(f.content)).join('\n');
    expect(confidentialText).toContain(HIDDEN);
    expect(confidentialText).toContain('INC-K');
  });
});
