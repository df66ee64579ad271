import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderKeysInit } from '../../cli/views/export.js';
import { initSchoolKey } from '../../core/evidence/index.js';

export default class KeysInit extends BaseCommand<typeof KeysInit> {
  static override summary = "Make the school's signing key for evidence packages (Ed25519).";

  static override description = `Every evidence package's manifest is signed with this key, and its public half goes into the package, so that a receiver can check it offline with openssl. Publish the fingerprint this command prints (in the camerareglement, or on paper with the custody record): a receiver compares it with the package's key.

The private key is written to keys.dir in the config (default .toezicht/keys/signing-key.pem, mode 0600). Back it up with the register. An existing key is never replaced without --force; a replaced key's public half is kept under retired/.`;

  static override examples = [
    { description: 'Once, when setting up exports', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Replace a key that may have leaked', command: '<%= config.bin %> <%= command.id %> --force' },
  ];

  static override flags = {
    force: Flags.boolean({ summary: 'Replace an existing key (its public key is kept under retired/).' }),
  };

  public async run(): Promise<Awaited<ReturnType<typeof initSchoolKey>>> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await initSchoolKey(config, register, { force: this.flags.force });
    this.log(renderKeysInit(result));
    return result;
  }
}
