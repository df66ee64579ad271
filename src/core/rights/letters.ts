// The letters of a request (receipt, extension, answer, no data), Dutch first and English second, from
// templates/<lang>/rights-*.md and the words in templates/<lang>/rights.yaml, rendered by the documents' machinery.
// Each names the right to complain to the Autoriteit Persoonsgegevens (AVG art. 12(4), 77).
import path from 'node:path';
import type { Config } from '../config/index.js';
import { composeLetter, describeRetentionFor, escapeDeep, formatDate, loadWording, str, writeLetter, type Format, type Lang, type Strings } from '../documents/index.js';
import { canonicalJson, sha256Hex, type RightsRequest } from '../register/index.js';
import { localDate, wallTimeAt } from '../time/index.js';

export const LETTER_KINDS = ['receipt', 'extension', 'answer', 'no-data'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
export const LETTER_FORMATS: Format[] = ['md', 'docx', 'pdf'];

export interface LetterOptions {
  langs: Lang[];
  formats: Format[];
  templatesDir?: string;
  now: number;
}

export interface WrittenLetter {
  letter: LetterKind;
  lang: Lang;
  format: Format;
  file: string;
  sha256: string;
}

/** Facts of the letter beyond the request itself: what was done, decided, found. */
export type LetterFacts = Record<string, unknown>;

/** The folder of a request's letters. */
export function requestFolder(config: Config, id: string): string {
  return path.join(config.rights.root, id);
}

const pad = (n: number): string => String(n).padStart(2, '0');

function moment(ms: number, timeZone: string, lang: Lang, words: Strings): string {
  const w = wallTimeAt(ms, timeZone);
  return `${formatDate(localDate(ms, timeZone), lang)} ${str(words, 'at')} ${pad(w.hour)}:${pad(w.minute)}${w.second ? `:${pad(w.second)}` : ''}`;
}

/** What every letter of a request may say, in its language. */
function requestView(config: Config, request: RightsRequest, lang: Lang, words: Strings): Record<string, unknown> {
  const tz = config.school.timezone;
  const date = (d: string | undefined): string | undefined => formatDate(d, lang);
  const cameras = request.cameras.map((id) => {
    const c = config.cameras.find((x) => x.id === id);
    return { id, name: c?.name ?? id, location: c?.location ?? c?.name ?? id };
  });
  const names = cameras.map((c) => c.name);
  const cameraList = names.length > 1 ? `${names.slice(0, -1).join(', ')} ${str(words, 'and')} ${names.at(-1)}` : (names[0] ?? '');
  const self = request.relation === 'self' || request.subject === request.requester;
  return {
    id: request.id,
    type: request.type,
    name: str(words, `types.${request.type}.name`),
    what: str(words, `types.${request.type}.what`),
    article: str(words, `types.${request.type}.article`),
    requester: request.requester,
    subject: request.subject,
    self,
    relation: str(words, `relations.${request.relation}`),
    parent: request.relation === 'parent' || request.relation === 'guardian',
    cameras,
    cameraList,
    from: request.from !== undefined ? moment(request.from, tz, lang, words) : undefined,
    to: request.to !== undefined ? moment(request.to, tz, lang, words) : undefined,
    description: request.description,
    receivedOn: date(request.receivedOn),
    dueOn: date(request.dueOn),
    extended: request.extendedDueOn !== undefined,
    extendedDueOn: date(request.extendedDueOn),
    extendedAt: date(request.extendedAt ? localDate(Date.parse(request.extendedAt), tz) : undefined),
    extensionReason: request.extensionReason,
    is: {
      access: request.type === 'access',
      copy: request.type === 'copy',
      footage: request.type === 'access' || request.type === 'copy',
      rectification: request.type === 'rectification',
      erasure: request.type === 'erasure',
      restriction: request.type === 'restriction',
      objection: request.type === 'objection',
    },
  };
}

function schoolView(config: Config): Record<string, unknown> {
  const p = config.privacy;
  const contact = (...parts: (string | undefined)[]): string | undefined => parts.filter((x) => x && x.trim()).join(', ') || undefined;
  return {
    school: { ...config.school, contact: contact(config.school.email, config.school.phone) },
    controller: p.controller ?? config.school.board ?? config.school.name,
    fg: p.fg ? { ...p.fg, contact: contact(p.fg.email, p.fg.phone) } : undefined,
    complaints: p.complaints,
  };
}

/**
 * Renders one letter of a request in each language and format into the request's folder
 * (`<id>-<letter>-<lang>.<format>`), and returns the files with their hashes.
 */
export async function writeRightsLetter(config: Config, request: RightsRequest, letter: LetterKind, facts: LetterFacts, options: LetterOptions): Promise<WrittenLetter[]> {
  const written: WrittenLetter[] = [];
  const tz = config.school.timezone;
  const inputsHash = sha256Hex(canonicalJson({ letter, request, facts, school: config.school, privacy: config.privacy }));
  for (const lang of options.langs) {
    const words = loadWording(lang, 'rights.yaml', options.templatesDir);
    const retention = describeRetentionFor(config.retention.surveillance, lang, options.templatesDir);
    const view = escapeDeep({
      lang,
      ...schoolView(config),
      date: formatDate(localDate(options.now, tz), lang),
      request: requestView(config, request, lang, words),
      retention,
      ...localiseFacts(facts, tz, lang, words),
    });
    const title = str(words, `letters.${letter}.title`);
    const model = composeLetter({
      lang,
      template: `rights-${letter}.md`,
      view,
      footer: `${config.school.name} · ${request.id} · ${title}`,
      inputsHash,
      ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    });
    const files = await writeLetter(model, options.formats, requestFolder(config, request.id), `${request.id}-${str(words, `letters.${letter}.file`)}-${lang}`);
    for (const f of files) written.push({ letter, lang, format: f.format, file: f.file, sha256: f.sha256 });
  }
  return written;
}

/** Dates and instants in the facts, as the letter's language writes them (keys ending in On are dates, At instants). */
function localiseFacts(facts: LetterFacts, tz: string, lang: Lang, words: Strings): LetterFacts {
  const walk = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    if (typeof value === 'string' && /On$/.test(key) && /^\d{4}-\d{2}-\d{2}/.test(value)) return formatDate(value.slice(0, 10), lang);
    if (typeof value === 'number' && /At$/.test(key)) return moment(value, tz, lang, words);
    if (typeof value === 'string' && /^(outcome|decision)$/.test(key)) return { key: value, text: str(words, `${key}s.${value}`), [value]: true };
    return value;
  };
  return walk(facts) as LetterFacts;
}

/** For the audit entry: file names and hashes (the folder is the request's). */
export function letterDigest(files: WrittenLetter[]): { file: string; sha256: string }[] {
  return files.map((f) => ({ file: path.basename(f.file), sha256: f.sha256 }));
}
