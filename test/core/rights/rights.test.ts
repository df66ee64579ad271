// Each kind of data-subject request from receipt to close, on real footage (segments made by ffmpeg), the real
// register, the real purge and the letters read back from DOCX and PDF.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportFootage } from '../../../src/core/evidence/index.js';
import { purgeFootage } from '../../../src/core/footage/index.js';
import { disclosureRows, type Register } from '../../../src/core/register/index.js';
import {
  closeRequest,
  extendRequest,
  fulfilRequest,
  listRequests,
  registerRequest,
  showRequest,
  verifyIdentity,
  yearReport,
  type LetterOptions,
  type RightsRequestInput,
} from '../../../src/core/rights/index.js';
import { addMonths, localDate } from '../../../src/core/time/index.js';
import { docxText, flat, pdfText } from '../../helpers/documents.js';
import { exportSchool } from '../../helpers/export-school.js';
import { makeStream, placeFrigate, removeStreams } from '../../helpers/footage.js';
import { DAY, type SchoolFixture } from '../../helpers/school.js';

afterAll(removeStreams);

const TZ = 'Europe/Amsterdam';
const NOW = Date.now();
const TODAY = localDate(NOW, TZ);
// Footage of 30 days ago: past the 4-week retention, so only a hold keeps it from the purge.
const T0 = Math.floor((NOW - 30 * DAY) / 60_000) * 60_000;
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const md: LetterOptions = { langs: ['nl'], formats: ['md'], now: NOW };

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

interface Setup {
  s: SchoolFixture;
  register: Register;
  /** Relative paths of the six 10-second segments of camera entree, from T0. */
  placed: string[];
  root: string;
}

async function setup(): Promise<Setup> {
  school = await exportSchool({
    school: { name: 'OSG De Linde', board: 'Stichting OVO', address: 'Lindelaan 1, 1501 AA Zaandam', email: 'info@delinde.nl' },
    privacy: { fg: { name: 'M. de Boer', email: 'fg@ovo.nl' }, complaints: { contact: 'de klachtencommissie van Stichting OVO' } },
  });
  const root = path.join(school.dir, 'recordings');
  const placed = placeFrigate(root, 'entree', T0, await makeStream({ seconds: 60, segmentSeconds: 10 }), 10);
  return { s: school, register: school.register(), placed, root };
}

/** The window 20–40 s: exactly segments 2 and 3 (segments 1 and 4 only touch its edges). */
const request = (extra: Partial<RightsRequestInput> = {}): RightsRequestInput => ({
  type: 'access',
  requester: 'Jolanda de Vries',
  relation: 'parent',
  subject: 'Sanne de Vries',
  subjectBirthdate: '2014-03-02',
  cameras: ['entree'],
  from: at(20),
  to: at(40),
  description: 'Sanne werd bij de ingang geduwd',
  ...extra,
});

const present = (root: string, rels: string[]): boolean[] => rels.map((r) => existsSync(path.join(root, r)));

