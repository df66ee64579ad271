// Device credentials: from an environment variable, a 0600 file, or a prompt — never from the config, never shown.
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import type { Credentials } from './auth.js';
import { inRange, parseCidr } from './network.js';
import { endpointKey } from './wsdiscovery.js';

interface FileEntry {
  match?: string;
  user: string;
  password: string;
}

/** Who to log in as, per device: the flags' credentials for all, else the file's match, else the file's default. */
export interface CredentialSource {
  forDevice(device: { address: string; serial?: string | null; urn?: string | null }): Credentials | undefined;
  /** Every password known, so output can be checked for leaks. */
  readonly secrets: string[];
}

export function passwordFromEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') {
    throw new UsageError('devices.password-env', `--password-env ${variable}: that environment variable is not set (or empty); export it first, or use a credentials file.`);
  }
  return value;
}

/** Reads a credentials file; refuses one that others can read. */
export function readCredentialsFile(file: string): FileEntry[] {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new UsageError('devices.credentials', `The credentials file ${file} does not exist; create it with mode 0600 (see docs/cameras.md).`);
  }
  if ((mode & 0o077) !== 0) {
    throw new UsageError('devices.credentials', `The credentials file ${file} can be read by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run \`chmod 600 ${file}\` first.`);
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    // The YAML error could quote a line with a password in it: say where, not what.
    throw new UsageError('devices.credentials', `The credentials file ${file} is not valid YAML; fix it (see docs/cameras.md for the format).`);
  }
  const entries: FileEntry[] = [];
  const bad = (): never => {
    throw new UsageError('devices.credentials', `The credentials file ${file} should hold "default: {user, password}" and/or "devices: [{match, user, password}]"; see docs/cameras.md.`);
  };
  if (typeof doc !== 'object' || doc === null) bad();
  const d = doc as { default?: unknown; devices?: unknown };
  const entry = (v: unknown, needsMatch: boolean): FileEntry => {
    const e = v as Partial<FileEntry> | null;
    if (!e || typeof e.user !== 'string' || typeof e.password !== 'string' || (needsMatch && typeof e.match !== 'string')) bad();
    return { user: e!.user!, password: e!.password!, ...(needsMatch ? { match: String(e!.match) } : {}) };
  };
  if (Array.isArray(d.devices)) for (const v of d.devices) entries.push(entry(v, true));
  else if (d.devices !== undefined) bad();
  if (d.default !== undefined) entries.push(entry(d.default, false));
  return entries;
}

function matches(rule: string, device: { address: string; serial?: string | null; urn?: string | null }): boolean {
  if (device.serial && rule === device.serial) return true;
  if (device.urn && /uuid:|^[0-9a-f-]{36}$/i.test(rule) && endpointKey(rule) === endpointKey(device.urn)) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(rule)) return inRange(device.address, [parseCidr(rule, 'credentials match')]);
  return false;
}

export interface CredentialOptions {
  user?: string;
  password?: string;
  origin?: Credentials['origin'];
  file?: string;
}

export function credentialSource(options: CredentialOptions): CredentialSource {
  const entries = options.file ? readCredentialsFile(options.file) : [];
  const flag: Credentials | undefined =
    options.user !== undefined && options.password !== undefined ? { user: options.user, password: options.password, origin: options.origin ?? 'env' } : undefined;
  const secrets = [...(flag ? [flag.password] : []), ...entries.map((e) => e.password)].filter((p) => p.length > 0);
  return {
    secrets,
    forDevice(device) {
      if (flag) return flag;
      const hit = entries.find((e) => e.match !== undefined && matches(e.match, device)) ?? entries.find((e) => e.match === undefined);
      return hit ? { user: hit.user, password: hit.password, origin: 'file' } : undefined;
    },
  };
}
