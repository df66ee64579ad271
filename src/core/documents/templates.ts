// Where the wording lives: templates/<lang>/ (Markdown with Handlebars, and strings.yaml). A school's own copies
// (--templates DIR, with <lang>/ folders or the files directly) win file by file; what they lack comes built in.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import type { Lang } from './types.js';

export const BUILTIN_TEMPLATES = path.resolve(import.meta.dirname, '../../../templates');

export interface TemplateSet {
  lang: Lang;
  /** The school's folder, when one was given. */
  custom?: string;
  read(name: string): { text: string; file: string };
  strings: Strings;
}

export type Strings = Record<string, unknown>;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Digest of the wording a document can be made from: its template and the shared strings, built in and the
 * school's, in every language (so the Dutch and the English text of the same inputs are one version).
 */
export function templatesDigest(name: string, customDir?: string): string {
  const hash = createHash('sha256');
  for (const dir of [BUILTIN_TEMPLATES, ...(customDir ? [path.resolve(customDir)] : [])]) {
    for (const file of filesUnder(dir)) {
      const base = path.basename(file);
      if (base === name || base === 'strings.yaml') hash.update(path.relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Deep merge: the school's strings override the built-in ones key by key. */
function merge(base: Strings, over: Strings): Strings {
  const out: Strings = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Strings, v as Strings) : v;
  }
  return out;
}

export function loadTemplates(lang: Lang, customDir?: string): TemplateSet {
  const builtin = path.join(BUILTIN_TEMPLATES, lang);
  let custom: string | undefined;
  if (customDir) {
    const dir = path.resolve(customDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError('templates.missing', `--templates ${customDir} is not a folder; point it at a copy of toezicht's templates folder.`);
    custom = existsSync(path.join(dir, lang)) ? path.join(dir, lang) : dir;
  }
  const read = (name: string): { text: string; file: string } => {
    for (const dir of [custom, builtin]) {
      if (!dir) continue;
      const file = path.join(dir, name);
      if (existsSync(file)) return { text: readFileSync(file, 'utf8'), file };
    }
    throw new UsageError('templates.file-missing', `No template ${name} for language ${lang} in ${custom ?? builtin}.`);
  };
  const parseStrings = (file: string): Strings => {
    try {
      return (parse(readFileSync(file, 'utf8')) ?? {}) as Strings;
    } catch (error) {
      throw new UsageError('templates.strings', `${file} is not valid YAML (${(error as Error).message.split('\n')[0]}); fix it or remove it to use the built-in words.`);
    }
  };
  let strings = parseStrings(path.join(builtin, 'strings.yaml'));
  if (custom && existsSync(path.join(custom, 'strings.yaml'))) strings = merge(strings, parseStrings(path.join(custom, 'strings.yaml')));
  return { lang, ...(custom ? { custom } : {}), read, strings };
}

/** A string from strings.yaml by dotted key, e.g. `labels.version`. */
export function str(strings: Strings, key: string): string {
  let v: unknown = strings;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Strings)[part] : undefined;
  return typeof v === 'string' ? v : key;
}
