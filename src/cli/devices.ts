// Flags and credentials shared by the commands that talk to devices.
import { Flags } from '@oclif/core';
import type { Config } from '../core/config/index.js';
import { credentialSource, passwordFromEnv, type CredentialSource } from '../core/devices/index.js';
import { UsageError } from '../core/errors.js';

export const credentialFlags = {
  user: Flags.string({ summary: 'User name for the devices (with --password-env, or a hidden prompt on a terminal).' }),
  'password-env': Flags.string({ summary: 'Name of the environment variable that holds the password (never the password itself).' }),
  credentials: Flags.string({ summary: 'Credentials file (YAML, mode 0600); default: discovery.credentials in the config.' }),
};

export const timeoutFlag = Flags.integer({ summary: 'How long to wait for devices, in milliseconds.', default: 5000, min: 100, max: 600_000 });

/**
 * The credentials to use: --user with --password-env (or a hidden prompt on a terminal), else the credentials file.
 * Never a password on the command line, where `ps` and shell history would show it.
 */
export async function resolveCredentials(
  flags: { user?: string | undefined; 'password-env'?: string | undefined; credentials?: string | undefined },
  config: Config | undefined,
  interactive: boolean,
): Promise<CredentialSource> {
  const file = flags.credentials ?? config?.discovery.credentials;
  if (flags['password-env'] && !flags.user) throw new UsageError('devices.user', '--password-env needs --user NAME as well.');
  if (!flags.user) return credentialSource({ ...(file ? { file } : {}) });
  if (flags['password-env']) return credentialSource({ user: flags.user, password: passwordFromEnv(flags['password-env']), origin: 'env', ...(file ? { file } : {}) });
  if (!interactive) {
    throw new UsageError('devices.password', `--user ${flags.user} needs a password: without a terminal give --password-env VAR (or --credentials FILE), nothing is asked.`);
  }
  const { password } = await import('@inquirer/prompts');
  const secret = await password({ message: `Password of ${flags.user} on the devices`, mask: true });
  return credentialSource({ user: flags.user, password: secret, origin: 'prompt', ...(file ? { file } : {}) });
}
