// The report's period from --from/--to or --year, as school-time calendar days; and writing its files.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { endOfDay, localDate, parseDate } from '../time/index.js';
import type { RenderedFile } from './render.js';

export interface PeriodInput {
  from?: string;
  to?: string;
  year?: number;
}

/** [from, to) in ms: from the first day's start to the last day's end (school time). */
export function reportPeriod(input: PeriodInput, timeZone: string, now: number, problem: string): { from: number; to: number } {
  let first: string | undefined;
  let last: string | undefined;
  if (input.year !== undefined) {
    if (input.from || input.to || input.year < 2000 || input.year > 2200) throw new UsageError('report.period', problem);
    first = `${input.year}-01-01`;
    last = `${input.year}-12-31`;
  } else {
    if (!input.from) throw new UsageError('report.period', problem);
    first = input.from;
    last = input.to ?? localDate(now, timeZone);
  }
  if (!parseDate(first) || !parseDate(last) || last < first) throw new UsageError('report.period', problem);
  const from = endOfDay(previousDay(first), timeZone) + 1;
  return { from, to: endOfDay(last, timeZone) + 1 };
}

function previousDay(date: string): string {
  const d = parseDate(date)!;
  return new Date(Date.UTC(d.year, d.month - 1, d.day - 1)).toISOString().slice(0, 10);
}

/** Writes the files into `dir` (made when missing, mode 0600 files: a confidential report names hidden cameras). */
export function writeReportFiles(files: RenderedFile[], dir: string): { path: string; sha256: string; bytes: number }[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const file = path.join(dir, f.name);
    writeFileSync(file, f.content, { mode: 0o600 });
    const buf = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
    return { path: file, sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
  });
}
