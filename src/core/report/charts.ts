// The report's pictures as a small model of shapes (rectangles, lines, text) in a chart's own coordinates, so
// that one model is written as SVG text (HTML, Markdown) and drawn into the PDF by pdfkit: no browser, no network.
import type { ReportModel } from './model.js';
import type { Text } from './text.js';

export interface RectShape {
  type: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
  /** What the shape stands for (camera, night, request …): the tests and screen readers count on it. */
  kind?: string;
  id?: string;
  title?: string;
}
export interface LineShape {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  width?: number;
  dash?: boolean;
  kind?: string;
  id?: string;
}
export interface TextShape {
  type: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  fill?: string;
  bold?: boolean;
}
export type Shape = RectShape | LineShape | TextShape;

export interface Chart {
  id: 'retention' | 'purges' | 'requests';
  /** Charts with many rows are split in parts that each fit a page (1, 2 …); undefined when there is one. */
  part?: number;
  title: string;
  width: number;
  height: number;
  shapes: Shape[];
}

const W = 760;
const LABEL = 150;
const PLOT = W - LABEL - 20;
const INK = '#1a1a1a';
const MUTED = '#8a8f98';
const GRID = '#e3e6ea';
const COLOURS = { present: '#4f7cac', held: '#e0a526', gap: '#c0392b', retention: '#c0392b', ok: '#2e8b57', late: '#c0392b', bar: '#4f7cac', bytes: '#9fb8d3', row: '#f4f6f8' };

const DAY = 86_400_000;

function monthTicks(from: number, to: number, x: (t: number) => number, y1: number, y2: number, shapes: Shape[]): void {
  const d = new Date(from);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const span = to - from;
  const step = span > 400 * DAY ? 3 : 1;
  for (let i = 0; t < to && i < 60; i++) {
    if (t >= from) {
      shapes.push({ type: 'line', x1: x(t), y1, x2: x(t), y2, stroke: GRID, width: 0.5 });
      const m = new Date(t);
      shapes.push({ type: 'text', x: x(t) + 2, y: y2 + 10, text: `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`, size: 7, fill: MUTED });
    }
    const n = new Date(t);
    t = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + step, 1);
  }
}

/** Per camera one row: footage present, held ranges shaded, gaps marked, and the retention line. */
export function retentionChart(model: ReportModel, t: Text, cams = model.retention.cameras, part?: number): Chart {
  const from = Date.parse(model.period.from);
  const to = Date.parse(model.period.to);
  const row = 14;
  const top = 24;
  const height = top + cams.length * row + 40;
  const x = (ms: number): number => LABEL + ((Math.min(Math.max(ms, from), to) - from) / (to - from)) * PLOT;
  const shapes: Shape[] = [];
  monthTicks(from, to, x, top - 4, top + cams.length * row, shapes);
  cams.forEach((c, i) => {
    const y = top + i * row;
    shapes.push({ type: 'rect', x: LABEL, y, w: PLOT, h: row - 3, fill: COLOURS.row, kind: 'camera', id: c.id, title: c.id });
    shapes.push({ type: 'text', x: LABEL - 6, y: y + row - 5, text: c.id, size: 7.5, anchor: 'end', fill: INK });
    for (const r of c.present) shapes.push({ type: 'rect', x: x(r.from), y: y + 2, w: Math.max(0.6, x(r.to) - x(r.from)), h: row - 7, fill: COLOURS.present, kind: 'present', id: c.id });
    for (const h of c.held) shapes.push({ type: 'rect', x: x(h.from), y, w: Math.max(1.5, x(h.to) - x(h.from)), h: row - 3, fill: COLOURS.held, kind: 'held', id: h.holdId });
    for (const g of c.gaps) shapes.push({ type: 'line', x1: x(g.from), y1: y + row - 2, x2: Math.max(x(g.to), x(g.from) + 1), y2: y + row - 2, stroke: COLOURS.gap, width: 1.2, kind: 'gap', id: c.id });
    if (c.retentionLine !== null && c.retentionLine > from && c.retentionLine < to) {
      shapes.push({ type: 'line', x1: x(c.retentionLine), y1: y - 1, x2: x(c.retentionLine), y2: y + row - 2, stroke: COLOURS.retention, width: 1.2, dash: true, kind: 'retention', id: c.id });
    }
  });
  const ly = height - 12;
  legend(shapes, ly, [
    [COLOURS.present, t('chart.present')],
    [COLOURS.held, t('chart.held')],
    [COLOURS.gap, t('chart.gap')],
    [COLOURS.retention, t('chart.retention-line')],
  ]);
  return { id: 'retention', ...(part ? { part } : {}), title: t('chart.retention.title') + (part ? ` (${part})` : ''), width: W, height, shapes };
}

