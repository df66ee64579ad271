// HTML: one self-contained page (styles inline, pictogram as a data URI), printable with a title page.
import { pictogramPng } from './pictogram.js';
import type { Block, DocumentModel, Inline } from '../types.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function runs(rs: Inline[]): string {
  return rs
    .map((r) => {
      let t = esc(r.text).replace(/\n/g, '<br>');
      if (r.italic) t = `<em>${t}</em>`;
      if (r.bold) t = `<strong>${t}</strong>`;
      return t;
    })
    .join('');
}

function list(b: Extract<Block, { kind: 'list' }>): string {
  // Items carry their nesting level: a deeper item opens a list inside the item before it.
  const render = (start: number, level: number): [string, number] => {
    const tag = b.items[start]?.ordered ? 'ol' : 'ul';
    let html = level === 0 && b.start ? `<${tag} start="${b.start}">` : `<${tag}>`;
    let i = start;
    while (i < b.items.length && b.items[i]!.level >= level) {
      const item = b.items[i]!;
      if (item.level > level) {
        const [inner, next] = render(i, item.level);
        html = `${html.replace(/<\/li>$/, '')}${inner}</li>`;
        i = next;
      } else {
        html += `<li>${runs(item.runs)}</li>`;
        i++;
      }
    }
    return [`${html}</${tag}>`, i];
  };
  return render(0, 0)[0];
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${esc(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${runs(b.runs)}</p>`;
    case 'note':
      return `<p class="note">${runs(b.runs)}</p>`;
    case 'list':
      return list(b);
    case 'table':
      return `<table><thead><tr>${b.header.map((c) => `<th>${runs(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${runs(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'pictogram':
      return `<p class="pictogram"><img alt="camera" src="data:image/png;base64,${pictogramPng().toString('base64')}"></p>`;
    case 'pagebreak':
      return '<div class="pagebreak"></div>';
  }
}

const CSS = `
body { font-family: "Source Sans 3", "Segoe UI", Arial, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 1.7rem; margin-top: 2rem; } h2 { font-size: 1.3rem; margin-top: 1.6rem; } h3 { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0; font-size: 0.95rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #e8eef4; }
.title-page { min-height: 60vh; border-bottom: 2px solid #24496b; margin-bottom: 2rem; padding-bottom: 2rem; }
.title-page h1 { font-size: 2.2rem; color: #24496b; } .title-page .subtitle { font-size: 1.2rem; color: #444; }
.title-page table { width: auto; } .title-page th { background: none; border: none; padding-right: 2rem; } .title-page td { border: none; }
.note { border-left: 4px solid #24496b; padding-left: 0.8rem; color: #333; font-style: italic; }
.pictogram img { width: 9rem; }
body.poster { font-size: 1.35rem; } body.poster h1 { font-size: 3rem; } body.poster .pictogram img { width: 14rem; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #666; border-top: 1px solid #ccc; padding-top: 0.5rem; }
@media print { .title-page, .pagebreak { page-break-after: always; } body { margin: 0; max-width: none; } }
`;

export function renderHtml(doc: DocumentModel): string {
  const { meta } = doc;
  const title = meta.titlePage
    ? `<section class="title-page"><h1>${esc(meta.title)}</h1>${meta.subtitle ? `<p class="subtitle">${esc(meta.subtitle)}</p>` : ''}<table>${meta.titleRows
        .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
        .join('')}</table></section>`
    : '';
  return `<!doctype html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="toezicht">
<meta name="toezicht-version" content="${meta.version}">
<meta name="toezicht-inputs-sha256" content="${meta.inputsHash}">
<title>${esc(meta.title)}</title>
<style>${CSS}</style>
</head>
<body${meta.poster ? ' class="poster"' : ''}>
${title}
<main>
${doc.blocks.map(block).join('\n')}
</main>
<footer>${esc(meta.footer)}</footer>
</body>
</html>
`;
}
