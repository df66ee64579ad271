// Letters to one person (the answers to a data-subject request): a template from templates/<lang>/ filled with
// Handlebars, read into the same model as the school's documents and rendered by the same renderers, without a
// title page or a version history. Each letter carries the hash of the facts it was made from.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import { sha256Hex } from '../register/index.js';
import { fillTemplate, markdownToBlocks } from './compose.js';
import { describeRetention } from './format.js';
import { toBytes, type RenderedFile } from './generate.js';
import { renderMarkdown } from './render/markdown.js';
import { loadTemplates, str, type Strings } from './templates.js';
import type { DocumentModel, Format, Lang } from './types.js';

export interface LetterRequest {
  lang: Lang;
  /** Template file, e.g. `rights-receipt.md`. */
  template: string;
  /** What the template sees, Markdown-escaped (escapeDeep). */
  view: Record<string, unknown>;
  /** Running footer, e.g. "R-2026-0001 · ontvangstbevestiging". */
  footer: string;
  /** Hash of the facts the letter is made from (in the PDF's and DOCX's metadata). */
  inputsHash: string;
  /** The school's own templates (as for the documents). */
  templatesDir?: string;
}

export function composeLetter(request: LetterRequest): DocumentModel {
  const templates = loadTemplates(request.lang, request.templatesDir);
  const { front, body } = fillTemplate(templates.read(request.template), request.view);
  return {
    kind: 'correspondence',
    lang: request.lang,
    meta: {
      title: front.title ?? request.footer,
      titlePage: false,
      poster: false,
      titleRows: [],
      footer: request.footer,
      pageLabel: str(templates.strings, 'labels.page'),
      version: 1,
      status: 'vastgesteld',
      inputsHash: request.inputsHash,
    },
    blocks: markdownToBlocks(body),
  };
}

/** A YAML file of words from the templates folder (the school's copy wins, as for the templates). */
export function loadWording(lang: Lang, file: string, templatesDir?: string): Strings {
  const { text, file: found } = loadTemplates(lang, templatesDir).read(file);
  try {
    return (parse(text) ?? {}) as Strings;
  } catch (error) {
    throw new UsageError('templates.strings', `${found} is not valid YAML (${(error as Error).message.split('\n')[0]}); fix it or remove it to use the built-in words.`);
  }
}

/** Writes the letter in each format as `<baseName>.<format>` (0640: it names a person), replacing an older one. */
export async function writeLetter(model: DocumentModel, formats: Format[], outDir: string, baseName: string): Promise<RenderedFile[]> {
  mkdirSync(outDir, { recursive: true, mode: 0o750 });
  const markdown = renderMarkdown(model);
  const files: RenderedFile[] = [];
  for (const format of formats) {
    const bytes = await toBytes(model, format, markdown);
    const file = path.join(outDir, `${baseName}.${format}`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: 0o640 });
    renameSync(tmp, file);
    files.push({ lang: model.lang, format, file, sha256: sha256Hex(bytes), bytes: bytes.length });
  }
  return files;
}

/** A retention setting in words of a language (`P28D` → `28 dagen`). */
export function describeRetentionFor(setting: string | undefined, lang: Lang, templatesDir?: string): string {
  return describeRetention(setting, loadTemplates(lang, templatesDir).strings);
}
