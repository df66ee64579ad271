import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openRegister, type Register } from '../../../src/core/register/index.js';
import { MIGRATIONS } from '../../../src/core/register/sqlite/migrations.js';
import { tempDir } from '../../helpers/school.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('document versions in the register', () => {
  it('upgrades a register of the first schema in place, keeping its holds and audit chain', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'register.db');
    const old = openRegister(file, { create: true }).register;
    await old.addHold({ caseRef: 'I-1', reason: 'test', cameras: ['entree'], from: 0, to: 1000 });
    old.close();
    // Roll the file back to schema 1, as an older toezicht left it.
    const db = new Database(file);
    db.exec('DROP TABLE object_legal_holds; DROP TABLE document_renders; DROP TABLE document_texts; DROP TABLE document_versions; DROP TABLE exports; DROP TABLE rights_events; DROP TABLE rights_requests; DROP INDEX purge_batches_camera;');
    db.pragma('user_version = 1');
    db.close();

    const register: Register = openRegister(file).register;
    cleanups.push(() => register.close());
    expect(new Database(file, { readonly: true }).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(await register.listHolds()).toHaveLength(1);
    const { version, created } = await register.documentVersionFor({ document: 'reglement', inputsHash: 'a'.repeat(64), inputs: { x: 1 }, status: 'concept' });
    expect({ created, version: version.version }).toEqual({ created: true, version: 1 });
    expect((await register.verifyAudit()).ok).toBe(true);
  });

  it('numbers versions per document, reuses the latest for the same inputs, and keeps texts and renders', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const register = openRegister(path.join(dir, 'r.db'), { create: true }).register;
    cleanups.push(() => register.close());
    const v = (document: string, hash: string) => register.documentVersionFor({ document, inputsHash: hash.repeat(64), inputs: { hash }, status: 'concept' });
    expect((await v('reglement', 'a')).version.version).toBe(1);
    expect((await v('reglement', 'a')).created).toBe(false);
    expect((await v('reglement', 'b')).version.version).toBe(2);
    // Back to the first inputs: a change like any other, so a new version (history shows it went back).
    expect((await v('reglement', 'a')).version.version).toBe(3);
    expect((await v('dpia', 'a')).version.version).toBe(1);
    await register.recordDocumentRender('reglement', 2, { lang: 'nl', format: 'pdf', file: '/x.pdf', sha256: 'f'.repeat(64), markdown: '# B' });
    const two = await register.documentVersion('reglement', 2);
    expect(two).toMatchObject({ texts: { nl: '# B' }, renders: [{ lang: 'nl', format: 'pdf', file: '/x.pdf' }], inputs: { hash: 'b' } });
    expect((await register.auditEntries({ action: 'document' })).map((e) => e.details.version)).toEqual([1, 2, 3, 1]);
    await expect(register.recordDocumentRender('reglement', 9, { lang: 'nl', format: 'md', file: '/y', sha256: '0', markdown: '' })).rejects.toThrow(/no version 9/);
  });
});
