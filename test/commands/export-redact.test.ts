// footage export --redact on recorder footage with real faces in it (photos from @vladmandic/face-api moving over a
// corridor, cut into segments the way a recorder cuts them), through the built CLI: the real detector (ONNX Runtime),
// the real ffmpeg, the real register; pixels read back from the package.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveTool } from '../../src/core/media/index.js';
import { boxAt, type Box, type RedactionPlan } from '../../src/core/redaction/index.js';
import { toezicht } from '../helpers/cli.js';
import { ME, exportSchool } from '../helpers/export-school.js';
import { coverage } from '../helpers/face-scene.mjs';
import { makeFaceFootage, removeFaceFootage, type FaceFootage } from '../helpers/face-footage.js';
import { blockSpread, lumaFrames, meanAbsDiff, pixels, trackOf } from '../helpers/pixels.js';
import { placeFrigate } from '../helpers/footage.js';
import type { SchoolFixture } from '../helpers/school.js';

const W = 640;
const H = 360;
const FPS = 25;
const FRAMES = 75;
const SIZE = { width: W, height: H };
const YEAR = new Date().getUTCFullYear();
const DAY = 86_400_000;
const ACTORS = [
  // A: walks in from the left edge along the top, growing, and leaves through the window mask on the right.
  { face: 3, keys: [{ t: 0, x: -20, y: 60, h: 22 }, { t: 2.2, x: 520, y: 75, h: 64 }, { t: 3, x: 700, y: 80, h: 70 }] },
  // B: walks away from the camera (shrinks).
  { face: 13, keys: [{ t: 0, x: 150, y: 270, h: 90 }, { t: 3, x: 330, y: 180, h: 24 }] },
  // C: stands to the right.
  { face: 9, keys: [{ t: 0, x: 470, y: 250, h: 60 }, { t: 3, x: 455, y: 246, h: 64 }] },
];
// A window onto the neighbours' garden, top right: always blanked.
const MASK = { name: 'raam naar tuin buren', polygon: [[0.82, 0.02], [0.98, 0.02], [0.98, 0.3], [0.82, 0.3]] };
const MASK_BOX: Box = { x: 0.82 * W + 2, y: 0.02 * H + 2, w: 0.16 * W - 4, h: 0.28 * H - 4 };
// The mask's whole area, in pixels (rounded outwards).
const MASK_PX: Box = { x: Math.floor(0.82 * W), y: Math.floor(0.02 * H), w: Math.ceil(0.16 * W) + 1, h: Math.ceil(0.28 * H) + 1 };
// Floor where nobody passes: must stay as it was.
const FLOOR: Box = { x: 10, y: 330, w: 80, h: 25 };

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let footage: FaceFootage;
let school: SchoolFixture | undefined;

beforeAll(async () => {
  footage = await makeFaceFootage({ actors: ACTORS, width: W, height: H, fps: FPS, seconds: FRAMES / FPS, segmentSeconds: 2, audio: true });
}, 120_000);
afterAll(removeFaceFootage);
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

/** A school whose cameras entree and aula both saw the scene, starting at `startMs`; entree has the window mask. */
async function setup(startMs: number): Promise<SchoolFixture> {
  school = await exportSchool({
    storage: [{ id: 'nas1', type: 'fs', root: './recordings', layout: 'frigate' }],
    cameras: [
      { id: 'entree', name: 'Hoofdingang', category: 'surveillance', storage: 'nas1', masks: [MASK] },
      { id: 'aula', name: 'Aula', category: 'surveillance', storage: 'nas1' },
    ],
  });
  for (const camera of ['entree', 'aula']) placeFrigate(path.join(school.dir, 'recordings'), camera, startMs, footage.segments, 2);
  return school;
}

