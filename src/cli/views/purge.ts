// Human view of a purge report.
import type { PurgeReport } from '../../core/footage/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { colour, formatBytes, formatCount, plural, shown, table } from '../format.js';

export function renderPurge(report: PurgeReport, timeZone: string): string {
  const lines: string[] = [];
  const when = formatLocalShort(Date.parse(report.now), timeZone);
  const title = report.check ? `Retention check at ${when}` : report.dryRun ? `Dry run at ${when}: nothing was deleted` : `Purge run ${report.runId} at ${when}`;
  lines.push(colour.bold(title) + colour.dim(` (${timeZone})`));
  for (const run of report.interruptedRuns) {
    lines.push(colour.yellow(`Run ${run.runId} (started ${formatLocalShort(Date.parse(run.startedAt), timeZone, true)}) was interrupted; its ${plural(run.deleted, 'deletion')} ${run.deleted === 1 ? 'is' : 'are'} now recorded, ${plural(run.left, 'file')} ${run.left === 1 ? 'was' : 'were'} decided again.`));
  }
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const held = Object.entries(report.held.byHold).map(([id, n]) => `${id}: ${formatCount(n)}`).join(', ');
  lines.push(
    `${report.check ? 'expired' : verb} ${plural(report.deleted.files, 'file')}${report.dryRun ? '' : ` (${formatBytes(report.deleted.bytes)})`}` +
      ` · held ${formatCount(report.held.files)}${held ? ` (${held})` : ''} · kept ${formatCount(report.kept.files)} · unknown ${formatCount(report.unknown.files)}` +
      // The chain's head, so that a log kept elsewhere (syslog) anchors the audit chain too.
      (report.anchor ? ` · audit head ${report.anchor.seq} ${report.anchor.hash}` : ''),
  );
  for (const h of report.storageHolds) lines.push(colour.yellow(`storage ${h.storage} keeps hold ${h.holdId} (${h.cameras.join(', ')}), but ${h.problem}: its footage was kept`));
  const schools = Object.entries(report.bySchool ?? {});
  if (schools.length) {
    lines.push('');
    lines.push(
      table(
        ['school', 'name', report.check ? 'expired' : report.dryRun ? 'to delete' : 'deleted', 'held', 'kept'],
        schools.map(([id, c]) => [id, c.name, c.deleted, c.held, c.kept]),
      ),
    );
  }
  const cameras = Object.entries(report.byCamera);
  if (cameras.length) {
    lines.push('');
    lines.push(
      table(
        ['camera', report.check ? 'expired' : report.dryRun ? 'to delete' : 'deleted', 'held', 'kept', 'retention', 'cut-off'],
        cameras.map(([id, c]) => [id, c.deleted, c.held, c.kept, c.rule, c.cutoff ? formatLocalShort(Date.parse(c.cutoff), timeZone) : '—']),
      ),
    );
  }
  if (report.files?.length) {
    lines.push('');
    for (const f of report.files) lines.push(`${f.action === 'delete' ? verb : 'held'}  ${f.storage}:${shown(f.path)}${f.holds ? `  (${f.holds.join(', ')})` : ''}`);
  }
  if (report.unknown.files) {
    lines.push('');
    lines.push(colour.yellow(`${plural(report.unknown.files, 'file')} ${report.unknown.files === 1 ? 'was' : 'were'} left alone: they match no layout or no configured camera. For example:`));
    for (const s of report.unknown.samples.slice(0, 5)) lines.push(`  ${s.storage}:${shown(s.path)} (${s.reason})`);
  }
  const ex = report.exports;
  if (ex && (ex.removed.length || ex.outside.length || ex.held.length || ex.settled.length)) {
    lines.push('');
    const verbEx = report.dryRun ? 'would remove' : 'removed';
    lines.push(`Export packages: ${verbEx} ${formatCount(ex.removed.length)} expired · held ${formatCount(ex.held.length)} · not yet expired ${formatCount(ex.kept)}`);
    for (const e of ex.removed) lines.push(`  ${verbEx}  ${e.id}  ${e.path}${e.alreadyGone ? colour.dim(' (was already gone)') : ''}`);
    for (const e of ex.settled) lines.push(colour.yellow(`  export ${e.id} had been interrupted; ${e.outcome === 'completed' ? 'its recorded package was moved into place' : 'its unfinished files were removed'}`));
    for (const e of ex.outside) lines.push(colour.yellow(`  expired, outside exports.root: ${e.id} at ${e.path}; destroy it where it is kept`));
  }
  if (report.recorders?.length) {
    lines.push('');
    const action = { unchanged: 'as it should be', set: 'set', 'would-set': 'would set', refused: 'refused', 'no-control': 'cannot be set', unread: 'not read' } as const;
    lines.push(table(['camera', 'recorder', 'recording', 'retention was', 'should be', ''], report.recorders.map((r) => [r.camera, r.storage, r.recording, r.old ?? '—', r.wanted ?? '—', action[r.action]])));
  }
  for (const w of report.warnings) lines.push(colour.yellow(`warning: ${shown(w)}`));
  for (const e of report.errors) lines.push(colour.red(`error: ${e.storage}:${e.path}: ${e.message}`));
  return lines.join('\n');
}
