// The custody record (proces-verbaal) of an export: the manifest told as a person reads it, in Dutch (or English),
// from the templates in templates/<lang>/export/. It says who exported what, when and why, the clock notes, every
// hash, and how a receiver checks the package with standard tools.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { offsetAt } from '../time/index.js';
import type { Manifest, ManifestRedacted } from './manifest.js';

export type Language = 'nl' | 'en';

export const CUSTODY_FILE: Record<Language, string> = { nl: 'proces-verbaal.txt', en: 'custody-record.txt' };
const README_FILE: Record<Language, string> = { nl: 'leesmij-versleuteld.txt', en: 'readme-encrypted.txt' };
export const ENCRYPTED_README: Record<Language, string> = { nl: 'LEESMIJ.txt', en: 'README.txt' };
const REVIEW_README_TEMPLATE: Record<Language, string> = { nl: 'leesmij-beoordeling.txt', en: 'readme-review.txt' };

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

function template(lang: Language, name: string): string {
  return readFileSync(`${TEMPLATES}${lang}/export/${name}`, 'utf8');
}

const hb = Handlebars.create();

function render(text: string, view: unknown): string {
  // The templates use Mustache's rules (names are looked up in enclosing sections too: compat); plain text, so
  // nothing is HTML-escaped. The same engine as the documents.
  return hb.compile(text, { compat: true, noEscape: true, strict: false })(view);
}

