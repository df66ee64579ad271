// Template → Markdown → the document model. Handlebars fills the school's values into the template, marked reads
// the Markdown, and sections left without content are dropped: what does not apply is left out, not left empty.
import Handlebars from 'handlebars';
import { marked, type Token, type Tokens } from 'marked';
import { UsageError } from '../errors.js';
import { unescapeMarkdown } from './format.js';
import { str, type TemplateSet } from './templates.js';
import type { Block, DocumentModel, Inline, ListItem, RenderKind } from './types.js';
import type { VersionInfo } from './view.js';

const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? '');
hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
hb.registerHelper('not', (a: unknown) => !a);
hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));

/** Fills a template with the view; returns its front matter (simple `key: value` lines) and its Markdown body. */
export function fillTemplate(template: { text: string; file: string }, view: Record<string, unknown>): { front: Record<string, string>; body: string } {
  let text: string;
  try {
    text = hb.compile(template.text, { noEscape: true })(view);
  } catch (error) {
    throw new UsageError('templates.syntax', `The template ${template.file} cannot be filled: ${(error as Error).message.split('\n')[0]}.`);
  }
  const front: Record<string, string> = {};
  const m = /^\s*---\n([\s\S]*?)\n---\n/.exec(text);
  if (m) {
    for (const line of m[1]!.split('\n')) {
      const kv = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (kv) front[kv[1]!] = unescapeMarkdown(kv[2]!.replace(/^"(.*)"$/, '$1'));
    }
    text = text.slice(m[0].length);
  }
  return { front, body: text };
}

