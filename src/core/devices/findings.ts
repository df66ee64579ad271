// What is wrong with a device, and with an inventory entry — each finding names its rule and, where one applies, its source.
import type { Config, ResolvedCamera } from '../config/index.js';
import { retentionCutoff, type Category } from '../policy/retention.js';
import { parseInstant } from '../time/index.js';
import type { DeviceReport, Finding, Recording } from './model.js';
import { inRange, type Range } from './network.js';

export const CLOCK_TOLERANCE_SECONDS = 5;

export interface DeviceFindingContext {
  config?: Config;
  /** The ranges that were probed: interface networks, swept CIDRs, named hosts. */
  probed: Range[];
  now: number;
}

/** The camera a recording on a recorder belongs to: by source name, id, address or device identity. */
export function cameraForRecording(rec: Recording, cameras: ResolvedCamera[]): ResolvedCamera | undefined {
  const keys = [rec.source, rec.sourceId, rec.sourceAddress].filter((k): k is string => Boolean(k)).map((k) => k.toLowerCase());
  if (!keys.length) return undefined;
  const hostOf = (a: string): string => a.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '');
  return cameras.find((c) => {
    const own = [c.id, c.name, c.path, c.device?.address, c.device?.serial, c.device?.urn].filter((k): k is string => Boolean(k)).map((k) => k.toLowerCase());
    return keys.some((k) => own.includes(k) || own.includes(hostOf(k)));
  });
}

export function deviceFindings(report: DeviceReport, ctx: DeviceFindingContext): Finding[] {
  const out: Finding[] = [];
  const name = report.inventoryId ? `"${report.inventoryId}" (${report.address})` : report.address;
  if (report.clockOffsetSeconds !== null && Math.abs(report.clockOffsetSeconds) > CLOCK_TOLERANCE_SECONDS) {
    const s = report.clockOffsetSeconds;
    out.push({
      rule: 'device.clock',
      severity: 'warning',
      message: `${name}: its clock is ${Math.abs(s)} s ${s > 0 ? 'ahead' : 'behind'}; footage times will be off (set NTP on the device)`,
    });
  }
  if (report.access === 'open') {
    out.push({ rule: 'device.open', severity: 'error', message: `${name} answers GetDeviceInformation without credentials: anyone on the network can use it; switch on ONVIF authentication` , source: 'EDPB 3/2019 §9 (access control)' });
  }
  if (report.access === 'default-password') {
    out.push({ rule: 'device.default-password', severity: 'error', message: `${name} accepts a well-known factory password; change it now`, source: 'EDPB 3/2019 §9 (access control)' });
  }
  if (report.plainHttpOnly) {
    out.push({ rule: 'device.plain-http', severity: 'warning', message: `${name} offers its services over plain HTTP only; enable HTTPS where the device supports it`, source: 'EDPB 3/2019 §9.3.2 (secure transmission)' });
  }
  for (const x of report.elsewhere) {
    let host = x;
    try {
      host = new URL(x).hostname.replace(/^\[|\]$/g, '');
    } catch {
      // keep the raw text
    }
    const outside = !inRange(host, ctx.probed);
    out.push({
      rule: 'device.xaddr-elsewhere',
      severity: 'warning',
      message: `${name} advertises ${x}, ${outside ? 'outside the probed ranges' : 'another address'} (NAT, a second network?); toezicht did not contact it`,
    });
  }
  if (ctx.config && !report.inventoryId && (report.serial || report.urn || report.manufacturer)) {
    out.push({
      rule: 'device.not-in-inventory',
      severity: 'warning',
      message: `${report.kind ?? 'device'} ${name}${report.model ? ` (${[report.manufacturer, report.model].filter(Boolean).join(' ')})` : ''} is not in the camera inventory; add it with \`toezicht cameras discover --save\` and give it a purpose`,
      source: 'AP; seed 001 §1.1 (doel van cameratoezicht)',
    });
  }
  out.push(...retentionFindings(report, ctx));
  return out;
}

/** Footage on a recorder older than the retention of its camera's category (unknown camera: the surveillance limit). */
function retentionFindings(report: DeviceReport, ctx: DeviceFindingContext): Finding[] {
  if (!report.recordings.length) return [];
  const cameras = ctx.config?.cameras ?? [];
  const self = report.inventoryId ? cameras.find((c) => c.id === report.inventoryId) : undefined;
  const timeZone = ctx.config?.school.timezone ?? 'Europe/Amsterdam';
  const out: Finding[] = [];
  for (const rec of report.recordings) {
    if (!rec.from) continue;
    const cam = cameraForRecording(rec, cameras) ?? self;
    // A recorder not in the inventory, and a camera without a category yet, are held to the surveillance limit.
    const category: Category = cam && cam.category !== 'unassigned' ? cam.category : 'surveillance';
    const setting = cam && cam.category !== 'unassigned' ? cam.effectiveRetention : undefined;
    const until = cam?.authorisation ? parseInstant(cam.authorisation.until, timeZone, { dateOnly: 'end' }) : undefined;
    const cutoff = retentionCutoff({ category, setting, timeZone, ...(until !== undefined ? { authorisedUntil: until } : {}) }, ctx.now);
    const from = Date.parse(rec.from);
    if (from < cutoff.before) {
      const days = Math.floor((ctx.now - from) / 86_400_000);
      out.push({
        rule: 'recorder.retention',
        severity: 'error',
        message: `${report.inventoryId ?? report.address}: recording "${rec.token}"${rec.source ? ` (${rec.source}${cam ? ` = camera ${cam.id}` : ''})` : ''} holds footage from ${rec.from.slice(0, 10)}, ${days} days old, beyond ${cutoff.rule}; set the recorder's retention, or put a hold on what must stay`,
        source: 'seed 001 §1.4 lid 3',
      });
    }
  }
  return out;
}

