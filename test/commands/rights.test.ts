// toezicht rights through the built CLI, without a terminal (as cron and scripts run it): an access request on
// footage with real faces (photos from @vladmandic/face-api moving over a corridor, the real detector), from receipt
// through the redaction review to the copy with only the subject visible and the answer letter; restriction against
// the purge and export; the deadline calendar, the overdue alert, the refusals and the year report.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boxAt, type Box, type RedactionPlan } from '../../src/core/redaction/index.js';
import type { Register } from '../../src/core/register/index.js';
import { addMonths, localDate } from '../../src/core/time/index.js';
import { toezicht } from '../helpers/cli.js';
import { exportSchool } from '../helpers/export-school.js';
import { makeFaceFootage, removeFaceFootage, type FaceFootage } from '../helpers/face-footage.js';
import { makeStream, placeFrigate, removeStreams } from '../helpers/footage.js';
import { blockSpread, lumaFrames, meanAbsDiff, pixels, trackOf } from '../helpers/pixels.js';
import { DAY, type SchoolFixture } from '../helpers/school.js';

const W = 640;
const H = 360;
const FPS = 25;
const FRAMES = 75;
const SIZE = { width: W, height: H };
const TZ = 'Europe/Amsterdam';
const NOW = Date.now();
const TODAY = localDate(NOW, TZ);
const YEAR = TODAY.slice(0, 4);
// Footage of 30 days ago, on whole minutes: past the 4-week retention, so only a hold keeps it from the purge.
const T0 = Math.floor((NOW - 30 * DAY) / 60_000) * 60_000;
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const ACTORS = [
  // Sanne, the subject: walks from left to right through the middle.
  { face: 3, keys: [{ t: 0, x: 60, y: 150, h: 70 }, { t: 3, x: 380, y: 160, h: 74 }] },
  // A bystander, standing to the right.
  { face: 9, keys: [{ t: 0, x: 500, y: 240, h: 64 }, { t: 3, x: 490, y: 236, h: 66 }] },
];

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let faces: FaceFootage;
let school: SchoolFixture | undefined;
beforeAll(async () => {
  faces = await makeFaceFootage({ actors: ACTORS, width: W, height: H, fps: FPS, seconds: FRAMES / FPS, segmentSeconds: 1 });
}, 120_000);
afterAll(() => {
  removeFaceFootage();
  removeStreams();
});
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

const letterArgs = ['--format', 'md'];
const access = (from: string, to: string): string[] => [
  'rights', 'request', '--type', 'access', '--requester', 'Jolanda de Vries', '--relation', 'parent', '--subject', 'Sanne de Vries',
  '--subject-birthdate', '2014-03-02', '--camera', 'entree', '--from', from, '--to', to, '--description', 'Sanne werd bij de ingang geduwd', ...letterArgs,
];

