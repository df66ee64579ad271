// Packages for named receivers only: the package's files, as one tar archive, encrypted with age (the npm
// package age-encryption) for each `--encrypt-to` recipient; any of them can decrypt it with `age -d`.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import { tarFiles, untar } from './tar.js';

const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** Checks `--encrypt-to` values before anything is written. */
export function checkRecipients(recipients: string[]): void {
  for (const r of recipients) {
    if (!RECIPIENT.test(r)) {
      throw new UsageError('export.recipient', `--encrypt-to "${r}" is not an age recipient; give the receiver's public key, which starts with age1 (\`age-keygen -y key.txt\` shows it).`);
    }
  }
}

/** Writes `archive` (mode 0600): the tar of `names` in `dir`, encrypted for `recipients`. */
export async function encryptFiles(dir: string, names: string[], archive: string, recipients: string[], mtime: number, onBytes?: (n: number) => void): Promise<void> {
  // Loaded only for an encrypted package: most exports never need it.
  const { Encrypter } = await import('age-encryption');
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  const plain = Readable.from(
    (async function* () {
      for await (const chunk of tarFiles(dir, names, mtime)) {
        onBytes?.(chunk.length);
        yield chunk;
      }
    })(),
  );
  const encrypted = await encrypter.encrypt(Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>);
  await pipeline(Readable.fromWeb(encrypted as unknown as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(archive, { mode: 0o600, flags: 'wx' }));
}

/** Reads an age identity file (`AGE-SECRET-KEY-1…` lines; comments allowed). */
export async function readIdentities(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('verify.identity', `Cannot read the identity file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const keys = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-1'));
  if (!keys.length) throw new UsageError('verify.identity', `${file} holds no age identity (a line starting with AGE-SECRET-KEY-1).`);
  return keys;
}

/** Decrypts `archive` and unpacks it into `dir` (made 0700). Returns the names unpacked. */
export async function decryptArchive(archive: string, identities: string[], dir: string): Promise<string[]> {
  const { Decrypter } = await import('age-encryption');
  const decrypter = new Decrypter();
  for (const id of identities) decrypter.addIdentity(id);
  const input = Readable.toWeb(createReadStream(archive)) as unknown as ReadableStream<Uint8Array>;
  const plain = await decrypter.decrypt(input);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let current: Awaited<ReturnType<typeof open>> | undefined;
  const entries = await untar(Readable.fromWeb(plain as unknown as import('node:stream/web').ReadableStream<Uint8Array>), {
    onEntry: async (entry) => {
      current = await open(path.join(dir, entry.name), 'wx', 0o600);
    },
    onData: async (chunk) => {
      await current!.write(chunk);
    },
    onEnd: async () => {
      await current?.close();
      current = undefined;
    },
  }).catch(async (error: unknown) => {
    await current?.close();
    throw error;
  });
  return entries.map((e) => e.name);
}

export async function removeQuietly(target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
}
