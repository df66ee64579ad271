// Devices that answer, but not with SOAP: an HTML error page, garbage, malformed XML, a DOCTYPE, a redirect, an empty
// 200, XML without namespaces, a clock of hour 77, a reply nested 200,000 levels deep. Each is listed with what it
// answered (not "did not answer"), none gives a fact it did not prove (no "open device" from a bare reply, no absurd
// clock offset), and none holds the run past --timeout. Unicast only (--no-multicast), on 127.0.41.x.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht, type CliResult } from '../helpers/cli.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Answers-Test-41!';
const users = [{ user: 'admin', password: PASSWORD }];
const env = { ONVIF_PW: PASSWORD };
// Hosts silent to WS-Discovery: only the unauthenticated GetSystemDateAndTime check reaches them.
const silent = { users, silentToUnicast: true };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sim: any;

beforeAll(async () => {
  sim = await startSimulator({
    multicast: false,
    devices: [
      { address: '127.0.41.10', ...silent, answer: { op: 'all', kind: 'html' } },
      { address: '127.0.41.11', ...silent, answer: { op: 'all', kind: 'garbage' } },
      { address: '127.0.41.12', ...silent, malformed: 'all' },
      { address: '127.0.41.13', ...silent, entityBomb: 'GetSystemDateAndTime' },
      { address: '127.0.41.14', ...silent, answer: { op: 'all', kind: 'redirect', location: 'http://admin:Leaked-1@127.0.9.41:8080/onvif/device_service' } },
      { address: '127.0.41.15', ...silent, answer: { op: 'all', kind: 'empty' } },
      { address: '127.0.41.16', ...silent, noNamespaces: true, auth: 'open' },
      // Found by WS-Discovery, then read.
      { address: '127.0.41.20', users, answer: { op: 'GetDeviceInformation', kind: 'html' } },
      { address: '127.0.41.21', users, noNamespaces: true, auth: 'open' },
      { address: '127.0.41.22', users, auth: 'open', answer: { op: 'GetDeviceInformation', kind: 'bare' } },
      { address: '127.0.41.23', users, clockParts: { Hour: 77 } },
      { address: '127.0.41.24', users, clockParts: { Year: 99999 } },
      { address: '127.0.41.25', users, clockParts: { Month: 2, Day: 31 } },
      { address: '127.0.41.26', users },
      { address: '127.0.41.27', users, contentType: 'text/html' },
      // The work bound: 1.4 MB nested 200,000 deep over HTTP (silent, and read), and a 63 KB datagram nested 21,000 deep.
      { address: '127.0.41.30', ...silent, answer: { op: 'all', kind: 'deep' } },
      { address: '127.0.41.31', users, answer: { op: 'all', kind: 'deep' } },
      { address: '127.0.41.32', users, malformedProbe: 'deep' },
    ],
    traps: [{ address: '127.0.9.41', port: 8080 }],
  });
});

afterAll(async () => {
  await sim?.stop();
});

