import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { ME, exportSchool } from '../helpers/export-school.js';
import { makeStream, removeStreams, placeFrigate } from '../helpers/footage.js';
import { amsterdam, makeSchool, tempDir, type SchoolFixture } from '../helpers/school.js';


afterAll(removeStreams);
const YEAR = new Date().getUTCFullYear();
const DAY = 86_400_000;
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

let school: SchoolFixture | undefined;
const temps: (() => void)[] = [];
afterEach(() => {
  school?.cleanup();
  school = undefined;
  for (const t of temps.splice(0)) t();
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name]));
}

describe('toezicht keys init', () => {
  it("makes the school's key once, refuses to replace it without --force, and records both in the audit chain", async () => {
    school = await makeSchool({ school: { name: 'X' } });
    const first = await toezicht(['keys', 'init', '--json'], { cwd: school.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const keyFile = path.join(school.dir, '.toezicht/keys/signing-key.pem');
    expect((await import('node:fs')).statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    const again = await toezicht(['keys', 'init'], { cwd: school.dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`There is already a signing key in ${path.join(school.dir, '.toezicht/keys')} (fingerprint ${first.json.fingerprint})`);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    const forced = await toezicht(['keys', 'init', '--force', '--json'], { cwd: school.dir });
    expect(forced.exitCode).toBe(0);
    expect(forced.json.replaced.fingerprint).toBe(first.json.fingerprint);
    expect(existsSync(forced.json.replaced.retiredPublicKey)).toBe(true);
    const audit = await toezicht(['audit', 'log', '--action', 'keys', '--json'], { cwd: school.dir });
    expect(audit.json.entries.map((e: { details: { fingerprint: string } }) => e.details.fingerprint)).toEqual([first.json.fingerprint, forced.json.fingerprint]);
  });
});

describe('an encrypted export', () => {
  it('leaves only the encrypted archive, which age-encryption decrypts to a package that checks out', async () => {
    school = await exportSchool();
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', Date.parse('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:15', '--case', 'I-3', '--reason', 'Diefstal', '--encrypt-to', recipient, '--json'], { cwd: school.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const id = `E-${YEAR}-0001`;
    const pkg = r.json.packageDir as string;
    expect(readdirSync(pkg).sort()).toEqual([`${id}.tar.age`, 'LEESMIJ.txt', 'SHA256SUMS']);
    // Nothing readable anywhere under the exports folder: no clip, no manifest, no work folder.
    expect(walk(path.join(school.dir, 'exports')).sort()).toEqual([`${id}/${id}.tar.age`, `${id}/LEESMIJ.txt`, `${id}/SHA256SUMS`]);
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg, reject: false })).exitCode).toBe(0);
    expect(readFileSync(path.join(pkg, 'LEESMIJ.txt'), 'utf8')).toContain(recipient);

    // The receiver: age-encryption's own decrypt, then plain tar.
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const plain = await decrypter.decrypt(readFileSync(path.join(pkg, `${id}.tar.age`)));
    const out = tempDir();
    temps.push(out.cleanup);
    writeFileSync(path.join(out.dir, 'package.tar'), plain);
    mkdirSync(path.join(out.dir, 'p'));
    await execa('tar', ['-xf', path.join(out.dir, 'package.tar'), '-C', path.join(out.dir, 'p')]);
    const inner = path.join(out.dir, 'p');
    expect(readdirSync(inner).sort()).toEqual(['SHA256SUMS', 'entree_20261020T060000Z.mp4', 'manifest.json', 'manifest.json.sig', 'proces-verbaal.txt', 'public-key.pem']);
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: inner, reject: false })).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(inner, 'manifest.json'), 'utf8'));
    expect(sha256(readFileSync(path.join(inner, 'manifest.json')))).toBe(r.json.manifestSha256);
    expect(manifest.output.sha256).toBe(sha256(readFileSync(path.join(inner, manifest.output.file))));

    // footage verify: the archive alone without an identity, everything with one.
    const outer = await toezicht(['footage', 'verify', pkg, '--json']);
    expect(outer.exitCode).toBe(0);
    expect(outer.json).toMatchObject({ ok: true, encrypted: true, contentsChecked: false });
    const identityFile = path.join(out.dir, 'key.txt');
    writeFileSync(identityFile, `# receiver\n${identity}\n`);
    const full = await toezicht(['footage', 'verify', pkg, '--identity', identityFile, '--json']);
    expect(full.exitCode, full.stdout).toBe(0);
    expect(full.json).toMatchObject({ ok: true, encrypted: true, contentsChecked: true, exportId: id });
    const other = path.join(out.dir, 'other.txt');
    writeFileSync(other, `${await generateIdentity()}\n`);
    const wrong = await toezicht(['footage', 'verify', pkg, '--identity', other, '--json']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.json.changed[0]).toMatch(/cannot be decrypted with this identity/);
  });

  it('refuses a recipient that is not an age public key before writing anything', async () => {
    school = await exportSchool();
    placeFrigate(path.join(school.dir, 'recordings'), 'entree', Date.parse('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:05', '--no-hold', '--reason', 'Test', '--encrypt-to', 'politie@example.org'], { cwd: school.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--encrypt-to "politie@example.org" is not an age recipient');
    expect(existsSync(path.join(school.dir, 'exports'))).toBe(false);
  });
});