describe('an access request', () => {
  it('holds the footage from receipt, survives a purge, exports it after the identity check, and releases it at close', async () => {
    const { s, register, placed, root } = await setup();
    const letters: LetterOptions = { langs: ['nl', 'en'], formats: ['md', 'docx', 'pdf'], now: NOW };
    const received = await registerRequest(s.config, register, request(), { now: NOW, letters });
    const id = received.request.id;
    expect(id).toBe(`R-${TODAY.slice(0, 4)}-0001`);
    expect(received.request).toMatchObject({ state: 'received', receivedOn: TODAY, dueOn: addMonths(TODAY, 1) });
    expect(received.subjectAge).toBe(Number(TODAY.slice(0, 4)) - 2014 - (TODAY.slice(5) < '03-02' ? 1 : 0));
    expect(received.footage).toEqual([{ camera: 'entree', segments: 2, deleted: [] }]);
    // The hold is there from receipt, on the cameras and window named.
    expect(await register.listHolds()).toEqual([expect.objectContaining({ id: received.hold!.id, kind: 'request', caseRef: id, cameras: ['entree'], from: T0 + 20_000, to: T0 + 40_000 })]);

    // The receipt letter, in Dutch and English, as Word and PDF: the request's facts and the right to complain.
    const folder = path.join(s.dir, 'rights', id);
    const receipt = flat(docxText(path.join(folder, `${id}-ontvangstbevestiging-nl.docx`)).text);
    expect(receipt).toContain(`Kenmerk: ${id}`);
    expect(receipt).toContain('Geachte Jolanda de Vries');
    expect(receipt).toContain('inzage in camerabeelden (artikel 15 AVG), dat u als ouder met gezag doet voor Sanne de Vries');
    expect(receipt).toContain('Het gaat om de beelden van Hoofdingang van');
    expect(receipt).toMatch(/uiterlijk op \d+ \w+ \d{4} antwoord/);
    expect(receipt).toContain('Sanne werd bij de ingang geduwd');
    expect(receipt).toContain('Autoriteit Persoonsgegevens');
    expect(receipt).toContain('M. de Boer (fg@ovo.nl)');
    const receiptPdf = flat(await pdfText(path.join(folder, `${id}-receipt-en.pdf`)));
    expect(receiptPdf).toContain(`Reference: ${id}`);
    expect(receiptPdf).toContain('on behalf of Sanne de Vries');
    expect(receiptPdf).toContain('Autoriteit Persoonsgegevens');

    // A purge while the request is open keeps the window's footage (and what touches it); the rest goes.
    const purge = await purgeFootage(s.config, register, { now: NOW });
    expect(purge.held.byHold).toEqual({ [received.hold!.id]: 4 });
    expect(present(root, placed)).toEqual([false, true, true, true, true, false]);

    // Nothing is handed out before the identity is checked; then the copy, made without anyone else in view.
    await expect(fulfilRequest(s.config, register, id, { unredacted: 'x' }, { now: NOW, toolVersion: 'test' })).rejects.toThrow(/identity \(and parental authority\) has not been checked/);
    const identity = await verifyIdentity(register, id, 'Paspoort getoond aan de balie, niet gekopieerd; gezag gecontroleerd in de leerlingenadministratie');
    expect(identity.warnings).toEqual([]);
    await expect(fulfilRequest(s.config, register, id, {}, { now: NOW, toolVersion: 'test' })).rejects.toThrow(/Say how other people are made unrecognisable/);
    const done = await fulfilRequest(s.config, register, id, { unredacted: 'Alleen Sanne in beeld, gecontroleerd door de beheerder' }, { now: NOW, toolVersion: 'test' });
    expect(done.action).toBe('export');
    const manifest = JSON.parse(readFileSync(path.join(done.export!.packageDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ case: id, recipient: `verzoeker ${id} (parent)`, legalBasis: 'art. 15 AVG (inzage door de betrokkene)', cameras: ['entree'], hold: null });
    // The package is kept while the request is open (its case), and at least until the deadline.
    expect(manifest.keepUntil.slice(0, 10) >= addMonths(TODAY, 1).slice(0, 8)).toBe(true);
    // The copy is a disclosure, in the privacy officer's spreadsheet, without the requester's name.
    const rows = disclosureRows(await register.auditEntries({ action: 'export.create' }));
    expect(rows).toEqual([expect.objectContaining({ case: id, recipient: `verzoeker ${id} (parent)` })]);
    expect(JSON.stringify(await register.auditEntries())).not.toContain('Jolanda');

    const closed = await closeRequest(s.config, register, id, { outcome: 'granted', reason: 'U ontvangt de beelden van Sanne.' }, letters);
    expect(closed).toMatchObject({ onTime: true, releasedHold: received.hold!.id });
    expect(await register.listHolds()).toEqual([]);
    const answer = flat(docxText(path.join(folder, `${id}-antwoord-nl.docx`)).text);
    expect(answer).toContain('Wij willigen uw verzoek in.');
    expect(answer).toContain('U ontvangt de beelden van Sanne.');
    expect(answer).toContain(`in het pakket ${done.export!.exportId}`);
    expect(answer).toContain(`${manifest.clips[0].output.file} (camera entree), controlegetal SHA-256 ${manifest.clips[0].output.sha256}`);
    expect(answer).toContain('niemand anders dan Sanne de Vries herkenbaar');
    expect(answer).toContain('Autoriteit Persoonsgegevens');
    const answerPdf = flat(await pdfText(path.join(folder, `${id}-answer-en.pdf`)));
    expect(answerPdf).toContain('We grant your request.');
    expect(answerPdf).toContain(manifest.clips[0].output.sha256);

    // The hold is gone after close: the next purge deletes the footage by its retention.
    await purgeFootage(s.config, register, { now: NOW });
    expect(present(root, placed)).toEqual([false, false, false, false, false, false]);

    // Every step is in the audit chain, in the request's history, and the chain verifies.
    const details = await showRequest(register, id, { now: NOW, timeZone: TZ });
    expect(details.history.map((e) => e.action)).toEqual(['hold.add', 'rights.request', 'rights.letter', 'rights.identity', 'export.create', 'rights.fulfil', 'hold.release', 'rights.close']);
    expect(details.milestones.map((m) => [m.milestone, m.on !== null])).toEqual([
      ['received', true],
      ['identity checked', true],
      ['footage exported', true],
      ['answered', true],
      ['closed', true],
    ]);
    expect((await register.verifyAudit()).ok).toBe(true);
  });

  it('records a viewing at school instead of a copy, as a disclosure', async () => {
    const { s, register } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'copy', relation: 'self', requester: 'Piet Jansen', subject: undefined, subjectBirthdate: undefined }), { now: NOW });
    expect(r.subject).toBe('Piet Jansen');
    await verifyIdentity(register, r.id, 'Rijbewijs getoond');
    await expect(fulfilRequest(s.config, register, r.id, { viewing: { on: addMonths(TODAY, 1) } }, { now: NOW, toolVersion: 'test' })).rejects.toThrow(/in the future/);
    const viewed = await fulfilRequest(s.config, register, r.id, { viewing: { note: 'Bekeken met de teamleider' } }, { now: NOW, toolVersion: 'test' });
    expect(viewed.fulfilment).toEqual({ action: 'viewing', viewedOn: TODAY, note: 'Bekeken met de teamleider' });
    expect(disclosureRows(await register.auditEntries({ action: 'rights.viewing' }))).toEqual([expect.objectContaining({ recipient: `verzoeker ${r.id} (self)`, cameras: 'entree' })]);
    await closeRequest(s.config, register, r.id, { outcome: 'granted', reason: 'U hebt de beelden bekeken.' }, md);
    const text = readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8');
    expect(flat(text)).toContain(`U hebt de beelden op ${new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TZ }).format(NOW)} op school bekeken`);
  });
});

