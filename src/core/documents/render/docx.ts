// DOCX (Word): real headings (so Word's navigation pane works), tables, lists, a title page, and page numbers in
// the footer of every page after it. Built with the `docx` package from the same model as the other formats.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  TabStopType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { PICTOGRAM_SIZE, pictogramPng } from './pictogram.js';
import { listMarkers, type Block, type DocumentModel, type Inline } from '../types.js';

const FONT = 'Calibri';
const ACCENT = '24496B';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;

function textRuns(runs: Inline[], extra: { bold?: boolean; size?: number } = {}): TextRun[] {
  return runs.flatMap((r) =>
    r.text.split('\n').map(
      (line, i) => new TextRun({ text: line, bold: r.bold || extra.bold, italics: r.italic, ...(extra.size ? { size: extra.size } : {}), ...(i > 0 ? { break: 1 } : {}) }),
    ),
  );
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const cell = (runs: Inline[], header: boolean): TableCell =>
    new TableCell({
      children: [new Paragraph({ children: textRuns(runs, { bold: header, size: 20 }) })],
      borders,
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E8EEF4', color: 'auto' } } : {}),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: b.header.map((c) => cell(c, true)) }),
      ...b.rows.map((r) => new TableRow({ children: b.header.map((_, i) => cell(r[i] ?? [], false)) })),
    ],
  });
}

function blocks(list: Block[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const b of list) {
    switch (b.kind) {
      case 'heading':
        out.push(new Paragraph({ heading: HEADINGS[b.level - 1], children: [new TextRun(b.text)] }));
        break;
      case 'paragraph':
        out.push(new Paragraph({ children: textRuns(b.runs), spacing: { after: 120 } }));
        break;
      case 'note':
        out.push(
          new Paragraph({
            children: textRuns(b.runs.map((r) => ({ ...r, italic: true }))),
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: ACCENT, space: 8 } },
            indent: { left: 240 },
            spacing: { after: 120 },
          }),
        );
        break;
      case 'list': {
        // Numbers are written as text, so a list that continues after a table keeps its numbering in Word too.
        const markers = listMarkers(b);
        b.items.forEach((item, i) => {
          const left = 400 * (item.level + 1);
          out.push(
            new Paragraph({
              children: [new TextRun({ text: `${markers[i]}\t` }), ...textRuns(item.runs)],
              indent: { left, hanging: 400 },
              tabStops: [{ type: TabStopType.LEFT, position: left }],
              spacing: { after: 60 },
            }),
          );
        });
        break;
      }
      case 'table':
        out.push(table(b), new Paragraph({ children: [] }));
        break;
      case 'pictogram':
        out.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new ImageRun({ type: 'png', data: pictogramPng(), transformation: { width: PICTOGRAM_SIZE.width / 2, height: PICTOGRAM_SIZE.height / 2 }, altText: { name: 'camera', description: 'camera', title: 'camera' } })],
          }),
        );
        break;
      case 'pagebreak':
        out.push(new Paragraph({ children: [new PageBreak()] }));
        break;
    }
  }
  return out;
}

function titlePage(doc: DocumentModel): Paragraph[] {
  const { meta } = doc;
  const rows: Paragraph[] = meta.titleRows.map(
    ([k, v]) => new Paragraph({ spacing: { after: 80 }, children: [new TextRun({ text: `${k}: `, bold: true }), new TextRun({ text: v, ...(k.includes('sha256') ? { size: 16 } : {}) })] }),
  );
  return [
    new Paragraph({ spacing: { before: 2400, after: 240 }, children: [new TextRun({ text: meta.title, bold: true, size: 56, color: ACCENT })] }),
    ...(meta.subtitle ? [new Paragraph({ spacing: { after: 720 }, children: [new TextRun({ text: meta.subtitle, size: 32, color: '444444' })] })] : [new Paragraph({ spacing: { after: 720 }, children: [] })]),
    ...rows,
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

function footer(doc: DocumentModel): Footer {
  // "Pagina {page} van {pages}": the words come from the template, the numbers are Word fields, all in one run.
  const label = doc.meta.pageLabel.split(/(\{page\}|\{pages\})/).filter(Boolean).map((part) => (part === '{page}' ? PageNumber.CURRENT : part === '{pages}' ? PageNumber.TOTAL_PAGES : part));
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [new TextRun({ text: `${doc.meta.footer}    `, size: 16, color: '666666' }), new TextRun({ children: label, size: 16 })],
      }),
    ],
  });
}

export async function renderDocx(doc: DocumentModel): Promise<Buffer> {
  const { meta } = doc;
  const d = new Document({
    creator: 'toezicht',
    title: meta.title,
    description: `${meta.footer}; inputs sha256 ${meta.inputsHash}`,
    styles: {
      default: { document: { run: { font: FONT, size: meta.poster ? 26 : 22 } } },
      paragraphStyles: [
        { id: 'Heading1', name: 'Heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: meta.poster ? 60 : 36, bold: true, color: ACCENT }, paragraph: { spacing: { before: 360, after: 160 }, keepNext: true } },
        { id: 'Heading2', name: 'Heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 28, bold: true, color: ACCENT }, paragraph: { spacing: { before: 280, after: 120 }, keepNext: true } },
        { id: 'Heading3', name: 'Heading 3', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 24, bold: true }, paragraph: { spacing: { before: 200, after: 100 }, keepNext: true } },
        { id: 'Heading4', name: 'Heading 4', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 22, bold: true, italics: true }, paragraph: { spacing: { before: 160, after: 80 }, keepNext: true } },
      ],
    },
    sections: [
      {
        properties: { titlePage: meta.titlePage || meta.poster, page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        footers: { default: footer(doc), ...(meta.titlePage || meta.poster ? { first: new Footer({ children: [new Paragraph({ children: [] })] }) } : {}) },
        children: [...(meta.titlePage ? titlePage(doc) : []), ...blocks(doc.blocks)],
      },
    ],
  });
  return Packer.toBuffer(d);
}