describe('the lifetime of export packages', () => {
  it('footage purge removes expired packages under exports.root, keeps held ones until released, and audits it', async () => {
    school = await exportSchool();
    const s = school;
    const now = Date.now();
    // Footage of two days ago (the packages' default lifetime follows from it).
    const start = Math.floor((now - 2 * DAY) / 3_600_000) * 3_600_000;
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', start, await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const from = new Date(start).toISOString();
    const to = new Date(start + 15_000).toISOString();
    const keepUntil = isoDate(now + 10 * DAY);
    const exp = (...extra: string[]) => toezicht(['footage', 'export', '--camera', 'entree', '--from', from, '--to', to, '--json', ...extra], { cwd: s.dir });
    const a = await exp('--keep-until', keepUntil, '--reason', '=HYPERLINK("http://x")', '--recipient', 'Politie; team Noord');
    const b = await exp('--case', 'I-9', '--reason', 'Vernieling');
    const c = await exp('--reason', 'Test');
    for (const r of [a, b, c]) expect(r.exitCode, r.stderr).toBe(0);
    // A date alone keeps the package to the end of that day, school time.
    const end = amsterdam(Date.parse(a.json.keepUntil));
    expect([end.h, end.mi, end.s]).toEqual([0, 0, 0]);
    expect(Date.parse(a.json.keepUntil) - Date.parse(`${keepUntil}T00:00:00Z`)).toBeGreaterThanOrEqual(22 * 3_600_000);
    expect(Date.parse(a.json.keepUntil) - Date.parse(`${keepUntil}T00:00:00Z`)).toBeLessThanOrEqual(23 * 3_600_000);
    expect(a.json.manifest.keepUntil).toBe(a.json.keepUntil);
    expect(b.json.keepUntil).toBeNull();
    expect(b.json.hold.caseRef).toBe('I-9');
    // Without a case the copy lives as long as the footage may: 4 weeks after its end (the camera's retention).
    const coveredTo = Date.parse(c.json.manifest.covered.to);
    expect(Math.abs(Date.parse(c.json.keepUntil) - (coveredTo + 28 * DAY))).toBeLessThanOrEqual(3_600_000);

    const soon = new Date(now + 20 * DAY).toISOString();
    const expiredSoon = await toezicht(['footage', 'exports', '--expired', '--now', soon, '--json'], { cwd: s.dir });
    expect(expiredSoon.json.exports.map((e: { id: string }) => e.id)).toEqual([a.json.exportId]);
    // A month on, the footage is past its 4 weeks: the package without a case goes with it, the held one stays.
    const later = new Date(now + 30 * DAY).toISOString();

    const purge = await toezicht(['footage', 'purge', '--now', later, '--json'], { cwd: s.dir });
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(purge.json.exports).toMatchObject({
      removed: [{ id: a.json.exportId, path: a.json.packageDir }, { id: c.json.exportId, path: c.json.packageDir }],
      held: [{ id: b.json.exportId, hold: b.json.hold.id }],
      kept: 0,
    });
    expect(existsSync(a.json.packageDir)).toBe(false);
    expect(existsSync(b.json.packageDir)).toBe(true);
    expect(existsSync(c.json.packageDir)).toBe(false);
    // The footage on the recorder is kept by the same hold.
    expect(purge.json.held.files).toBe(2);
    expect(purge.json.deleted.files).toBe(0);

    // The case is closed: its package goes at the next purge.
    expect((await toezicht(['footage', 'hold', 'release', b.json.hold.id, '--reason', 'Zaak afgesloten'], { cwd: s.dir })).exitCode).toBe(0);
    const second = await toezicht(['footage', 'purge', '--now', later, '--json'], { cwd: s.dir });
    expect(second.json.exports.removed.map((e: { id: string }) => e.id)).toEqual([b.json.exportId]);
    expect(existsSync(b.json.packageDir)).toBe(false);

    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries.filter((e: { action: string }) => e.action === 'export.purge').map((e: { details: { exportId: string; manifestSha256: string } }) => [e.details.exportId, e.details.manifestSha256])).toEqual([
      [a.json.exportId, a.json.manifestSha256],
      [c.json.exportId, c.json.manifestSha256],
      [b.json.exportId, b.json.manifestSha256],
    ]);
    const all = await toezicht(['footage', 'exports', '--all', '--json'], { cwd: s.dir });
    expect(all.json.exports.map((e: { status: string }) => e.status)).toEqual(['purged', 'purged', 'purged']);

    // Every disclosure for the privacy officer, safe to open in a spreadsheet.
    const csv = await toezicht(['audit', 'export', '--csv'], { cwd: s.dir });
    expect(csv.exitCode).toBe(0);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,user,sudoUser,host,action,reference,case,recipient,reason,legalBasis,cameras,from,to,manifestSha256,location,encryptedFor,hold,details');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes(',export.create,'))).toBe(true);
    expect(lines[1]).toContain(`,${ME},`);
    expect(lines[1]).toContain(`,${a.json.exportId},,Politie; team Noord,"'=HYPERLINK(""http://x"")",`);
    expect(lines[1]).toContain(a.json.manifestSha256);
    const semi = await toezicht(['audit', 'export', '--separator', ';'], { cwd: s.dir });
    expect(semi.stdout.split('\r\n')[1]).toContain(';"Politie; team Noord";');
  });
});