function streams(file: string): { codec_type: string; width?: number; height?: number; r_frame_rate?: string; nb_read_frames?: string }[] {
  return (JSON.parse(execFileSync(resolveTool('ffprobe').path, ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', file], { encoding: 'utf8' })) as { streams: [] }).streams;
}

/** Indices of the pixels of a box that lie in none of the other boxes (widened by 2 px). */
function pixelsOutside(b: Box, others: Box[]): number[] {
  const out: number[] = [];
  for (let y = Math.max(0, Math.ceil(b.y)); y < Math.min(H, Math.floor(b.y + b.h)); y++)
    for (let x = Math.max(0, Math.ceil(b.x)); x < Math.min(W, Math.floor(b.x + b.w)); x++) {
      if (!others.some((o) => x >= o.x - 2 && x < o.x + o.w + 2 && y >= o.y - 2 && y < o.y + o.h + 2)) out.push(y * W + x);
    }
  return out;
}

const shareDark = (values: number[]): number => values.filter((v) => v < 40).length / Math.max(1, values.length);
const visibleFaces = (f: number) => footage.truth[f]!.filter((g) => g.visible >= 0.25);

describe('footage export --redact', () => {
  it('puts a redacted copy beside the master: every frame, no audio, every face a mosaic, the mask filled, hashes in the manifest and SHA256SUMS, caught by footage verify', async () => {
    const s = await setup(Date.parse('2026-10-20T06:00:00Z'));
    const r = await toezicht(
      ['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:03', '--case', 'I-20', '--reason', 'Vechtpartij in de gang', '--recipient', 'Politie Zaandam', '--redact', '--json'],
      { cwd: s.dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // no terminal: no progress
    const pkg = r.json.packageDir as string;
    const master = 'entree_20261020T060000Z.mp4';
    const copy = 'entree_20261020T060000Z.redacted.mp4';
    const planFile = 'entree_20261020T060000Z.redaction-plan.json';
    expect(readdirSync(pkg).sort()).toEqual(['SHA256SUMS', copy, master, planFile, 'manifest.json', 'manifest.json.sig', 'proces-verbaal.txt', 'public-key.pem'].sort());

    // The manifest names the copy under `redacted` (top level for one camera, and per clip), with its hash, the
    // plan's hash, the style and the model with its version; every file's hash matches.
    const m = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
    expect(m.redacted).toEqual(m.clips[0].redacted);
    expect(m.redacted).toMatchObject({
      file: copy,
      sha256: sha256(path.join(pkg, copy)),
      bytes: statSync(path.join(pkg, copy)).size,
      master: { file: master, sha256: m.output.sha256 },
      frames: FRAMES,
      width: W,
      height: H,
      fps: '25/1',
      codec: 'h264',
      audio: false,
      style: 'pixelate',
      what: ['face'],
      planFile,
      planSha256: sha256(path.join(pkg, planFile)),
      planSource: 'made',
      keptTracks: [],
      masks: 1,
      models: [{ name: 'blazeface', package: '@vladmandic/human', packageVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/), licence: 'MIT', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    expect(m.redacted.sha256).not.toBe(m.output.sha256);
    expect(m.files.map((f: { path: string; role: string }) => [f.path, f.role])).toEqual([
      [master, 'master-clip'],
      [copy, 'redacted-clip'],
      [planFile, 'redaction-plan'],
      ['public-key.pem', 'public-key'],
      ['proces-verbaal.txt', 'custody-record'],
    ]);
    for (const f of m.files) expect(f.sha256, f.path).toBe(sha256(path.join(pkg, f.path)));
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg, reject: false })).exitCode).toBe(0);

    // The master is the recorder's footage, untouched; the copy keeps every frame at full size and rate, no audio.
    expect(streams(path.join(pkg, master)).map((x) => x.codec_type)).toEqual(['video']);
    const copyStreams = streams(path.join(pkg, copy));
    expect(copyStreams.map((x) => x.codec_type)).toEqual(['video']);
    expect(copyStreams[0]).toMatchObject({ width: W, height: H, r_frame_rate: '25/1', nb_read_frames: String(FRAMES) });

    // What the plan in the package covers is every face of the scene, in every frame…
    const plan = JSON.parse(readFileSync(path.join(pkg, planFile), 'utf8')) as RedactionPlan;
    expect(plan.input).toMatchObject({ file: master, sha256: m.output.sha256, frames: FRAMES });
    expect(plan.masks).toEqual([{ id: 'm1', name: MASK.name, polygon: MASK.polygon }]);
    const bare: string[] = [];
    for (let f = 0; f < FRAMES; f++) {
      const boxes = plan.tracks.map((t) => boxAt(t, f)).filter((b): b is Box => Boolean(b));
      for (const g of visibleFaces(f)) {
        const c = coverage(g.box, boxes, W, H);
        if (c.share < 0.95) bare.push(`frame ${f} actor ${g.actor}: ${(c.share * 100).toFixed(0)} %`);
      }
    }
    expect(bare).toEqual([]);
    // …and the copy shows it: a mosaic where the plan puts a box, the mask black, the rest as it was.
    const source = lumaFrames(path.join(pkg, master), SIZE);
    const out = lumaFrames(path.join(pkg, copy), SIZE);
    expect(out).toHaveLength(FRAMES);
    const notMosaic: string[] = [];
    for (let f = 0; f < FRAMES; f++) {
      expect(shareDark(pixels(out[f]!, MASK_BOX, SIZE)), `mask, frame ${f}`).toBe(1);
      expect(meanAbsDiff(pixels(out[f]!, FLOOR, SIZE), pixels(source[f]!, FLOOR, SIZE)), `floor, frame ${f}`).toBeLessThan(4);
      for (const t of plan.tracks) {
        const b = boxAt(t, f);
        if (!b || b.h < 24 || b.x < 0 || b.y < 0 || b.x + b.w > W || b.y + b.h > H) continue;
        const inOut = blockSpread(out[f]!, b, SIZE, MASK_PX);
        const inSource = blockSpread(source[f]!, b, SIZE, MASK_PX);
        // No whole block outside the mask: nothing to measure. Small blocks of a small face keep some encoder noise.
        if (Number.isNaN(inOut) || Number.isNaN(inSource)) continue;
        if (!(inOut < 4 && inOut < inSource / 4)) notMosaic.push(`frame ${f} track ${t.id}: ${inOut.toFixed(1)} (source ${inSource.toFixed(1)})`);
      }
    }
    expect(notMosaic).toEqual([]);

    // The custody record says a redacted working copy was made, how, and that it is not the master.
    const record = readFileSync(path.join(pkg, 'proces-verbaal.txt'), 'utf8');
    expect(record).toContain('Geredigeerde werkkopie (niet de master; zie 5):');
    expect(record).toContain(`Bestand:        ${copy}`);
    expect(record).toContain(m.redacted.sha256);
    expect(record).toContain(m.redacted.planSha256);
    expect(record).toMatch(/Die kopie is\s+niet het bewijsstuk: zij is afgeleid van de master, die daarvoor niet is\s+gewijzigd/);
    expect(record).toContain('een mozaïek van blokken van ten minste 1/8 van de hoogte van het gebied');
    expect(record).toContain(`blazeface (@vladmandic/human ${m.redacted.models[0].packageVersion}, MIT`);
    expect(record).toContain('1 vast privacymasker zwart');
    expect(record).not.toMatch(/Opmerkingen:/); // no notes, no heading

    // The audit entry records the redaction: plan hash, style, kept tracks.
    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries).toEqual([
      expect.objectContaining({
        action: 'export.create',
        details: expect.objectContaining({
          exportId: r.json.exportId,
          redaction: { style: 'pixelate', clips: [{ camera: 'entree', file: copy, sha256: m.redacted.sha256, planSha256: m.redacted.planSha256, planSource: 'made', keptTracks: [], redactedTracks: plan.tracks.length, masks: 1 }] },
        }),
      }),
    ]);

    // footage verify passes, and names the copy when one byte of it is flipped.
    expect((await toezicht(['footage', 'verify', pkg])).exitCode).toBe(0);
    const file = path.join(pkg, copy);
    const original = readFileSync(file);
    const flipped = Buffer.from(original);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x10;
    writeFileSync(file, flipped);
    const bad = await toezicht(['footage', 'verify', pkg, '--json']);
    expect(bad.exitCode).toBe(1);
    expect(bad.json.changed).toEqual([`${copy} was changed (its SHA-256 is not the one in SHA256SUMS)`, `${copy} was changed (its SHA-256 is not the one in the manifest)`]);
    expect((await execa('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: pkg, reject: false })).stdout).toContain(`${copy}: FAILED`);
  });

  it('reviews first: --plan-only writes plan and contact sheet (no package, footage held, audited), the edited plan is rendered as edited, a kept track stays visible', async () => {
    const s = await setup(Date.parse('2026-10-20T06:00:00Z'));
    const base = ['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:03', '--case', 'V-2026-03', '--reason', 'Inzageverzoek ouder', '--keep-audio', '--redact'];
    const review = await toezicht([...base, '--plan-only', '--json'], { cwd: s.dir });
    expect(review.exitCode, review.stderr).toBe(0);
    const id = `E-${YEAR}-0001`;
    const dir = path.join(s.dir, 'exports', `${id}-review`);
    expect(review.json).toMatchObject({ reviewId: id, reviewDir: dir, hold: { caseRef: 'V-2026-03' }, holdReused: false });
    // Only the review folder: no package, no master clip kept, nothing left of the work folder.
    expect(readdirSync(path.join(s.dir, 'exports'))).toEqual([`${id}-review`]);
    const planName = 'entree_20261020T060000Z.redaction-plan.json';
    const sheetName = 'entree_20261020T060000Z.contact-sheet.png';
    expect(readdirSync(dir).sort()).toEqual(['LEESMIJ.txt', sheetName, planName, 'review.json'].sort());
    // Plan and contact sheet are personal data for the operator only.
    for (const n of [planName, sheetName, 'review.json']) expect(statSync(path.join(dir, n)).mode & 0o777, n).toBe(0o600);
    const sheet = readFileSync(path.join(dir, sheetName));
    expect(sheet.subarray(1, 4).toString()).toBe('PNG');
    const doc = JSON.parse(readFileSync(path.join(dir, 'review.json'), 'utf8'));
    expect(doc.clips[0].plan.sha256).toBe(sha256(path.join(dir, planName)));
    expect(doc.clips[0].contactSheet.sha256).toBe(sha256(path.join(dir, sheetName)));
    // The contact sheet has one cell per track (8 to a row, 128 px cells with 6 px gaps).
    const tracks = doc.clips[0].plan.tracks.length as number;
    expect(tracks).toBeGreaterThanOrEqual(3);
    expect(sheet.readUInt32BE(16)).toBe(Math.min(8, tracks) * 134 + 6);
    expect(review.json.next).toBe(`toezicht footage export --camera entree --from 2026-10-20T08:00:00 --to 2026-10-20T08:00:03 --case V-2026-03 --reason 'Inzageverzoek ouder' --keep-audio --redact --plan ${dir}`);
    expect(readFileSync(path.join(dir, 'LEESMIJ.txt'), 'utf8')).toContain(review.json.next);

    // The footage is held from now on; the review is registered (with the package's lifetime) and audited, but is
    // no disclosure.
    const holds = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(holds.json.holds).toHaveLength(1);
    const listed = await toezicht(['footage', 'exports', '--json'], { cwd: s.dir });
    expect(listed.json.exports).toEqual([expect.objectContaining({ id, status: 'review', packageDir: dir, heldBy: review.json.hold.id })]);
    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries).toEqual([expect.objectContaining({ action: 'export.review', details: expect.objectContaining({ exportId: id, reviewSha256: sha256(path.join(dir, 'review.json')) }) })]);
    const csv = await toezicht(['audit', 'export', '--csv'], { cwd: s.dir });
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(1); // the header only

    // The operator edits the plan: A's track out (A was never a bystander), a box added by hand.
    const planFile = path.join(dir, planName);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as RedactionPlan;
    const [a, b, c] = [trackOf(plan, footage.truth, 0, SIZE), trackOf(plan, footage.truth, 1, SIZE), trackOf(plan, footage.truth, 2, SIZE)];
    expect(new Set([a, b, c]).size).toBe(3);
    plan.tracks = plan.tracks.filter((t) => t.id !== a);
    plan.tracks.push({ id: 'bord', kind: 'face', keyframes: [{ frame: 0, x: 20, y: 300, w: 40, h: 40, source: 'manual' }, { frame: 74, x: 560, y: 300, w: 40, h: 40, source: 'manual' }] });
    writeFileSync(planFile, JSON.stringify(plan, null, 2));

    // Rendered with B kept visible (named as the contact sheet prints it, in capitals), in English; with audio, as
    // the review was (the plan belongs to that master).
    const r = await toezicht([...base, '--plan', dir, '--keep-track', b.toUpperCase(), '--style', 'fill', '--lang', 'en', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const pkg = r.json.packageDir as string;
    expect(pkg).toBe(path.join(s.dir, 'exports', `E-${YEAR}-0002`));
    const m = r.json.manifest;
    expect(m.redacted).toMatchObject({ style: 'fill', planSource: 'reviewed', keptTracks: [b], redactedTracks: plan.tracks.length - 1, audio: true, masks: 1 });
    // The package holds the plan as rendered: the edit, hashed as the manifest says.
    const rendered = JSON.parse(readFileSync(path.join(pkg, planName), 'utf8'));
    expect(rendered).toEqual(plan);
    expect(sha256(path.join(pkg, planName))).toBe(m.redacted.planSha256);
    // The review's hold keeps the footage; no second hold for the same case and minutes.
    expect(r.json).toMatchObject({ hold: { id: review.json.hold.id }, holdReused: true });
    expect((await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir })).json.holds).toHaveLength(1);

    const copy = path.join(pkg, m.redacted.file);
    expect(streams(copy).map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
    const source = lumaFrames(path.join(pkg, m.output.file), SIZE);
    const out = lumaFrames(copy, SIZE);
    expect(out).toHaveLength(FRAMES);
    const wrong: string[] = [];
    for (let f = 0; f < FRAMES; f++) {
      // The hand-drawn box, where the edit puts it in this frame.
      const drawn: Box = { x: 20 + (540 * f) / 74, y: 300, w: 40, h: 40 };
      expect(shareDark(pixels(out[f]!, { x: drawn.x + 3, y: 303, w: 34, h: 34 }, SIZE)), `added box, frame ${f}`).toBe(1);
      expect(shareDark(pixels(out[f]!, MASK_BOX, SIZE)), `mask, frame ${f}`).toBe(1);
      const blanked = [MASK_BOX, drawn, ...plan.tracks.filter((t) => t.id !== b).map((t) => boxAt(t, f)).filter((x): x is Box => Boolean(x))];
      for (const g of visibleFaces(f)) {
        if (g.actor === 2) {
          const dark = shareDark(pixels(out[f]!, g.box, SIZE));
          if (dark < 0.95) wrong.push(`frame ${f}: C (a bystander) only ${(dark * 100).toFixed(0)} % blanked`);
          continue;
        }
        // A (taken out of the plan) and B (kept) are as the master shows them, wherever nothing else is blanked.
        const free = pixelsOutside(g.box, blanked);
        if (free.length < 0.5 * g.box.w * g.box.h * g.visible) continue;
        const same = meanAbsDiff(free.map((i) => out[f]![i]!), free.map((i) => source[f]![i]!));
        if (same > 6) wrong.push(`frame ${f}: ${g.actor === 0 ? 'A' : 'B'} changed (mean difference ${same.toFixed(1)})`);
      }
    }
    expect(wrong).toEqual([]);

    const record = readFileSync(path.join(pkg, 'custody-record.txt'), 'utf8');
    expect(record).toContain('Redacted working copy (not the master; see 5):');
    expect(record).toContain(`track ${b} left visible on request`);
    expect(record).toContain('reviewed (and where needed edited) by the operator beforehand');
    expect(record).toContain('a solid black fill');
    expect(record).toContain('The working copy keeps the audio.');
    const created = (await toezicht(['audit', 'log', '--action', 'export.create', '--json'], { cwd: s.dir })).json.entries;
    expect(created).toEqual([expect.objectContaining({ details: expect.objectContaining({ redaction: { style: 'fill', clips: [expect.objectContaining({ planSha256: m.redacted.planSha256, planSource: 'reviewed', keptTracks: [b] })] } }) })]);
  });

  it('two cameras: plans matched by clip, CAMERA:ID for a kept track, refusals before anything is written, the review purged after its lifetime', async () => {
    // Footage of two days ago, so that a review without a case has a lifetime still to run.
    const start = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
    const s = await setup(start);
    const from = new Date(start).toISOString();
    const to = new Date(start + 3000).toISOString();
    const keepUntil = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const base = ['footage', 'export', '--camera', 'entree', '--camera', 'aula', '--from', from, '--to', to, '--reason', 'Test', '--redact'];
    const review = await toezicht([...base, '--plan-only', '--keep-until', keepUntil, '--json'], { cwd: s.dir });
    expect(review.exitCode, review.stderr).toBe(0);
    expect(review.json.hold).toBeNull();
    expect(review.json.warnings).toContain('no --case: the footage is not held, and may be purged before the plan is rendered');
    const dir = review.json.reviewDir as string;
    expect(readdirSync(dir).filter((n) => n.endsWith('.redaction-plan.json')).length).toBe(2);
    const exportsDir = path.join(s.dir, 'exports');
    const listing = () => readdirSync(exportsDir).sort();

    // Refused, nothing written: a kept track without a reviewed plan; an id both plans have; an edit that breaks
    // the plan; the review rendered with other audio (so other masters) than it was made for.
    const noPlan = await toezicht([...base, '--keep-track', 'f1', '--no-hold'], { cwd: s.dir });
    expect(noPlan.exitCode).toBe(2);
    const ambiguous = await toezicht([...base, '--plan', dir, '--keep-track', 'f1'], { cwd: s.dir });
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toMatch(/cameras (entree and aula|aula and entree) both have a track f1; name the camera, e.g. --keep-track \w+:f1/);
    const mismatch = await toezicht([...base, '--plan', dir, '--keep-audio'], { cwd: s.dir });
    expect(mismatch.exitCode).toBe(2);
    expect(mismatch.stderr).toMatch(/was made for other footage than camera \w+'s clip now .* Give the same --from, --to and --keep-audio as the review/);
    const aulaPlan = path.join(dir, readdirSync(dir).find((n) => n.startsWith('aula_') && n.endsWith('.json'))!);
    const good = readFileSync(aulaPlan, 'utf8');
    const broken = JSON.parse(good) as RedactionPlan;
    broken.tracks[0]!.keyframes.reverse();
    writeFileSync(aulaPlan, JSON.stringify(broken));
    const badEdit = await toezicht([...base, '--plan', dir], { cwd: s.dir });
    expect(badEdit.exitCode).toBe(2);
    expect(badEdit.stderr).toContain(`the keyframes of track ${broken.tracks[0]!.id} must have rising frame numbers`);
    writeFileSync(aulaPlan, good);
    expect(listing()).toEqual([path.basename(dir)]);

    // Rendered: one copy per clip, each from its own plan; the kept track only on its camera.
    const r = await toezicht([...base, '--plan', dir, '--keep-track', 'aula:f1', '--no-hold', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const m = r.json.manifest;
    expect(m.redacted).toBeNull();
    expect(m.clips.map((c: { camera: string; redacted: { keptTracks: string[]; file: string } }) => [c.camera, c.redacted.keptTracks, c.redacted.file])).toEqual([
      ['entree', [], expect.stringMatching(/^entree_.*\.redacted\.mp4$/)],
      ['aula', ['f1'], expect.stringMatching(/^aula_.*\.redacted\.mp4$/)],
    ]);
    expect(m.clips[0].redacted.masks).toBe(1);
    expect(m.clips[1].redacted.masks).toBe(0);
    expect(m.files.filter((f: { role: string }) => f.role === 'redacted-clip')).toHaveLength(2);
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: r.json.packageDir, reject: false })).exitCode).toBe(0);

    // The review goes with its lifetime, like a package; the audit chain holds both and stays intact.
    const purge = await toezicht(['footage', 'purge', '--now', new Date(Date.now() + 12 * DAY).toISOString(), '--json'], { cwd: s.dir });
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(purge.json.exports.removed).toEqual(expect.arrayContaining([expect.objectContaining({ id: review.json.reviewId, path: dir })]));
    expect(existsSync(dir)).toBe(false);
    expect((await toezicht(['audit', 'verify'], { cwd: s.dir })).exitCode).toBe(0);
    const actions = (await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir })).json.entries.map((e: { action: string; actor: { user: string } }) => `${e.action}:${e.actor.user === ME}`);
    expect(actions.slice(0, 1)).toEqual(['export.review:true']);
    expect(actions).toContain('export.create:true');
    expect(actions).toContain('export.purge:true');
  });
});
