// Markdown: the title page as a table, then the blocks; the same model as every other format.
import { listMarkers, type Block, type DocumentModel, type Inline } from '../types.js';

const esc = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

export function runsToMarkdown(runs: Inline[]): string {
  return runs
    .map((r) => {
      const text = esc(r.text).replace(/\n/g, '  \n');
      if (!text.trim()) return text;
      return r.bold && r.italic ? `***${text}***` : r.bold ? `**${text}**` : r.italic ? `*${text}*` : text;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${esc(b.text)}`;
    case 'paragraph':
      return runsToMarkdown(b.runs);
    case 'note':
      return `> ${runsToMarkdown(b.runs)}`;
    case 'list':
    {
      // Markdown numbers ordered items itself; nested items under a number are indented by three spaces.
      const markers = listMarkers(b);
      return b.items.map((item, i) => `${'   '.repeat(item.level)}${item.ordered && !markers[i]!.endsWith(')') ? markers[i] : '-'} ${runsToMarkdown(item.runs)}`).join('\n');
    }
    case 'table': {
      const row = (cells: Inline[][]): string => `| ${cells.map((c) => runsToMarkdown(c).replace(/\n/g, ' ')).join(' | ')} |`;
      return [row(b.header), `| ${b.header.map(() => '---').join(' | ')} |`, ...b.rows.map(row)].join('\n');
    }
    case 'pictogram':
      return '**[📷]**';
    case 'pagebreak':
      return '---';
  }
}

export function renderMarkdown(doc: DocumentModel): string {
  const parts: string[] = [];
  const { meta } = doc;
  if (meta.titlePage) {
    parts.push(`# ${esc(meta.title)}`);
    if (meta.subtitle) parts.push(`*${esc(meta.subtitle)}*`);
    parts.push(['| | |', '| --- | --- |', ...meta.titleRows.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`)].join('\n'));
    parts.push('---');
  }
  parts.push(...doc.blocks.map(block));
  if (!meta.titlePage) parts.push('---', `*${esc(meta.footer)}*`);
  return `${parts.join('\n\n')}\n`;
}