function offsetText(ms: number, timeZone: string): string {
  const minutes = Math.round(offsetAt(ms, timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function formatLocal(iso: string, timeZone: string, lang: Language): string {
  const ms = Date.parse(iso);
  const text = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  const millis = ms % 1000 ? `.${String(ms % 1000).padStart(3, '0')}` : '';
  return `${text}${millis} (${offsetText(ms, timeZone)})`;
}

function duration(seconds: number, lang: Language): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h} ${lang === 'nl' ? 'uur' : 'h'}` : '', h || m ? `${m} min` : '', `${s} s`].filter(Boolean);
  return parts.join(' ');
}

function bytes(n: number, lang: Language): string {
  const mb = n / 1_000_000;
  const number = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB').format(n);
  return `${number} bytes${mb >= 1 ? ` (${mb.toFixed(1).replace('.', lang === 'nl' ? ',' : '.')} MB)` : ''}`;
}

const TEXT = {
  nl: {
    missing: '(niet opgegeven)',
    audioKept: 'met geluid',
    audioDropped: 'zonder geluid',
    noFootage: 'geen opname op de recorder',
    corrupt: (s: string[]) => `beschadigd bronbestand weggelaten: ${s.join(', ')}`,
    offsetNone: 'De afwijking van de klok van de recorder is bij de export niet gemeten.',
    offset: (s: number) => `Bij de export is gemeten dat de klok van de recorder ${Math.abs(s)} seconden ${s >= 0 ? 'vóór' : 'achter'} liep op de werkelijke tijd; de tijden hier zijn die van de recorder.`,
    keepUntil: (d: string) => `op ${d}`,
    keepWhileHeld: (d: string, hold: string) => `op ${d}, maar niet zolang bewaarplicht ${hold} loopt`,
    withHold: (hold: string) => `zodra de bewaarplicht ${hold} wordt opgeheven (de zaak is afgehandeld)`,
    never: 'niet vanzelf: voor deze camera is geen bewaartermijn ingesteld; verwijder het zodra het niet meer nodig is',
    style: {
      pixelate: 'een mozaïek van blokken van ten minste 1/8 van de hoogte van het gebied, elk blok één gemiddelde kleur',
      fill: 'een effen zwart vlak',
    },
    plan: { made: 'bij deze export gemaakt', reviewed: 'vooraf door de operator beoordeeld (en zo nodig aangepast)' },
    persons: 'personen',
    faces: 'gezichten',
    and: 'en',
    tracks: (n: number) => `${n} ${n === 1 ? 'spoor' : 'sporen'} onherkenbaar gemaakt`,
    kept: (ids: string[]) => `${ids.length === 1 ? 'spoor' : 'sporen'} ${ids.join(', ')} op verzoek zichtbaar gelaten`,
    masks: (n: number) => `${n} vast privacymasker${n === 1 ? '' : 's'} zwart`,
    redactedAudio: (kept: boolean) => (kept ? 'Het geluid is in de werkkopie meegenomen.' : 'De werkkopie heeft geen geluid (ook stemmen maken mensen herkenbaar).'),
    weights: 'gewichten',
    clock: {
      frigate: 'De tijden komen uit de mappen en bestandsnamen die de recorder (Frigate) bij elke opname schreef, in UTC, plus de tijd van elk beeld in het bestand.',
      synology: 'De tijden komen uit de bestandsnamen die de recorder (Synology Surveillance Station) bij elke opname schreef: lokale tijd met de Unix-tijd erachter, die ook in het uur dat in oktober twee keer voorkomt eenduidig is, plus de tijd van elk beeld in het bestand.',
      pattern: 'De tijden komen uit de paden die de recorder bij elke opname schreef (patroon {pattern}, tijdzone {zone}), plus de tijd van elk beeld in het bestand.',
    },
  },
  en: {
    missing: '(not given)',
    audioKept: 'with audio',
    audioDropped: 'without audio',
    noFootage: 'no recording on the recorder',
    corrupt: (s: string[]) => `damaged source file left out: ${s.join(', ')}`,
    offsetNone: "The recorder's clock offset was not measured at the export.",
    offset: (s: number) => `At the export the recorder's clock was measured to be ${Math.abs(s)} seconds ${s >= 0 ? 'ahead of' : 'behind'} true time; times here are the recorder's.`,
    keepUntil: (d: string) => `on ${d}`,
    keepWhileHeld: (d: string, hold: string) => `on ${d}, but not while hold ${hold} is in force`,
    withHold: (hold: string) => `when hold ${hold} is released (the case is closed)`,
    never: 'not by itself: this camera has no retention period set; remove it once it is no longer needed',
    style: {
      pixelate: "a mosaic of blocks at least 1/8 of the region's height, each block one averaged colour",
      fill: 'a solid black fill',
    },
    plan: { made: 'made by this export', reviewed: 'reviewed (and where needed edited) by the operator beforehand' },
    persons: 'persons',
    faces: 'faces',
    and: 'and',
    tracks: (n: number) => `${n} ${n === 1 ? 'track' : 'tracks'} made unrecognisable`,
    kept: (ids: string[]) => `${ids.length === 1 ? 'track' : 'tracks'} ${ids.join(', ')} left visible on request`,
    masks: (n: number) => `${n} static privacy mask${n === 1 ? '' : 's'} filled`,
    redactedAudio: (kept: boolean) => (kept ? 'The working copy keeps the audio.' : 'The working copy has no audio (voices identify people too).'),
    weights: 'weights',
    clock: {
      frigate: 'Times come from the folders and file names the recorder (Frigate) wrote for each recording, in UTC, plus each frame\'s time in its file.',
      synology: "Times come from the file names the recorder (Synology Surveillance Station) wrote for each recording: local time followed by the Unix time, which is unambiguous even in October's repeated hour, plus each frame's time in its file.",
      pattern: 'Times come from the paths the recorder wrote for each recording (pattern {pattern}, time zone {zone}), plus each frame\'s time in its file.',
    },
  },
} as const;

export interface CustodyContext {
  /** Storage layouts of the clips' sources, for the clock notes. */
  layouts: { layout: string; pattern?: string; timeZone: string }[];
  /** Every file of the package besides manifest.json, its signature and SHA256SUMS (the record itself included). */
  files: string[];
}

export function renderCustodyRecord(manifest: Manifest, lang: Language, context: CustodyContext): string {
  const t = TEXT[lang];
  const tz = manifest.timezone;
  const local = (iso: string): string => formatLocal(iso, tz, lang);
  const given = (v: string | null): string => (v && v.trim() ? v : t.missing);
  const clockTexts = [...new Set(context.layouts.map((l) => (l.layout === 'pattern' ? t.clock.pattern.replace('{pattern}', l.pattern ?? '').replace('{zone}', l.timeZone) : l.layout === 'synology' ? t.clock.synology : t.clock.frigate)))];
  const keepUntil = manifest.keepUntil ? local(manifest.keepUntil) : undefined;
  const view = {
    exportId: manifest.exportId,
    school: manifest.school,
    created: { local: local(manifest.createdAt) },
    operator: { name: manifest.operator.sudoUser ? `${manifest.operator.user} (${manifest.operator.sudoUser})` : manifest.operator.user, host: manifest.operator.host },
    tool: manifest.tool,
    case: given(manifest.case),
    reason: given(manifest.reason),
    legalBasis: given(manifest.legalBasis),
    recipient: given(manifest.recipient),
    requested: { from: local(manifest.requested.from), to: local(manifest.requested.to) },
    timezone: tz,
    clips: manifest.clips.map((c) => ({
      camera: c.camera,
      name: c.name,
      location: c.location,
      output: c.output,
      covered: { from: local(c.covered.from), to: local(c.covered.to) },
      duration: duration(c.output.durationSeconds, lang),
      resolution: c.output.width ? `${c.output.width}×${c.output.height}` : undefined,
      audio: c.output.audio ? t.audioKept : t.audioDropped,
      bytes: bytes(c.output.bytes, lang),
      gaps: c.gaps.map((g) => ({ from: local(g.from), to: local(g.to), seconds: g.seconds, reasonText: g.reason === 'corrupt' ? t.corrupt(g.segments ?? []) : t.noFootage })),
      notes: c.notes,
      sources: c.sources.map((s) => ({ ...s, start: local(s.start), end: local(s.end) })),
      redacted: c.redacted ? redactedView(c.redacted, lang) : undefined,
    })),
    redaction: redactionView(manifest, lang),
    copiedAsIs: !manifest.clips.some((c) => c.notes.some((n) => n.startsWith('parameter sets'))),
    audio: manifest.clips.some((c) => c.output.audio),
    clock: {
      sourceText: clockTexts.join('\n'),
      offsetText: manifest.clock.offsetSeconds === null ? t.offsetNone : t.offset(manifest.clock.offsetSeconds),
    },
    hold: manifest.hold,
    keepUntilText: manifest.hold
      ? keepUntil
        ? t.keepWhileHeld(keepUntil, manifest.hold.id)
        : t.withHold(manifest.hold.id)
      : keepUntil
        ? t.keepUntil(keepUntil)
        : t.never,
    fingerprint: manifest.signature.fingerprint,
    files: context.files.map((path) => ({ path })),
  };
  return render(template(lang, CUSTODY_FILE[lang]), view);
}

function whatText(what: ManifestRedacted['what'], lang: Language): string {
  const t = TEXT[lang];
  return what.map((w) => (w === 'face' ? t.faces : t.persons)).join(` ${t.and} `);
}

function redactedView(r: ManifestRedacted, lang: Language) {
  const t = TEXT[lang];
  return {
    ...r,
    duration: duration(r.durationSeconds, lang),
    resolution: `${r.width}×${r.height}`,
    audio: r.audio ? t.audioKept : t.audioDropped,
    bytes: bytes(r.bytes, lang),
    summary: [t.tracks(r.redactedTracks), ...(r.keptTracks.length ? [t.kept(r.keptTracks)] : []), ...(r.masks ? [t.masks(r.masks)] : [])].join('; '),
    styleText: t.style[r.style],
    planText: t.plan[r.planSource],
  };
}

/** The method paragraph of a redacted export (style, encoder, models: the same for every clip of one export). */
function redactionView(manifest: Manifest, lang: Language) {
  const t = TEXT[lang];
  const copies = manifest.clips.flatMap((c) => (c.redacted ? [c.redacted] : []));
  const first = copies[0];
  if (!first) return undefined;
  const models = [...new Map(copies.flatMap((r) => r.models).map((m) => [`${m.name}/${m.sha256}`, m])).values()];
  return {
    styleText: t.style[first.style],
    encoder: first.encoder,
    audioText: t.redactedAudio(copies.some((r) => r.audio)),
    whatText: whatText([...new Set(copies.flatMap((r) => r.what))], lang),
    modelsText: models.map((m) => `${m.name} (${m.package} ${m.packageVersion}, ${m.licence}; ${t.weights} SHA-256 ${m.sha256.slice(0, 16)}…)`).join(', '),
    runtime: first.runtime,
    toolVersion: manifest.tool.version,
  };
}

export function renderReviewReadme(lang: Language, view: unknown): string {
  return render(template(lang, REVIEW_README_TEMPLATE[lang]), view);
}

export function renderEncryptedReadme(lang: Language, view: { exportId: string; school: { name: string }; recipients: string[]; archive: string }): string {
  return render(template(lang, README_FILE[lang]), view);
}
