// S3 keys: from a 0600 credentials file named in the config, else from the environment — never from the config
// itself, never shown.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UsageError } from '../../errors.js';

// yaml (70 module files) is loaded when a credentials file is read, not by every command that lists the storages.
const parse = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

export interface S3Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function s3Keys(storageId: string, file: string | undefined, env: NodeJS.ProcessEnv = process.env): S3Keys {
  if (file) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch {
      throw new UsageError('s3.credentials', `The credentials file ${file} of storage ${storageId} does not exist; create it with mode 0600 (see docs/boards.md).`);
    }
    if ((mode & 0o077) !== 0) {
      throw new UsageError('s3.credentials', `The credentials file ${file} of storage ${storageId} can be read by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run \`chmod 600 ${file}\` first.`);
    }
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch {
      // A YAML error could quote the secret: say where, not what.
      throw new UsageError('s3.credentials', `The credentials file ${file} of storage ${storageId} is not valid YAML; it should hold accessKeyId and secretAccessKey.`);
    }
    const d = (doc ?? {}) as Record<string, unknown>;
    if (typeof d.accessKeyId !== 'string' || typeof d.secretAccessKey !== 'string') {
      throw new UsageError('s3.credentials', `The credentials file ${file} of storage ${storageId} should hold accessKeyId and secretAccessKey (see docs/boards.md).`);
    }
    return { accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey, ...(typeof d.sessionToken === 'string' ? { sessionToken: d.sessionToken } : {}) };
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError(
      's3.credentials',
      `Storage ${storageId} has no S3 keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a 0600 credentials file in its credentials key.`,
    );
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}