function inlines(tokens: Token[] | undefined, style: { bold?: boolean; italic?: boolean } = {}): Inline[] {
  const out: Inline[] = [];
  const push = (text: string): void => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && Boolean(last.bold) === Boolean(style.bold) && Boolean(last.italic) === Boolean(style.italic)) last.text += text;
    else out.push({ text, ...(style.bold ? { bold: true } : {}), ...(style.italic ? { italic: true } : {}) });
  };
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...inlines((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inlines((t as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'link': {
        const link = t as Tokens.Link;
        const text = inlines(link.tokens, style);
        out.push(...text);
        // Autolinked addresses (www…, mail addresses) already show their target.
        if (!link.href.replace(/^mailto:/, '').endsWith(text.map((r) => r.text).join('').replace(/^https?:\/\//, ''))) push(` (${link.href})`);
        break;
      }
      case 'br':
        push('\n');
        break;
      case 'text': {
        const tt = t as Tokens.Text;
        if (tt.tokens?.length) out.push(...inlines(tt.tokens, style));
        else push(decode(tt.text));
        break;
      }
      case 'escape':
      case 'codespan':
        push(decode((t as Tokens.Escape).text));
        break;
      case 'html':
        break;
      default:
        push(decode((t as { text?: string }).text ?? ''));
    }
  }
  // A value that ends in a full stop ("B.V.") before the template's own full stop.
  for (const r of out) r.text = r.text.replace(/(\p{L})\.\.(?!\.)/gu, '$1.');
  return out;
}

// marked leaves HTML entities in text; the model holds plain text.
const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

function listItems(list: Tokens.List, level: number): ListItem[] {
  const items: ListItem[] = [];
  for (const item of list.items) {
    const own: Inline[] = [];
    const nested: ListItem[] = [];
    for (const t of item.tokens) {
      if (t.type === 'list') nested.push(...listItems(t as Tokens.List, level + 1));
      else if (t.type === 'text' || t.type === 'paragraph') {
        if (own.length) own.push({ text: ' ' });
        own.push(...inlines((t as Tokens.Text).tokens ?? [{ type: 'text', raw: (t as Tokens.Text).text, text: (t as Tokens.Text).text } as Tokens.Text]));
      }
    }
    items.push({ level, ordered: list.ordered, runs: own }, ...nested);
  }
  return items;
}

function toBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'heading': {
        const h = t as Tokens.Heading;
        blocks.push({ kind: 'heading', level: Math.min(4, Math.max(1, h.depth)) as 1 | 2 | 3 | 4, text: inlines(h.tokens).map((r) => r.text).join('') });
        break;
      }
      case 'paragraph':
        blocks.push({ kind: 'paragraph', runs: inlines((t as Tokens.Paragraph).tokens) });
        break;
      case 'list':
        {
        const list = t as Tokens.List;
        blocks.push({ kind: 'list', ordered: list.ordered, ...(list.ordered && typeof list.start === 'number' && list.start !== 1 ? { start: list.start } : {}), items: listItems(list, 0) });
        }
        break;
      case 'table': {
        const table = t as Tokens.Table;
        blocks.push({ kind: 'table', header: table.header.map((c) => inlines(c.tokens)), rows: table.rows.map((r) => r.map((c) => inlines(c.tokens))) });
        break;
      }
      case 'blockquote': {
        for (const inner of toBlocks((t as Tokens.Blockquote).tokens)) {
          if (inner.kind === 'paragraph') blocks.push({ kind: 'note', runs: inner.runs });
          else blocks.push(inner);
        }
        break;
      }
      case 'html': {
        const raw = (t as Tokens.HTML).raw;
        if (/<!--\s*pagebreak\s*-->/.test(raw)) blocks.push({ kind: 'pagebreak' });
        if (/<!--\s*pictogram\s*-->/.test(raw)) blocks.push({ kind: 'pictogram' });
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

/** Drops headings with nothing under them before the next heading of the same or a higher level. */
export function dropEmptySections(blocks: Block[]): Block[] {
  let current = blocks;
  for (;;) {
    const next = current.filter((b, i) => {
      if (b.kind !== 'heading') return true;
      for (let j = i + 1; j < current.length; j++) {
        const after = current[j]!;
        if (after.kind === 'heading') return after.level > b.level ? true : false;
        if (after.kind !== 'pagebreak') return true;
      }
      return false;
    });
    // A subheading keeps its parent only while it has content; repeat until nothing changes.
    if (next.length === current.length) return next.filter((b, i, all) => !(b.kind === 'pagebreak' && (i === all.length - 1 || all[i + 1]?.kind === 'pagebreak')));
    current = next;
  }
}

export function markdownToBlocks(markdown: string): Block[] {
  return dropEmptySections(toBlocks(marked.lexer(markdown, { gfm: true })));
}

export interface ComposeInput {
  kind: RenderKind;
  templates: TemplateSet;
  view: Record<string, unknown>;
  version: VersionInfo;
  status: 'concept' | 'vastgesteld';
}

export function composeDocument(input: ComposeInput): DocumentModel {
  const { templates, view, version } = input;
  const s = templates.strings;
  const { front, body } = fillTemplate(templates.read(`${input.kind}.md`), view);
  const blocks = markdownToBlocks(body);
  const doc = view.document as Record<string, string | undefined>;
  const school = view.school as Record<string, string | undefined>;
  const consent = view.consent as { body: string; date?: string } | undefined;
  const un = (v: string | undefined): string => unescapeMarkdown(v ?? '');
  const rows: [string, string][] = [
    [str(s, 'labels.school'), un(school.name)],
    ...(school.board ? [[str(s, 'labels.board'), un(school.board)] as [string, string]] : []),
    [str(s, 'labels.version'), String(version.version)],
    [str(s, 'labels.status'), un(doc.status)],
    [str(s, 'labels.date'), un(doc.date)],
    ...(doc.adoptedBy ? [[str(s, 'labels.adoptedBy'), un(doc.adoptedBy)] as [string, string]] : []),
    [str(s, 'labels.consent').replace('{body}', un(consent?.body ?? (view.consentBody as string))), consent?.date ? un(consent.date) : str(s, 'notSet')],
    [str(s, 'labels.revision'), doc.revisionDate ? un(doc.revisionDate) : str(s, 'notSet')],
    [str(s, 'labels.inputs'), version.inputsHash],
  ];
  const title = front.title ?? str(s, `titles.${input.kind}`);
  return {
    kind: input.kind,
    lang: templates.lang,
    meta: {
      title,
      ...(front.subtitle ? { subtitle: front.subtitle } : {}),
      titlePage: front.titlePage !== 'false',
      poster: front.poster === 'true',
      titleRows: rows,
      footer: `${title} · ${str(s, 'labels.version').toLowerCase()} ${version.version} · ${un(doc.status)} · sha256 ${version.inputsHash.slice(0, 12)}`,
      pageLabel: str(s, 'labels.page'),
      version: version.version,
      status: input.status,
      inputsHash: version.inputsHash,
    },
    blocks,
  };
}
