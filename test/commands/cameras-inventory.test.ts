// The camera inventory: `discover --save` merging into the config without clobbering what people wrote,
// `cameras list/show/check/snapshot`, and credentials (env, 0600 file, no prompt without a terminal) never shown
// or stored. Unicast only, on 127.0.5.x.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';
// @ts-expect-error plain JavaScript simulator
import { SNAPSHOT_JPEG, startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Inventaris-Wachtwoord-42';
const users = [{ user: 'beheer', password: PASSWORD }];
const env = { ONVIF_PW: PASSWORD };
const creds = ['--user', 'beheer', '--password-env', 'ONVIF_PW'];
const DAY = 86_400_000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sim: any;
let school: SchoolFixture;

const CONFIG = (serial: string): string => `# Camerareglement OSG De Linde — inventaris (bijgehouden door de FG)
school:
  name: OSG De Linde
cameras:
  # De hoofdingang: besloten in de MR van 3 maart.
  - id: entree
    name: Hoofdingang
    location: Hoofdingang, binnen
    purpose: Diefstal en vandalisme voorkomen en vastleggen
    category: surveillance
    device:
      serial: "${serial}"
      firmware: oud
  - id: kleedkamer
    name: Gymzaal
    location: Kleedkamer jongens
    purpose: Diefstal
    category: surveillance
  - id: gang-toilet
    name: Gang
    location: Gang bij de toiletten
    purpose: Vandalisme
    category: surveillance
  - id: verborgen
    name: Kluisjes
    location: Kluisjesruimte
    purpose: Diefstal uit kluisjes
    category: covert
`;

beforeAll(async () => {
  sim = await startSimulator({
    multicast: false,
    devices: [
      { address: '127.0.5.10', style: 'axis', users },
      { address: '127.0.5.11', style: 'dahua', users },
      {
        address: '127.0.5.12',
        style: 'nvr',
        users,
        recordings: [{ token: 'REC-1', sourceName: 'entree', sourceId: 's1', from: Date.now() - 45 * DAY, until: Date.now() - 60_000 }],
      },
    ],
  });
  school = await makeSchool({ school: { name: 'x' } });
  writeFileSync(school.configFile, CONFIG(sim.byAddress.get('127.0.5.10').serial));
});

afterAll(async () => {
  await sim?.stop();
  school?.cleanup();
});

const hosts = ['--host', '127.0.5.10:8080', '--host', '127.0.5.11:8080', '--host', '127.0.5.12:8080'];

describe('discover --save', () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    before = readFileSync(school.configFile, 'utf8');
    const r = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', ...hosts, ...creds, '--save', '--json'], { env });
    expect(r.json, r.stderr).toBeDefined();
    expect(r.json.saved.added).toHaveLength(2);
    after = readFileSync(school.configFile, 'utf8');
  });

  it('updates only the device facts of a known camera, keyed by serial, and keeps what people wrote', () => {
    const cams = parse(after).cameras;
    const entree = cams.find((c: { id: string }) => c.id === 'entree');
    expect(entree).toMatchObject({
      name: 'Hoofdingang',
      location: 'Hoofdingang, binnen',
      purpose: 'Diefstal en vandalisme voorkomen en vastleggen',
      category: 'surveillance',
      device: { serial: sim.byAddress.get('127.0.5.10').serial, address: '127.0.5.10', port: 8080, manufacturer: 'AXIS', firmware: sim.byAddress.get('127.0.5.10').firmware, kind: 'camera' },
    });
    expect(after).toContain('# Camerareglement OSG De Linde — inventaris (bijgehouden door de FG)');
    expect(after).toContain('# De hoofdingang: besloten in de MR van 3 maart.');
    // The entries nobody discovered are byte for byte as they were.
    const tail = (s: string): string => s.slice(s.indexOf('  - id: kleedkamer'), s.indexOf('Diefstal uit kluisjes'));
    expect(tail(after)).toBe(tail(before));
  });

  it('adds new devices as unassigned, named as needing a purpose, with a comment for people', () => {
    const cams = parse(after).cameras;
    const added = cams.filter((c: { category: string }) => c.category === 'unassigned');
    expect(added.map((c: { device: { address: string } }) => c.device.address).sort()).toEqual(['127.0.5.11', '127.0.5.12']);
    for (const c of added) expect(c.name).toMatch(/^Needs a purpose: /);
    expect(added.find((c: { device: { kind: string } }) => c.device.kind === 'recorder').id).toMatch(/^nvr-/);
    expect(after).toMatch(/# Found by `toezicht cameras discover` on \d{4}-\d{2}-\d{2}: give it a name, location, purpose and category\./);
  });

  it('is idempotent: a second save changes nothing', async () => {
    const r = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', ...hosts, ...creds, '--save', '--json'], { env });
    expect(r.json.saved).toMatchObject({ added: [], updated: [], unchanged: 3 });
    expect(readFileSync(school.configFile, 'utf8')).toBe(after);
  });

  it('records the save on the audit chain, and the config still validates', async () => {
    const log = await toezicht(['audit', 'log', '--config', school.configFile, '--json']);
    expect(JSON.stringify(log.json)).toContain('cameras.inventory.save');
    expect((await toezicht(['config', 'validate', '--config', school.configFile])).exitCode).toBe(0);
  });

  it('never writes the password into the config or the register', () => {
    expect(after).not.toContain(PASSWORD);
    const register = path.join(school.dir, '.toezicht', 'register.db');
    for (const f of [register, `${register}-wal`]) {
      try {
        expect(readFileSync(f).includes(Buffer.from(PASSWORD))).toBe(false);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });
});

describe('cameras list, show and check', () => {
  it('lists the inventory with the device facts', async () => {
    const r = await toezicht(['cameras', 'list', '--config', school.configFile, '--json']);
    expect(r.json.cameras.map((c: { id: string }) => c.id).slice(0, 4)).toEqual(['entree', 'kleedkamer', 'gang-toilet', 'verborgen']);
    expect(r.json.cameras[0]).toMatchObject({ address: '127.0.5.10', manufacturer: 'AXIS', retention: 'P28D' });
    const human = await toezicht(['cameras', 'list', '--config', school.configFile]);
    expect(human.stdout).toMatch(/entree\s+Hoofdingang\s+surveillance/);
  });

  it('shows one camera, and says so for an unknown id', async () => {
    const r = await toezicht(['cameras', 'show', 'verborgen', '--config', school.configFile, '--json']);
    expect(r.json.camera.category).toBe('covert');
    expect(r.json.findings.map((f: { rule: string }) => f.rule)).toContain('camera.covert.no-authorisation');
    const missing = await toezicht(['cameras', 'show', 'nergens', '--config', school.configFile]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/No camera "nergens".*entree/);
  });

  it('checks purpose, location, forbidden places and covert authorisations, offline', async () => {
    const r = await toezicht(['cameras', 'check', '--config', school.configFile, '--offline', '--json']);
    expect(r.exitCode).toBe(1);
    const of = (id: string): string[] => r.json.cameras.find((c: { id: string }) => c.id === id).findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`);
    expect(of('entree')).toEqual([]);
    expect(of('kleedkamer')).toEqual(['camera.forbidden-place:error']);
    expect(of('gang-toilet')).toEqual(['camera.forbidden-place:warning']);
    expect(of('verborgen')).toEqual(['camera.covert.no-authorisation:error']);
    const added = r.json.cameras.filter((c: { category: string }) => c.category === 'unassigned');
    const camera = added.find((c: { kind: string }) => c.kind === 'camera');
    expect(camera.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['camera.no-location', 'camera.no-purpose', 'camera.unassigned']);
  });

  it('asks each inventoried device at its saved address, and finds footage older than its camera allows', async () => {
    const r = await toezicht(['cameras', 'check', '--config', school.configFile, '--json', ...creds], { env });
    expect(r.exitCode).toBe(1);
    const nvr = r.json.cameras.find((c: { kind: string }) => c.kind === 'recorder');
    expect(nvr.live.address).toBe('127.0.5.12');
    const f = nvr.findings.find((x: { rule: string }) => x.rule === 'recorder.retention');
    expect(f.message).toMatch(/REC-1.*entree = camera entree.*45 days old/);
    const entree = r.json.cameras.find((c: { id: string }) => c.id === 'entree');
    expect(entree.live.serial).toBe(sim.byAddress.get('127.0.5.10').serial);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });
});

describe('cameras snapshot', () => {
  it('saves the still from the camera at its address, 0600, on the audit chain', async () => {
    const out = path.join(school.dir, 'entree.jpg');
    const r = await toezicht(['cameras', 'snapshot', 'entree', '--out', out, '--config', school.configFile, '--json', ...creds], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(out).equals(SNAPSHOT_JPEG)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(r.json.uri).toMatch(/^http:\/\/127\.0\.5\.10:8080\/axis-cgi\/jpg\/image\.cgi/);
    const log = await toezicht(['audit', 'log', '--config', school.configFile, '--json']);
    expect(JSON.stringify(log.json)).toContain(r.json.sha256);
    expect(readFileSync(path.join(school.dir, '.toezicht', 'register.db')).includes(Buffer.from(PASSWORD))).toBe(false);
    // The image was fetched with HTTP Digest, never Basic.
    const get = sim.log.filter((e: { op?: string; headers?: Record<string, string> }) => e.op === 'snapshot' && e.headers?.authorization);
    expect(get.length).toBeGreaterThan(0);
    expect(get.every((e: { headers: Record<string, string> }) => e.headers.authorization!.startsWith('Digest '))).toBe(true);
  });

  it('refuses a camera without an address', async () => {
    const r = await toezicht(['cameras', 'snapshot', 'kleedkamer', '--out', path.join(school.dir, 'x.jpg'), '--config', school.configFile, ...creds], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no device address.*cameras discover --save/);
  });
});

describe('credentials', () => {
  it('come from a credentials file only when it is 0600, matched per device', async () => {
    const file = path.join(school.dir, 'credentials.yaml');
    writeFileSync(file, `default: { user: nobody, password: wrong }\ndevices:\n  - { match: 127.0.5.0/24, user: beheer, password: "${PASSWORD}" }\n`);
    chmodSync(file, 0o644);
    const loose = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', '--host', '127.0.5.11:8080', '--credentials', file, '--json']);
    expect(loose.exitCode).toBe(2);
    expect(loose.json.error.message).toMatch(/can be read by others.*chmod 600/);
    chmodSync(file, 0o600);
    const r = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', '--host', '127.0.5.11:8080', '--credentials', file, '--json', '--no-default-passwords']);
    expect(r.json.devices[0].access).toBe('credentials');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('are never asked for without a terminal: exit 2 naming the flags', async () => {
    const r = await toezicht(['cameras', 'discover', '--no-multicast', '--host', '127.0.5.11:8080', '--user', 'beheer']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--password-env VAR.*--credentials FILE/);
  });
});
