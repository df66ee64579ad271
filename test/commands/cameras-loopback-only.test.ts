// A host whose only interface is loopback (a container): `--sweep` must sweep, and say that multicast was skipped,
// instead of refusing with "pass --interface or --sweep". Run for real in a network namespace this test creates
// (`unshare --net`: only `lo`, no route anywhere), with the simulator and the built CLI both inside it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

const SERVE = path.resolve(import.meta.dirname, '../sim/serve.mjs');
const PASSWORD = 'Geheim-123!'; // the simulator's default account

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Inside the namespace: bring lo up, check it is the only interface and there is no route out, start two simulated
// devices on 127.0.1.x, then run the CLI with the given arguments (stdout: the CLI's alone; the rest on stderr).
const SCRIPT = `
set -e
ip link set lo up
test "$(ip -o link show | wc -l)" = 1 || { echo "more than lo in this namespace" >&2; exit 90; }
test -z "$(ip route show default)" || { echo "a route out in this namespace" >&2; exit 91; }
node "$SERVE" --count 2 --prefix 127.0.1. --start 10 --no-multicast > "$TMPOUT" &
SIM=$!
trap 'kill $SIM 2>/dev/null || true; rm -f "$TMPOUT"' EXIT
for i in $(seq 100); do grep -q ready "$TMPOUT" 2>/dev/null && break; sleep 0.1; done
set +e
node "$BIN" "$@"
echo "exit=$?" >&2
`;

/** guard false: without TOEZICHT_NETWORK_GUARD — only ever inside the namespace, which the script checks has only lo. */
async function inNamespace(args: string[], guard = true): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const tmp = path.join(process.env.TMPDIR ?? '/tmp', `toezicht-netns-${process.pid}-${Date.now()}.out`);
  const r = await execa('unshare', ['--net', 'bash', '-c', SCRIPT, 'netns', ...args], {
    env: { NO_COLOR: '1', SERVE, BIN, TMPOUT: tmp, ONVIF_PW: PASSWORD, ...(guard ? {} : { TOEZICHT_NETWORK_GUARD: '' }) },
    reject: false,
    stdin: 'ignore',
  });
  const code = /exit=(\d+)/.exec(r.stderr)?.[1];
  return { exitCode: code === undefined ? -1 : Number(code), stdout: r.stdout, stderr: r.stderr };
}

const creds = ['--user', 'admin', '--password-env', 'ONVIF_PW', '--port', '8080', '--timeout', '3000'];

describe.skipIf(!canUnshare())('discovery on a host whose only interface is loopback (own network namespace)', () => {
  it('--sweep sweeps, finds the devices, and says multicast was skipped (JSON)', async () => {
    const r = await inNamespace(['cameras', 'discover', '--sweep', '127.0.1.0/24', ...creds, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.devices.map((d: { address: string }) => d.address)).toEqual(['127.0.1.10', '127.0.1.11']);
    for (const d of json.devices) {
      expect(d.error).toBeNull();
      expect(d.serial).toMatch(/^00/);
    }
    expect(json.probed.interfaces).toEqual([]);
    expect(json.probed.sweeps).toEqual(['127.0.1.0/24']);
    expect(json.probed.multicastSkipped).toMatch(/no IPv4 interface besides loopback/);
  });

  it('says it in the human output too', async () => {
    const r = await inNamespace(['cameras', 'discover', '--sweep', '127.0.1.0/24', ...creds]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 devices found \(sweep 127\.0\.1\.0\/24;/);
    expect(r.stdout).toContain('multicast skipped: this machine has no IPv4 interface besides loopback (pass --interface 127.0.0.1 to probe on loopback)');
  });

  it('without --sweep or --host there is still nothing to probe: exit 2 saying what to pass', async () => {
    const r = await inNamespace(['cameras', 'discover', ...creds, '--json'], false);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toBe(
      'This machine has no IPv4 network interface besides loopback: nothing to multicast on; pass --sweep CIDR or --host ADDRESS (or --interface 127.0.0.1 to probe on loopback).',
    );
  });

  it('the guard still refuses an unnamed interface there (nothing to multicast on is no licence)', async () => {
    const r = await inNamespace(['cameras', 'discover', ...creds, '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/network guard.*must name its interface/);
  });
});