describe('an erasure request', () => {
  it('deletes exactly the segments of the window, recorded like purge deletions', async () => {
    const { s, register, placed, root } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'erasure', relation: 'staff', requester: 'M. Jansen', subject: 'M. Jansen', subjectBirthdate: undefined }), { now: NOW, letters: md });
    await verifyIdentity(register, r.id, 'Bekend als medewerker, in persoon');
    const done = await fulfilRequest(s.config, register, r.id, {}, { now: NOW, toolVersion: 'test' });
    expect(done).toMatchObject({ action: 'erasure', blocked: false, fulfilment: { erased: true, files: 2 } });
    expect(present(root, placed)).toEqual([true, true, false, false, true, true]);
    // Recorded like the purge: a run with per-file records whose digest is in the audit chain.
    for (const rel of [placed[2]!, placed[3]!]) expect(await register.findDeletion('nas1', rel)).toMatchObject({ runId: done.erasure!.runId, camera: 'entree' });
    const run = (await register.auditEntries({ action: 'purge.run' })).at(-1)!;
    expect(run.details).toMatchObject({ erasure: r.id, deletedFiles: 2 });
    expect(await register.verifyAudit()).toMatchObject({ ok: true, tamperedRuns: [] });

    const closed = await closeRequest(s.config, register, r.id, { outcome: 'granted', reason: 'De beelden zijn verwijderd.' }, md);
    expect(closed.releasedHold).toBe(r.holdId);
    const text = flat(readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8'));
    expect(text).toContain('verwijderd (2 opnamebestanden)');
    expect(text).toContain('Autoriteit Persoonsgegevens');
  });

  it("is refused under another case's hold: nothing is deleted, and the answer says why", async () => {
    const { s, register, placed, root } = await setup();
    const incident = await register.addHold({ caseRef: 'Incident 2026-14', reason: 'Diefstal fiets', cameras: ['entree'], from: T0 + 35_000, to: T0 + 60_000 });
    const { request: r } = await registerRequest(s.config, register, request({ type: 'erasure', relation: 'self', requester: 'Kees Bakker', subject: undefined, subjectBirthdate: '2008-01-01' }), { now: NOW });
    await verifyIdentity(register, r.id, 'Schoolpas getoond');
    const blocked = await fulfilRequest(s.config, register, r.id, {}, { now: NOW, toolVersion: 'test' });
    expect(blocked).toMatchObject({ blocked: true, fulfilment: { erased: false, blockedBy: [{ holdId: incident.id, kind: 'case', case: 'Incident 2026-14', files: 1 }] } });
    expect(present(root, placed)).toEqual([true, true, true, true, true, true]);
    expect((await register.auditEntries({ action: 'purge.run' })).length).toBe(0);
    await expect(closeRequest(s.config, register, r.id, { outcome: 'granted', reason: 'x' }, md)).rejects.toThrow(/not carried out in full/);
    await closeRequest(s.config, register, r.id, { outcome: 'refused', reason: 'De beelden zijn nodig voor een lopend onderzoek naar een diefstal.' }, md);
    const text = flat(readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8'));
    expect(text).toContain('Wij wijzen uw verzoek af.');
    expect(text).toContain('De beelden zijn nodig voor de afhandeling van een incident');
    expect(text).toContain('artikel 17 lid 3 onder e AVG');
    // The incident's hold stays; the request's own is released.
    expect((await register.listHolds()).map((h) => h.id)).toEqual([incident.id]);
  });

  it('is refused for a legal duty without touching the footage', async () => {
    const { s, register, placed, root } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'erasure', relation: 'other', requester: 'Mr. A. Advocaat', subject: 'K. Bakker', subjectBirthdate: undefined }), { now: NOW });
    await verifyIdentity(register, r.id, 'Machtiging en identiteit gecontroleerd');
    const blocked = await fulfilRequest(s.config, register, r.id, { legalDuty: 'vordering van de officier van justitie (art. 126nd Sv) van 3 november' }, { now: NOW, toolVersion: 'test' });
    expect(blocked).toMatchObject({ blocked: true, fulfilment: { erased: false, legalDuty: expect.stringContaining('126nd') } });
    expect(present(root, placed).every(Boolean)).toBe(true);
  });
});

