// `footage status` and `footage purge` on cameras whose footage a recorder keeps (the simulated NVR on 127.0.18.x):
// status reads oldest and newest from the recorder with the retention proof both ways; the purge sets each
// recording's MaximumRetentionTime where it differs (audited, old and new), a dry run and a check change nothing, a
// recorder that refuses is a finding that says what to set by hand, and nothing ever asks for DeleteRecording.
import { mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Recorder-Wachtwoord-18';
const DAY = 86_400_000;
const env = { NVR_PASSWORD: PASSWORD };
let sim: { devices: Record<string, any>[]; log: { raw: string }[]; stop(): Promise<void> };
let school: SchoolFixture;
const start = Date.now();

const rec = (token: string, source: string, ageDays: number, extra: object = {}) => ({ token, sourceName: source, sourceId: `urn:uuid:${source}`, from: start - ageDays * DAY, until: start - 60_000, retention: 'PT0S', ...extra });

beforeAll(async () => {
  const users = [{ user: 'beheer', password: PASSWORD }];
  sim = await startSimulator({
    multicast: false,
    devices: [
      { address: '127.0.18.20', port: 18081, style: 'nvr', kind: 'recorder', users, recordings: [rec('REC-1', 'aula', 40), rec('REC-2', 'entree', 20), rec('REC-3', 'plein', 30, { retention: 'P28D' })] },
      { address: '127.0.18.21', port: 18081, style: 'hikvision', kind: 'recorder', users, refuseRetention: true, recordings: [rec('CH1', 'hal', 35)] },
    ],
  });
  school = await makeSchool({
    school: { name: 'OSG De Linde' },
    access: { export: [userInfo().username] },
    exports: { root: './exports' },
    storage: [
      { id: 'nvr1', type: 'recorder', address: '127.0.18.20:18081', user: 'beheer', passwordEnv: 'NVR_PASSWORD', preserveTo: 'keep' },
      { id: 'nvr2', type: 'recorder', address: '127.0.18.21:18081', user: 'beheer', passwordEnv: 'NVR_PASSWORD', preserveTo: 'keep' },
      { id: 'keep', type: 'fs', root: './preserved', layout: 'frigate' },
    ],
    cameras: [
      { id: 'aula', category: 'surveillance', storage: 'nvr1', recording: 'REC-1' },
      { id: 'entree', category: 'surveillance', storage: 'nvr1', recording: 'REC-2' },
      { id: 'plein', category: 'surveillance', storage: 'nvr1', recording: 'REC-3' },
      { id: 'hal', category: 'surveillance', storage: 'nvr2', recording: 'CH1' },
    ],
  });
  mkdirSync(path.join(school.dir, 'preserved'));
});

afterAll(async () => {
  school?.cleanup();
  await sim?.stop();
});

const nvr = (address: string): Record<string, any> => sim.devices.find((d) => d.address === address)!;

function noPassword(...texts: string[]): void {
  for (const t of texts) expect(t).not.toContain(PASSWORD);
}

describe('footage status on a recorder', () => {
  it('gives oldest and newest per camera from the recorder, and proves retention both ways', async () => {
    const r = await toezicht(['footage', 'status', '--json'], { cwd: school.dir, env });
    noPassword(r.stdout, r.stderr);
    expect(r.exitCode).toBe(1);
    const byId = Object.fromEntries(r.json.cameras.map((c: { id: string }) => [c.id, c]));
    expect(byId.aula).toMatchObject({ oldest: new Date(start - 40 * DAY).toISOString(), newest: new Date(start - 60_000).toISOString(), recorder: { storage: 'nvr1', recording: 'REC-1', source: 'aula', maximumRetention: 'PT0S', serial: nvr('127.0.18.20').serial } });
    expect(byId.aula.actualRetentionDays).toBeCloseTo(40, 0);
    const rules = r.json.findings.map((f: { rule: string; camera?: string }) => `${f.rule}:${f.camera}`);
    expect(rules).toContain('retention.exceeded:aula');
    expect(rules).toContain('retention.exceeded:hal');
    expect(rules).toContain('retention.short:entree'); // 20 days where 28 are kept: the recorder loses footage early
    expect(rules).not.toContain('retention.exceeded:plein'); // its recorder keeps P28D and holds 28 days (older bits gone)
    expect(rules.filter((x: string) => x.endsWith(':entree') && x.startsWith('retention.exceeded'))).toEqual([]);
    expect(r.json.storages).toEqual(expect.arrayContaining([{ id: 'nvr1', root: 'onvif://127.0.18.20:18081', ok: true }]));
  });
});

describe('footage purge on a recorder', () => {
  it('a dry run reports what it would set and changes nothing', async () => {
    const r = await toezicht(['footage', 'purge', '--dry-run', '--json'], { cwd: school.dir, env });
    noPassword(r.stdout, r.stderr);
    expect(r.json.recorders).toEqual(expect.arrayContaining([
      expect.objectContaining({ camera: 'aula', recording: 'REC-1', old: 'PT0S', wanted: 'P28D', action: 'would-set', tooOld: true }),
      expect.objectContaining({ camera: 'plein', recording: 'REC-3', old: 'P28D', wanted: 'P28D', action: 'unchanged' }),
    ]));
    expect(nvr('127.0.18.20').retentionChanges).toBeUndefined();
    expect(r.exitCode).toBe(0);
  });

  it('--check exits 1 on a differing setting and on footage older than allowed, changing nothing', async () => {
    const r = await toezicht(['footage', 'purge', '--check', '--json'], { cwd: school.dir, env });
    expect(r.exitCode).toBe(1);
    const messages = r.json.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toMatch(/aula: recorder nvr1 keeps recording REC-1 for PT0S; its retention is P28D/);
    expect(messages).toMatch(/aula: recorder nvr1 still holds footage from .* older than its retention/);
    expect(nvr('127.0.18.20').retentionChanges).toBeUndefined();
  });

  it('sets MaximumRetentionTime where it differs, audited with old and new; a refusing recorder says what to set by hand', async () => {
    const r = await toezicht(['footage', 'purge', '--json'], { cwd: school.dir, env });
    noPassword(r.stdout, r.stderr);
    expect(nvr('127.0.18.20').retentionChanges).toEqual([
      { token: 'REC-1', value: 'P28D' },
      { token: 'REC-2', value: 'P28D' },
    ]);
    expect(r.json.recorders).toEqual(expect.arrayContaining([
      expect.objectContaining({ camera: 'aula', old: 'PT0S', wanted: 'P28D', action: 'set' }),
      expect.objectContaining({ camera: 'plein', action: 'unchanged' }),
      expect.objectContaining({ camera: 'hal', action: 'refused' }),
    ]));
    // The refusing recorder: exit 1, and the sentence says what a person must set on the device.
    expect(r.exitCode).toBe(1);
    expect(r.json.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/hal: recorder nvr2 refused the retention setting .*; set the retention \(MaximumRetentionTime.*\) of recording CH1 \(hal\) to P28D on the recorder 127\.0\.18\.21:18081 by hand/);
    for (const d of sim.devices) expect(d.deleteRequests ?? 0).toBe(0);
    expect(sim.log.some((e) => /DeleteRecording/.test(e.raw))).toBe(false);

    const audit = await toezicht(['audit', 'log', '--action', 'recorder.retention', '--json'], { cwd: school.dir, env });
    expect(audit.json.entries.map((e: { details: Record<string, unknown> }) => e.details)).toEqual([
      expect.objectContaining({ storage: 'nvr1', camera: 'aula', recording: 'REC-1', old: 'PT0S', new: 'P28D', serial: nvr('127.0.18.20').serial }),
      expect.objectContaining({ storage: 'nvr1', camera: 'entree', recording: 'REC-2', old: 'PT0S', new: 'P28D' }),
    ]);
    noPassword(readFileSync(school.config.register).toString('latin1'));
  });

  it('after the purge the recorder keeps only its retention: status finds nothing too old there', async () => {
    const r = await toezicht(['footage', 'status', '--json'], { cwd: school.dir, env });
    const rules = r.json.findings.map((f: { rule: string; camera?: string }) => `${f.rule}:${f.camera}`);
    expect(rules).not.toContain('retention.exceeded:aula');
    expect(rules).toContain('retention.exceeded:hal'); // the refusing one still keeps 35 days
    const again = await toezicht(['footage', 'purge', '--dry-run', '--json', '--camera', 'aula'], { cwd: school.dir, env });
    expect(again.json.recorders).toEqual([expect.objectContaining({ camera: 'aula', old: 'P28D', action: 'unchanged', tooOld: false })]);
  });

  it('a wrong password is one sentence about the recorder, never the password', async () => {
    const r = await toezicht(['footage', 'purge', '--dry-run', '--json'], { cwd: school.dir, env: { NVR_PASSWORD: 'fout' } });
    expect(r.exitCode).toBe(1);
    expect(r.json.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(/recorder nvr1: The recorder 127\.0\.18\.20:18081 refused the credentials of user "beheer"/);
    expect(r.stdout + r.stderr).not.toContain('fout"');
  });

  it('an unset passwordEnv is a config error (exit 2)', async () => {
    const r = await toezicht(['footage', 'status'], { cwd: school.dir, env: {} });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/the environment variable NVR_PASSWORD \(its passwordEnv\) is not set/);
  });
});

describe('holds and exports of recorder cameras (not yet pulled over replay)', () => {
  it('hold add keeps the hold in the register and warns that the recorder may overwrite the footage', async () => {
    const from = new Date(start - 2 * DAY).toISOString().slice(0, 16);
    const to = new Date(start - 2 * DAY + 600_000).toISOString().slice(0, 16);
    const r = await toezicht(['footage', 'hold', 'add', '--camera', 'aula', '--from', from, '--to', to, '--case', 'Incident 18', '--reason', 'Vernieling', '--json'], { cwd: school.dir, env });
    expect(r.exitCode).toBe(0);
    expect(r.json.unpreserved).toEqual([expect.objectContaining({ camera: 'aula', storage: 'nvr1', message: expect.stringMatching(/overwrites its oldest footage on its own schedule; lock .* on the recorder, or export it now/) })]);
  });

  it('an export of a recorder camera is refused with one sentence (exit 2), nothing written', async () => {
    await toezicht(['keys', 'init', '--json'], { cwd: school.dir, env });
    const from = new Date(start - 2 * DAY).toISOString().slice(0, 16);
    const to = new Date(start - 2 * DAY + 60_000).toISOString().slice(0, 16);
    const r = await toezicht(['footage', 'export', '--camera', 'aula', '--from', from, '--to', to, '--no-hold', '--reason', 'Diefstal'], { cwd: school.dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Camera "aula" keeps its footage on recorder storage nvr1; toezicht cannot yet package an export from a recorder/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
