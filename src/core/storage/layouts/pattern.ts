// `pattern` layout: a path template such as `{camera}/{YYYY}{MM}{DD}/{HH}{mm}{ss}.mp4`.
import type { ParsedPath } from './types.js';
import { localTimeReader } from './local-time.js';

const TOKENS = {
  camera: '([^/]+?)',
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  DD: '(\\d{2})',
  HH: '(\\d{2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
} as const;
type Token = keyof typeof TOKENS;

export interface CompiledPattern {
  regex: RegExp;
  tokens: Token[];
  hasCamera: boolean;
  /** How coarse the time in a name is: 1 s with {ss}, 60 s with {mm} only, … A file may start anywhere within it. */
  granularitySeconds: number;
}

/** Compiles a pattern, or returns the problem in words. */
export function compilePattern(pattern: string): CompiledPattern | string {
  if (pattern.startsWith('/')) return 'the pattern is relative to the storage root; remove the leading "/"';
  const tokens: Token[] = [];
  let source = '';
  let rest = pattern;
  for (;;) {
    const open = rest.indexOf('{');
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    if (close < 0) return `unclosed "{" in the pattern`;
    const name = rest.slice(open + 1, close);
    if (!(name in TOKENS)) return `unknown token {${name}}; the tokens are {camera} {YYYY} {MM} {DD} {HH} {mm} {ss}`;
    if (tokens.includes(name as Token)) return `token {${name}} appears twice`;
    source += escape(rest.slice(0, open)) + TOKENS[name as Token];
    tokens.push(name as Token);
    rest = rest.slice(close + 1);
  }
  source += escape(rest);
  for (const required of ['YYYY', 'MM', 'DD'] as const) {
    if (!tokens.includes(required)) return `the pattern needs {${required}}: a file's time comes from its path`;
  }
  if (tokens.includes('ss') && !tokens.includes('mm')) return 'a pattern with {ss} needs {mm}';
  if (tokens.includes('mm') && !tokens.includes('HH')) return 'a pattern with {mm} needs {HH}';
  const granularitySeconds = tokens.includes('ss') ? 1 : tokens.includes('mm') ? 60 : tokens.includes('HH') ? 3600 : 86400;
  return { regex: new RegExp(`^${source}$`), tokens, hasCamera: tokens.includes('camera'), granularitySeconds };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function patternParser(compiled: CompiledPattern, timeZone: string, segmentSeconds: number, singleCamera?: string) {
  const readLocal = localTimeReader(timeZone);
  // A name that only says the minute may start up to 59 s later: count that into the end, never out.
  const lengthMs = (segmentSeconds + compiled.granularitySeconds - 1) * 1000;
  return (relPath: string): ParsedPath | undefined => {
    const m = compiled.regex.exec(relPath);
    if (!m) return undefined;
    const fields: Record<string, string> = {};
    compiled.tokens.forEach((t, i) => (fields[t] = m[i + 1]!));
    const camera = compiled.hasCamera ? fields.camera! : singleCamera;
    if (camera === undefined) return undefined;
    const start = readLocal(
      Number(fields.YYYY),
      Number(fields.MM),
      Number(fields.DD),
      fields.HH === undefined ? 0 : Number(fields.HH),
      fields.mm === undefined ? 0 : Number(fields.mm),
      fields.ss === undefined ? 0 : Number(fields.ss),
    );
    if (start === undefined) return undefined;
    return { camera, start, end: start + lengthMs };
  };
}
