// Human output: colours (off when not a terminal or NO_COLOR), sizes, tables, text from users shown safely.
import chalk, { chalkStderr } from 'chalk';

// chalk's own detection ignores NO_COLOR (https://no-color.org): a non-empty value turns colour off, terminal or not.
if (process.env.NO_COLOR) {
  chalk.level = 0;
  chalkStderr.level = 0;
}

const stderrColour = chalkStderr;

/** Colours for stderr messages. */
export const paint = {
  error: (s: string): string => stderrColour.red.bold(s),
  warn: (s: string): string => stderrColour.yellow(s),
  ok: (s: string): string => stderrColour.green(s),
  dim: (s: string): string => stderrColour.dim(s),
};

/** Colours for stdout: chalk's own detection (off in pipes and with NO_COLOR). */
export const colour = chalk;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 file", "3 files"; `many` when the plural is not the word plus "s" ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// Control characters (C0, DEL, C1) and the bidirectional overrides that can make text read differently than stored.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/**
 * Text a user typed (a case, a reason, a name), as a human view shows it: stored as given, but a terminal escape
 * or a newline is shown escaped (ESC as \e, a newline as \n), so it can neither redraw the screen nor fake a line.
 */
export function shown(text: string | undefined | null): string {
  if (text === undefined || text === null) return '';
  return String(text).replace(UNSAFE, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * A message put together from parts, as one clean sentence: no "mounted?." or ".." where a part already ended its
 * sentence, and no sentence said twice in a row (a cause repeated by the error that wraps it).
 */
export function tidy(message: string): string {
  const joined = message.replace(/([?!.])\.(?!\.)(?=\s|$)/g, (m, p: string, offset: number, all: string) => (p === '.' && all[offset - 1] === '.' ? m : p));
  const sentences = joined.split(/(?<=[.?!])\s+/);
  return sentences.filter((x, i) => i === 0 || x.trim() !== sentences[i - 1]!.trim()).join(' ');
}

/** The terminal's width for wrapped views (80 without one). */
export function terminalWidth(): number {
  return Math.max(40, process.stdout.columns || 80);
}

/**
 * Labelled fields, one a line, values wrapped to the width under their start: the human view of a record
 * (an audit entry's details, a request's steps). Values are user text and shown safely.
 */
export function fields(entries: [string, string][], options: { indent?: number; width?: number } = {}): string {
  const indent = options.indent ?? 2;
  const width = options.width ?? terminalWidth();
  const labelWidth = Math.min(18, Math.max(0, ...entries.map(([k]) => k.length)));
  const valueStart = indent + labelWidth + 2;
  const room = Math.max(20, width - valueStart);
  const out: string[] = [];
  for (const [label, value] of entries) {
    const lines = wrap(shown(value), room);
    const head = `${' '.repeat(indent)}${label.padEnd(labelWidth)}  `;
    out.push(`${head}${lines[0] ?? ''}`.trimEnd());
    for (const l of lines.slice(1)) out.push(`${' '.repeat(head.length)}${l}`);
  }
  return out.join('\n');
}

/** Breaks text at spaces (or anywhere, for a word longer than the line) into lines of at most `room` characters. */
export function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > room) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, room));
      w = w.slice(room);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= room) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

// Printable width, ignoring colour codes.
function width(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Aligned columns with a header; numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatCount(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => width(r[i] ?? ''))));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]): string =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - width(c)));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => colour.bold(h))), ...cells.map(line)].join('\n');
}