describe('a restriction request', () => {
  it('keeps the footage from the purge and from export, also after close, unless the restriction is overridden', async () => {
    const { s, register, placed, root } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'restriction', relation: 'self', requester: 'Kees Bakker', subject: undefined, subjectBirthdate: undefined }), { now: NOW });
    await verifyIdentity(register, r.id, 'ID-kaart getoond');
    const done = await fulfilRequest(s.config, register, r.id, {}, { now: NOW, toolVersion: 'test' });
    const restriction = (await register.getHold(String(done.fulfilment.holdId)))!;
    expect(restriction).toMatchObject({ kind: 'restriction', caseRef: r.id, cameras: ['entree'] });
    await closeRequest(s.config, register, r.id, { outcome: 'granted', reason: 'De beelden zijn afgeschermd.' }, md);
    // The request's hold is released; the restriction stays, and the purge keeps its footage.
    expect((await register.listHolds()).map((h) => h.id)).toEqual([restriction.id]);
    await purgeFootage(s.config, register, { now: NOW });
    expect(present(root, placed)).toEqual([false, true, true, true, true, false]);
    // Export refuses restricted footage (and records the attempt); with a reason it goes, and the override is audited.
    const ask = { cameras: ['entree'], from: at(25), to: at(35), hold: false };
    await expect(exportFootage(s.config, register, ask, { now: NOW, toolVersion: 'test' })).rejects.toMatchObject({ code: 'export.restricted', exitCode: 2 });
    expect((await register.auditEntries({ action: 'export.refused' })).at(-1)!.details).toMatchObject({ reason: 'restricted footage', holds: [restriction.id] });
    expect(existsSync(path.join(s.dir, 'exports'))).toBe(false);
    const overridden = await exportFootage(s.config, register, { ...ask, overrideRestriction: 'Toestemming van de betrokkene, brief van 3 november' }, { now: NOW, toolVersion: 'test' });
    expect((await register.auditEntries({ action: 'export.create' })).at(-1)!.details).toMatchObject({
      exportId: overridden.exportId,
      overrideRestriction: { reason: 'Toestemming van de betrokkene, brief van 3 november', holds: [restriction.id] },
    });
    // Footage of the same camera outside the restricted window exports as always.
    const letter = flat(readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8'));
    expect(letter).toContain('Wij hebben de beelden afgeschermd');
    expect(letter).toContain('De beelden blijven afgeschermd bewaard tot de beperking eindigt.');
  });
});

