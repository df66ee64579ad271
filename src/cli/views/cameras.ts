// Human views of devices and the camera inventory.
import type { CheckReport, DiscoverAndSaveResult, DeviceReport, Finding, InventoryEntry, SnapshotResult, RecorderDetails } from '../../core/devices/index.js';
import { colour, formatBytes, table } from '../format.js';

function finding(f: Finding): string {
  const text = `${f.severity}: ${f.message}${f.source ? colour.dim(` [${f.source}]`) : ''}`;
  return f.severity === 'error' ? colour.red(text) : colour.yellow(text);
}

const dash = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? '—' : String(v));

function stream(d: DeviceReport): string {
  const p = d.profiles[0];
  if (!p) return '—';
  return `${p.encoding ?? '?'} ${p.width ?? '?'}x${p.height ?? '?'}${p.fps ? ` ${p.fps} fps` : ''}${d.profiles.length > 1 ? ` (+${d.profiles.length - 1})` : ''}`;
}

export function renderDiscovery(r: DiscoverAndSaveResult): string {
  const where = [...r.probed.interfaces.map((i) => `multicast on ${i}`), ...r.probed.sweeps.map((s) => `sweep ${s}`), ...r.probed.hosts.map((h) => `host ${h}`)].join(', ');
  const lines = [colour.bold(`${r.devices.length} device${r.devices.length === 1 ? '' : 's'} found`) + colour.dim(` (${where}; ${(r.durationMs / 1000).toFixed(1)} s)`)];
  if (r.probed.multicastSkipped) lines.push(colour.yellow(`multicast skipped: ${r.probed.multicastSkipped}`));
  lines.push('');
  if (r.devices.length) {
    lines.push(
      table(
        ['address', 'kind', 'make and model', 'firmware', 'serial', 'stream', 'clock', 'inventory', 'status'],
        r.devices.map((d) => [
          d.address,
          dash(d.kind),
          dash([d.manufacturer, d.model].filter(Boolean).join(' ')),
          dash(d.firmware),
          dash(d.serial),
          stream(d),
          d.clockOffsetSeconds === null ? '—' : `${d.clockOffsetSeconds > 0 ? '+' : ''}${d.clockOffsetSeconds} s`,
          dash(d.inventoryId),
          d.error ? colour.red('error') : d.findings.some((f) => f.severity === 'error') ? colour.red('findings') : d.findings.length ? colour.yellow('warnings') : colour.green('ok'),
        ]),
      ),
    );
  }
  for (const d of r.devices) {
    const rec = d.recordings.length ? `${d.recordings.length} recording${d.recordings.length === 1 ? '' : 's'}, oldest ${d.recordings.map((x) => x.from).filter(Boolean).sort()[0]?.slice(0, 10) ?? '—'}` : '';
    if (!d.error && !d.findings.length && !rec) continue;
    lines.push('', colour.bold(`${d.address}${d.inventoryId ? ` (${d.inventoryId})` : ''}`) + (rec ? colour.dim(`  ${rec}`) : ''));
    for (const x of d.recordings) lines.push(`  recording ${x.token}  source ${x.source ?? '—'}${x.sourceId && x.sourceId !== x.source ? ` (${x.sourceId})` : ''}  ${x.from?.slice(0, 16) ?? '—'} – ${x.until?.slice(0, 16) ?? '—'}`);
    if (d.error) lines.push(colour.red(`error: ${d.error}`));
    for (const f of d.findings) lines.push(finding(f));
  }
  if (r.saved) {
    lines.push('', colour.bold(`Inventory ${r.saved.file}:`) + ` ${r.saved.added.length} added, ${r.saved.updated.length} updated, ${r.saved.unchanged} unchanged`);
    for (const a of r.saved.added) lines.push(`  + ${a.id} (${a.address}): category unassigned — give it a name, location, purpose and category`);
    for (const u of r.saved.updated) lines.push(`  ~ ${u.id}: ${u.changed.join(', ')}`);
    for (const x of r.saved.recordings ?? []) lines.push(`  ~ ${x.id}: recording ${x.recording}`);
    if (r.saved.skipped.length) lines.push(colour.dim(`  not saved (no serial or urn): ${r.saved.skipped.join(', ')}`));
  }
  return lines.join('\n');
}