// Places where no camera may look (seed 001 §5 lid 3; Kennisnet: no cameras in toilets or changing rooms).
const FORBIDDEN: { label: string; pattern: RegExp }[] = [
  { label: 'a toilet', pattern: /\b(toilet\w*|wc'?s?|sanitair\w*|restroom\w*|lavator\w*)\b/i },
  { label: 'a washroom', pattern: /\b(was(ruimte|ruimtes|lokaal|hok)\w*|washroom\w*|douche\w*|shower\w*|bathroom\w*)\b/i },
  { label: 'a changing room', pattern: /\b((om)?kleed(kamer|ruimte|lokaal)\w*|changing[- ]?rooms?|locker[- ]?rooms?|dressing[- ]?rooms?)\b/i },
  { label: "the school management's room", pattern: /\b(directie(kamer|kantoor)\w*|kamer van de (directie|directeur|schoolleiding|rector|conrector)|(directeurs|rectors)kamer\w*|schoolleiding|management[- ]?(room|office)s?|principal'?s office|head'?s office)\b/i },
  { label: "the confidential counsellor's room", pattern: /\b(vertrouwens(persoon|personen|kamer)\w*|counsell?or\w*)\b/i },
];
// "corridor by the toilets" is a camera near such a place, not in it: a warning to check what it sees.
const NEAR = /\b(bij|naast|voor|tegenover|richting|gang|hal|near|outside|by|next to|opposite|corridor|hallway)\b/i;

export interface InventoryCheckContext {
  now: number;
  timeZone: string;
}

export function inventoryFindings(camera: ResolvedCamera, ctx: InventoryCheckContext): Finding[] {
  const out: Finding[] = [];
  const isRecorder = camera.device?.kind === 'recorder';
  const what = isRecorder ? 'recorder' : 'camera';
  if (camera.category === 'unassigned') {
    out.push({ rule: 'camera.unassigned', severity: 'error', message: `${what} "${camera.id}" has no category yet (unassigned); give it one, and its footage is held to 28 days until then`, source: 'seed 001 §1.1; seed 000' });
  }
  if (!isRecorder && !camera.purpose?.trim()) {
    out.push({ rule: 'camera.no-purpose', severity: 'error', message: `camera "${camera.id}" has no purpose: write down why it is needed (doelbinding)`, source: 'seed 001 §1.1; AVG art. 5(1)(b)' });
  }
  if (!camera.location?.trim()) {
    out.push({ rule: 'camera.no-location', severity: isRecorder ? 'warning' : 'error', message: `${what} "${camera.id}" has no location: say where it ${isRecorder ? 'stands' : 'hangs and what it sees'}`, source: 'EDPB 3/2019 §7.1; seed 000' });
  }
  if (camera.category === 'covert') {
    const a = camera.authorisation;
    if (!a?.decision || !a.until) {
      out.push({ rule: 'camera.covert.no-authorisation', severity: 'error', message: `covert camera "${camera.id}" has no authorisation with an end date: record the board's decision, from and until`, source: 'seed 001 §5 lid 1–2' });
    } else {
      const until = parseInstant(a.until, ctx.timeZone, { dateOnly: 'end' });
      if (until !== undefined && until < ctx.now) {
        out.push({ rule: 'camera.covert.expired', severity: 'error', message: `covert camera "${camera.id}": its authorised period ended on ${a.until}; take it down and inform the people concerned`, source: 'seed 001 §5 lid 2' });
      }
    }
  }
  if (!isRecorder && camera.location) {
    for (const place of FORBIDDEN) {
      if (!place.pattern.test(camera.location)) continue;
      const near = NEAR.test(camera.location);
      out.push({
        rule: 'camera.forbidden-place',
        severity: near ? 'warning' : 'error',
        message: near
          ? `camera "${camera.id}" is near ${place.label} ("${camera.location}"): make sure it cannot see inside`
          : `camera "${camera.id}" looks into ${place.label} ("${camera.location}"), where no camera may be`,
        source: 'seed 001 §5 lid 3; Kennisnet (geen camera’s in toiletten of kleedruimtes)',
      });
      break;
    }
  }
  return out;
}
