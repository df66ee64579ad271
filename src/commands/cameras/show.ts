import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderCamera, renderRecorder } from '../../cli/views/cameras.js';
import { showInventoryItem, type CameraDetails, type RecorderDetails } from '../../core/devices/index.js';

export default class CamerasShow extends BaseCommand<typeof CamerasShow> {
  static override summary = 'One camera or recorder from the inventory: purpose, place, retention, device facts and what is missing.';

  static override description = 'Reads the config only; `cameras check` also asks the device itself. Given the id of a recorder storage (type: recorder), logs in to the recorder and lists its recordings with their tokens and sources, and which camera names each.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> entree',
    '<%= config.bin %> <%= command.id %> entree --json',
    { description: "A recorder storage: its recordings, their tokens and sources (for cameras' `recording`)", command: '<%= config.bin %> <%= command.id %> nvr1' },
  ];

  static override args = { id: Args.string({ description: 'Camera id (see `cameras list`), or the id of a recorder storage.', required: true }) };

  public async run(): Promise<CameraDetails | RecorderDetails> {
    const { config } = await this.readConfig();
    const details = await showInventoryItem(config, this.args.id, Date.now());
    this.log('recordings' in details ? renderRecorder(details) : renderCamera(details.camera, details.findings));
    return details;
  }
}