export function renderInventory(entries: InventoryEntry[]): string {
  if (!entries.length) return 'The inventory is empty: run `toezicht cameras discover --save`, or add cameras to the config.';
  return table(
    ['id', 'name', 'category', 'location', 'kind', 'make and model', 'address', 'retention'],
    entries.map((e) => [e.id, dash(e.name), e.category === 'unassigned' ? colour.yellow(e.category) : e.category, dash(e.location), dash(e.kind), dash([e.manufacturer, e.model].filter(Boolean).join(' ')), dash(e.address), dash(e.retention)]),
  );
}

export function renderCamera(e: InventoryEntry, findings: Finding[]): string {
  const rows: [string, string][] = [
    ['id', e.id],
    ['name', dash(e.name)],
    ['category', e.category],
    ['purpose', dash(e.purpose)],
    ['location', dash(e.location)],
    ['retention', dash(e.retention)],
    ['storage', dash(e.storage)],
    ['kind', dash(e.kind)],
    ['make and model', dash([e.manufacturer, e.model].filter(Boolean).join(' '))],
    ['firmware', dash(e.firmware)],
    ['serial', dash(e.serial)],
    ['endpoint', dash(e.urn)],
    ['address', dash(e.address)],
    ['MAC', dash(e.mac)],
    ['last seen', dash(e.seen)],
  ];
  if (e.authorisation) rows.push(['authorisation', `${e.authorisation.decision}, ${e.authorisation.from} – ${e.authorisation.until}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${colour.bold(k.padEnd(width))}  ${v}`);
  if (findings.length) lines.push('', ...findings.map(finding));
  return lines.join('\n');
}

export function renderRecorder(r: RecorderDetails): string {
  const lines = [
    colour.bold(`${r.storage}  ${r.address}`) + colour.dim(`  ${[r.identity.manufacturer, r.identity.model].filter(Boolean).join(' ')}${r.identity.serial ? `, serial ${r.identity.serial}` : ''}`),
    `replay: ${r.replay ? 'yes' : colour.yellow('no (export on the recorder itself)')} · recording control: ${r.recordingControl ? 'yes' : colour.yellow('no (set its retention by hand)')}`,
    '',
    table(
      ['recording', 'source', 'source id', 'oldest', 'newest', 'keeps', 'camera'],
      r.recordings.map((x) => [x.token, dash(x.source), dash(x.sourceId), dash(x.from), dash(x.until), dash(x.maximumRetention), x.camera ?? colour.yellow('— (set recording: on a camera)')]),
    ),
  ];
  for (const u of r.unmatched) lines.push(u.recording === undefined ? colour.yellow(`camera ${u.camera} names no recording yet: set its recording: to one of the tokens above`) : colour.red(`camera ${u.camera} names recording ${u.recording}, which this recorder does not have`));
  return lines.join('\n');
}

export function renderCheck(r: CheckReport): string {
  const lines: string[] = [];
  for (const c of r.cameras) {
    const status = c.findings.some((f) => f.severity === 'error') ? colour.red('✗') : c.findings.length ? colour.yellow('!') : colour.green('✓');
    lines.push(`${status} ${colour.bold(c.id)}${c.name ? ` ${c.name}` : ''}${c.live ? colour.dim(` (${c.live.address} answered)`) : ''}`);
    for (const f of c.findings) lines.push(`  ${finding(f)}`);
  }
  for (const d of r.unknown) {
    lines.push(`${colour.yellow('?')} ${colour.bold(d.address)} ${colour.dim('(not in the inventory)')}`);
    for (const f of d.findings) lines.push(`  ${finding(f)}`);
  }
  lines.push('', r.errors ? colour.red(`${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}.`) : colour.green(`No errors${r.warnings ? `, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}` : ''}.`));
  return lines.join('\n');
}

export function renderSnapshot(s: SnapshotResult): string {
  return `Wrote ${s.file} (${formatBytes(s.bytes)}, sha256 ${s.sha256.slice(0, 16)}…) from camera ${s.camera}; the still shows people: keep it with the DPIA, readable by you only (0600).`;
}