/** Per night one bar of files deleted, and under it one of bytes. */
export function purgeChart(model: ReportModel, t: Text): Chart {
  const from = Date.parse(`${model.period.firstDay}T12:00:00Z`);
  const to = Date.parse(`${model.period.lastDay}T12:00:00Z`) + DAY;
  const nights = model.deletions.nights;
  const maxFiles = Math.max(1, ...nights.map((n) => n.files));
  const maxBytes = Math.max(1, ...nights.map((n) => n.bytes));
  const top = 20;
  const panel = 80;
  const height = top + panel * 2 + 60;
  const x = (ms: number): number => LABEL + ((ms - from) / (to - from)) * PLOT;
  const bw = Math.max(0.8, PLOT / Math.max(1, (to - from) / DAY) - 0.4);
  const shapes: Shape[] = [];
  monthTicks(from, to, x, top, top + panel * 2 + 10, shapes);
  shapes.push({ type: 'text', x: LABEL - 6, y: top + 10, text: `${t('chart.files')} (max ${maxFiles})`, size: 7.5, anchor: 'end', fill: INK });
  shapes.push({ type: 'text', x: LABEL - 6, y: top + panel + 20, text: `${t('chart.bytes')} (max ${formatBytes(maxBytes)})`, size: 7.5, anchor: 'end', fill: INK });
  shapes.push({ type: 'line', x1: LABEL, y1: top + panel, x2: LABEL + PLOT, y2: top + panel, stroke: MUTED, width: 0.5 });
  shapes.push({ type: 'line', x1: LABEL, y1: top + panel * 2 + 10, x2: LABEL + PLOT, y2: top + panel * 2 + 10, stroke: MUTED, width: 0.5 });
  for (const n of nights) {
    const nx = x(Date.parse(`${n.date}T12:00:00Z`));
    const hf = (n.files / maxFiles) * (panel - 4);
    shapes.push({ type: 'rect', x: nx, y: top + panel - hf, w: bw, h: Math.max(0.5, hf), fill: n.statuses.includes('failed') ? COLOURS.late : COLOURS.bar, kind: 'night', id: n.date, title: `${n.date}: ${n.files}` });
    const hb = (n.bytes / maxBytes) * (panel - 4);
    shapes.push({ type: 'rect', x: nx, y: top + panel * 2 + 10 - hb, w: bw, h: Math.max(0.5, hb), fill: COLOURS.bytes, kind: 'night-bytes', id: n.date });
  }
  return { id: 'purges', title: t('chart.purges.title'), width: W, height, shapes };
}

/** Per request one bar of days taken, with its deadline as a tick: green within it, red past it. */
export function requestsChart(model: ReportModel, t: Text, items = model.requests.items, part?: number): Chart {
  const row = 13;
  const top = 20;
  // One scale for every part, so that parts compare.
  const all = model.requests.items;
  const maxDays = Math.max(30, ...all.map((r) => Math.max(r.daysTaken, r.deadlineDays))) + 5;
  const height = top + Math.max(1, items.length) * row + 40;
  const x = (d: number): number => LABEL + (d / maxDays) * PLOT;
  const shapes: Shape[] = [];
  for (let d = 0; d <= maxDays; d += maxDays > 120 ? 30 : 10) {
    shapes.push({ type: 'line', x1: x(d), y1: top - 4, x2: x(d), y2: top + items.length * row, stroke: GRID, width: 0.5 });
    shapes.push({ type: 'text', x: x(d), y: top + items.length * row + 10, text: String(d), size: 7, anchor: 'middle', fill: MUTED });
  }
  items.forEach((r, i) => {
    const y = top + i * row;
    shapes.push({ type: 'text', x: LABEL - 6, y: y + row - 4, text: `${r.id} · ${t(`type.${r.type}`)}`, size: 7.5, anchor: 'end', fill: INK });
    shapes.push({ type: 'rect', x: LABEL, y: y + 2, w: Math.max(0.8, x(r.daysTaken) - LABEL), h: row - 5, fill: r.onTime ? COLOURS.ok : COLOURS.late, kind: 'request', id: r.id, title: `${r.id}: ${r.daysTaken}/${r.deadlineDays}` });
    shapes.push({ type: 'line', x1: x(r.deadlineDays), y1: y, x2: x(r.deadlineDays), y2: y + row - 1, stroke: INK, width: 1.5, kind: 'deadline', id: r.id });
  });
  legend(shapes, height - 12, [
    [COLOURS.ok, t('chart.on-time')],
    [COLOURS.late, t('chart.late')],
    [INK, t('chart.deadline')],
  ]);
  return { id: 'requests', ...(part ? { part } : {}), title: t('chart.requests.title') + (part ? ` (${part})` : ''), width: W, height, shapes };
}

