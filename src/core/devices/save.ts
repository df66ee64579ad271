// Discovery followed by the merge into the inventory: what `cameras discover --save` does.
import type { Register } from '../register/index.js';
import { discoverDevices, type DiscoverOptions, type DiscoverReport } from './discover.js';
import { saveInventory, type SaveResult } from './inventory.js';

export interface DiscoverAndSaveResult extends DiscoverReport {
  saved: SaveResult | null;
}

/**
 * Discovery, then (with `save`) the merge into the config's inventory, recorded on the audit chain when there is a
 * register. Devices that answered with an error are saved with the facts that were read.
 */
export async function discoverAndSave(
  options: DiscoverOptions,
  save?: { file: string; register?: Register | undefined },
): Promise<DiscoverAndSaveResult> {
  const report = await discoverDevices(options);
  if (!save) return { ...report, saved: null };
  const saved = saveInventory(save.file, report.devices, options.now);
  if (save.register && (saved.added.length || saved.updated.length)) {
    await save.register.appendAudit('cameras.inventory.save', {
      file: save.file,
      added: saved.added,
      updated: saved.updated,
    });
  }
  // The findings were made against the inventory before the save; new entries now have an id.
  for (const a of saved.added) {
    const d = report.devices.find((x) => x.address === a.address);
    if (d) d.inventoryId = a.id;
  }
  return { ...report, saved };
}
