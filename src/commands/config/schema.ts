import { Command } from '@oclif/core';
import { configJsonSchema } from '../../core/config/contract.js';

export default class ConfigSchema extends Command {
  static override summary = 'Print the JSON Schema of the config file (for editors and CI checks).';

  static override examples = [
    { description: 'Let an editor check toezicht.config.yaml as you type', command: '<%= config.bin %> <%= command.id %> > toezicht.schema.json' },
  ];

  public async run(): Promise<void> {
    await this.parse(ConfigSchema);
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  }
}
