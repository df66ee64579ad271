import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegister, type Register } from '../../../src/core/register/index.js';
import { tempDir } from '../../helpers/school.js';

let dir: string;
let cleanup: () => void;
let file: string;
let register: Register;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  file = path.join(dir, '.toezicht', 'register.db');
  register = openRegister(file, { create: true, actor: { user: 'beheerder', host: 'nas' } }).register;
  for (let i = 1; i <= 5; i++) await register.appendAudit('test.step', { step: i });
  register.close();
});
afterEach(() => cleanup());

function tamper(sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

async function verify() {
  const r = openRegister(file).register;
  try {
    return await r.verifyAudit();
  } finally {
    r.close();
  }
}

describe('the register file', () => {
  it('is created 0600 in a 0700 folder', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('refuses to open when missing, naming `toezicht init`', () => {
    expect(() => openRegister(path.join(dir, 'nope.db'))).toThrow(/toezicht init/);
  });

  it('refuses a file that is not a register', async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = path.join(dir, 'garbage.db');
    writeFileSync(bad, 'this is not sqlite at all, just text that is long enough to be read as a header');
    expect(() => openRegister(bad)).toThrow(/cannot be read/);
  });

  it('refuses a register written by a newer version', () => {
    tamper('PRAGMA user_version = 99');
    expect(() => openRegister(file)).toThrow(/newer toezicht/);
  });
});

describe('audit chain', () => {
  it('verifies an untouched chain', async () => {
    expect(await verify()).toMatchObject({ ok: true, entries: 5, tamperedRuns: [] });
  });

  it('names the entry whose contents were edited', async () => {
    tamper(`UPDATE audit SET details = '{"step":99}' WHERE seq = 3`);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.broken).toEqual({ seq: 3, problem: expect.stringMatching(/entry 3 was altered/) });
  });

  it('names a deleted entry in the middle', async () => {
    tamper('DELETE FROM audit WHERE seq = 2');
    expect((await verify()).broken).toEqual({ seq: 2, problem: expect.stringMatching(/entry 2 is missing/) });
  });

  it('notices the last entry deleted', async () => {
    tamper('DELETE FROM audit WHERE seq = 5');
    expect((await verify()).broken).toEqual({ seq: 5, problem: expect.stringMatching(/entry 5 is missing/) });
  });

  it('notices two entries swapped', async () => {
    // Swap the contents of rows 2 and 3, keeping their numbers (what a careless or malicious edit would do).
    tamper(`
      CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (2, 3);
      UPDATE audit SET at = (SELECT at FROM t WHERE seq = 3), actor = (SELECT actor FROM t WHERE seq = 3), action = (SELECT action FROM t WHERE seq = 3), details = (SELECT details FROM t WHERE seq = 3), prev_hash = (SELECT prev_hash FROM t WHERE seq = 3), hash = (SELECT hash FROM t WHERE seq = 3) WHERE seq = 2;
      UPDATE audit SET at = (SELECT at FROM t WHERE seq = 2), actor = (SELECT actor FROM t WHERE seq = 2), action = (SELECT action FROM t WHERE seq = 2), details = (SELECT details FROM t WHERE seq = 2), prev_hash = (SELECT prev_hash FROM t WHERE seq = 2), hash = (SELECT hash FROM t WHERE seq = 2) WHERE seq = 3;
    `);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.broken!.seq).toBe(2);
  });

  it('notices rows renumbered into another order', async () => {
    tamper('UPDATE audit SET seq = seq + 100 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 104;');
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.broken!.seq).toBe(3);
  });

  it('refuses to append to a chain whose end was cut off', async () => {
    tamper('DELETE FROM audit WHERE seq = 5');
    const r = openRegister(file).register;
    await expect(r.appendAudit('test.more', {})).rejects.toThrow(/audit chain/);
    r.close();
  });

  it('records who did it', async () => {
    const r = openRegister(file, { actor: { user: 'directie', host: 'pc1', sudoUser: 'jan' } }).register;
    const entry = await r.appendAudit('test.who', { x: 1 });
    r.close();
    expect(entry.actor).toEqual({ user: 'directie', host: 'pc1', sudoUser: 'jan' });
    expect((await verify()).ok).toBe(true);
  });
});
