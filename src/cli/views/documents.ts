// Human views of rendered documents, their history and the difference between two versions.
import path from 'node:path';
import type { HistoryEntry, RenderedDocument, VersionDiff } from '../../core/documents/index.js';
import type { Change } from '../../core/documents/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, table } from '../format.js';

export function renderRendered(documents: RenderedDocument[]): string {
  const lines: string[] = [];
  for (const d of documents) {
    lines.push(
      `${colour.bold(d.document)} version ${d.version}${d.created ? colour.green(' (new)') : ''} · ${d.status}${d.revisionDate ? ` · revision ${d.revisionDate}` : ''} · inputs ${d.inputsHash.slice(0, 12)}`,
    );
    for (const f of d.files) lines.push(`  ${path.relative(process.cwd(), f.file) || f.file}`);
  }
  return lines.join('\n');
}

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? '' : s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

export function describeChange(c: Change): string {
  if (c.path === 'templates') return 'the templates changed';
  if (c.change === 'added') return `${c.path} added: ${short(c.to)}`;
  if (c.change === 'removed') return `${c.path} removed (was ${short(c.from)})`;
  return `${c.path}: ${short(c.from)} → ${short(c.to)}`;
}

export function renderHistory(document: string, entries: HistoryEntry[], timeZone: string): string {
  if (!entries.length) return `The register has no version of the ${document} yet.`;
  return table(
    ['version', 'date', 'by', 'status', 'inputs', 'what changed'],
    entries.map((e) => [
      String(e.version),
      formatLocalShort(Date.parse(e.createdAt), timeZone),
      e.createdBy,
      e.status,
      e.inputsHash.slice(0, 12),
      e.version === 1 ? 'first version' : e.changes.map(describeChange).join('; ') || 'no change in the inputs',
    ]),
  );
}

export function renderDiff(diff: VersionDiff): string {
  const lines = [colour.bold(`${diff.document}: version ${diff.from} → ${diff.to}`), ''];
  if (!diff.changes.length) lines.push('The inputs are the same.');
  for (const c of diff.changes) lines.push(`  ${describeChange(c)}`);
  lines.push('');
  if (diff.text !== undefined) {
    for (const line of diff.text.split('\n').slice(2)) {
      lines.push(line.startsWith('+') ? colour.green(line) : line.startsWith('-') ? colour.red(line) : line.startsWith('@@') ? colour.cyan(line) : line);
    }
  } else lines.push(colour.dim(`(no ${diff.lang} text of both versions in the register: render both in ${diff.lang} to compare their text)`));
  return lines.join('\n');
}
