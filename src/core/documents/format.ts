// Values as the documents print them, in the document's language: dates, retention periods, Markdown-safe text.
import { parseDuration } from '../time/index.js';
import { str, type Strings } from './templates.js';
import type { Lang } from './types.js';

const LOCALES: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' };

/** `2021-02-01` → `1 februari 2021` / `1 February 2021`; anything else is returned as given. */
export function formatDate(value: string | undefined, lang: Lang): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** A retention setting in words: `P28D` → `28 dagen`, `school-year` → `tot het einde van het schooljaar (31 juli)`. */
export function describeRetention(setting: string | undefined, strings: Strings): string {
  if (setting === undefined) return str(strings, 'retention.unset');
  if (setting === 'school-year' || setting === 'authorisation') return str(strings, `retention.${setting}`);
  const d = parseDuration(setting);
  if (!d) return setting;
  const units = (strings.units ?? {}) as Record<string, [string, string]>;
  const parts: string[] = [];
  const add = (n: number, unit: string): void => {
    if (n) parts.push(`${n} ${(units[unit] ?? [unit, `${unit}s`])[n === 1 ? 0 : 1]}`);
  };
  add(d.years, 'year');
  add(d.months, 'month');
  add(d.weeks, 'week');
  add(d.days, 'day');
  add(d.hours, 'hour');
  add(d.minutes, 'minute');
  add(d.seconds, 'second');
  return parts.join(' ') || setting;
}

/** Escapes what Markdown would read as markup, so a school's value prints as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`).replace(/^(\s*)(\d+)\.(\s)/, '$1$2\\.$3').replace(/^(\s*)([-+])(\s)/, '$1\\$2$3');
}

/** Escapes every string inside a value (objects and lists too). */
export function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeMarkdown(value) as T;
  if (Array.isArray(value)) return value.map(escapeDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)])) as T;
  return value;
}

/** Undoes escapeMarkdown (for the title page, which is not Markdown). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_[\]<>|#~.+-])/g, '$1');
}
