// `cameras discover` by multicast on loopback against the simulator: every field, every finding, credentials never
// shown nor sent in clear, outside XAddrs never contacted, and the same set of devices run after run.
// This is the only test file that answers multicast (its simulator owns 239.255.255.250:3702 on loopback); the
// others use --no-multicast with their own addresses, so files can run in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht, type CliResult } from '../helpers/cli.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Zeer-Geheim-7391!';
const DAY = 86_400_000;
const env = { ONVIF_PW: PASSWORD };
const creds = ['--user', 'admin', '--password-env', 'ONVIF_PW'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sim: any;
let school: SchoolFixture;
const users = [{ user: 'admin', password: PASSWORD }];

beforeAll(async () => {
  sim = await startSimulator({
    devices: [
      // 40 s fast, with a 5 s replay window: only a request signed with the device's own clock gets in.
      { address: '127.0.1.10', style: 'axis', users, clockOffsetSeconds: 40, replayWindowSeconds: 5 },
      // Bare uuid: endpoint, stream URIs with credentials in them, a tight replay window.
      { address: '127.0.1.11', style: 'hikvision', users, bareUuid: true, streamUriWithCredentials: true },
      // HTTP Digest only, offering SHA-256 and MD5.
      { address: '127.0.1.12', style: 'dahua', users, digestAlgorithms: ['SHA-256', 'MD5'], linkLocal: true },
      // A recorder (only tds:Device, GetCapabilities only), searched in two polls; footage of entree 60 days old.
      {
        address: '127.0.1.13',
        style: 'nvr',
        users,
        searchPolls: 2,
        recordings: [
          { token: 'REC-1', sourceName: 'entree', sourceId: 'src-1', from: Date.now() - 60 * DAY, until: Date.now() - 60_000 },
          { token: 'REC-2', sourceName: 'aula', sourceId: 'src-2', from: Date.now() - 10 * DAY, until: Date.now() - 60_000 },
          { token: 'REC-3', sourceName: 'kantine', sourceId: 'src-3', from: Date.now() - 35 * DAY, until: Date.now() - 60_000 },
        ],
      },
      // Open: answers GetDeviceInformation without credentials.
      { address: '127.0.1.14', style: 'axis', auth: 'open' },
      // Rejects our password but takes the factory one.
      { address: '127.0.1.15', style: 'hikvision', users, acceptsDefault: true },
      // Silent to multicast: only --host finds it.
      { address: '127.0.1.16', style: 'axis', users, silentToMulticast: true },
      // Advertises a second address, and points its services there too (NAT): never to be contacted.
      { address: '127.0.1.17', style: 'axis', users, outsideXAddrs: ['http://127.0.9.9:8080/onvif/device_service'], serviceHost: '127.0.9.9:8080' },
    ],
    traps: [{ address: '127.0.9.9', port: 8080 }],
  });
  school = await makeSchool({
    school: { name: 'OSG De Linde' },
    cameras: [
      { id: 'entree', name: 'Hoofdingang', location: 'Hoofdingang, binnen', purpose: 'Diefstal en vandalisme', category: 'surveillance' },
      { id: 'kantine', name: 'Kantine', location: 'Kantine', purpose: 'Vandalisme', category: 'livestream', retention: 'P14D' },
      { id: 'cam-10', name: 'Gang', location: 'Gang A', purpose: 'Toezicht', category: 'surveillance', device: { serial: '001000010' } },
    ],
  });
});

afterAll(async () => {
  await sim?.stop();
  school?.cleanup();
});

async function discover(args: string[] = [], timeout = '3000'): Promise<CliResult> {
  return toezicht(['cameras', 'discover', '--config', school.configFile, '--interface', '127.0.0.1', '--timeout', timeout, '--json', ...creds, ...args], { env });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const byAddress = (r: CliResult, a: string): any => r.json.devices.find((d: { address: string }) => d.address === a);
const rules = (d: { findings: { rule: string }[] }): string[] => d.findings.map((f) => f.rule).sort();

describe('cameras discover (multicast on loopback)', () => {
  let run: CliResult;
  beforeAll(async () => {
    run = await discover();
  });

  it('finds every device that answers multicast, once each, and prints one JSON document', () => {
    expect(run.json, run.stderr).toBeDefined();
    const found = run.json.devices.map((d: { address: string }) => d.address);
    expect(found).toEqual(['127.0.1.10', '127.0.1.11', '127.0.1.12', '127.0.1.13', '127.0.1.14', '127.0.1.15', '127.0.1.17']);
    expect(run.exitCode).toBe(1); // open device, factory password, old footage: error-level findings
  });

  it('reads every field as the device tells it', () => {
    for (const spec of sim.devices.filter((d: { address: string }) => d.address !== '127.0.1.16')) {
      const d = byAddress(run, spec.address);
      expect(d.error, `${spec.address}: ${d.error}`).toBeNull();
      expect(d).toMatchObject({
        urn: spec.urn,
        manufacturer: spec.manufacturer,
        model: spec.model,
        firmware: spec.firmware,
        serial: spec.serial,
        hardwareId: spec.hardwareId,
        mac: spec.mac,
        kind: spec.kind,
      });
      expect(typeof d.serial).toBe('string');
      expect(d.xaddrs).toContain(`http://${spec.address}:8080/onvif/device_service`);
      // Encoder resolution (what is streamed), not the sensor bounds (2688x1520).
      expect(d.profiles.map((p: Record<string, unknown>) => [p.token, p.width, p.height, p.fps])).toEqual(spec.profiles.map((p: Record<string, unknown>) => [p.token, p.width, p.height, p.fps]));
      expect(d.profiles[0].rtsp).toBe(`rtsp://${spec.address}:554/Streaming/Profile_1?transport=tcp`);
      expect(d.snapshotUri).toMatch(new RegExp(`^http://${spec.address.replace(/\./g, '\\.')}:8080/`));
    }
    expect(byAddress(run, '127.0.1.11').urn).toMatch(/^uuid:/);
    // Media 2 tells H.265; media 1 devices report what media 1 can say.
    expect(byAddress(run, '127.0.1.10').profiles.map((p: { encoding: string }) => p.encoding)).toEqual(['H264', 'H265']);
    expect(byAddress(run, '127.0.1.12').profiles.map((p: { encoding: string }) => p.encoding)).toEqual(['H264', 'H264']);
    expect(byAddress(run, '127.0.1.12').mac).toBe(sim.byAddress.get('127.0.1.12').mac); // "00-40-8C-…" normalised
  });

  it('reads the device clock and signs with it: 40 s off and still accepted', () => {
    const d = byAddress(run, '127.0.1.10');
    expect(Math.abs(d.clockOffsetSeconds - 40)).toBeLessThanOrEqual(1);
    expect(d.access).toBe('credentials');
    expect(rules(d)).toContain('device.clock');
    expect(Math.abs(byAddress(run, '127.0.1.11').clockOffsetSeconds)).toBeLessThanOrEqual(1);
    expect(rules(byAddress(run, '127.0.1.11'))).not.toContain('device.clock');
  });

  it('uses HTTP Digest, SHA-256 when offered, for a device that wants it', () => {
    const requests = sim.log.filter((e: { address: string; op?: string; headers?: Record<string, string> }) => e.address === '127.0.1.12' && e.op === 'GetProfiles' && e.headers?.authorization);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((e: { headers: Record<string, string> }) => /^Digest .*algorithm=SHA-256/.test(e.headers.authorization!))).toBe(true);
    expect(byAddress(run, '127.0.1.12').access).toBe('credentials');
  });

  it('lists a recorder with each recording, polled until the search completed', () => {
    const d = byAddress(run, '127.0.1.13');
    expect(d.kind).toBe('recorder');
    expect(d.recordings.map((r: { token: string; source: string }) => [r.token, r.source])).toEqual([
      ['REC-1', 'entree'],
      ['REC-2', 'aula'],
      ['REC-3', 'kantine'],
    ]);
    const rec1 = sim.byAddress.get('127.0.1.13').recordings[0];
    expect(Date.parse(d.recordings[0].from)).toBe(rec1.from);
    expect(Date.parse(d.recordings[0].until)).toBe(rec1.until);
    expect(sim.log.filter((e: { address: string; op?: string }) => e.address === '127.0.1.13' && e.op === 'GetRecordingSearchResults').length).toBeGreaterThanOrEqual(3);
  });

  it('holds footage to the retention of its camera, and an unknown source to 28 days', () => {
    const d = byAddress(run, '127.0.1.13');
    const retention = d.findings.filter((f: { rule: string }) => f.rule === 'recorder.retention');
    // entree (surveillance, 60 days) and kantine (livestream P14D, 35 days) are past it; aula (unknown, 10 days) is not.
    expect(retention.map((f: { message: string }) => /recording "(REC-\d)"/.exec(f.message)![1]).sort()).toEqual(['REC-1', 'REC-3']);
    expect(retention.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
    expect(retention.find((f: { message: string }) => f.message.includes('REC-3')).message).toMatch(/livestream P14D/);
  });

  it('reports an open device, a factory password, plain HTTP and devices missing from the inventory', () => {
    expect(byAddress(run, '127.0.1.14').access).toBe('open');
    expect(rules(byAddress(run, '127.0.1.14'))).toContain('device.open');
    const weak = byAddress(run, '127.0.1.15');
    expect(weak.access).toBe('default-password');
    expect(rules(weak)).toContain('device.default-password');
    expect(weak.manufacturer).toBe('HIKVISION'); // read with the factory password
    expect(sim.failedAuth('127.0.1.15')).toBeLessThanOrEqual(2); // at most 3 tries, the third got in
    for (const d of run.json.devices) expect(rules(d)).toContain('device.plain-http');
    expect(byAddress(run, '127.0.1.10').inventoryId).toBe('cam-10');
    expect(rules(byAddress(run, '127.0.1.10'))).not.toContain('device.not-in-inventory');
    expect(rules(byAddress(run, '127.0.1.11'))).toContain('device.not-in-inventory');
  });

  it('reports XAddrs that point elsewhere and never contacts them; IPv6 link-local twins are no finding', () => {
    const d = byAddress(run, '127.0.1.17');
    expect(d.error).toBeNull();
    expect(d.profiles).toHaveLength(2); // media read on the address that answered, not on the advertised one
    expect(d.findings.filter((f: { rule: string }) => f.rule === 'device.xaddr-elsewhere').map((f: { message: string }) => f.message).join('\n')).toContain('127.0.9.9');
    expect(sim.trapHits).toEqual([]);
    expect(rules(byAddress(run, '127.0.1.12'))).not.toContain('device.xaddr-elsewhere');
  });

  it('never shows the password, and never sends it in clear text', () => {
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stderr).not.toContain(PASSWORD);
    // The hikvision device put credentials in its stream URIs: they are gone.
    expect(JSON.stringify(byAddress(run, '127.0.1.11').profiles)).not.toMatch(/admin|password|@/);
    const wire = sim.log.map((e: { raw: string }) => e.raw).join('\n');
    expect(wire).not.toContain(PASSWORD);
    expect(wire).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
    expect(sim.log.some((e: { basic?: boolean; passwordText?: boolean }) => e.basic || e.passwordText)).toBe(false);
    expect(wire).not.toContain('12345<'); // nor a factory password
  });

  it('prints a table and the findings for a person, and the same exit code', async () => {
    const human = await toezicht(['cameras', 'discover', '--config', school.configFile, '--interface', '127.0.0.1', '--timeout', '3000', ...creds], { env });
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/^7 devices found/);
    expect(human.stdout).toMatch(/127\.0\.1\.13\s+recorder\s+Uniview NVR302-16S/);
    expect(human.stdout).toContain('accepts a well-known factory password');
    expect(human.stdout + human.stderr).not.toContain(PASSWORD);
  });

  it('finds a device that ignores multicast when it is named with --host', async () => {
    const r = await discover(['--host', '127.0.1.16:8080']);
    const d = byAddress(r, '127.0.1.16');
    expect(d.foundBy).toContain('host');
    expect(d.serial).toBe(sim.byAddress.get('127.0.1.16').serial);
  });

  it('returns the same set of devices ten runs in a row', async () => {
    const sets: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await discover([], '2000');
      expect(r.json, r.stderr).toBeDefined();
      sets.push(r.json.devices.map((d: { address: string; urn: string }) => `${d.address}=${d.urn}`).join(' '));
    }
    expect(new Set(sets).size).toBe(1);
    expect(sets[0]!.split(' ')).toHaveLength(7);
  });
});
