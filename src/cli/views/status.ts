// Human view of footage status.
import type { StatusReport } from '../../core/footage/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, formatBytes, shown, table } from '../format.js';

/**
 * A finding as the table above it speaks: instants in school time and sizes in KB/MB (the JSON keeps the core's
 * ISO 8601 and bytes).
 */
export function inSchoolTerms(message: string, timeZone: string): string {
  return message
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g, (iso) => formatLocalShort(Date.parse(iso), timeZone))
    .replace(/\((\d+) bytes\)/g, (_, n: string) => `(${formatBytes(Number(n))})`);
}

export function renderStatus(report: StatusReport, timeZone: string): string {
  const local = (iso: string | null): string => (iso ? formatLocalShort(Date.parse(iso), timeZone) : '—');
  const lines = [colour.bold(`Footage at ${formatLocalShort(Date.parse(report.now), timeZone)}`) + colour.dim(` (${timeZone})`), ''];
  // A board's config: the cameras grouped by school, the school in the first column.
  const bySchool = report.cameras.some((c) => c.school !== undefined);
  const cameras = bySchool ? [...report.cameras].sort((a, b) => (a.school ?? '').localeCompare(b.school ?? '')) : report.cameras;
  lines.push(
    table(
      [...(bySchool ? ['school'] : []), 'camera', 'files', 'size', 'oldest', 'newest', 'held', 'expired', 'kept (days)', 'retention'],
      cameras.map((c) => [
        ...(bySchool ? [c.school ?? '(board)'] : []),
        c.id,
        c.files,
        formatBytes(c.bytes),
        local(c.oldest),
        local(c.newest),
        c.held.files ? `${c.held.files} (${formatBytes(c.held.bytes)})` : '0',
        c.expired.files ? colour.red(String(c.expired.files)) : '0',
        c.actualRetentionDays === null ? '—' : String(c.actualRetentionDays),
        c.rule,
      ]),
    ),
  );
  if (report.findings.length) lines.push('');
  for (const f of report.findings) {
    const text = shown(inSchoolTerms(f.message, timeZone));
    lines.push(f.severity === 'error' ? colour.red(`error: ${text}`) : colour.yellow(`warning: ${text}`));
  }
  if (!report.findings.some((f) => f.severity === 'error')) lines.push('', colour.green('No footage is kept past its retention.'));
  return lines.join('\n');
}
