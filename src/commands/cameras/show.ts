import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderCamera } from '../../cli/views/cameras.js';
import { showCamera, type CameraDetails } from '../../core/devices/index.js';

export default class CamerasShow extends BaseCommand<typeof CamerasShow> {
  static override summary = 'One camera or recorder from the inventory: purpose, place, retention, device facts and what is missing.';

  static override description = 'Reads the config only; `cameras check` also asks the device itself.';

  static override examples = ['<%= config.bin %> <%= command.id %> entree', '<%= config.bin %> <%= command.id %> entree --json'];

  static override args = { id: Args.string({ description: 'Camera id (see `cameras list`).', required: true }) };

  public async run(): Promise<CameraDetails> {
    const { config } = await this.readConfig();
    const details = showCamera(config, this.args.id, Date.now());
    this.log(renderCamera(details.camera, details.findings));
    return details;
  }
}
