// PDF, made here with pdfkit and fonts that ship in an npm package (Source Sans 3, embedded as subsets): a title
// page, headings, lists, tables that break across pages with their header repeated, and "page X of Y" footers.
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { pictogramPng } from './pictogram.js';
import { listMarkers, type Block, type DocumentModel, type Inline } from '../types.js';

const require = createRequire(import.meta.url);
const FONT_DIR = path.dirname(require.resolve('@expo-google-fonts/source-sans-3/package.json'));
const FONTS = {
  regular: '400Regular/SourceSans3_400Regular.ttf',
  bold: '700Bold/SourceSans3_700Bold.ttf',
  italic: '400Regular_Italic/SourceSans3_400Regular_Italic.ttf',
  bolditalic: '700Bold_Italic/SourceSans3_700Bold_Italic.ttf',
} as const;
type FontName = keyof typeof FONTS;

const ACCENT = '#24496b';
const MARGIN = 56;
const BOTTOM = 70;
const BASE_SIZE = 10.5;

const fontOf = (r: { bold?: boolean; italic?: boolean }): FontName => (r.bold && r.italic ? 'bolditalic' : r.bold ? 'bold' : r.italic ? 'italic' : 'regular');

/**
 * A new PDF with the project's fonts registered (regular, bold, italic, bolditalic), and its bytes once `doc.end()`
 * is called: the documents and the accountability report are drawn this way.
 */
export function openPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, path.join(FONT_DIR, file));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