describe('objection and rectification', () => {
  it('records a rejected objection with its grounds; a granted one erases the footage', async () => {
    const { s, register, placed, root } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'objection', relation: 'staff', requester: 'L. Smit', subject: 'L. Smit', subjectBirthdate: undefined }), { now: NOW });
    await verifyIdentity(register, r.id, 'Medewerker, in persoon');
    await expect(fulfilRequest(s.config, register, r.id, { decision: 'rejected' }, { now: NOW, toolVersion: 'test' })).rejects.toThrow(/--grounds/);
    const rejected = await fulfilRequest(s.config, register, r.id, { decision: 'rejected', grounds: 'Dwingende gerechtvaardigde gronden: een lopend onderzoek naar vernieling.' }, { now: NOW, toolVersion: 'test' });
    expect(rejected.fulfilment).toEqual({ action: 'decision', decision: 'rejected', grounds: 'Dwingende gerechtvaardigde gronden: een lopend onderzoek naar vernieling.' });
    await closeRequest(s.config, register, r.id, { outcome: 'refused', reason: 'Wij wijzen uw bezwaar af.' }, md);
    const letter = flat(readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8'));
    expect(letter).toContain('Uw bezwaar is afgewezen. Dwingende gerechtvaardigde gronden: een lopend onderzoek naar vernieling.');

    const { request: second } = await registerRequest(s.config, register, request({ type: 'objection', relation: 'staff', requester: 'L. Smit', subject: 'L. Smit', subjectBirthdate: undefined }), { now: NOW });
    await verifyIdentity(register, second.id, 'Medewerker, in persoon');
    const granted = await fulfilRequest(s.config, register, second.id, { decision: 'granted', grounds: 'Geen dwingende gronden.' }, { now: NOW, toolVersion: 'test' });
    expect(granted.fulfilment).toMatchObject({ action: 'decision', decision: 'granted', erased: true, files: 2 });
    expect(present(root, placed)).toEqual([true, true, false, false, true, true]);
  });

  it('records a decision on a rectification', async () => {
    const { s, register } = await setup();
    const { request: r } = await registerRequest(s.config, register, request({ type: 'rectification', relation: 'self', requester: 'P. Visser', subject: undefined, subjectBirthdate: undefined }), { now: NOW });
    await verifyIdentity(register, r.id, 'ID-kaart getoond');
    await fulfilRequest(s.config, register, r.id, { decision: 'rejected', grounds: 'Camerabeelden geven weer wat er gebeurde; er valt niets te corrigeren.' }, { now: NOW, toolVersion: 'test' });
    const closed = await closeRequest(s.config, register, r.id, { outcome: 'refused', reason: 'Zie hieronder.' }, md);
    expect(closed.request).toMatchObject({ state: 'closed', outcome: 'refused' });
    expect(await register.listHolds()).toEqual([]);
    expect(flat(readFileSync(path.join(s.dir, 'rights', r.id, `${r.id}-antwoord-nl.md`), 'utf8'))).toContain('Uw rectificatie is afgewezen. Camerabeelden geven weer wat er gebeurde');
  });
});

describe('receipt', () => {
  it('refuses a pupil under 16 without a parent or guardian, registering nothing', async () => {
    const { s, register } = await setup();
    const fifteen = `${Number(TODAY.slice(0, 4)) - 16}-${TODAY.slice(5)}`;
    const birth = addMonths(fifteen, 1); // turns 16 next month
    await expect(registerRequest(s.config, register, request({ relation: 'self', requester: 'Sanne de Vries', subject: undefined, subjectBirthdate: birth }), { now: NOW })).rejects.toMatchObject({
      code: 'rights.under-16',
      exitCode: 2,
      message: expect.stringMatching(/was 15 on the day of receipt: under 16 a parent with parental authority \(gezag\) or a guardian/),
    });
    await expect(registerRequest(s.config, register, request({ relation: 'staff', subjectBirthdate: birth }), { now: NOW })).rejects.toMatchObject({ code: 'rights.under-16' });
    expect(await register.listRightsRequests()).toEqual([]);
    expect(await register.listHolds()).toEqual([]);
    // On the 16th birthday the pupil asks for themselves.
    const ok = await registerRequest(s.config, register, request({ relation: 'self', requester: 'Sanne de Vries', subject: undefined, subjectBirthdate: fifteen }), { now: NOW });
    expect(ok.subjectAge).toBe(16);
    // A parent of a pupil of 16 or older needs the pupil's authorisation: registered, with a warning.
    const parent = await registerRequest(s.config, register, request({ subjectBirthdate: fifteen }), { now: NOW });
    expect(parent.warnings).toEqual([expect.stringMatching(/from 16 a pupil exercises their own rights/)]);
    // A parent must give the child's birth date.
    await expect(registerRequest(s.config, register, request({ subjectBirthdate: undefined }), { now: NOW })).rejects.toThrow(/lacks --subject-birthdate/);
  });

  it('says when the footage is already gone, and answers no-data with the day it was purged', async () => {
    const { s, register, placed, root } = await setup();
    await purgeFootage(s.config, register, { now: NOW });
    expect(present(root, placed).some(Boolean)).toBe(false);
    const received = await registerRequest(s.config, register, request({ received: TODAY }), { now: NOW });
    expect(received.footage[0]).toMatchObject({ camera: 'entree', segments: 0, deleted: [expect.objectContaining({ files: 6 })] });
    expect(received.warnings).toEqual([expect.stringMatching(/no footage of the window any more: purge run 1 deleted it on/)]);
    await closeRequest(s.config, register, received.request.id, { outcome: 'no-data', reason: 'Er zijn geen beelden meer.' }, { ...md, langs: ['nl', 'en'] });
    const nl = flat(readFileSync(path.join(s.dir, 'rights', received.request.id, `${received.request.id}-geen-beelden-nl.md`), 'utf8'));
    expect(nl).toContain('De beelden van dat moment bestaan niet meer. Camerabeelden worden na 28 dagen automatisch gewist');
    expect(nl).toMatch(/zijn op \d+ \w+ \d{4} gewist, voordat uw verzoek binnenkwam/);
    expect(nl).toContain('- Hoofdingang: Hoofdingang, binnen');
    expect(nl).toContain('Autoriteit Persoonsgegevens');
    const en = flat(readFileSync(path.join(s.dir, 'rights', received.request.id, `${received.request.id}-no-footage-en.md`), 'utf8'));
    expect(en).toContain('The footage of that moment no longer exists.');
  });
});

