// Human views of exports: the package just written, a redaction review, a verification, the list of past exports,
// a new key.
import type { ExportResult, KeysInitResult, ReviewResult, VerifyReport } from '../../core/evidence/index.js';
import type { Config } from '../../core/config/index.js';
import type { ExportListing } from '../../core/exports/index.js';
import { formatLocalShort } from '../../core/time/index.js';
import { formatClock } from '../progress.js';
import { bySchoolSections } from './schools.js';
import { colour, formatBytes, plural, shown, table } from '../format.js';

const local = (iso: string, tz: string): string => formatLocalShort(Date.parse(iso), tz, true);

export function renderExport(r: ExportResult, timeZone: string): string {
  const m = r.manifest;
  const lines = [`${colour.bold(`Export ${r.exportId}`)} written to ${r.packageDir}${r.encrypted ? colour.dim(' (encrypted)') : ''}`];
  lines.push(`  asked     ${local(m.requested.from, timeZone)} – ${local(m.requested.to, timeZone)} ${colour.dim(`(${timeZone})`)}`);
  lines.push(`  why       ${shown(m.reason ?? '(not given)')}${m.case ? ` (case ${shown(m.case)})` : ''}`);
  lines.push(`  for       ${m.recipient ? shown(m.recipient) : colour.yellow('(recipient not given)')}, legal basis ${m.legalBasis ? shown(m.legalBasis) : colour.yellow('(not given)')}`);
  for (const c of m.clips) {
    lines.push(
      `  ${c.camera.padEnd(9)} ${local(c.covered.from, timeZone)} – ${local(c.covered.to, timeZone)}  ${formatClock(c.output.durationSeconds)}, ${plural(c.output.frames, 'frame')}, ${formatBytes(c.output.bytes)}  ${colour.dim(c.output.file)}`,
    );
    for (const g of c.gaps) {
      lines.push(colour.yellow(`            gap ${local(g.from, timeZone)} – ${local(g.to, timeZone)} (${g.seconds} s): ${g.reason === 'corrupt' ? `damaged segment left out: ${(g.segments ?? []).join(', ')}` : 'no footage'}`));
    }
    const red = c.redacted;
    if (red) {
      const parts = [
        `${red.style}`,
        `${plural(red.redactedTracks, 'track')} unrecognisable`,
        ...(red.keptTracks.length ? [`kept visible: ${red.keptTracks.join(', ')}`] : []),
        ...(red.masks ? [`${red.masks} ${red.masks === 1 ? 'mask' : 'masks'}`] : []),
        red.audio ? 'with audio' : 'no audio',
        red.planSource === 'reviewed' ? 'reviewed plan' : 'plan made now',
      ];
      lines.push(`            redacted copy: ${parts.join(', ')}  ${colour.dim(red.file)}`);
    }
  }
  if (r.hold) lines.push(`  hold      ${r.hold.id} keeps this footage on the recorder until the case "${shown(r.hold.caseRef)}" is closed${r.holdReused ? colour.dim(' (already in place)') : ''}`);
  lines.push(`  expires   ${r.keepUntil ? local(r.keepUntil, timeZone) : r.hold ? `when hold ${r.hold.id} is released` : 'never by itself (no retention applies): remove it when done'}`);
  lines.push(`  manifest  SHA-256 ${r.manifestSha256}, signed by key ${m.signature.fingerprint.slice(0, 16)}…`);
  lines.push(colour.dim(`  check it  toezicht footage verify ${r.packageDir}${r.encrypted ? ' --identity KEY' : `   (or: cd ${r.packageDir} && sha256sum -c SHA256SUMS)`}`));
  for (const w of r.warnings) lines.push(colour.yellow(`warning: ${shown(w)}`));
  return lines.join('\n');
}

export function renderReview(r: ReviewResult, timeZone: string): string {
  const d = r.review;
  const lines = [`${colour.bold(`Redaction review ${r.reviewId}`)} written to ${r.reviewDir} ${colour.dim('(no package yet; nothing handed out)')}`];
  lines.push(`  asked     ${local(d.requested.from, timeZone)} – ${local(d.requested.to, timeZone)} ${colour.dim(`(${timeZone})`)}`);
  for (const c of d.clips) {
    const faces = c.plan.tracks.filter((t) => t.kind === 'face').length;
    const persons = c.plan.tracks.filter((t) => t.kind === 'person').length;
    const found = [...(d.what.includes('face') ? [`${faces} ${faces === 1 ? 'face' : 'faces'}`] : []), ...(d.what.includes('person') ? [`${persons} ${persons === 1 ? 'person' : 'persons'}`] : [])].join(', ');
    lines.push(`  ${c.camera.padEnd(9)} ${local(c.covered.from, timeZone)} – ${local(c.covered.to, timeZone)}  ${found}${c.plan.masks ? `, ${c.plan.masks} ${c.plan.masks === 1 ? 'mask' : 'masks'}` : ''}`);
    lines.push(`            tracks ${c.plan.tracks.map((t) => t.id).join(' ') || '—'}`);
    lines.push(colour.dim(`            ${c.plan.file}, ${c.contactSheet.file}`));
  }
  if (r.hold) lines.push(`  hold      ${r.hold.id} keeps this footage on the recorder until the case "${shown(r.hold.caseRef)}" is closed${r.holdReused ? colour.dim(' (already in place)') : ''}`);
  lines.push(`  expires   ${r.keepUntil ? local(r.keepUntil, timeZone) : r.hold ? `when hold ${r.hold.id} is released` : 'never by itself (no retention applies): remove it when done'}`);
  lines.push(colour.yellow('  The contact sheets show the faces unredacted: for the operator only.'));
  lines.push('  Look at the contact sheet, edit the plan if needed, then render it (add --keep-track ID to leave a track visible):');
  lines.push(`    ${r.next}`);
  for (const w of r.warnings) lines.push(colour.yellow(`warning: ${shown(w)}`));
  return lines.join('\n');
}