export async function renderPdf(model: DocumentModel): Promise<Buffer> {
  const { doc, done } = openPdf({
    size: 'A4',
    margins: { top: MARGIN, bottom: BOTTOM, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: model.meta.title, Creator: 'toezicht', Subject: model.meta.footer, Keywords: `inputs-sha256:${model.meta.inputsHash}` },
    lang: model.lang,
    displayTitle: true,
  } as PDFKit.PDFDocumentOptions);

  // A sign is read from a few metres: everything a third larger.
  const SIZE = model.meta.poster ? 12.5 : BASE_SIZE;
  const width = (): number => doc.page.width - MARGIN * 2;
  const bottom = (): number => doc.page.height - BOTTOM;
  const ensure = (space: number): void => {
    if (doc.y + space > bottom()) doc.addPage();
  };

  const runs = (rs: Inline[], options: { x?: number; width?: number; size?: number; colour?: string } = {}): void => {
    const x = options.x ?? MARGIN;
    const w = options.width ?? width() - (x - MARGIN);
    const parts = rs.filter((r) => r.text.length);
    if (!parts.length) return;
    doc.fontSize(options.size ?? SIZE).fillColor(options.colour ?? '#1a1a1a');
    parts.forEach((r, i) => {
      doc.font(fontOf(r));
      const last = i === parts.length - 1;
      if (i === 0) doc.text(r.text, x, doc.y, { width: w, continued: !last, lineGap: 1.5 });
      else doc.text(r.text, { continued: !last, lineGap: 1.5 });
    });
  };

  const runsHeight = (rs: Inline[], w: number, size = SIZE): number => {
    // Measured in the regular face: a bold run is a little wider, so pad the estimate.
    doc.font('regular').fontSize(size);
    return doc.heightOfString(rs.map((r) => r.text).join('') || ' ', { width: w, lineGap: 1.5 }) * 1.04;
  };

  const heading = (b: Extract<Block, { kind: 'heading' }>): void => {
    const size = (model.meta.poster ? [30, 18, 15, 13] : [18, 14, 12, 11])[b.level - 1]!;
    ensure(size * 4);
    doc.moveDown(b.level === 1 ? 0.8 : 0.5);
    doc.font(b.level === 4 ? 'bolditalic' : 'bold').fontSize(size).fillColor(b.level <= 2 ? ACCENT : '#1a1a1a');
    doc.text(b.text, MARGIN, doc.y, { width: width() });
    doc.moveDown(0.3);
  };

  const table = (b: Extract<Block, { kind: 'table' }>): void => {
    const pad = 4;
    const size = 9.5;
    const cols = b.header.length;
    // Column widths in proportion to their longest text, within bounds, filling the page width.
    doc.font('regular').fontSize(size);
    const natural = b.header.map((h, i) => Math.max(doc.widthOfString(h.map((r) => r.text).join('')) + 2 * pad, ...b.rows.map((r) => doc.widthOfString((r[i] ?? []).map((x) => x.text).join('')) + 2 * pad)));
    const capped = natural.map((n) => Math.min(Math.max(n, 45), width() * 0.6));
    const total = capped.reduce((a, c) => a + c, 0);
    const widths = capped.map((c) => (c / total) * width());
    const drawRow = (cells: Inline[][], header: boolean): void => {
      const heights = cells.map((c, i) => runsHeight(header ? c.map((r) => ({ ...r, bold: true })) : c, widths[i]! - 2 * pad, size));
      const h = Math.max(...heights, size) + 2 * pad;
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (!header) drawRow(b.header, true);
      }
      const top = doc.y;
      let x = MARGIN;
      for (let i = 0; i < cols; i++) {
        if (header) doc.save().rect(x, top, widths[i]!, h).fill('#e8eef4').restore();
        doc.save().lineWidth(0.5).strokeColor('#999999').rect(x, top, widths[i]!, h).stroke().restore();
        doc.y = top + pad;
        runs(header ? (cells[i] ?? []).map((r) => ({ ...r, bold: true })) : (cells[i] ?? []), { x: x + pad, width: widths[i]! - 2 * pad, size });
        x += widths[i]!;
      }
      doc.x = MARGIN;
      doc.y = top + h;
    };
    ensure(60);
    drawRow(b.header, true);
    for (const row of b.rows) drawRow(b.header.map((_, i) => row[i] ?? []), false);
    doc.moveDown(0.6);
  };

  const block = (b: Block): void => {
    switch (b.kind) {
      case 'heading':
        heading(b);
        break;
      case 'paragraph':
        ensure(runsHeight(b.runs, width()) > 40 ? 30 : runsHeight(b.runs, width()));
        runs(b.runs);
        doc.moveDown(0.5);
        break;
      case 'note': {
        ensure(30);
        const top = doc.y;
        runs(b.runs.map((r) => ({ ...r, italic: true })), { x: MARGIN + 12, colour: '#333333' });
        doc.save().lineWidth(2.5).strokeColor(ACCENT).moveTo(MARGIN + 2, top).lineTo(MARGIN + 2, doc.y).stroke().restore();
        doc.moveDown(0.5);
        break;
      }
      case 'list': {
        const markers = listMarkers(b);
        for (const [i, item] of b.items.entries()) {
          const indent = MARGIN + 14 + item.level * 16;
          ensure(runsHeight(item.runs, width() - (indent - MARGIN) - 4));
          const top = doc.y;
          const marker = markers[i]!;
          doc.font('regular').fontSize(SIZE).fillColor('#1a1a1a').text(marker, indent - 14, top, { width: 14, lineBreak: false });
          doc.y = top;
          runs(item.runs, { x: indent + 4 });
          doc.moveDown(0.2);
        }
        doc.x = MARGIN;
        doc.moveDown(0.3);
        break;
      }
      case 'table':
        table(b);
        break;
      case 'pictogram': {
        ensure(130);
        const w = model.meta.poster ? 200 : 180;
        doc.image(pictogramPng(), (doc.page.width - w) / 2, doc.y, { width: w });
        doc.y += w * (240 / 360) + 10;
        break;
      }
      case 'pagebreak':
        doc.addPage();
        break;
    }
  };

  const { meta } = model;
  if (meta.titlePage) {
    doc.y = 190;
    doc.font('bold').fontSize(28).fillColor(ACCENT).text(meta.title, MARGIN, doc.y, { width: width() });
    if (meta.subtitle) doc.moveDown(0.4).font('regular').fontSize(15).fillColor('#444444').text(meta.subtitle, { width: width() });
    doc.moveDown(2.5);
    for (const [label, value] of meta.titleRows) {
      const top = doc.y;
      doc.font('bold').fontSize(11).fillColor('#1a1a1a').text(label, MARGIN, top, { width: 150 });
      const hash = /^[0-9a-f]{64}$/.test(value);
      doc.font('regular').fontSize(hash ? 8 : 11).text(value, MARGIN + 160, top + (hash ? 2 : 0), { width: width() - 160 });
      doc.y = Math.max(doc.y, top + 16) + 4;
    }
    doc.addPage();
  }
  for (const b of model.blocks) block(b);

  // Footers last, once the page count is known. The title page carries none.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    // Nor does a sign's face: its version and hash are on its second page and in the file's metadata.
    if ((meta.titlePage || meta.poster) && i === range.start) continue;
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 42;
    doc.font('regular').fontSize(8).fillColor('#666666');
    doc.text(meta.footer, MARGIN, y, { width: width() * 0.75, lineBreak: false, ellipsis: true });
    const label = meta.pageLabel.replace('{page}', String(i - range.start + 1)).replace('{pages}', String(range.count));
    doc.text(label, MARGIN, y, { width: width(), align: 'right', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}
