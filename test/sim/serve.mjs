// Runs the ONVIF simulator as its own process, for benchmarks and for checking it with another ONVIF client.
//   node test/sim/serve.mjs --count 100 [--prefix 127.0.1.] [--start 10] [--port 8080] [--no-multicast] [--open]
// Prints one JSON line {ready, devices} on stdout when it listens; stops on SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { fleet, startSimulator } from './onvif-sim.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '4' },
    prefix: { type: 'string', default: '127.0.1.' },
    start: { type: 'string', default: '10' },
    port: { type: 'string', default: '8080' },
    'no-multicast': { type: 'boolean', default: false },
    open: { type: 'boolean', default: false },
    style: { type: 'string' },
    // Inside a network namespace of its own (no route out): serve other addresses, multicast on this interface address.
    'netns-interface': { type: 'string' },
  },
});
let isolated = false;
if (values['netns-interface']) {
  const { execFileSync } = await import('node:child_process');
  const routes = execFileSync('ip', ['route', 'show', 'default'], { encoding: 'utf8' }).trim();
  if (routes) throw new Error('--netns-interface is for an isolated network namespace, and this one has a default route; refusing');
  isolated = true;
}
const specs = fleet(Number(values.count), { prefix: values.prefix, start: Number(values.start), port: Number(values.port) }).map((d) => ({
  ...d,
  ...(values.style ? { style: values.style } : {}),
  ...(values.open ? { auth: 'open' } : {}),
}));
const sim = await startSimulator({ devices: specs, multicast: !values['no-multicast'], isolated, ...(values['netns-interface'] ? { multicastInterface: values['netns-interface'] } : {}) });
process.stdout.write(`${JSON.stringify({ ready: true, devices: sim.devices.map((d) => ({ address: d.address, port: d.port, style: d.style, serial: d.serial, urn: d.urn, kind: d.kind })) })}\n`);
const stop = async () => {
  // SIM_LOG=FILE: every request received, raw, for looking at what another client sends.
  if (process.env.SIM_LOG) (await import('node:fs')).writeFileSync(process.env.SIM_LOG, sim.log.map((e) => `--- ${e.address} ${e.kind} ${e.op ?? ''} ${e.status ?? ''}${e.replayed ? ' replayed' : ''}${e.stale ? ' stale' : ''}\n${e.raw}`).join('\n'));
  await sim.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
