// A school with a year of history built the quick way: footage written as a recorder would, the real purge run on
// about fifty nights (its `now` moved through 2026), and holds, exports and requests through the register's API.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { purgeFootage } from '../../../src/core/footage/index.js';
import { dueDate } from '../../../src/core/rights/index.js';
import { DAY, HOUR, frigatePath, makeSchool, writeFiles, type SchoolFixture } from '../../helpers/school.js';

const utc = (iso: string): number => Date.parse(iso);

export const VISIBLE = ['entree', 'gang'];
export const HIDDEN = 'kluis';

export interface YearSchool {
  s: SchoolFixture;
  root: string;
  nights: number[];
}

export async function yearSchool(): Promise<YearSchool> {
  const s = await makeSchool({
    school: { name: 'Testschool De Linde' },
    storage: [{ id: 'nas1', type: 'fs', root: './footage', layout: 'frigate' }],
    cameras: [
      { id: 'entree', category: 'surveillance', storage: 'nas1' },
      { id: 'gang', category: 'surveillance', storage: 'nas1' },
      { id: HIDDEN, category: 'covert', storage: 'nas1', authorisation: { decision: 'CvB 2026-07', suspicion: 'diefstal', from: '2026-03-01', until: '2026-06-30' } },
    ],
  });
  const root = path.join(s.dir, 'footage');
  mkdirSync(root, { recursive: true });
  const start = utc('2026-01-01T00:00:00Z');
  const end = utc('2026-12-06T00:00:00Z');
  const files: string[] = [];
  for (let t = start; t < end; t += 12 * HOUR) {
    files.push(frigatePath('entree', t));
    // gang: a recorder outage from 10 to 20 February.
    if (!(t >= utc('2026-02-10T00:00:00Z') && t < utc('2026-02-20T00:00:00Z'))) files.push(frigatePath('gang', t));
    if (t >= utc('2026-03-01T00:00:00Z') && t < utc('2026-06-30T00:00:00Z')) files.push(frigatePath(HIDDEN, t));
  }
  writeFiles(root, files);

  const register = s.register();
  // Holds placed before the purges, so the purge keeps what they cover.
  const held = await register.addHold({ caseRef: 'INC-2026-01', reason: 'vernieling fietsenstalling', cameras: ['entree'], from: utc('2026-03-10T00:00:00Z'), to: utc('2026-03-12T00:00:00Z') });
  await register.addHold({ caseRef: 'INC-K', reason: 'diefstal kluis', cameras: [HIDDEN], from: utc('2026-04-01T00:00:00Z'), to: utc('2026-04-02T00:00:00Z') });
  await register.addHold({ caseRef: 'INC-2026-02', reason: 'vechtpartij', cameras: ['gang'], from: utc('2026-05-05T00:00:00Z'), to: utc('2026-05-06T00:00:00Z') });

  const nights: number[] = [];
  for (let t = utc('2026-01-29T02:00:00Z'); t < utc('2026-12-06T00:00:00Z'); t += 7 * DAY) nights.push(t);
  for (const [i, now] of nights.entries()) {
    // One run is killed before it deletes anything; the next one settles it.
    if (i === 20) await register.beginPurgeRun({ now, options: {} });
    await purgeFootage(s.config, register, { now });
  }
  await register.releaseHold(held.id, 'zaak afgerond');

  // Exports: recipients and legal bases in their audit entries, one redacted, one removed, one of the hidden camera.
  const exports = [
    { cameras: ['entree'], caseRef: 'INC-2026-01', recipient: 'Politie Utrecht', legalBasis: 'art. 6 lid 1 f AVG', keep: 30 },
    { cameras: ['gang'], caseRef: 'INC-2026-02', recipient: 'Ouders leerling (kopie)', legalBasis: 'art. 15 lid 3 AVG', keep: 14, redacted: true },
    { cameras: ['entree', 'gang'], caseRef: 'INC-2026-03', recipient: 'Verzekeraar', legalBasis: 'art. 6 lid 1 f AVG', keep: -1 },
    { cameras: [HIDDEN], caseRef: 'INC-K', recipient: 'Politie Utrecht', legalBasis: 'art. 6 lid 1 f AVG', keep: 60 },
  ];
  for (const e of exports) {
    const out = path.join(s.dir, 'exports');
    const rec = await register.beginExport({ caseRef: e.caseRef, reason: 'incident', cameras: e.cameras, from: utc('2026-03-10T00:00:00Z'), to: utc('2026-03-10T01:00:00Z'), outDir: out, paths: (id) => ({ packageDir: path.join(out, id), workDir: path.join(out, `.${id}`) }), encrypted: false });
    await register.completeExport(rec.id, {
      manifestSha256: 'a'.repeat(64),
      bytes: 1000,
      keepUntil: Date.now() + e.keep * DAY,
      audit: { case: e.caseRef, recipient: e.recipient, legalBasis: e.legalBasis, cameras: e.cameras, ...(e.redacted ? { redaction: { style: 'blur' } } : {}) },
    });
    if (e.keep < 0) await register.markExportPurged(rec.id, { reason: 'lifetime ended' });
  }
  await register.appendAudit('export.refused', { user: 'stagiair', reason: 'user not in access.export' });

  // Requests: on time, late, extended, open, and one about the hidden camera only.
  const requests = [
    { type: 'access', cameras: ['entree'], received: '2026-02-03', answered: '2026-02-20' },
    { type: 'copy', cameras: ['gang'], received: '2026-04-01', answered: '2026-05-20' },
    { type: 'erasure', cameras: ['entree'], received: '2026-06-01', answered: '2026-08-10', extend: 'veel beelden, drie camera\u2019s' },
    { type: 'access', cameras: ['gang'], received: '2026-11-25' },
    { type: 'access', cameras: [HIDDEN], received: '2026-05-02', answered: '2026-05-10' },
  ] as const;
  for (const r of requests) {
    const { request } = await register.addRightsRequest({ type: r.type, requester: 'J. Jansen', relation: 'self', subject: 'J. Jansen', cameras: [...r.cameras], receivedOn: r.received, dueOn: dueDate(r.received), audit: {} });
    if ('extend' in r) await register.recordRightsStep(request.id, { action: 'rights.extend', details: {}, set: { extendedDueOn: '2026-09-01', extensionReason: r.extend, extendedAt: new Date().toISOString() } });
    if ('answered' in r) await register.recordRightsStep(request.id, { action: 'rights.close', details: {}, set: { state: 'closed', outcome: 'granted', answeredAt: `${r.answered}T10:00:00.000Z`, closedAt: `${r.answered}T10:00:00.000Z` } });
  }
  await register.close();
  return { s, root, nights };
}
