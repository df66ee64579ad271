// Human output: colours (off when not a terminal or NO_COLOR), sizes, tables.
import chalk, { chalkStderr } from 'chalk';

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
