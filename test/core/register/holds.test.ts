import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegister, type Register } from '../../../src/core/register/index.js';
import { tempDir } from '../../helpers/school.js';

let cleanup: () => void;
let a: Register;
let b: Register;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  const file = path.join(t.dir, 'register.db');
  a = openRegister(file, { create: true }).register;
  b = openRegister(file).register;
});
afterEach(() => {
  a.close();
  b.close();
  cleanup();
});

describe('holds and the purge plan', () => {
  it('numbers holds per year and audits placing and releasing them', async () => {
    const h1 = await a.addHold({ caseRef: 'I-1', reason: 'r', cameras: ['x', 'y', 'x'], from: 0, to: 10 });
    const h2 = await b.addHold({ caseRef: 'I-2', reason: 'r', cameras: ['x'], from: 0, to: 10 });
    expect(h1.id).toMatch(/^H-\d{4}-0001$/);
    expect(h2.id).toMatch(/^H-\d{4}-0002$/);
    expect(h1.cameras).toEqual(['x', 'y']);
    await a.releaseHold(h1.id, 'klaar');
    await expect(a.releaseHold(h1.id, 'nog eens')).rejects.toThrow(/already released/);
    await expect(a.releaseHold('H-1999-0001', 'x')).rejects.toThrow(/no hold/);
    expect((await a.listHolds()).map((h) => h.id)).toEqual([h2.id]);
    expect((await a.auditEntries()).map((e) => e.action)).toEqual(['hold.add', 'hold.add', 'hold.release']);
  });

  it('refuses to record a purge plan decided on holds that changed meanwhile', async () => {
    const run = await a.beginPurgeRun({ now: 0, options: {} });
    const version = await a.holdsVersion();
    // Another process places a hold between the purge reading the holds and recording its plan.
    await b.addHold({ caseRef: 'I-3', reason: 'r', cameras: ['x'], from: 0, to: 10 });
    const batch = { storage: 's', dir: 'd', camera: 'x', names: ['f'], bytes: 0, firstStart: 0, lastEnd: 5 };
    expect(await a.planBatch(run, batch, version)).toBeUndefined();
    expect(await a.planBatch(run, batch, await a.holdsVersion())).toEqual(expect.any(Number));
  });
});
