// Human text lives in messages/<language>/<bundle>.md, one `# key` heading per text, not in code (issue 19.6).
// The language: --lang, then the config's `language`, then LC_ALL / LC_MESSAGES / LANG; English when none says.
import { existsSync, readFileSync } from 'node:fs';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const ROOT = new URL('../../messages/', import.meta.url);

/** Reads a POSIX locale name (nl_NL.UTF-8, en_GB, C) as one of ours; undefined when it names neither. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const code = locale?.trim().toLowerCase().slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(code ?? '') ? (code as Language) : undefined;
}

/** The environment's language, by POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG (the first one set counts). */
export function languageOfEnv(env: NodeJS.ProcessEnv = process.env): Language | undefined {
  const set = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return languageOfLocale(set);
}

/** `--lang X` or `--lang=X` on the command line, read before oclif parses it (help and early errors need it). */
export function languageOfArgv(argv: string[] = process.argv): Language | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') return languageOfLocale(argv[i + 1]);
    if (a.startsWith('--lang=')) return languageOfLocale(a.slice('--lang='.length));
  }
  return undefined;
}

let configLanguage: Language | undefined;
let flagLanguage: Language | undefined;

/** Called by the command base once the flags, and again once the config, are read. */
export function useLanguage(source: { flag?: string | string[] | undefined; config?: string | undefined }): void {
  if ('flag' in source) flagLanguage = languageOfLocale(Array.isArray(source.flag) ? source.flag[0] : source.flag);
  if ('config' in source) configLanguage = languageOfLocale(source.config);
}

/** The language human text is written in now. */
export function currentLanguage(): Language {
  return flagLanguage ?? languageOfArgv() ?? configLanguage ?? languageOfEnv() ?? 'en';
}

/** Parses a message file: each `# key` heading starts a text that runs to the next heading. */
export function parseMessages(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | undefined;
  let body: string[] = [];
  const flush = (): void => {
    if (key !== undefined) out.set(key, body.join('\n').trim());
  };
  for (const line of text.split('\n')) {
    const heading = /^# (\S+)\s*$/.exec(line);
    if (heading) {
      flush();
      key = heading[1]!;
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

const cache = new Map<string, Map<string, string> | null>();

/** The texts of one bundle in one language; null when that file does not exist. */
export function bundleTexts(bundle: string, language: Language): Map<string, string> | null {
  const id = `${language}/${bundle}`;
  if (!cache.has(id)) {
    const file = new URL(`${language}/${bundle}.md`, ROOT);
    cache.set(id, existsSync(file) ? parseMessages(readFileSync(file, 'utf8')) : null);
  }
  return cache.get(id)!;
}

export type Values = Record<string, string | number>;

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function fill(text: string, values: Values = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export interface Messages {
  /** The text of `key` in the current language (English when the current language lacks it). Throws for an unknown key. */
  get(key: string, values?: Values): string;
  /** As get, or undefined when neither language has the key. */
  find(key: string, values?: Values): string | undefined;
  has(key: string): boolean;
  /** The keys that start with `prefix`, in the order of the current language's file (English when it has none). */
  keys(prefix: string): string[];
}

/** The texts of a bundle (messages/<language>/<bundle>.md), looked up in the language current at each call. */
export function messages(bundle: string, language?: Language): Messages {
  const find = (key: string, values?: Values): string | undefined => {
    const text = bundleTexts(bundle, language ?? currentLanguage())?.get(key) ?? bundleTexts(bundle, 'en')?.get(key);
    return text === undefined ? undefined : fill(text, values);
  };
  return {
    find,
    has: (key) => find(key) !== undefined,
    keys: (prefix) => [...((bundleTexts(bundle, language ?? currentLanguage()) ?? bundleTexts(bundle, 'en'))?.keys() ?? [])].filter((k) => k.startsWith(prefix)),
    get(key, values) {
      const text = find(key, values);
      if (text === undefined) throw new Error(`No message "${key}" in messages/*/${bundle}.md`);
      return text;
    },
  };
}
