// A school in a temp folder: config, register and footage trees, built the way a recorder would write them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/core/config/index.js';
import { openRegister, type Register } from '../../src/core/register/index.js';
import { createRegister } from '../../src/core/setup/index.js';

export function tempDir(prefix = 'toezicht-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SchoolFixture {
  dir: string;
  configFile: string;
  config: Config;
  register: () => Register;
  cleanup: () => void;
}

/** Writes `settings` (a config object) to toezicht.config.yaml in a new temp dir and creates the register. */
export async function makeSchool(settings: Record<string, unknown>, options: { register?: boolean } = {}): Promise<SchoolFixture> {
  const { dir, cleanup } = tempDir();
  const configFile = path.join(dir, 'toezicht.config.yaml');
  writeFileSync(configFile, stringify(settings));
  const { config } = await loadConfig({ file: configFile });
  if (options.register !== false) await createRegister(config);
  const opened: Register[] = [];
  return {
    dir,
    configFile,
    config,
    register: () => {
      const r = openRegister(config.register).register;
      opened.push(r);
      return r;
    },
    cleanup: () => {
      for (const r of opened) {
        try {
          r.close();
        } catch {
          // already closed
        }
      }
      cleanup();
    },
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Path of a Frigate segment that starts at `utcMs`: YYYY-MM-DD/HH/<camera>/MM.SS.mp4 in UTC. */
export function frigatePath(camera: string, utcMs: number): string {
  const d = new Date(utcMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/${pad(d.getUTCHours())}/${camera}/${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}.mp4`;
}

/** Amsterdam wall-clock fields of an instant, by Intl (independent of the code under test). */
export function amsterdam(utcMs: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)!.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** Path of a Synology Surveillance Station recording starting at `utcMs`. */
export function synologyPath(camera: string, utcMs: number, withUnix = true): string {
  const a = amsterdam(utcMs);
  const date = `${a.y}${pad(a.mo)}${pad(a.d)}`;
  const time = `${pad(a.h)}${pad(a.mi)}${pad(a.s)}`;
  return `${camera}/${date}${a.h < 12 ? 'AM' : 'PM'}/${camera}-${date}-${time}${withUnix ? `-${Math.floor(utcMs / 1000)}` : ''}.mp4`;
}

/** Writes small files at the given relative paths. */
export function writeFiles(root: string, relPaths: string[], content = 'segment'): void {
  for (const rel of relPaths) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Segment start times every `stepMs` from `fromMs` (inclusive) to `toMs` (exclusive). */
export function every(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) out.push(t);
  return out;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Every file (and symlink) under `root`, relative with "/", sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (!rel && e.name === '.toezicht') continue; // toezicht's own records (register marker, hold records), not footage
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}
