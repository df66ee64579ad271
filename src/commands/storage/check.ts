import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderStorageChecks } from '../../cli/views/storage.js';
import { ExitCode } from '../../core/errors.js';
import { checkStorages, type StorageCheck } from '../../core/footage/index.js';

export default class StorageCheckCommand extends BaseCommand<typeof StorageCheckCommand> {
  static override summary = 'Check that every storage can be read, and whether held footage is safe from other tools (tamper-proof).';

  static override description = `For a file tree: whether its folder is there. For an S3 bucket: whether it answers with the configured keys, its versioning, and whether it has Object Lock. With Object Lock, footage under a hold gets an S3 legal hold that the store itself enforces; without it, holds are kept by the register only and the bucket is reported as not tamper-proof.

Exit codes: 0 every storage can be read · 1 a storage cannot be read · 2 bad input or configuration. Not being tamper-proof is reported, not an error.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Is every bucket tamper-proof? (for monitoring)', command: "<%= config.bin %> <%= command.id %> --json | jq -e 'all(.storages[]; .protection.tamperProof)'" },
  ];

  static override flags = {
    storage: Flags.string({ summary: 'Only this storage (repeatable).', multiple: true }),
  };

  public async run(): Promise<{ storages: StorageCheck[] }> {
    const { config } = await this.readConfig();
    const storages = await checkStorages(config, this.flags.storage);
    if (storages.some((s) => !s.ok)) this.setExitCode(ExitCode.failure);
    this.log(renderStorageChecks(storages));
    return { storages };
  }
}