function legend(shapes: Shape[], y: number, items: [string, string][]): void {
  let lx = LABEL;
  for (const [fill, label] of items) {
    shapes.push({ type: 'rect', x: lx, y: y - 7, w: 10, h: 8, fill });
    shapes.push({ type: 'text', x: lx + 14, y, text: label, size: 7.5, fill: INK });
    lx += 24 + label.length * 4.4;
  }
}

/** Rows per chart part: a part fits an A4 page. */
export const ROWS_PER_CHART = 45;

function parts<T>(rows: T[]): { rows: T[]; part?: number }[] {
  if (rows.length <= ROWS_PER_CHART) return [{ rows }];
  const out: { rows: T[]; part: number }[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CHART) out.push({ rows: rows.slice(i, i + ROWS_PER_CHART), part: out.length + 1 });
  return out;
}

/** Every picture of the report: the timeline (in parts for many cameras), the nights, the requests (in parts). */
export function reportCharts(model: ReportModel, t: Text): { retention: Chart[]; purges: Chart; requests: Chart[] } {
  return {
    retention: parts(model.retention.cameras).map((p) => retentionChart(model, t, p.rows, p.part)),
    purges: purgeChart(model, t),
    requests: model.requests.items.length ? parts(model.requests.items).map((p) => requestsChart(model, t, p.rows, p.part)) : [],
  };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n2 = (n: number): string => String(Math.round(n * 100) / 100);

/** The chart as a standalone SVG document (no scripts, no external references). */
export function chartSvg(chart: Chart): string {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chart.width} ${chart.height}" width="${chart.width}" height="${chart.height}" role="img" aria-label="${esc(chart.title)}" font-family="Source Sans 3, Helvetica, Arial, sans-serif">`,
    `<title>${esc(chart.title)}</title>`,
    `<text x="4" y="12" font-size="10" font-weight="bold" fill="${INK}">${esc(chart.title)}</text>`,
  ];
  for (const s of chart.shapes) {
    const data = 'kind' in s && s.kind ? ` data-kind="${s.kind}"${s.id ? ` data-id="${esc(s.id)}"` : ''}` : '';
    if (s.type === 'rect') {
      out.push(`<rect x="${n2(s.x)}" y="${n2(s.y)}" width="${n2(s.w)}" height="${n2(s.h)}" fill="${s.fill}"${data}>${s.title ? `<title>${esc(s.title)}</title>` : ''}</rect>`);
    } else if (s.type === 'line') {
      out.push(`<line x1="${n2(s.x1)}" y1="${n2(s.y1)}" x2="${n2(s.x2)}" y2="${n2(s.y2)}" stroke="${s.stroke}" stroke-width="${s.width ?? 1}"${s.dash ? ' stroke-dasharray="3 2"' : ''}${data}/>`);
    } else {
      const anchor = s.anchor === 'end' ? ' text-anchor="end"' : s.anchor === 'middle' ? ' text-anchor="middle"' : '';
      out.push(`<text x="${n2(s.x)}" y="${n2(s.y)}" font-size="${s.size}"${anchor}${s.bold ? ' font-weight="bold"' : ''} fill="${s.fill ?? INK}">${esc(s.text)}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}
