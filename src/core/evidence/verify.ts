// `footage verify`: checks a package as its receiver would, offline and without the register: every file against
// SHA256SUMS and the manifest, the manifest against its Ed25519 signature, and the key against the one the school
// published (--public-key). Names every file that changed.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { decryptArchive, readIdentities } from './encrypt.js';
import { sha256File } from './hash.js';
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, SUMS_FILE, parseSums, type Manifest } from './manifest.js';
import { keyFingerprint, verifyBytes } from './signing.js';

export interface VerifyOptions {
  /** The school's public key as published, to pin the key in the package. */
  publicKey?: string;
  /** age identity file, to check inside an encrypted package. */
  identity?: string;
  /** Called with the manifest as read (also from inside an encrypted package), for checks that go further. */
  onManifest?: (manifest: Manifest) => void;
}

export interface VerifyCheck {
  check: string;
  ok: boolean;
  detail?: string;
}

export interface VerifyReport {
  ok: boolean;
  dir: string;
  encrypted: boolean;
  /** For an encrypted package: whether its contents were checked (needs --identity). */
  contentsChecked: boolean;
  exportId?: string;
  case?: string | null;
  cameras?: string[];
  covered?: { from: string; to: string };
  createdAt?: string;
  fingerprint?: string;
  /** The key was compared with the one given by --public-key. */
  keyPinned: boolean;
  checks: VerifyCheck[];
  /** What changed or is missing, one item each. */
  changed: string[];
  warnings: string[];
}

async function readPem(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('verify.public-key', `Cannot read the public key ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

export async function verifyPackage(dirIn: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const dir = path.resolve(dirIn);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError('verify.missing', `${dir} is not a folder; give the package folder (DIR/<export id>).`);
  const names = await readdir(dir);
  const archive = names.find((n) => n.endsWith('.tar.age'));
  if (!names.includes(MANIFEST_FILE) && archive) return verifyEncrypted(dir, names, archive, options);
  if (!names.includes(MANIFEST_FILE) && !names.includes(SUMS_FILE)) {
    throw new UsageError('verify.not-a-package', `${dir} holds no manifest.json or SHA256SUMS: it is not an evidence package.`);
  }
  return verifyPlain(dir, names, options);
}

async function verifyPlain(dir: string, names: string[], options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, dir, encrypted: false, contentsChecked: true, keyPinned: false, checks: [], changed: [], warnings: [] };
  const hashes = new Map<string, { sha256: string; bytes: number } | undefined>();
  const hashOf = async (name: string): Promise<{ sha256: string; bytes: number } | undefined> => {
    if (!hashes.has(name)) {
      const safe = !name.includes('/') && !name.includes('\\') && name !== '..' && names.includes(name);
      hashes.set(name, safe ? await sha256File(path.join(dir, name)).catch(() => undefined) : undefined);
    }
    return hashes.get(name);
  };
  const changed = (what: string): void => {
    if (!report.changed.includes(what)) report.changed.push(what);
  };

  // 1. SHA256SUMS, as `sha256sum -c` would read it.
  const listed = new Set<string>();
  if (!names.includes(SUMS_FILE)) {
    changed(`${SUMS_FILE} is missing`);
    report.checks.push({ check: SUMS_FILE, ok: false, detail: 'missing' });
  } else {
    const sums = parseSums(await readFile(path.join(dir, SUMS_FILE), 'utf8'));
    if (!sums) {
      changed(`${SUMS_FILE} is not a list of SHA-256 sums`);
      report.checks.push({ check: SUMS_FILE, ok: false, detail: 'unreadable' });
    } else {
      let bad = 0;
      for (const entry of sums) {
        listed.add(entry.path);
        const actual = await hashOf(entry.path);
        if (!actual) {
          changed(`${entry.path} is missing`);
          bad++;
        } else if (actual.sha256 !== entry.sha256) {
          changed(`${entry.path} was changed (its SHA-256 is not the one in ${SUMS_FILE})`);
          bad++;
        }
      }
      report.checks.push({ check: `${SUMS_FILE}: ${sums.length} files`, ok: bad === 0, ...(bad ? { detail: `${bad} do not match` } : {}) });
    }
  }
  for (const name of names) {
    if (name !== SUMS_FILE && !listed.has(name)) report.warnings.push(`${name} is not part of the package (not in ${SUMS_FILE})`);
  }

  // 2. The manifest and its signature.
  let manifest: Manifest | undefined;
  let manifestBytes: Buffer | undefined;
  if (!names.includes(MANIFEST_FILE)) changed(`${MANIFEST_FILE} is missing`);
  else {
    manifestBytes = await readFile(path.join(dir, MANIFEST_FILE));
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    } catch {
      changed(`${MANIFEST_FILE} is no longer valid JSON`);
    }
  }
  const packageKey = names.includes(PUBLIC_KEY_FILE) ? await readFile(path.join(dir, PUBLIC_KEY_FILE), 'utf8') : undefined;
  let key = packageKey;
  if (options.publicKey) {
    const pinned = await readPem(options.publicKey);
    report.keyPinned = true;
    let pinnedPrint: string;
    try {
      pinnedPrint = keyFingerprint(pinned);
    } catch {
      throw new UsageError('verify.public-key', `${options.publicKey} is not a public key (PEM).`);
    }
    const packagePrint = packageKey ? safeFingerprint(packageKey) : undefined;
    const same = packagePrint === pinnedPrint;
    report.checks.push({ check: `${PUBLIC_KEY_FILE} is the key given with --public-key`, ok: same, detail: `fingerprint ${pinnedPrint}` });
    if (!same) changed(`${PUBLIC_KEY_FILE} is not the school's key given with --public-key (it was replaced)`);
    key = pinned;
  }
  if (!key) changed(`${PUBLIC_KEY_FILE} is missing`);
  else report.fingerprint = safeFingerprint(key);
  if (manifestBytes && key) {
    const signature = names.includes(SIGNATURE_FILE) ? await readFile(path.join(dir, SIGNATURE_FILE)) : undefined;
    const good = signature !== undefined && verifyBytes(manifestBytes, signature, key);
    report.checks.push({ check: `${SIGNATURE_FILE}: Ed25519 signature of ${MANIFEST_FILE}`, ok: good, ...(good ? {} : { detail: signature ? 'does not match' : 'missing' }) });
    if (!good) changed(signature ? `${MANIFEST_FILE} or its signature was changed (the signature does not match)` : `${SIGNATURE_FILE} is missing`);
  }

  // 3. Every file the manifest names, with its size and hash.
  if (manifest) {
    options.onManifest?.(manifest);
    report.exportId = manifest.exportId;
    report.case = manifest.case;
    report.cameras = manifest.cameras;
    report.covered = manifest.covered;
    report.createdAt = manifest.createdAt;
    let bad = 0;
    for (const f of manifest.files ?? []) {
      const actual = await hashOf(f.path);
      if (!actual) {
        changed(`${f.path} is missing`);
        bad++;
      } else if (actual.sha256 !== f.sha256 || actual.bytes !== f.bytes) {
        changed(`${f.path} was changed (its SHA-256 is not the one in the manifest)`);
        bad++;
      }
    }
    report.checks.push({ check: `${MANIFEST_FILE}: ${manifest.files?.length ?? 0} files`, ok: bad === 0, ...(bad ? { detail: `${bad} do not match` } : {}) });
    if (report.fingerprint && manifest.signature?.fingerprint && manifest.signature.fingerprint !== report.fingerprint && !options.publicKey) {
      changed(`${PUBLIC_KEY_FILE} is not the key the manifest names (fingerprint ${manifest.signature.fingerprint})`);
    }
  }
  report.ok = report.changed.length === 0;
  return report;
}

