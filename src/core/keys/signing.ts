// The school's Ed25519 signing key: it signs every evidence package's manifest, and its public half travels in the
// package, so a receiver can check the manifest offline with openssl. The fingerprint is what the school publishes
// (in its camerareglement, or on the paper custody record) to pin the key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToezichtError, UsageError } from '../errors.js';

export const PRIVATE_KEY_FILE = 'signing-key.pem';
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
  file: string;
}

/** SHA-256 (hex) of the public key's DER encoding: `openssl pkey -pubin -in public-key.pem -outform DER | sha256sum`. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

export interface KeysInitResult {
  dir: string;
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  replaced?: { fingerprint: string; retiredPublicKey: string };
}

/** Makes a new key pair in `dir` (0700; the private key 0600). Never replaces a key unless `force`. */
export async function createSigningKey(dir: string, options: { force?: boolean } = {}): Promise<KeysInitResult> {
  const privateFile = path.join(dir, PRIVATE_KEY_FILE);
  const publicFile = path.join(dir, PUBLIC_KEY_FILE);
  let replaced: KeysInitResult['replaced'];
  if (existsSync(privateFile)) {
    if (!options.force) {
      throw new UsageError(
        'keys.exists',
        `There is already a signing key in ${dir} (fingerprint ${(await loadSigningKey(dir)).fingerprint}); packages signed with it stay checkable. Replace it only with --force.`,
      );
    }
    // The old public key stays, so packages signed with it can still be checked against what the school published.
    const old = await loadSigningKey(dir);
    const retiredDir = path.join(dir, 'retired');
    await mkdir(retiredDir, { recursive: true, mode: 0o700 });
    const retiredPublicKey = path.join(retiredDir, `${old.fingerprint.slice(0, 16)}.pub.pem`);
    await writeFile(retiredPublicKey, old.publicKeyPem, { mode: 0o644 });
    await rm(privateFile);
    replaced = { fingerprint: old.fingerprint, retiredPublicKey };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // Written under a temporary name and renamed: a half-written key is never taken for the key.
  await writeFile(`${privateFile}.tmp`, privatePem, { mode: 0o600, flag: 'w' });
  await chmod(`${privateFile}.tmp`, 0o600);
  await rename(`${privateFile}.tmp`, privateFile);
  await writeFile(publicFile, publicPem, { mode: 0o644 });
  return { dir, privateKey: privateFile, publicKey: publicFile, fingerprint: keyFingerprint(publicPem), ...(replaced ? { replaced } : {}) };
}

export async function loadSigningKey(dir: string): Promise<SigningKey> {
  const file = path.join(dir, PRIVATE_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('keys.missing', `There is no signing key in ${dir}; run \`toezicht keys init\` once to make the school's key.`);
    throw new ToezichtError('keys.unreadable', `The signing key ${file} cannot be read (${code ?? (error as Error).message}); run toezicht as the user that owns it.`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ToezichtError('keys.invalid', `${file} is not a private key; restore it from a backup or make a new one with \`toezicht keys init --force\`.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ToezichtError('keys.invalid', `${file} is a ${privateKey.asymmetricKeyType} key, not an Ed25519 key; make one with \`toezicht keys init --force\`.`);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, fingerprint: keyFingerprint(publicKeyPem), file };
}

export function signBytes(data: Buffer, key: SigningKey): Buffer {
  return sign(null, data, key.privateKey);
}

/** Checks an Ed25519 signature; false for a bad signature or a key that is not Ed25519. */
export function verifyBytes(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * The public keys a signature may be checked against: the current one (readable by any user, so a purge from cron
 * can check without the private key) and every retired one.
 */
export async function loadPublicKeys(dir: string): Promise<string[]> {
  const keys: string[] = [];
  const current = await readFile(path.join(dir, PUBLIC_KEY_FILE), 'utf8').catch(() => undefined);
  if (current) keys.push(current);
  const retired = await readdir(path.join(dir, 'retired')).catch(() => [] as string[]);
  for (const name of retired.filter((n) => n.endsWith('.pub.pem')).sort()) {
    const pem = await readFile(path.join(dir, 'retired', name), 'utf8').catch(() => undefined);
    if (pem) keys.push(pem);
  }
  return keys;
}
