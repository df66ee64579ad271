// The report's blocks written as Markdown (charts as SVG files beside it), HTML (charts inline) or PDF (charts
// drawn with pdfkit from the same shapes, in the fonts the documents use).
import path from 'node:path';
import { openPdf } from '../documents/index.js';
import { chartSvg, type Chart } from './charts.js';
import type { Block } from './blocks.js';

export const REPORT_FORMATS = ['html', 'pdf', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedFile {
  name: string;
  content: string | Buffer;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(blocks: Block[], base: string): RenderedFile[] {
  const files: RenderedFile[] = [];
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'title') out.push(`# ${b.text}`, '', ...b.sub.map((s) => `${s}  `), '');
    else if (b.type === 'heading') out.push(`## ${b.text}`, '');
    else if (b.type === 'paragraph') out.push(b.text, '');
    else if (b.type === 'table') {
      out.push(`| ${b.head.map(mdCell).join(' | ')} |`, `|${b.head.map(() => ' --- ').join('|')}|`);
      for (const r of b.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
      out.push('');
    } else {
      const name = `${base}-${b.chart.id}${b.chart.part && b.chart.part > 1 ? `-${b.chart.part}` : ''}.svg`;
      files.push({ name, content: chartSvg(b.chart) });
      out.push(`![${b.chart.title}](${name})`, '');
    }
  }
  return [{ name: `${base}.md`, content: out.join('\n') }, ...files];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderHtml(blocks: Block[], base: string, lang: string): RenderedFile[] {
  const title = blocks.find((b) => b.type === 'title');
  const out = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title?.type === 'title' ? title.text : 'toezicht')}</title>`,
    '<style>body{font-family:"Source Sans 3",Helvetica,Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#1a1a1a;line-height:1.4}h1,h2{color:#24496b}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}th,td{border-bottom:1px solid #dde;padding:.2rem .5rem;text-align:left}th{background:#f0f3f7}figure{margin:1rem 0}svg{max-width:100%;height:auto}</style>',
    '</head><body>',
  ];
  for (const b of blocks) {
    if (b.type === 'title') out.push(`<h1>${esc(b.text)}</h1>`, `<p>${b.sub.map(esc).join('<br>')}</p>`);
    else if (b.type === 'heading') out.push(`<h2>${esc(b.text)}</h2>`);
    else if (b.type === 'paragraph') out.push(`<p>${esc(b.text)}</p>`);
    else if (b.type === 'table') {
      out.push(`<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`);
      for (const r of b.rows) out.push(`<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`);
      out.push('</tbody></table>');
    } else out.push(`<figure id="chart-${b.chart.id}${b.chart.part ? `-${b.chart.part}` : ''}">${chartSvg(b.chart)}</figure>`);
  }
  out.push('</body></html>');
  return [{ name: `${base}.html`, content: out.join('\n') }];
}

const MARGIN = 48;
const ACCENT = '#24496b';

/** Draws a chart's shapes at the current position, scaled to the page's width. */
function drawChart(doc: PDFKit.PDFDocument, chart: Chart): void {
  const width = doc.page.width - MARGIN * 2;
  const scale = width / chart.width;
  const height = chart.height * scale + 16;
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  const x0 = MARGIN;
  doc.font('bold').fontSize(9).fillColor('#1a1a1a').text(chart.title, x0, doc.y);
  const y0 = doc.y + 2;
  for (const s of chart.shapes) {
    if (s.type === 'rect') doc.rect(x0 + s.x * scale, y0 + s.y * scale, s.w * scale, s.h * scale).fill(s.fill);
    else if (s.type === 'line') {
      doc.save().lineWidth((s.width ?? 1) * scale);
      if (s.dash) doc.dash(2, { space: 1.5 });
      doc.moveTo(x0 + s.x1 * scale, y0 + s.y1 * scale).lineTo(x0 + s.x2 * scale, y0 + s.y2 * scale).stroke(s.stroke);
      doc.undash().restore();
    }
  }
  // Text after the shapes, so labels stay readable over bars; the baseline of SVG text is its y.
  for (const s of chart.shapes) {
    if (s.type !== 'text') continue;
    const size = s.size * scale;
    doc.font(s.bold ? 'bold' : 'regular').fontSize(size).fillColor(s.fill ?? '#1a1a1a');
    const w = doc.widthOfString(s.text);
    const x = x0 + s.x * scale - (s.anchor === 'end' ? w : s.anchor === 'middle' ? w / 2 : 0);
    doc.text(s.text, x, y0 + s.y * scale - size * 0.8, { lineBreak: false });
  }
  doc.x = MARGIN;
  doc.y = y0 + chart.height * scale + 8;
}

export async function renderPdf(blocks: Block[], base: string, meta: { title: string; lang: string; digest: string }): Promise<RenderedFile[]> {
  const { doc, done } = await openPdf({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: meta.title, Creator: 'toezicht', Keywords: `report-sha256:${meta.digest}` }, lang: meta.lang } as PDFKit.PDFDocumentOptions);
  const width = doc.page.width - MARGIN * 2;
  const bottom = (): number => doc.page.height - MARGIN;
  for (const b of blocks) {
    if (b.type === 'title') {
      doc.font('bold').fontSize(20).fillColor(ACCENT).text(b.text, MARGIN, doc.y, { width });
      doc.moveDown(0.3).font('regular').fontSize(10).fillColor('#1a1a1a');
      for (const s of b.sub) doc.text(s, { width });
      doc.moveDown(0.6);
    } else if (b.type === 'heading') {
      if (doc.y + 60 > bottom()) doc.addPage();
      doc.moveDown(0.4).font('bold').fontSize(13).fillColor(ACCENT).text(b.text, MARGIN, doc.y, { width }).moveDown(0.2);
    } else if (b.type === 'paragraph') {
      doc.font('regular').fontSize(9.5).fillColor('#1a1a1a').text(b.text, MARGIN, doc.y, { width }).moveDown(0.3);
    } else if (b.type === 'chart') drawChart(doc, b.chart);
    else {
      const cols = b.head.length;
      const colW = width / cols;
      const rowOf = (cells: string[], bold: boolean): void => {
        doc.font(bold ? 'bold' : 'regular').fontSize(8);
        // Most cells fit on one line: measuring a width is far cheaper than laying out wrapped text, which a board's
        // thousands of rows would otherwise pay for every cell.
        const fits = cells.map((c) => !c.includes('\n') && doc.widthOfString(c) <= colW - 4);
        const line = doc.currentLineHeight(true);
        const h = Math.max(...cells.map((c, i) => (fits[i] ? line : doc.heightOfString(c, { width: colW - 4 })))) + 3;
        if (doc.y + h > bottom()) {
          doc.addPage();
          if (!bold) rowOf(b.head, true);
          doc.font(bold ? 'bold' : 'regular').fontSize(8);
        }
        const y = doc.y;
        if (bold) doc.rect(MARGIN, y - 1, width, h).fill('#eef2f6');
        doc.fillColor('#1a1a1a');
        cells.forEach((c, i) => (fits[i] ? doc.text(c, MARGIN + i * colW + 2, y, { lineBreak: false }) : doc.text(c, MARGIN + i * colW + 2, y, { width: colW - 4 })));
        doc.y = y + h;
      };
      rowOf(b.head, true);
      for (const r of b.rows) rowOf(r, false);
      doc.x = MARGIN;
      doc.moveDown(0.5);
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.font('regular').fontSize(7).fillColor('#8a8f98').text(`${meta.title} · ${i + 1}/${range.count} · sha256 ${meta.digest.slice(0, 16)}…`, MARGIN, doc.page.height - MARGIN + 14, { width, lineBreak: false });
  }
  doc.end();
  return [{ name: `${base}.pdf`, content: await done }];
}
