// Devices that answer badly: malformed, oversized, entity bombs, slow, trickling, silent. None may crash the run or
// hold it past --timeout; each is listed with an error and only the facts that were read for sure.
// Unicast only (--no-multicast), on 127.0.4.x: this file never answers nor sends multicast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht, type CliResult } from '../helpers/cli.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Hostile-Test-55!';
const users = [{ user: 'admin', password: PASSWORD }];
const env = { ONVIF_PW: PASSWORD };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sim: any;

beforeAll(async () => {
  sim = await startSimulator({
    multicast: false,
    devices: [
      { address: '127.0.4.10', style: 'axis', users, malformed: 'GetDeviceInformation' },
      { address: '127.0.4.11', style: 'hikvision', users, oversized: 'GetProfiles' },
      { address: '127.0.4.12', style: 'axis', users, entityBomb: 'GetDeviceInformation' },
      { address: '127.0.4.13', style: 'axis', users, slowMs: 30_000 },
      { address: '127.0.4.14', style: 'dahua', users, trickle: true },
      { address: '127.0.4.15', style: 'axis', users, malformedProbe: true },
      { address: '127.0.4.16', style: 'axis', users },
      { address: '127.0.4.17', style: 'axis', users, outsideXAddrs: ['http://127.0.9.19:8080/onvif/device_service'] },
      { address: '127.0.4.18', style: 'hikvision', users, malformed: 'all' },
      { address: '127.0.4.19', style: 'axis', users, auth: 'basic' },
    ],
    traps: [{ address: '127.0.9.19', port: 8080 }],
  });
});

afterAll(async () => {
  await sim?.stop();
});

async function discover(args: string[], timeout = '2000'): Promise<CliResult & { seconds: number }> {
  const t = Date.now();
  const r = await toezicht(['cameras', 'discover', '--no-multicast', '--timeout', timeout, '--json', '--user', 'admin', '--password-env', 'ONVIF_PW', ...args], { env });
  return { ...r, seconds: (Date.now() - t) / 1000 };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (r: CliResult, a: string): any => r.json.devices.find((d: { address: string }) => d.address === a);

let firstRun: CliResult & { seconds: number };
const run0 = (): CliResult => firstRun;

describe('hostile and broken devices', () => {
  let run: CliResult & { seconds: number };
  beforeAll(async () => {
    const hosts = ['10', '11', '12', '13', '14', '15', '18', '19', '99'].flatMap((n) => ['--host', `127.0.4.${n}:8080`]);
    run = await discover(hosts);
    firstRun = run;
  });

  it('lists every device, never crashes, and ends within the timeout plus a small margin', () => {
    expect(run.json, run.stderr).toBeDefined();
    expect(run.json.devices.map((d: { address: string }) => d.address)).toEqual(['127.0.4.10', '127.0.4.11', '127.0.4.12', '127.0.4.13', '127.0.4.14', '127.0.4.15', '127.0.4.18', '127.0.4.19', '127.0.4.99']);
    expect(run.exitCode).toBe(1);
    // --timeout 2000: the run itself (durationMs) ends by then plus a small margin, whatever the devices do; the
    // wall time adds only the CLI's start (slow on a busy machine), never a device's 30 s.
    expect(run.json.durationMs).toBeLessThan(2000 + 400);
    expect(run.seconds).toBeLessThan(10);
    expect(run.stderr).not.toMatch(/unexpected error|at .*\.js:\d+/);
  });

  it('a malformed reply: an error, and the facts read before it (clock) but none after', () => {
    const d = at(run, '127.0.4.10');
    expect(d.error).toMatch(/answered GetDeviceInformation with malformed XML \(HTTP 200\)/);
    expect(d.clockOffsetSeconds).not.toBeNull();
    expect(d.manufacturer).toBeNull();
    expect(d.serial).toBeNull();
    expect(d.profiles).toEqual([]);
  });

  it('an oversized reply is cut off at its limit, keeping what was read', () => {
    const d = at(run, '127.0.4.11');
    expect(d.error).toMatch(/larger than the 2097152 bytes accepted|more than the 2097152/);
    expect(d.manufacturer).toBe('HIKVISION');
    expect(d.profiles).toEqual([]);
  });

  it('an entity bomb is refused, not expanded', () => {
    expect(at(run, '127.0.4.12').error).toMatch(/DOCTYPE/);
    expect(at(run, '127.0.4.12').manufacturer).toBeNull();
  });

  it('a device too slow, or trickling its reply, is listed as not answering in time', () => {
    expect(at(run, '127.0.4.13').error).toMatch(/within the timeout/);
    expect(at(run, '127.0.4.14').error).toMatch(/within the timeout/);
  });

  it('a broken WS-Discovery reply is ignored, but the device still answers GetSystemDateAndTime', () => {
    const d = at(run, '127.0.4.15');
    expect(d.error).toBeNull();
    expect(d.foundBy).toEqual(['host']);
    expect(d.serial).toBe(sim.byAddress.get('127.0.4.15').serial);
  });

  it('a device that answers nothing but garbage, and a host that is not there, are listed with an error', () => {
    expect(at(run, '127.0.4.18').error).toMatch(/malformed/);
    expect(at(run, '127.0.4.99').error).toMatch(/did not answer/);
    expect(at(run, '127.0.4.99').manufacturer).toBeNull();
  });
});

describe('a device that offers only HTTP Basic', () => {
  it('gets no password: it is listed with an error that says why', () => {
    expect(at(run0(), '127.0.4.19').error).toMatch(/HTTP Basic.*clear text/);
    expect(sim.log.some((e: { address: string; headers?: Record<string, string> }) => e.address === '127.0.4.19' && /^Basic/i.test(e.headers?.authorization ?? ''))).toBe(false);
    expect(sim.log.map((e: { raw: string }) => e.raw).join('\n')).not.toContain(PASSWORD);
  });
});

describe('sweeps', () => {
  it('finds the live hosts of a range and nothing else, and reports XAddrs outside it without contacting them', async () => {
    const r = await discover(['--sweep', '127.0.4.16/31'], '3000');
    expect(r.json.devices.map((d: { address: string }) => d.address)).toEqual(['127.0.4.16', '127.0.4.17']);
    expect(at(r, '127.0.4.16').foundBy).toContain('unicast');
    const f = at(r, '127.0.4.17').findings.find((x: { rule: string }) => x.rule === 'device.xaddr-elsewhere');
    expect(f.message).toMatch(/127\.0\.9\.19.*outside the probed ranges/);
    expect(sim.trapHits).toEqual([]);
    expect(r.exitCode).toBe(0); // warnings only
  });

  it('refuses a range larger than a /20 without --force, before sending anything', async () => {
    const r = await discover(['--sweep', '127.0.0.0/16']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error.message).toMatch(/more than a \/20.*--force/);
  });

  it('refuses bad input with exit 2', async () => {
    expect((await discover(['--sweep', '127.0.4.0/40'])).exitCode).toBe(2);
    expect((await discover(['--host', 'camera.local'])).exitCode).toBe(2);
    const noTarget = await discover([]);
    expect(noTarget.exitCode).toBe(2);
    expect(noTarget.json.error.message).toMatch(/--sweep CIDR or --host/);
  });
});