describe('deadlines, the overdue alert and the year report', () => {
  it('extends only within the first month and once; lists days left; counts the year', async () => {
    const { s, register } = await setup();
    const old = localDate(NOW - 40 * DAY, TZ);
    const late = await registerRequest(s.config, register, request({ received: old }), { now: NOW });
    expect(late.request.dueOn).toBe(addMonths(old, 1));
    await expect(extendRequest(s.config, register, late.request.id, { reason: 'Veel beelden' }, md)).rejects.toMatchObject({ code: 'rights.extend-late' });

    const fresh = await registerRequest(s.config, register, request({ type: 'copy' }), { now: NOW });
    const extended = await extendRequest(s.config, register, fresh.request.id, { reason: 'Op de beelden staan veertig andere leerlingen.' }, md);
    expect(extended.request.extendedDueOn).toBe(addMonths(addMonths(TODAY, 1), 2) < addMonths(TODAY, 3) ? addMonths(addMonths(TODAY, 1), 2) : addMonths(TODAY, 3));
    await expect(extendRequest(s.config, register, fresh.request.id, { reason: 'nog eens' }, md)).rejects.toMatchObject({ code: 'rights.extended' });
    const letter = flat(readFileSync(path.join(s.dir, 'rights', fresh.request.id, `${fresh.request.id}-verlenging-nl.md`), 'utf8'));
    expect(letter).toContain('Wij verlengen de termijn daarom met 2 maanden');
    expect(letter).toContain('Op de beelden staan veertig andere leerlingen.');
    expect(letter).toContain('Autoriteit Persoonsgegevens');

    const listing = await listRequests(register, { now: NOW, timeZone: TZ, open: true });
    expect(listing.requests.map((r) => [r.id, r.urgency])).toEqual([
      [late.request.id, 'red'],
      [fresh.request.id, 'green'],
    ]);
    expect(listing.requests[0]!.daysLeft).toBeLessThan(0);
    expect((await listRequests(register, { now: NOW, timeZone: TZ, overdue: true })).requests.map((r) => r.id)).toEqual([late.request.id]);

    await closeRequest(s.config, register, late.request.id, { outcome: 'refused', reason: 'Te laat, excuses.' }, md);
    const report = await yearReport(register, { year: Number(TODAY.slice(0, 4)), now: NOW, timeZone: TZ });
    const lateInYear = old.slice(0, 4) === TODAY.slice(0, 4);
    expect(report).toMatchObject({
      received: lateInYear ? 2 : 1,
      byType: { access: lateInYear ? 1 : 0, copy: 1, erasure: 0 },
      byOutcome: { refused: lateInYear ? 1 : 0, open: 1 },
      timeliness: { onTime: 0, late: lateInYear ? 1 : 0, openWithinDeadline: 1, openOverdue: 0 },
      extended: 1,
    });
  });
});
