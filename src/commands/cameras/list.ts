import { BaseCommand } from '../../cli/base.js';
import { renderInventory } from '../../cli/views/cameras.js';
import { listInventory, type InventoryEntry } from '../../core/devices/index.js';

export default class CamerasList extends BaseCommand<typeof CamerasList> {
  static override summary = 'The camera inventory: every camera and recorder in the config, with what its device said when last seen.';

  static override description = 'Reads the config only; no device is contacted and no register is needed. `cameras check` says what is missing or wrong.';

  static override examples = ['<%= config.bin %> <%= command.id %>', { description: 'Cameras still without a category', command: '<%= config.bin %> <%= command.id %> --json | jq \'.cameras[] | select(.category == "unassigned") | .id\'' }];

  public async run(): Promise<{ cameras: InventoryEntry[] }> {
    const { config } = await this.readConfig();
    const cameras = listInventory(config);
    this.log(renderInventory(cameras));
    return { cameras };
  }
}
