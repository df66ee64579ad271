import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveTool, runTool } from '../../src/core/media/index.js';
import { spawnToezicht, toezicht } from '../helpers/cli.js';
import { makeStream, removeStreams, placeFrigate, placeSynology } from '../helpers/footage.js';
import { ME, exportSchool } from '../helpers/export-school.js';
import type { SchoolFixture } from '../helpers/school.js';


afterAll(removeStreams);
const YEAR = new Date().getUTCFullYear();
const utc = (iso: string): number => Date.parse(iso);
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let school: SchoolFixture | undefined;
afterEach(() => {
  school?.cleanup();
  school = undefined;
});

async function setup(settings: Record<string, unknown> = {}): Promise<SchoolFixture> {
  school = await exportSchool(settings);
  return school;
}

/** ffprobe's view of a clip: streams, tags, and an MD5 per video packet. */
async function probe(file: string): Promise<{ streams: { codec_type: string }[]; format: { duration: string; tags?: Record<string, string> } }> {
  const { stdout } = await runTool(resolveTool('ffprobe'), ['-v', 'error', '-show_entries', 'stream=codec_type:format=duration:format_tags', '-of', 'json', file]);
  return JSON.parse(stdout);
}

async function packetHashes(file: string): Promise<string[]> {
  const { stdout } = await runTool(resolveTool('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

describe('toezicht footage export', () => {
  it('exports the exact segments across an hour and a day folder, cut at keyframes, frames unchanged, checkable with standard tools', async () => {
    const s = await setup();
    const root = path.join(s.dir, 'recordings');
    const segments = await makeStream({ seconds: 60, segmentSeconds: 10, audio: true, title: 'Frigate entree' });
    const placed = placeFrigate(root, 'entree', utc('2026-10-20T23:59:30Z'), segments, 10);
    const r = await toezicht(
      ['footage', 'export', '--camera', 'entree', '--from', '2026-10-21T01:59:43', '--to', '2026-10-21T02:00:15', '--case', 'Incident 2026-14', '--reason', 'Diefstal fiets', '--recipient', 'Politie Zaandam', '--legal-basis', 'art. 6(1)(f) AVG', '--json'],
      { cwd: s.dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    // Without a terminal, no progress and no prompts: stdout holds the JSON, stderr nothing.
    expect(r.stderr).toBe('');
    const id = `E-${YEAR}-0001`;
    expect(r.json.exportId).toBe(id);
    const pkg = path.join(s.dir, 'exports', id);
    const clipName = 'entree_20261020T235942Z.mp4';
    expect(readdirSync(pkg).sort()).toEqual(['SHA256SUMS', clipName, 'manifest.json', 'manifest.json.sig', 'proces-verbaal.txt', 'public-key.pem'].sort());
    expect(readdirSync(path.join(s.dir, 'exports'))).toEqual([id]);

    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
    // Exactly the four segments that hold 23:59:42–00:00:16 (UTC), two in each hour folder.
    expect(manifest.sources.map((x: { path: string }) => x.path)).toEqual(placed.slice(1, 5));
    expect(placed.slice(1, 5).map((p) => p.slice(0, 13))).toEqual(['2026-10-20/23', '2026-10-20/23', '2026-10-21/00', '2026-10-21/00']);
    for (const src of manifest.sources) {
      expect(src.sha256).toBe(sha256(path.join(root, src.path)));
      expect(src.bytes).toBe(readFileSync(path.join(root, src.path)).length);
    }
    expect(manifest).toMatchObject({
      exportId: id,
      case: 'Incident 2026-14',
      reason: 'Diefstal fiets',
      legalBasis: 'art. 6(1)(f) AVG',
      recipient: 'Politie Zaandam',
      camera: 'entree',
      timezone: 'Europe/Amsterdam',
      requested: { from: '2026-10-20T23:59:43.000Z', to: '2026-10-21T00:00:15.000Z' },
      // Keyframes every 2 s: the last at or before the start, and up to the first after the end.
      covered: { from: '2026-10-20T23:59:42.000Z', to: '2026-10-21T00:00:16.000Z' },
      gaps: [],
      output: { file: clipName, frames: 340, durationSeconds: 34, audio: false, creationTime: '2026-10-20T23:59:42.000Z' },
      operator: { user: ME },
      tool: { name: 'toezicht' },
      hold: { id: expect.stringMatching(/^H-\d{4}-0001$/) },
      keepUntil: null,
    });
    expect(manifest.output.sha256).toBe(sha256(path.join(pkg, clipName)));
    for (const f of manifest.files) expect(f.sha256, f.path).toBe(sha256(path.join(pkg, f.path)));

    // The clip: no audio, none of the recorder's metadata, its true start as creation_time, 34 s.
    const info = await probe(path.join(pkg, clipName));
    expect(info.streams.map((x) => x.codec_type)).toEqual(['video']);
    expect(info.format.tags?.title).toBeUndefined();
    expect(info.format.tags?.comment).toBeUndefined();
    expect(info.format.tags?.creation_time).toBe('2026-10-20T23:59:42.000000Z');
    expect(Number(info.format.duration)).toBeCloseTo(34, 1);
    // Never transcoded: every frame is the recorder's frame, byte for byte (20 from the first segment from its
    // keyframe at 2 s, then 100 + 100, then 60 up to the keyframe at 6 s).
    const sourceFrames = [
      ...(await packetHashes(path.join(root, placed[1]!))).slice(20),
      ...(await packetHashes(path.join(root, placed[2]!))),
      ...(await packetHashes(path.join(root, placed[3]!))),
      ...(await packetHashes(path.join(root, placed[4]!))).slice(0, 60),
    ];
    expect(await packetHashes(path.join(pkg, clipName))).toEqual(sourceFrames);

    // A receiver's tools: sha256sum -c, and openssl for the signature and the key's fingerprint.
    const sums = await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg, reject: false });
    expect(sums.exitCode, sums.stdout + sums.stderr).toBe(0);
    const sig = await execa('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.json.sig'], { cwd: pkg, reject: false });
    expect(sig.stdout).toMatch(/Signature Verified Successfully/);
    const der = await execa('openssl', ['pkey', '-pubin', '-in', 'public-key.pem', '-outform', 'DER'], { cwd: pkg, encoding: 'buffer' });
    expect(createHash('sha256').update(der.stdout).digest('hex')).toBe(manifest.signature.fingerprint);

    // The custody record, in Dutch, with the times in school time, the hashes and how to check them.
    const record = readFileSync(path.join(pkg, 'proces-verbaal.txt'), 'utf8');
    expect(record).toContain(`Exportnummer:  ${id}`);
    expect(record).toContain('Zaak of incident:     Incident 2026-14');
    expect(record).toContain('Ontvanger:            Politie Zaandam');
    expect(record).toMatch(/Beelden van:\s+woensdag 21 oktober 2026 om 01:59:42 \(UTC\+02:00\)/);
    expect(record).toContain(manifest.output.sha256);
    for (const src of manifest.sources) expect(record).toContain(src.sha256);
    expect(record).toContain('sha256sum -c SHA256SUMS');
    expect(record).toContain(manifest.signature.fingerprint);
    expect(record).toContain('Het geluid is weggelaten.');

    // The hold and the audit entry.
    const holds = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(holds.json.holds).toEqual([
      expect.objectContaining({ id: manifest.hold.id, caseRef: 'Incident 2026-14', cameras: ['entree'], from: '2026-10-20T23:59:42.000Z', to: '2026-10-21T00:00:16.000Z' }), // ISO 8601 in --json, as every time
    ]);
    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries).toEqual([
      expect.objectContaining({ action: 'export.create', details: expect.objectContaining({ exportId: id, manifestSha256: sha256(path.join(pkg, 'manifest.json')), holdId: manifest.hold.id, recipient: 'Politie Zaandam' }) }),
    ]);
    expect((await toezicht(['audit', 'verify'], { cwd: s.dir })).exitCode).toBe(0);

    // footage verify: unchanged, then a flipped byte, then a manifest edited after signing.
    const ok = await toezicht(['footage', 'verify', pkg, '--json']);
    expect(ok.exitCode).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, exportId: id, changed: [] });
    const clipFile = path.join(pkg, clipName);
    const original = readFileSync(clipFile);
    const flipped = Buffer.from(original);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    writeFileSync(clipFile, flipped);
    const bad = await toezicht(['footage', 'verify', pkg, '--json']);
    expect(bad.exitCode).toBe(1);
    expect(bad.json.changed).toEqual(expect.arrayContaining([expect.stringContaining(`${clipName} was changed`)]));
    expect((await execa('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: pkg, reject: false })).exitCode).toBe(1);
    writeFileSync(clipFile, original);

    const manifestFile = path.join(pkg, 'manifest.json');
    const signed = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, signed.replace('"reason": "Diefstal fiets"', '"reason": "Vernieling"'));
    const edited = await toezicht(['footage', 'verify', pkg]);
    expect(edited.exitCode).toBe(1);
    expect(edited.stdout).toMatch(/changed: manifest\.json or its signature was changed \(the signature does not match\)/);
    writeFileSync(manifestFile, signed);
  });

  it('catches a package re-signed with another key when the school key is pinned with --public-key', async () => {
    const s = await setup();
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:02', '--to', '2026-10-20T08:00:08', '--no-hold', '--reason', 'Test', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const pkg = r.json.packageDir as string;
    // A forger edits the manifest, signs it with their own key, ships their key and fresh sums.
    const forger = generateKeyPairSync('ed25519');
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
    manifest.reason = 'forged';
    manifest.signature.fingerprint = createHash('sha256').update(forger.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    const forgedKey = forger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyEntry = manifest.files.find((f: { role: string }) => f.role === 'public-key');
    keyEntry.sha256 = createHash('sha256').update(forgedKey).digest('hex');
    keyEntry.bytes = Buffer.byteLength(forgedKey);
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(pkg, 'manifest.json'), bytes);
    writeFileSync(path.join(pkg, 'manifest.json.sig'), sign(null, bytes, forger.privateKey));
    writeFileSync(path.join(pkg, 'public-key.pem'), forgedKey);
    const names = readdirSync(pkg).filter((n) => n !== 'SHA256SUMS').sort();
    writeFileSync(path.join(pkg, 'SHA256SUMS'), names.map((n) => `${sha256(path.join(pkg, n))}  ${n}\n`).join(''));
    // Without the school's key the package is consistent in itself…
    expect((await toezicht(['footage', 'verify', pkg])).exitCode).toBe(0);
    // …the published key shows it is not the school's.
    const pinned = await toezicht(['footage', 'verify', pkg, '--public-key', path.join(s.dir, '.toezicht/keys/signing-key.pub.pem'), '--json']);
    expect(pinned.exitCode).toBe(1);
    expect(pinned.json.changed).toEqual(expect.arrayContaining([expect.stringMatching(/public-key\.pem is not the school's key/), expect.stringMatching(/signature does not match/)]));
  });

  it('exports across the October summer-time change from a Synology storage, in instant order, times typed in school time', async () => {
    const s = await setup();
    const segments = await makeStream({ seconds: 120, segmentSeconds: 20 });
    // 00:59 UTC is 02:59 summer time; 01:00 UTC is 02:00 winter time: the hour 02:00–03:00 happens twice.
    const placed = placeSynology(path.join(s.dir, 'surveillance'), 'Gang', utc('2026-10-25T00:59:00Z'), segments, 20);
    const r = await toezicht(['footage', 'export', '--camera', 'gang', '--from', '2026-10-25T02:59:10', '--to', '2026-10-25T02:00:50', '--no-hold', '--reason', 'Test', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const m = r.json.manifest;
    // "From 02:59:10" is the first (summer) 02:59, "to 02:00:50" the second (winter) 02:00: all six segments.
    expect(m.requested).toEqual({ from: '2026-10-25T00:59:10.000Z', to: '2026-10-25T01:00:50.000Z' });
    expect(m.sources.map((x: { path: string }) => x.path)).toEqual(placed);
    expect(placed.map((p) => p.split('-')[2])).toEqual(['025900', '025920', '025940', '020000', '020020', '020040']);
    expect(m.covered).toEqual({ from: '2026-10-25T00:59:10.000Z', to: '2026-10-25T01:00:52.000Z' });
    expect(m.gaps).toEqual([]);
    expect(m.output).toMatchObject({ frames: 1020, durationSeconds: 102 });
    const record = readFileSync(path.join(r.json.packageDir, 'proces-verbaal.txt'), 'utf8');
    expect(record).toMatch(/Beelden van:\s+zondag 25 oktober 2026 om 02:59:10 \(UTC\+02:00\)/);
    expect(record).toMatch(/tot:\s+zondag 25 oktober 2026 om 02:00:52 \(UTC\+01:00\)/);
    expect(record).toContain('Synology');
  });

  it('puts two cameras in one package, and keeps a camera\'s missing minutes as a gap in its clip', async () => {
    const s = await setup();
    const root = path.join(s.dir, 'recordings');
    const segments = await makeStream({ seconds: 60, segmentSeconds: 10 });
    placeFrigate(root, 'entree', utc('2026-10-20T06:00:00Z'), segments, 10);
    placeFrigate(root, 'aula', utc('2026-10-20T06:00:00Z'), segments, 10, [2, 3]);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--camera', 'aula', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:59', '--case', 'I-7', '--reason', 'Vechtpartij', '--progress', '--json'], { cwd: s.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    // --progress asks for plain progress lines on stderr, even without a terminal.
    expect(r.stderr).toMatch(/^Copying entree \(\d+:\d+ of 2:00\) \d+%/m);
    const m = r.json.manifest;
    expect(m.camera).toBeNull();
    expect(m.output).toBeNull();
    expect(m.cameras).toEqual(['entree', 'aula']);
    expect(m.clips.map((c: { output: { file: string } }) => c.output.file)).toEqual(['entree_20261020T060000Z.mp4', 'aula_20261020T060000Z.mp4']);
    const [entree, aula] = m.clips;
    expect(entree.gaps).toEqual([]);
    expect(entree.output).toMatchObject({ frames: 600, durationSeconds: 60 });
    expect(aula.gaps).toEqual([{ camera: 'aula', from: '2026-10-20T06:00:20.000Z', to: '2026-10-20T06:00:40.000Z', seconds: 20, reason: 'no-footage' }]);
    expect(m.gaps).toEqual(aula.gaps);
    // 40 s of frames, but 60 s of clip: the gap stays in the timeline, so clip time + start is wall time.
    expect(aula.output.frames).toBe(400);
    expect(aula.output.durationSeconds).toBeCloseTo(60, 1);
    expect(Number((await probe(path.join(r.json.packageDir, aula.output.file))).format.duration)).toBeCloseTo(60, 1);
    const holds = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(holds.json.holds[0].cameras).toEqual(['aula', 'entree']);
    expect((await execa('sha256sum', ['-c', 'SHA256SUMS'], { cwd: r.json.packageDir, reject: false })).exitCode).toBe(0);
  });

  it('a damaged segment stops the export by default, naming it; with --on-corrupt skip it becomes a gap', async () => {
    const s = await setup();
    const root = path.join(s.dir, 'recordings');
    const placed = placeFrigate(root, 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 30, segmentSeconds: 10 }), 10);
    const damaged = path.join(root, placed[1]!);
    truncateSync(damaged, 5000);
    const args = ['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:29', '--no-hold', '--reason', 'Test'];
    const fail = await toezicht(args, { cwd: s.dir });
    expect(fail.exitCode).toBe(1);
    expect(fail.stderr).toContain(`Segment nas1:${placed[1]} of camera entree is damaged, so nothing was exported; export without it with --on-corrupt skip`);
    expect(fail.stderr).toMatch(/truncated/);
    expect(readdirSync(path.join(s.dir, 'exports'))).toEqual([]);

    const skip = await toezicht([...args, '--on-corrupt', 'skip', '--json'], { cwd: s.dir });
    expect(skip.exitCode, skip.stderr).toBe(0);
    expect(skip.json.manifest.gaps).toEqual([{ camera: 'entree', from: '2026-10-20T06:00:10.000Z', to: '2026-10-20T06:00:20.000Z', seconds: 10, reason: 'corrupt', segments: [placed[1]] }]);
    expect(skip.json.manifest.sources.map((x: { path: string }) => x.path)).toEqual([placed[0], placed[2]]);
    expect(readFileSync(path.join(skip.json.packageDir, 'proces-verbaal.txt'), 'utf8')).toContain(`beschadigd bronbestand weggelaten: ${placed[1]}`);
  });

  it('refuses a user who is not in access.export (exit 2), records the attempt, and writes nothing', async () => {
    const s = await setup({ access: { export: ['conciërge-niet', 'directie'] } });
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:10', '--case', 'I-1', '--reason', 'x'], { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${ME} may not export footage: only the users in access.export may (seed 001 §1.2`);
    expect(existsSync(path.join(s.dir, 'exports')) ? readdirSync(path.join(s.dir, 'exports')) : []).toEqual([]);
    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries).toEqual([expect.objectContaining({ action: 'export.refused', actor: expect.objectContaining({ user: ME }), details: expect.objectContaining({ cameras: ['entree'], case: 'I-1' }) })]);
    const holds = await toezicht(['footage', 'hold', 'list', '--json'], { cwd: s.dir });
    expect(holds.json.holds).toEqual([]);
  });

  it('with no footage in the range exits 2 naming the nearest footage before and after', async () => {
    const s = await setup();
    const root = path.join(s.dir, 'recordings');
    const segs = await makeStream({ seconds: 20, segmentSeconds: 10 });
    placeFrigate(root, 'entree', utc('2026-10-19T13:00:00Z'), segs, 10);
    placeFrigate(root, 'entree', utc('2026-10-20T09:15:00Z'), segs, 10);
    const r = await toezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00', '--to', '2026-10-20T09:00', '--reason', 'Test'], { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('There is no footage of camera entree between 2026-10-20 08:00:00 and 2026-10-20 09:00:00 (Europe/Amsterdam); the nearest is before it until 2026-10-19 15:00:20 and after it from 2026-10-20 11:15:00.');
  });

  it('never overwrites an existing package without --force', async () => {
    const s = await setup();
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 20, segmentSeconds: 10 }), 10);
    const existing = path.join(s.dir, 'exports', `E-${YEAR}-0001`);
    mkdirSync(existing, { recursive: true });
    writeFileSync(path.join(existing, 'manifest.json'), '{"from":"another register"}');
    const args = ['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:00:10', '--no-hold', '--reason', 'Test'];
    const r = await toezicht(args, { cwd: s.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${existing} already exists`);
    expect(readFileSync(path.join(existing, 'manifest.json'), 'utf8')).toBe('{"from":"another register"}');
    expect(readdirSync(path.join(s.dir, 'exports'))).toEqual([`E-${YEAR}-0001`]);
    // The next export gets the next id; one made with --force over an existing folder replaces it.
    mkdirSync(path.join(s.dir, 'exports', `E-${YEAR}-0003`));
    expect((await toezicht(args, { cwd: s.dir })).exitCode).toBe(0);
    const forced = await toezicht([...args, '--force', '--json'], { cwd: s.dir });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.json.exportId).toBe(`E-${YEAR}-0003`);
    expect(readdirSync(path.join(s.dir, 'exports')).sort()).toEqual([`E-${YEAR}-0001`, `E-${YEAR}-0002`, `E-${YEAR}-0003`]);
    expect((await toezicht(['footage', 'verify', path.join(s.dir, 'exports', `E-${YEAR}-0003`)])).exitCode).toBe(0);
  });
});

describe('an export that is interrupted', () => {
  async function startAndKill(s: SchoolFixture, signal: NodeJS.Signals): Promise<void> {
    const child = spawnToezicht(['footage', 'export', '--camera', 'entree', '--from', '2026-10-20T08:00:00', '--to', '2026-10-20T08:01:59', '--no-hold', '--reason', 'Test'], { cwd: s.dir });
    const exports = path.join(s.dir, 'exports');
    // Kill it once it has started writing its package.
    for (let i = 0; i < 2000 && !(existsSync(exports) && readdirSync(exports).some((n) => n.endsWith('.partial'))); i++) await new Promise((r) => setTimeout(r, 5));
    child.kill(signal);
    await child;
  }

  it('leaves no package behind: SIGTERM cleans up at once, SIGKILL is settled by the next run', async () => {
    const s = await setup();
    placeFrigate(path.join(s.dir, 'recordings'), 'entree', utc('2026-10-20T06:00:00Z'), await makeStream({ seconds: 120, segmentSeconds: 10, size: '320x180' }), 10);
    const exports = path.join(s.dir, 'exports');

    await startAndKill(s, 'SIGTERM');
    expect(readdirSync(exports)).toEqual([]);

    await startAndKill(s, 'SIGKILL');
    // Killed outright, it could not clean up: no package, only its hidden work folder.
    expect(readdirSync(exports).filter((n) => !n.startsWith('.'))).toEqual([]);
    expect(readdirSync(exports).filter((n) => n.endsWith('.partial'))).toHaveLength(1);
    // The nightly purge settles it.
    const purge = await toezicht(['footage', 'purge', '--json'], { cwd: s.dir });
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(purge.json.exports.settled).toEqual([expect.objectContaining({ id: `E-${YEAR}-0002`, outcome: 'interrupted' })]);
    expect(readdirSync(exports)).toEqual([]);
    const all = await toezicht(['footage', 'exports', '--all', '--json'], { cwd: s.dir });
    expect(all.json.exports.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([
      [`E-${YEAR}-0001`, 'interrupted'],
      [`E-${YEAR}-0002`, 'interrupted'],
    ]);
    const audit = await toezicht(['audit', 'log', '--action', 'export', '--json'], { cwd: s.dir });
    expect(audit.json.entries.map((e: { action: string }) => e.action)).toEqual(['export.interrupted', 'export.interrupted']);
  });
});