describe('toezicht rights: an access request on footage with faces', () => {
  it('holds from receipt through a purge, reviews, hands over a copy with only the subject visible, and answers', async () => {
    const s = (school = await exportSchool());
    const root = path.join(s.dir, 'recordings');
    const placed = placeFrigate(root, 'entree', T0, faces.segments, 1);
    const run = (args: string[]) => toezicht(args, { cwd: s.dir });
    // What the commands wrote, read back in this process (the CLI's own views are checked where they matter).
    const register = s.register();

    const received = await run([...access(at(0), at(3)), '--json']);
    expect(received.exitCode, received.stderr).toBe(0);
    const id = received.json.request.id as string;
    expect(received.json.request).toMatchObject({ state: 'received', receivedOn: TODAY, dueOn: addMonths(TODAY, 1) });
    expect(await register.listHolds()).toEqual([expect.objectContaining({ kind: 'request', caseRef: id, cameras: ['entree'] })]);

    // A purge while the request is open keeps the footage, although it is past its retention.
    const purge = await run(['footage', 'purge', '--json']);
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(placed.every((rel) => existsSync(path.join(root, rel)))).toBe(true);

    // Nothing before the identity is checked; no copy to render before a review.
    const early = await run(['rights', 'fulfil', id, '--plan-only']);
    expect(early.exitCode).toBe(2);
    expect(early.stderr).toContain(`toezicht rights verify-identity ${id}`);
    expect((await run(['rights', 'verify-identity', id, '--method', 'Paspoort getoond, niet gekopieerd; gezag in de leerlingenadministratie'])).exitCode).toBe(0);
    const noReview = await run(['rights', 'fulfil', id, '--keep-track', 'f1']);
    expect(noReview.exitCode).toBe(2);
    expect(noReview.stderr).toContain(`toezicht rights fulfil ${id} --plan-only`);

    // The review: plan and contact sheet, under the request's hold (no second hold), recorded in the request.
    const review = await run(['rights', 'fulfil', id, '--plan-only', '--json']);
    expect(review.exitCode, review.stderr).toBe(0);
    expect(review.json).toMatchObject({ action: 'review', request: { state: 'identity-checked' } });
    const reviewDir = review.json.fulfilment.reviewDir as string;
    expect(reviewDir).toBe(path.join(s.dir, 'exports', `${review.json.fulfilment.reviewId}-review`));
    const [clip] = review.json.fulfilment.clips as { contactSheet: string; plan: string; tracks: string[] }[];
    expect(readFileSync(clip!.contactSheet).subarray(1, 4).toString()).toBe('PNG');
    expect(await register.listHolds()).toHaveLength(1);
    // The folder's LEESMIJ says what the CLI says: the request's hold keeps the footage, and the next step is
    // rights fulfil … --keep-track, not a bare footage export (issue 19 item 5).
    const [requestHold] = await register.listHolds();
    const leesmij = readFileSync(path.join(reviewDir, 'LEESMIJ.txt'), 'utf8');
    expect(leesmij).toContain(`Deze map is gemaakt voor verzoek ${id} van een betrokkene`);
    expect(leesmij).toContain(`toezicht rights fulfil ${id} --keep-track ID`);
    expect(leesmij).toContain(`De beelden staan onder bewaarplicht ${requestHold!.id} (verzoek ${id}) zolang het verzoek loopt.`);
    expect(leesmij).not.toContain('footage export');
    expect(leesmij).not.toContain('geen --case');
    const plan = JSON.parse(readFileSync(clip!.plan, 'utf8')) as RedactionPlan;
    const sanne = trackOf(plan, faces.truth, 0, SIZE);
    const bystander = trackOf(plan, faces.truth, 1, SIZE);
    expect(sanne).not.toBe(bystander);

    // The copy, rendered from the recorded review with Sanne's track kept.
    const copy = await run(['rights', 'fulfil', id, '--keep-track', sanne, '--json']);
    expect(copy.exitCode, copy.stderr).toBe(0);
    expect(copy.json).toMatchObject({ action: 'export', request: { state: 'fulfilled' } });
    const m = copy.json.export.manifest;
    expect(m.redacted).toMatchObject({ planSource: 'reviewed', keptTracks: [sanne], frames: FRAMES });
    const given = copy.json.fulfilment.clips[0];
    expect(given).toMatchObject({ file: m.redacted.file, sha256: m.redacted.sha256, master: { file: m.output.file } });
    expect(copy.json.fulfilment.handOver).toEqual([path.join(copy.json.export.packageDir, m.redacted.file)]);
    expect(sha256(copy.json.fulfilment.handOver[0])).toBe(m.redacted.sha256);

    // Pixels: Sanne as the master shows her, the bystander a mosaic.
    const master = lumaFrames(path.join(copy.json.export.packageDir, m.output.file), SIZE);
    const out = lumaFrames(copy.json.fulfilment.handOver[0], SIZE);
    expect(out).toHaveLength(FRAMES);
    const wrong: string[] = [];
    for (let f = 0; f < FRAMES; f += 5) {
      for (const g of faces.truth[f]!.filter((x) => x.visible >= 0.9)) {
        const inner: Box = { x: g.box.x + g.box.w * 0.15, y: g.box.y + g.box.h * 0.15, w: g.box.w * 0.7, h: g.box.h * 0.7 };
        if (g.actor === 0) {
          const diff = meanAbsDiff(pixels(out[f]!, inner, SIZE), pixels(master[f]!, inner, SIZE));
          if (diff > 6) wrong.push(`frame ${f}: Sanne changed (${diff.toFixed(1)})`);
        } else {
          // Measured on the planned box, where the mosaic's blocks are laid.
          const box = boxAt(plan.tracks.find((t) => t.id === bystander)!, f);
          if (!box) {
            wrong.push(`frame ${f}: the bystander's track has no box`);
            continue;
          }
          const spreadOut = blockSpread(out[f]!, box, SIZE);
          const spreadIn = blockSpread(master[f]!, box, SIZE);
          if (!(spreadOut < spreadIn / 3)) wrong.push(`frame ${f}: the bystander is not a mosaic (${spreadOut.toFixed(1)} vs ${spreadIn.toFixed(1)})`);
        }
      }
    }
    expect(wrong).toEqual([]);

    // Closed: the answer names the redacted copy (not the master), the hold is released, the purge takes the footage.
    const closed = await run(['rights', 'close', id, '--outcome', 'granted', '--reason', 'U ontvangt de beelden van Sanne; anderen zijn onherkenbaar gemaakt.', ...letterArgs, '--json']);
    expect(closed.exitCode, closed.stderr).toBe(0);
    expect(closed.json).toMatchObject({ onTime: true, releasedHold: received.json.hold.id });
    const answer = readFileSync(path.join(s.dir, 'rights', id, `${id}-antwoord-nl.md`), 'utf8').replace(/\\_/g, '_'); // Markdown escapes the underscores
    expect(answer).toContain(`${m.redacted.file} (camera entree), controlegetal SHA-256 ${m.redacted.sha256}`);
    expect(answer).not.toContain(m.output.file);
    expect(answer).toContain('Andere mensen op de beelden zijn onherkenbaar gemaakt');
    expect(answer).toContain('Geachte Jolanda de Vries');
    expect(answer).toContain('Autoriteit Persoonsgegevens');
    expect(await register.listHolds()).toEqual([]);
    await run(['footage', 'purge', '--json']);
    expect(placed.some((rel) => existsSync(path.join(root, rel)))).toBe(false);

    const shown = await run(['rights', 'show', id, '--json']);
    expect(shown.json.history.map((e: { action: string }) => e.action)).toEqual([
      'hold.add', 'rights.request', 'rights.letter', 'rights.identity', 'export.review', 'rights.review', 'export.create', 'rights.fulfil', 'hold.release', 'rights.close',
    ]);
    expect((await register.verifyAudit()).ok).toBe(true);
  }, 120_000);
});