async function discover(hosts: string[], timeout: string, json = true): Promise<CliResult & { seconds: number }> {
  const t = Date.now();
  const args = ['cameras', 'discover', '--no-multicast', '--timeout', timeout, '--user', 'admin', '--password-env', 'ONVIF_PW', ...hosts.flatMap((h) => ['--host', `127.0.41.${h}:8080`])];
  const r = await toezicht(json ? [...args, '--json'] : args, { env });
  return { ...r, seconds: (Date.now() - t) / 1000 };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (r: CliResult, n: string): any => r.json.devices.find((d: { address: string }) => d.address === `127.0.41.${n}`);
const rules = (d: { findings: { rule: string }[] }): string[] => d.findings.map((f) => f.rule);

describe('a host that answers, but not with SOAP, is listed with what it answered', () => {
  let run: CliResult & { seconds: number };
  beforeAll(async () => {
    run = await discover(['10', '11', '12', '13', '14', '15', '16'], '2000');
  });

  it('never "did not answer", and each answer said as it was', () => {
    expect(run.exitCode, run.stderr).toBe(1);
    for (const n of ['10', '11', '12', '13', '14', '15', '16']) expect(at(run, n).error).not.toMatch(/did not answer a WS-Discovery probe, nor/);
    expect(at(run, '10').error).toMatch(/on port 8080 it answered GetSystemDateAndTime with an HTML page \(HTTP 500\)/);
    expect(at(run, '11').error).toMatch(/answered GetSystemDateAndTime with something that is not XML \(HTTP 200\)/);
    expect(at(run, '12').error).toMatch(/answered GetSystemDateAndTime with malformed XML/);
    expect(at(run, '13').error).toMatch(/answered GetSystemDateAndTime with a DOCTYPE, which was refused/);
    expect(at(run, '15').error).toMatch(/answered GetSystemDateAndTime with an empty reply \(HTTP 200\)/);
    expect(at(run, '16').error).toMatch(/answered GetSystemDateAndTime with XML that is not a SOAP envelope/);
    for (const n of ['10', '11', '12', '13', '14', '15', '16']) expect(at(run, n).manufacturer).toBeNull();
  });

  it('a redirect is named with its target (without credentials) and never followed', () => {
    const e = at(run, '14').error;
    expect(e).toMatch(/answered GetSystemDateAndTime with a redirect \(HTTP 302\) to http:\/\/127\.0\.9\.41:8080\/onvif\/device_service, which toezicht does not follow/);
    expect(run.stdout).not.toContain('Leaked-1');
    expect(sim.trapHits).toEqual([]);
  });

  it('says the same in the human output', async () => {
    const human = await discover(['10', '14'], '1500', false);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('error: did not answer a WS-Discovery probe; on port 8080 it answered GetSystemDateAndTime with an HTML page (HTTP 500), not SOAP');
    expect(human.stdout).toMatch(/a redirect \(HTTP 302\) to http:\/\/127\.0\.9\.41:8080\/\S+, which toezicht does not follow/);
  });
});

describe('answers that are not facts', () => {
  let run: CliResult & { seconds: number };
  beforeAll(async () => {
    run = await discover(['20', '21', '22', '23', '24', '25', '26', '27'], '3000');
  });

  it('a device read after WS-Discovery says what it answered where SOAP belongs', () => {
    const d = at(run, '20');
    expect(d.foundBy).toContain('unicast');
    expect(d.error).toBe('answered GetDeviceInformation with an HTML page (HTTP 500), not SOAP');
    expect(d.clockOffsetSeconds).not.toBeNull(); // read before it
    expect(d.manufacturer).toBeNull();
  });

  it('a reply without namespaces is unreadable: no "open device", no clock, no identity', () => {
    for (const n of ['21', '22']) {
      const d = at(run, n);
      expect(d.access, n).toBeNull();
      expect(rules(d), n).not.toContain('device.open');
      expect(d.manufacturer, n).toBeNull();
      expect(d.serial, n).toBeNull();
    }
    expect(at(run, '21').error).toMatch(/answered GetSystemDateAndTime with XML that is not a SOAP envelope \(an Envelope without the SOAP namespace/);
    expect(at(run, '22').error).toMatch(/answered GetDeviceInformation with GetDeviceInformationResponse without a namespace, not an ONVIF GetDeviceInformationResponse/);
  });

  it('a clock of hour 77, year 99999 or 31 February is unreadable: no offset, no clock finding', () => {
    for (const n of ['23', '24', '25']) {
      const d = at(run, n);
      expect(d.clockOffsetSeconds, n).toBeNull();
      expect(rules(d), n).not.toContain('device.clock');
      expect(d.serial, n).toBeNull();
    }
    expect(at(run, '23').error).toMatch(/clock that is no real time \(Hour "77"\)/);
    expect(at(run, '24').error).toMatch(/clock that is no real time \(Year "99999"\)/);
    expect(at(run, '25').error).toMatch(/a date that does not exist/);
  });

  it('a well-behaved device beside them is read in full, also when it labels its SOAP as text/html', () => {
    for (const n of ['26', '27']) {
      const d = at(run, n);
      expect(d.error, n).toBeNull();
      expect(d.access, n).toBe('credentials');
      expect(Math.abs(d.clockOffsetSeconds), n).toBeLessThanOrEqual(1);
      expect(d.serial, n).toBe(sim.byAddress.get(`127.0.41.${n}`).serial);
      expect(d.profiles, n).toHaveLength(2);
    }
  });
});

describe('the timeout holds against replies nested 200,000 levels deep', () => {
  it('--timeout 1000: the run ends near its timeout and the devices are reported as unreadable', async () => {
    const run = await discover(['30', '31', '32'], '1000');
    expect(run.json, run.stderr).toBeDefined();
    // Before the bound this run took 26 s (3.7 s for one such reply); a generous margin, not a tight timing.
    expect(run.json.durationMs).toBeLessThan(1000 + 1500);
    expect(run.seconds).toBeLessThan(15);
    expect(at(run, '30').error).toMatch(/on port 8080 it answered GetSystemDateAndTime with XML beyond toezicht's bounds \(nests deeper than 64 levels\)/);
    expect(at(run, '31').error).toMatch(/answered GetSystemDateAndTime with XML beyond toezicht's bounds \(nests deeper than 64 levels\)/);
    // The deep datagram is ignored; the device still answers over HTTP.
    expect(run.json.ignored).toBeGreaterThan(0);
    expect(at(run, '32').error).toBeNull();
    expect(at(run, '32').foundBy).toEqual(['host']);
  });
});
