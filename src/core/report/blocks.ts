// The report as a list of blocks (headings, paragraphs, tables, charts) in one language; md, html and pdf each
// write the same blocks, so the three formats say the same.
import { chartSvg, formatBytes, reportCharts, type Chart } from './charts.js';
import type { ReportModel } from './model.js';
import type { Text } from './text.js';

export type Block =
  | { type: 'title'; text: string; sub: string[] }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'table'; head: string[]; rows: string[][] }
  | { type: 'chart'; chart: Chart };

/** The most rows a table shows in the document; the rest are counted (the --json model has them all). */
export const TABLE_LIMIT = 2500;

const date = (isoText: string | undefined): string => (isoText ? isoText.slice(0, 10) : '');

export function reportBlocks(model: ReportModel, t: Text, digest: string): Block[] {
  const yes = t('yes');
  const no = t('no');
  const b: Block[] = [];
  const table = (head: string[], rows: string[][]): void => {
    if (!rows.length) {
      b.push({ type: 'paragraph', text: t('none') });
      return;
    }
    b.push({ type: 'table', head, rows: rows.slice(0, TABLE_LIMIT) });
    if (rows.length > TABLE_LIMIT) b.push({ type: 'paragraph', text: t('more-rows', { n: rows.length - TABLE_LIMIT }) });
  };
  const charts = reportCharts(model, t);

  b.push({
    type: 'title',
    text: t('title'),
    sub: [
      model.title.school + (model.title.schools.length ? ` (${model.title.schools.join(', ')})` : ''),
      t('period', { from: model.period.firstDay, to: model.period.lastDay }),
      t('generated', { at: model.generatedAt }),
      model.confidential ? t('confidential') : t('public-variant'),
    ],
  });

  b.push({ type: 'heading', text: t('retention.heading') });
  b.push({ type: 'paragraph', text: t('retention.intro') });
  for (const chart of charts.retention) b.push({ type: 'chart', chart });
  table(
    [t('col.camera'), t('col.rule'), t('col.on-storage'), t('col.deleted'), t('col.held'), t('col.gaps')],
    model.retention.cameras.map((c) => [c.id + (c.hidden ? ` (${t('hidden')})` : ''), c.rule, String(c.filesOnStorage), String(c.filesDeleted), String(c.held.length), String(c.gaps.length)]),
  );
  b.push({ type: 'paragraph', text: t('retention.month-ends') });
  const late = model.retention.cameras.flatMap((c) => c.monthEnds.filter((m) => !m.ok).map((m) => ({ c, m })));
  b.push({ type: 'paragraph', text: late.length ? t('retention.too-old', { n: late.length }) : t('retention.all-ok') });
  // One row per camera, one column per month's end: the oldest footage's age in days (! older than allowed, H held).
  const months = model.retention.cameras[0]?.monthEnds.map((m) => m.date.slice(0, 7)) ?? [];
  table(
    [t('col.camera'), t('col.allowed'), ...months],
    model.retention.cameras.map((c) => [
      c.id,
      c.monthEnds.at(-1)?.allowedDays === null || !c.monthEnds.length ? '—' : String(c.monthEnds.at(-1)!.allowedDays),
      ...c.monthEnds.map((m) => (m.oldestAgeDays === null ? '—' : `${m.oldestAgeDays}${m.held ? ' H' : ''}${m.ok ? '' : ' !'}`)),
    ]),
  );

  b.push({ type: 'heading', text: t('deletions.heading') });
  const d = model.deletions;
  b.push({ type: 'paragraph', text: t('deletions.totals', { runs: d.totals.runs, files: d.totals.files, bytes: formatBytes(d.totals.bytes), failed: d.failedRuns }) });
  b.push({ type: 'chart', chart: charts.purges });
  b.push({ type: 'paragraph', text: t('deletions.refusals') });
  table([t('col.at'), t('col.action'), t('col.reason')], d.refusals.map((r) => [r.at.slice(0, 16).replace('T', ' '), r.action, r.reason]));
  b.push({ type: 'paragraph', text: t('deletions.settled') });
  table([t('col.run'), t('col.at'), t('col.deleted'), t('col.left')], d.settled.map((s) => [String(s.runId), s.at.slice(0, 16).replace('T', ' '), String(s.deletedFiles), String(s.leftForNextRun)]));

  b.push({ type: 'heading', text: t('holds.heading') });
  table(
    [t('col.hold'), t('col.case'), t('col.kind'), t('col.opened'), t('col.released'), t('col.days')],
    model.holds.map((h) => [h.id, h.caseRef, h.kind, date(h.openedAt), h.releasedAt ? date(h.releasedAt) : t('open'), String(h.days)]),
  );
  b.push({ type: 'paragraph', text: t('exports.intro', { n: model.exports.length }) });
  table(
    [t('col.export'), t('col.created'), t('col.recipient'), t('col.legal-basis'), t('col.redacted'), t('col.lifetime'), t('col.removed')],
    model.exports.map((x) => [
      x.id,
      date(x.createdAt),
      x.recipient ?? '—',
      x.legalBasis ?? '—',
      x.redacted ? yes : no,
      x.keepUntil ? date(x.keepUntil) : t('with-hold'),
      x.removedAt ? date(x.removedAt) : x.expired ? t('expired-not-removed') : no,
    ]),
  );

  b.push({ type: 'heading', text: t('requests.heading') });
  table(
    [t('col.type'), t('col.received'), t('col.answered'), t('col.on-time'), t('col.late'), t('col.open')],
    Object.entries(model.requests.byType)
      .filter(([, n]) => n.received)
      .map(([type, n]) => [t(`type.${type}`), String(n.received), String(n.answered), String(n.onTime), String(n.late), String(n.open)]),
  );
  for (const chart of charts.requests) b.push({ type: 'chart', chart });
  const extended = model.requests.items.filter((r) => r.extended);
  b.push({ type: 'paragraph', text: t('requests.extensions', { n: extended.length }) });
  table([t('col.request'), t('col.due'), t('col.reason')], extended.map((r) => [r.id, r.dueOn, r.extensionReason ?? '—']));

  b.push({ type: 'heading', text: t('rules.heading') });
  b.push({ type: 'paragraph', text: t('rules.now', { errors: model.rules.now.errors, warnings: model.rules.now.warnings, start: model.period.firstDay, startErrors: model.rules.atStart.errors, startWarnings: model.rules.atStart.warnings }) });
  table([t('col.severity'), t('col.rule'), t('col.finding')], model.rules.now.findings.map((f) => [f.severity, f.rule, f.message]));
  b.push({ type: 'paragraph', text: t('rules.documents') });
  table([t('col.document'), t('col.version'), t('col.status'), t('col.created')], model.rules.documents.map((v) => [v.document, String(v.version), v.status, date(v.createdAt)]));
  b.push({ type: 'paragraph', text: t('rules.reviews') });
  table([t('col.document'), t('col.revision'), t('col.due-now')], model.rules.reviews.map((r) => [r.document, r.revisionDate, r.due ? yes : no]));

  b.push({ type: 'heading', text: t('proof.heading') });
  const p = model.proof;
  b.push({ type: 'paragraph', text: p.intact ? t('proof.intact', { entries: p.entries }) : t('proof.broken', { entries: p.entries, seq: p.broken?.seq ?? '?', problem: p.broken?.problem ?? '' }) });
  if (p.lastHash) b.push({ type: 'paragraph', text: t('proof.last-hash', { hash: p.lastHash }) });
  b.push({ type: 'paragraph', text: p.anchor ? t('proof.anchors', { anchors: `${p.anchor.storage}: #${p.anchor.seq} ${p.anchor.hash} (${p.anchor.at})` }) : t('proof.no-anchors') });
  if (p.anchorProblem) b.push({ type: 'paragraph', text: p.anchorProblem });
  b.push({ type: 'paragraph', text: t('proof.digest', { digest }) });
  return b;
}

export { chartSvg };
