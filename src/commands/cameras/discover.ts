import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { credentialFlags, resolveCredentials, timeoutFlag } from '../../cli/devices.js';
import { renderDiscovery } from '../../cli/views/cameras.js';
import type { LoadedConfig } from '../../core/config/index.js';
import { discoverAndSave, type DiscoverAndSaveResult } from '../../core/devices/index.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import type { Register } from '../../core/register/index.js';

export default class CamerasDiscover extends BaseCommand<typeof CamerasDiscover> {
  static override summary = 'Find ONVIF cameras and recorders on the network: what they are, stream and record, and what is wrong with them.';

  static override description = `Sends WS-Discovery probes (multicast 239.255.255.250:3702, TTL 1) on the chosen interface — or on every non-loopback IPv4 interface — and, for VLANs that multicast does not cross, a unicast probe and an unauthenticated GetSystemDateAndTime to every host of --sweep ranges and to each --host. Only the address that answered is ever contacted: service addresses (XAddrs) that point elsewhere are reported, never followed.

Each device's clock is read first and WS-Security requests are signed with the device's own time (a camera 40 s off still accepts them); devices that want HTTP Digest get Digest (SHA-256 or MD5). Passwords never travel in clear text: no PasswordText, no HTTP Basic. When the given credentials fail (or none are given), at most 3 password tries per device include well-known factory passwords (--no-default-passwords to skip).

Findings: clock off by more than 5 s, footage on a recorder older than the retention of its camera's category (a recorder not in the inventory is held to the surveillance limit of 28 days), answering without credentials, accepting a factory password, plain HTTP only, XAddrs elsewhere, not in the inventory. Recording summaries (oldest/newest per recording) hide gaps: footage between them may be missing.

--save merges what was found into the config's cameras (by serial, then endpoint urn): it writes only each entry's device facts and never touches name, location, category or purpose; new devices arrive as category unassigned, named as needing a purpose. Without --save no register is needed.

--timeout bounds the run; a sweep wider than 128 host checks may add one host timeout (2 s at most) per further 128.

Exit codes: 0 every device answered · 1 a device answered badly or has an error-level finding · 2 bad usage.`;

  static override examples = [
    { description: 'Probe the school network on one interface', command: '<%= config.bin %> <%= command.id %> --interface eth0' },
    {
      description: 'With credentials from the environment, a camera VLAN swept too, saved into the inventory',
      command: 'ONVIF_PASSWORD=… <%= config.bin %> <%= command.id %> --interface eth0 --sweep 10.20.30.0/24 --user onvif-audit --password-env ONVIF_PASSWORD --save',
    },
    { description: 'One device by address, as JSON', command: '<%= config.bin %> <%= command.id %> --no-multicast --host 10.20.30.15 --credentials /etc/toezicht/credentials.yaml --json' },
  ];

  static override flags = {
    timeout: timeoutFlag,
    interface: Flags.string({ summary: 'Interface (name or IPv4 address) to probe on; default: every non-loopback IPv4 interface.' }),
    sweep: Flags.string({ summary: 'IPv4 range to probe host by host (CIDR, repeatable); larger than a /20 needs --force.', multiple: true }),
    host: Flags.string({ summary: 'A device by address, ADDRESS[:PORT] (repeatable).', multiple: true }),
    port: Flags.integer({ summary: 'HTTP port for GetSystemDateAndTime on swept and named hosts (repeatable).', multiple: true, min: 1, max: 65535 }),
    multicast: Flags.boolean({ summary: 'Send WS-Discovery multicast probes (--no-multicast: only --sweep and --host).', allowNo: true, default: true }),
    'default-passwords': Flags.boolean({ summary: 'Try a few well-known factory passwords (at most 3 tries per device).', allowNo: true, default: true }),
    ...credentialFlags,
    force: Flags.boolean({ summary: 'Allow a --sweep range larger than a /20.' }),
    save: Flags.boolean({ summary: "Merge what was found into the config's camera inventory." }),
  };

  public async run(): Promise<DiscoverAndSaveResult> {
    const loaded = await this.optionalConfig();
    const config = loaded?.config;
    if (this.flags.save && !loaded) throw new UsageError('discover.save', '--save needs a config to save into; run `toezicht init` first, or pass --config FILE.');
    const credentials = await resolveCredentials(this.flags, config, this.interactive);
    const iface = this.flags.interface ?? config?.discovery.interface;
    let register: Register | undefined;
    if (this.flags.save && loaded) {
      try {
        register = this.useRegister(loaded.config.register);
      } catch {
        this.note('note: no register, so this save is not on the audit chain (run `toezicht init` to create one).');
      }
    }
    const result = await discoverAndSave(
      {
        ...(iface ? { interface: iface } : {}),
        multicast: this.flags.multicast,
        sweeps: this.flags.sweep ?? config?.discovery.sweep ?? [],
        hosts: this.flags.host ?? [],
        ports: this.flags.port ?? [80],
        timeoutMs: this.flags.timeout,
        force: this.flags.force,
        credentials,
        tryDefaults: this.flags['default-passwords'],
        ...(config ? { config } : {}),
        now: Date.now(),
        ...(this.flags.verbose ? { onProgress: (m: string) => this.note(m) } : {}),
      },
      this.flags.save && loaded ? { file: loaded.file, register } : undefined,
    );
    if (result.devices.some((d) => d.error || d.findings.some((f) => f.severity === 'error'))) this.setExitCode(ExitCode.failure);
    if (!this.jsonEnabled()) this.log(renderDiscovery(result));
    return result;
  }

  private async optionalConfig(): Promise<LoadedConfig | undefined> {
    try {
      return await this.readConfig();
    } catch (error) {
      if ((error as { code?: string }).code === 'config.missing' && !this.flags.config) return undefined;
      throw error;
    }
  }
}