describe('toezicht rights: the other commands', { timeout: 180_000 }, () => {
  async function plainSchool(): Promise<{ s: SchoolFixture; root: string; placed: string[]; run: (args: string[]) => ReturnType<typeof toezicht>; register: Register }> {
    const s = (school = await exportSchool());
    const root = path.join(s.dir, 'recordings');
    const placed = placeFrigate(root, 'entree', T0, await makeStream({ seconds: 60, segmentSeconds: 10 }), 10);
    return { s, root, placed, run: (args) => toezicht(args, { cwd: s.dir }), register: s.register() };
  }

  it('names the missing flags without a terminal, and refuses a pupil under 16 without a parent', async () => {
    const { run, register } = await plainSchool();
    const missing = await run(['rights', 'request', '--type', 'access', '--camera', 'entree']);
    expect(missing.exitCode).toBe(2);
    for (const flag of ['--requester', '--relation', '--from', '--to']) expect(missing.stderr).toContain(flag);
    const child = await run(['rights', 'request', '--type', 'access', '--requester', 'Sanne de Vries', '--relation', 'other', '--subject', 'Sanne de Vries', '--subject-birthdate', `${Number(YEAR) - 12}-01-01`, '--camera', 'entree', '--from', at(20), '--to', at(40), ...letterArgs]);
    expect(child.exitCode).toBe(2);
    expect(child.stderr).toMatch(/was 1[12] on the day of receipt: under 16 a parent with parental authority \(gezag\) or a guardian exercises the child's rights/);
    expect(await register.listRightsRequests({})).toEqual([]);
    expect(await register.listHolds()).toEqual([]);
  });

  it('restriction: the purge keeps the footage, export refuses it, --override-restriction exports it and is audited', async () => {
    const { root, placed, run, register } = await plainSchool();
    const r = await run(['rights', 'request', '--type', 'restriction', '--requester', 'Mark Jansen', '--relation', 'staff', '--subject', 'Mark Jansen', '--camera', 'entree', '--from', at(20), '--to', at(40), ...letterArgs, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const id = r.json.request.id as string;
    expect((await run(['rights', 'verify-identity', id, '--method', 'Personeelspas'])).exitCode).toBe(0);
    const restricted = await run(['rights', 'fulfil', id, '--json']);
    expect(restricted.exitCode, restricted.stderr).toBe(0);
    expect((await run(['rights', 'close', id, '--outcome', 'granted', '--reason', 'De beelden zijn afgeschermd.', ...letterArgs])).exitCode).toBe(0);
    // After close the restriction still holds the footage: the purge keeps segments 1–4 (they touch the window).
    await run(['footage', 'purge']);
    expect(placed.map((rel) => existsSync(path.join(root, rel)))).toEqual([false, true, true, true, true, false]);
    const exportArgs = ['footage', 'export', '--camera', 'entree', '--from', at(22), '--to', at(38), '--case', 'I-7', '--reason', 'Aangifte', '--no-hold'];
    const refused = await run(exportArgs);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--override-restriction');
    const overridden = await run([...exportArgs, '--override-restriction', 'Toestemming van de betrokkene, schriftelijk', '--json']);
    expect(overridden.exitCode, overridden.stderr).toBe(0);
    const created = await register.auditEntries({ action: 'export.create' });
    expect(created).toEqual([expect.objectContaining({ details: expect.objectContaining({ overrideRestriction: { reason: 'Toestemming van de betrokkene, schriftelijk', holds: [restricted.json.fulfilment.holdId] } }) })]);
  });

  it('erasure: deletes exactly the window, refused under another case\'s hold', async () => {
    const { root, placed, run } = await plainSchool();
    const hold = await run(['footage', 'hold', 'add', '--camera', 'entree', '--from', at(0), '--to', at(15), '--case', 'I-3', '--reason', 'Vechtpartij']);
    expect(hold.exitCode, hold.stderr).toBe(0);
    const erase = async (from: number, to: number): Promise<{ id: string; fulfil: Awaited<ReturnType<typeof toezicht>> }> => {
      const r = await run(['rights', 'request', '--type', 'erasure', '--requester', 'Mark Jansen', '--relation', 'staff', '--subject', 'Mark Jansen', '--camera', 'entree', '--from', at(from), '--to', at(to), ...letterArgs, '--json']);
      const id = r.json.request.id as string;
      await run(['rights', 'verify-identity', id, '--method', 'Personeelspas']);
      // An erasure without a terminal needs --yes (cli-first-week.test.ts: refused without it, asked on a terminal).
      return { id, fulfil: await run(['rights', 'fulfil', id, '--json', '--yes']) };
    };
    const blocked = await erase(0, 10);
    expect(blocked.fulfil.exitCode).toBe(2);
    expect(blocked.fulfil.json.fulfilment).toMatchObject({ erased: false, blockedBy: [expect.objectContaining({ case: 'I-3' })] });
    expect(placed.map((rel) => existsSync(path.join(root, rel)))).toEqual([true, true, true, true, true, true]);
    const done = await erase(30, 40);
    expect(done.fulfil.exitCode, done.fulfil.stderr).toBe(0);
    expect(done.fulfil.json.fulfilment).toMatchObject({ erased: true, files: 1 });
    expect(placed.map((rel) => existsSync(path.join(root, rel)))).toEqual([true, true, true, false, true, true]);
    expect((await run(['rights', 'close', blocked.id, '--outcome', 'refused', '--reason', 'Nodig voor een incident.', ...letterArgs])).exitCode).toBe(0);
    expect(readFileSync(path.join(root, '..', 'rights', blocked.id, `${blocked.id}-antwoord-nl.md`), 'utf8')).toContain('afhandeling van een incident');
  });

  it('deadlines by the calendar, extension, the overdue alert and the year report', async () => {
    const { run } = await plainSchool();
    const request = (received: string, extra: string[] = []) =>
      run(['rights', 'request', '--type', 'objection', '--requester', 'Piet Jansen', '--relation', 'self', '--camera', 'entree', '--from', at(20), '--to', at(40), '--received', received, ...extra, ...letterArgs, '--json']);
    // Received on 31 January of a leap year: due on 29 February (28 otherwise: test/core/rights/deadline.test.ts).
    const jan = await request('2024-01-31');
    expect(jan.json.request.dueOn).toBe('2024-02-29');
    const id = jan.json.request.id as string;
    // Past the first month: no extension, and the cron alert fires.
    const late = await run(['rights', 'extend', id, '--reason', 'Veel beelden']);
    expect(late.exitCode).toBe(2);
    let overdue = await run(['rights', 'list', '--overdue', '--json']);
    expect(overdue.exitCode).toBe(1);
    expect(overdue.json.requests).toEqual([expect.objectContaining({ id, urgency: 'red' })]);
    await run(['rights', 'verify-identity', id, '--method', 'Telefonisch teruggebeld']);
    await run(['rights', 'fulfil', id, '--decision', 'rejected', '--grounds', 'Lopend onderzoek.']);
    expect((await run(['rights', 'close', id, '--outcome', 'refused', '--reason', 'Dwingende gronden.', ...letterArgs])).exitCode).toBe(0);
    // A request of today: due in a month, extended by two on the calendar; no alert.
    const fresh = await request(TODAY);
    const extended = await run(['rights', 'extend', fresh.json.request.id, '--reason', 'Beelden van vijf camera\'s', ...letterArgs, '--json']);
    expect(extended.exitCode, extended.stderr).toBe(0);
    expect(extended.json.request.extendedDueOn).toBe(addMonths(addMonths(TODAY, 1), 2));
    overdue = await run(['rights', 'list', '--overdue']);
    expect(overdue.exitCode).toBe(0);
    const report = await run(['rights', 'report', '--year', '2024', '--json']);
    expect(report.json).toMatchObject({ year: 2024, received: 1, byType: { objection: 1 }, byOutcome: { refused: 1 }, timeliness: { onTime: 0, late: 1 } });
    const thisYear = await run(['rights', 'report', '--year', YEAR, '--json']);
    expect(thisYear.json).toMatchObject({ received: 1, timeliness: { openWithinDeadline: 1 } });
  });
});
