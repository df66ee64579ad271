// Human view of `footage verify --sources`: the package check, then one line per source that is not unchanged and a
// count of those that are.
import type { SourcesReport } from '../../core/evidence/index.js';
import { colour, plural } from '../format.js';

export function renderSources(r: SourcesReport): string {
  const lines: string[] = [];
  const title =
    r.ok
      ? colour.green(r.checked === 1 ? 'OK: the one source is unchanged in its storage' : `OK: all ${r.checked} sources are unchanged in their storage`)
      : colour.red(`SOURCES NOT AS EXPORTED: ${[r.changed ? `${r.changed} changed` : '', r.missing ? `${r.missing} gone` : '', r.unreadable ? `${r.unreadable} unreadable` : ''].filter(Boolean).join(', ')} of ${r.checked}`);
  lines.push(colour.bold(title));
  if (!r.ok) lines.push(`  ${r.unchanged} of ${plural(r.checked, 'source')} unchanged`);
  for (const s of r.sources) {
    if (s.status === 'unchanged') continue;
    // A source purged after its retention is a finding, not a fault: it is told apart by colour and by its words.
    const label = s.status === 'missing' && s.retention === 'passed' ? colour.yellow('gone') : colour.red('FAIL');
    lines.push(`  ${label}  ${s.detail}`);
  }
  if (r.requests) lines.push(colour.dim(`  ${plural(r.requests.requests, 'request')} to object storage${r.requests.retries ? `, ${r.requests.retries} retried` : ''}`));
  return lines.join('\n');
}
