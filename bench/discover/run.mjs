// bench/discover: `cameras discover` against 100 simulated devices on loopback, by multicast and by a sweep of
// 127.0.1.0/24, each with full device details (identity, network, media profiles with stream URIs, snapshot URI,
// recordings of the 25 recorders). The baseline, measured in the same run, is the bare minimum a client must do:
// one probe (or one unicast probe per host) and one GetSystemDateAndTime per device, no parsing, no auth. The simulator runs in 4 processes (25 devices each).
//   npm run build && node bench/discover/run.mjs [--count 100] [--runs 3]
// Device traffic stays on loopback: the simulator serves 127.0.1.x only, and the CLI runs under the network guard.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { count: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
const count = Number(values.count);
const runs = Number(values.runs);
const PASSWORD = 'Geheim-123!';
const guard = pathToFileURL(path.join(repo, 'test/helpers/network-guard.mjs')).href;

// Real devices each have their own CPU: the simulated ones are spread over a few processes, so the simulator is not
// the bottleneck being measured.
const SIM_PROCESSES = 4;

function startSimulatorProcess(start, n) {
  const child = spawn(process.execPath, [path.join(repo, 'test/sim/serve.mjs'), '--count', String(n), '--prefix', '127.0.1.', '--start', String(start), '--port', '8080'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, devices: JSON.parse(line).devices });
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

async function startSimulator() {
  const per = Math.ceil(count / SIM_PROCESSES);
  const parts = [];
  for (let i = 0; i * per < count; i++) parts.push(await startSimulatorProcess(10 + i * per, Math.min(per, count - i * per)));
  return { children: parts.map((p) => p.child), devices: parts.flatMap((p) => p.devices) };
}

const timeEnvelope =
  '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
const probe = (id) =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>urn:uuid:${id}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe/></s:Body></s:Envelope>`;

/** Baseline: probe (multicast, or unicast to every host), take the first reply of each, one GetSystemDateAndTime each. */
async function baseline(hosts) {
  const t = performance.now();
  const socket = dgram.createSocket('udp4');
  await new Promise((r) => socket.bind(0, '127.0.0.1', r));
  socket.setMulticastInterface('127.0.0.1');
  socket.setMulticastTTL(1);
  const found = new Map();
  const done = new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    socket.on('message', (msg, rinfo) => {
      const xaddr = /XAddrs>([^<\s]+)/.exec(msg.toString())?.[1];
      if (xaddr && !found.has(rinfo.address)) found.set(rinfo.address, xaddr);
      if (found.size === count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  if (hosts) for (const h of hosts) socket.send(probe(crypto.randomUUID()), 3702, h);
  else socket.send(probe(crypto.randomUUID()), 3702, '239.255.255.250');
  await done;
  socket.close();
  await Promise.all([...found.values()].map((x) => fetch(x, { method: 'POST', body: timeEnvelope, headers: { 'content-type': 'application/soap+xml' } }).then((r) => r.text())));
  return { seconds: (performance.now() - t) / 1000, found: found.size };
}

function toezicht(args, config) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, [path.join(repo, 'bin/run.js'), 'cameras', 'discover', '--config', config, '--json', '--user', 'admin', '--password-env', 'ONVIF_PW', ...args], {
      env: { ...process.env, ONVIF_PW: PASSWORD, TOEZICHT_NETWORK_GUARD: '1', NODE_OPTIONS: `--import=${guard}`, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', () => {
      const seconds = (performance.now() - t) / 1000;
      let report;
      try {
        report = JSON.parse(out);
      } catch {
        throw new Error(`no JSON from toezicht: ${err.slice(0, 500)}`);
      }
      // "Found" means found with full details: identity read, profiles with stream URIs, no error.
      const full = report.devices.filter((d) => !d.error && d.serial && d.profiles.length && d.profiles.every((p) => p.rtsp) && (d.kind !== 'recorder' || d.recordings.length));
      resolve({ seconds, core: report.durationMs / 1000, found: full.length, listed: report.devices.length });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { children, devices } = await startSimulator();
const dir = mkdtempSync(path.join(tmpdir(), 'toezicht-bench-discover-'));
const config = path.join(dir, 'toezicht.config.yaml');
writeFileSync(config, 'school: { name: Benchmark }\n');
try {
  const sweepHosts = Array.from({ length: 254 }, (_, i) => `127.0.1.${i + 1}`);
  const cases = [
    { name: 'multicast, --timeout 3000', args: ['--interface', '127.0.0.1', '--timeout', '3000'], target: 3, base: () => baseline() },
    { name: 'multicast, default timeout', args: ['--interface', '127.0.0.1'], target: 5, base: () => baseline() },
    { name: 'sweep 127.0.1.0/24, --timeout 3000', args: ['--no-multicast', '--sweep', '127.0.1.0/24', '--port', '8080', '--timeout', '3000'], target: 3, base: () => baseline(sweepHosts) },
    { name: 'sweep 127.0.1.0/24, default timeout', args: ['--no-multicast', '--sweep', '127.0.1.0/24', '--port', '8080'], target: 5, base: () => baseline(sweepHosts) },
  ];
  console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
  console.log(`${devices.length} simulated devices (${devices.filter((d) => d.kind === 'recorder').length} recorders), ${runs} runs each, median`);
  for (const c of cases) {
    const base = [];
    const ours = [];
    const core = [];
    let found = 0;
    for (let i = 0; i < runs; i++) {
      base.push((await c.base()).seconds);
      const r = await toezicht(c.args, config);
      ours.push(r.seconds);
      core.push(r.core);
      found = i === 0 ? r.found : Math.min(found, r.found);
    }
    const s = median(ours);
    const ok = found === count && s <= c.target;
    console.log(
      `${c.name.padEnd(38)} found ${found}/${count}  ${s.toFixed(2)} s (target ≤ ${c.target} s; discovery itself ${median(core).toFixed(2)} s)  baseline ${median(base).toFixed(2)} s  ratio ${(s / median(base)).toFixed(2)}  ${ok ? 'OK' : 'MISSED'}`,
    );
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
