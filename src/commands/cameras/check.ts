import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { credentialFlags, resolveCredentials, timeoutFlag } from '../../cli/devices.js';
import { renderCheck } from '../../cli/views/cameras.js';
import { checkInventory, type CheckReport } from '../../core/devices/index.js';
import { ExitCode } from '../../core/errors.js';

export default class CamerasCheck extends BaseCommand<typeof CamerasCheck> {
  static override summary = 'Check the camera inventory: purpose, location, forbidden places, covert authorisations, and what each device says now.';

  static override description = `Per inventory entry: no purpose (doelbinding), no location, still unassigned, a covert camera without an authorisation and end date (or past it), a camera whose location is a toilet, washroom, changing room, the management's room or the confidential counsellor's room (seed 001 §5). Then each device with a saved address is contacted there — and only there — for the discovery findings: clock, footage older than its category allows (recording summaries hide gaps), no or factory credentials, plain HTTP, a different device at its address. --offline skips the devices; --interface or --sweep also looks for devices missing from the inventory.

Exit codes: 0 no errors · 1 errors found · 2 bad input or configuration.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --credentials /etc/toezicht/credentials.yaml',
    { description: 'Only the inventory itself (no device contacted)', command: '<%= config.bin %> <%= command.id %> --offline' },
    { description: 'Nightly, for monitoring', command: '<%= config.bin %> <%= command.id %> --json --user onvif-audit --password-env ONVIF_PASSWORD | jq .errors' },
  ];

  static override flags = {
    offline: Flags.boolean({ summary: 'Check the inventory only; contact no device.' }),
    interface: Flags.string({ summary: 'Also probe by multicast on this interface for devices missing from the inventory.' }),
    sweep: Flags.string({ summary: 'Also sweep this range for devices missing from the inventory (repeatable).', multiple: true }),
    port: Flags.integer({ summary: 'HTTP port for GetSystemDateAndTime on swept hosts (repeatable).', multiple: true, min: 1, max: 65535 }),
    timeout: timeoutFlag,
    'default-passwords': Flags.boolean({ summary: 'Try a few well-known factory passwords (at most 3 tries per device).', allowNo: true, default: true }),
    ...credentialFlags,
  };

  public async run(): Promise<CheckReport> {
    const { config } = await this.readConfig();
    const credentials = this.flags.offline ? undefined : await resolveCredentials(this.flags, config, this.interactive);
    const report = await checkInventory(config, {
      contact: !this.flags.offline,
      ...(this.flags.interface || this.flags.sweep ? { discover: { ...(this.flags.interface ? { interface: this.flags.interface } : {}), multicast: Boolean(this.flags.interface), sweeps: this.flags.sweep ?? [] } } : {}),
      ...(credentials ? { credentials } : {}),
      tryDefaults: this.flags['default-passwords'],
      timeoutMs: this.flags.timeout,
      ports: this.flags.port ?? [80],
      now: Date.now(),
    });
    if (report.errors) this.setExitCode(ExitCode.failure);
    this.log(renderCheck(report));
    return report;
  }
}