export function renderVerify(r: VerifyReport): string {
  const lines: string[] = [];
  const title = r.ok
    ? colour.green(`OK: ${r.exportId ?? r.dir} is unchanged${r.encrypted && !r.contentsChecked ? ' (the encrypted archive; its contents were not checked)' : ''}`)
    : colour.red(`CHANGED: ${r.exportId ?? r.dir} does not match its signed manifest`);
  lines.push(colour.bold(title));
  if (r.exportId) lines.push(`  export    ${r.exportId}${r.case ? ` (case ${shown(r.case)})` : ''}, cameras ${r.cameras?.join(', ')}, made ${r.createdAt}`);
  if (r.covered) lines.push(`  covers    ${r.covered.from} – ${r.covered.to}`);
  if (r.fingerprint) lines.push(`  key       ${r.fingerprint}${r.keyPinned ? ' (checked against --public-key)' : colour.dim(' (compare with the fingerprint the school published, or give --public-key)')}`);
  for (const c of r.checks) lines.push(`  ${c.ok ? colour.green('ok') : colour.red('FAIL')}  ${c.check}${c.detail ? colour.dim(` (${c.detail})`) : ''}`);
  for (const c of r.changed) lines.push(colour.red(`  changed: ${c}`));
  for (const w of r.warnings) lines.push(colour.yellow(`  warning: ${shown(w)}`));
  return lines.join('\n');
}

/** Past exports; in a board's config one table per school, headed by the school's name. */
export function renderExports(listing: ExportListing, config: Config, expiredOnly: boolean): string {
  const timeZone = config.school.timezone;
  if (!listing.exports.length) return expiredOnly ? 'No expired export packages.' : 'No exports.';
  if (!listing.bySchool) return exportsTable(listing.exports, timeZone);
  return bySchoolSections(config, listing.bySchool, listing.exports, (items) => exportsTable(items, timeZone));
}

function exportsTable(exports: ExportListing['exports'], timeZone: string): string {
  return table(
    ['export', 'made', 'by', 'case', 'cameras', 'from', 'to', 'expires', 'package'],
    exports.map((e) => [
      e.id,
      formatLocalShort(Date.parse(e.createdAt), timeZone),
      shown(e.createdBy.sudoUser ? `${e.createdBy.user} (${e.createdBy.sudoUser})` : e.createdBy.user),
      e.caseRef !== undefined && e.caseRef !== null ? shown(e.caseRef) : '—',
      e.cameras.join(','),
      formatLocalShort(Date.parse(e.from), timeZone),
      formatLocalShort(Date.parse(e.to), timeZone),
      e.status === 'purged'
        ? colour.dim(`removed ${e.purgedAt?.slice(0, 10) ?? ''}`)
        : e.status !== 'done' && e.status !== 'review'
          ? colour.dim(e.status)
          : e.heldBy
            ? colour.green(`held (${e.heldBy})`)
            : e.expired
              ? colour.red(`expired ${e.expiresAt ? formatLocalShort(Date.parse(e.expiresAt), timeZone) : ''}`)
              : e.expiresAt
                ? formatLocalShort(Date.parse(e.expiresAt), timeZone)
                : 'no expiry',
      e.status === 'done' || e.status === 'review'
        ? `${e.present ? e.packageDir : colour.yellow(`${e.packageDir} (missing)`)}${e.status === 'review' ? colour.dim(' (redaction review)') : ''}`
        : colour.dim(e.packageDir),
    ]),
  );
}

export function renderKeysInit(r: KeysInitResult): string {
  return [
    colour.bold(r.replaced ? 'A new signing key replaces the old one.' : 'The school signing key is ready.'),
    `  private key  ${r.privateKey} (keep it secret; back it up with the register)`,
    `  public key   ${r.publicKey}`,
    `  fingerprint  ${r.fingerprint}`,
    ...(r.replaced ? [`  replaced     ${r.replaced.fingerprint} (its public key: ${r.replaced.retiredPublicKey})`] : []),
    colour.dim('Publish the fingerprint (camerareglement, or with the custody record): receivers compare it with the key in a package.'),
  ].join('\n');
}
