import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { credentialFlags, resolveCredentials, timeoutFlag } from '../../cli/devices.js';
import { renderSnapshot } from '../../cli/views/cameras.js';
import { snapshotCamera, type SnapshotResult } from '../../core/devices/index.js';

export default class CamerasSnapshot extends BaseCommand<typeof CamerasSnapshot> {
  static override summary = "Save a still from a camera (for the DPIA's camera annex: what it sees).";

  static override description = "Asks the camera at its inventoried address for its snapshot URI (ONVIF GetSnapshotUri) and fetches the image from that address only. The still shows people: it is written with mode 0600 and recorded on the audit chain (who, which camera, the file's SHA-256).";

  static override examples = ['<%= config.bin %> <%= command.id %> entree --out annex/entree.jpg --user onvif-audit --password-env ONVIF_PASSWORD'];

  static override args = { id: Args.string({ description: 'Camera id (see `cameras list`).', required: true }) };

  static override flags = {
    out: Flags.string({ summary: 'File to write the still to (JPEG or PNG, as the camera sends it).', required: true }),
    timeout: timeoutFlag,
    ...credentialFlags,
  };

  public async run(): Promise<SnapshotResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const credentials = await resolveCredentials(this.flags, config, this.interactive);
    const result = await snapshotCamera(config, register, this.args.id, { out: this.flags.out, credentials, timeoutMs: this.flags.timeout });
    this.log(renderSnapshot(result));
    return result;
  }
}