function safeFingerprint(pem: string): string | undefined {
  try {
    return keyFingerprint(pem);
  } catch {
    return undefined;
  }
}

async function verifyEncrypted(dir: string, names: string[], archive: string, options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, dir, encrypted: true, contentsChecked: false, keyPinned: false, checks: [], changed: [], warnings: [] };
  if (names.includes(SUMS_FILE)) {
    const sums = parseSums(await readFile(path.join(dir, SUMS_FILE), 'utf8')) ?? [];
    let bad = 0;
    for (const entry of sums) {
      const actual = names.includes(entry.path) ? await sha256File(path.join(dir, entry.path)).catch(() => undefined) : undefined;
      if (!actual) {
        report.changed.push(`${entry.path} is missing`);
        bad++;
      } else if (actual.sha256 !== entry.sha256) {
        report.changed.push(`${entry.path} was changed (its SHA-256 is not the one in ${SUMS_FILE})`);
        bad++;
      }
    }
    report.checks.push({ check: `${SUMS_FILE}: ${sums.length} files`, ok: bad === 0 });
  } else report.warnings.push(`${SUMS_FILE} is missing beside the encrypted archive`);
  if (!options.identity) {
    report.warnings.push('the package is encrypted: give --identity FILE (an age identity of a recipient) to check its contents');
    report.ok = report.changed.length === 0;
    return report;
  }
  const identities = await readIdentities(options.identity);
  const temp = await mkdtemp(path.join(tmpdir(), 'toezicht-verify-'));
  try {
    const unpacked = path.join(temp, 'package');
    try {
      await decryptArchive(path.join(dir, archive), identities, unpacked);
    } catch (error) {
      report.changed.push(`${archive} cannot be decrypted with this identity or is damaged (${(error as Error).message})`);
      report.ok = false;
      return report;
    }
    const inner = await verifyPlain(unpacked, await readdir(unpacked), options);
    return { ...inner, dir, encrypted: true, contentsChecked: true, checks: [...report.checks, ...inner.checks], changed: [...report.changed, ...inner.changed], warnings: [...report.warnings, ...inner.warnings], ok: report.changed.length === 0 && inner.ok };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
