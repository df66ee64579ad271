// The camera inventory lives in the config's `cameras`: people write name, location, category and purpose; discovery
// writes only each entry's `device` facts, editing the file in place so comments and layout survive.
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSeq, parseDocument, type Document, YAMLMap, YAMLSeq } from 'yaml';
import { formatKeyPath, ID_PATTERN } from '../config/index.js';
import { validateConfig } from '../config/contract.js';
import { ToezichtError, UsageError } from '../errors.js';
import type { DeviceReport } from './model.js';
import { fillRecordings } from './recordings-save.js';
import { endpointKey } from './wsdiscovery.js';

export interface DeviceFacts {
  urn?: string;
  serial?: string;
  address?: string;
  port?: number;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  hardwareId?: string;
  mac?: string;
  kind?: 'camera' | 'recorder';
  seen?: string;
}

interface HasDevice {
  id: string;
  device?: DeviceFacts | undefined;
}

/** The inventory entry for a device: by serial, then endpoint (urn), then address for entries that have neither. */
export function matchCamera<T extends HasDevice>(cameras: T[], d: { serial: string | null; urn: string | null; address: string; manufacturer?: string | null }): T | undefined {
  if (d.serial) {
    const hit = cameras.find(
      (c) => c.device?.serial === d.serial && (!c.device.manufacturer || !d.manufacturer || c.device.manufacturer.toLowerCase() === d.manufacturer.toLowerCase()),
    );
    if (hit) return hit;
  }
  if (d.urn) {
    const key = endpointKey(d.urn);
    const hit = cameras.find((c) => c.device?.urn && endpointKey(c.device.urn) === key);
    if (hit) return hit;
  }
  return cameras.find((c) => c.device?.address === d.address && !c.device.serial && !c.device.urn);
}

/** The facts of a report worth keeping: only what was read, never a null over a known value. */
export function factsOf(d: DeviceReport, now: number): DeviceFacts {
  const facts: DeviceFacts = {};
  if (d.urn) facts.urn = d.urn;
  if (d.serial) facts.serial = d.serial;
  facts.address = d.address;
  const own = d.xaddrs.map((x) => {
    try {
      return new URL(x);
    } catch {
      return undefined;
    }
  }).find((u) => u && u.hostname === d.address);
  if (own?.port && own.port !== '80') facts.port = Number(own.port);
  if (d.manufacturer) facts.manufacturer = d.manufacturer;
  if (d.model) facts.model = d.model;
  if (d.firmware) facts.firmware = d.firmware;
  if (d.hardwareId) facts.hardwareId = d.hardwareId;
  if (d.mac) facts.mac = d.mac;
  if (d.kind) facts.kind = d.kind;
  facts.seen = new Date(now).toISOString().slice(0, 10);
  return facts;
}

export interface SaveResult {
  file: string;
  added: { id: string; address: string }[];
  updated: { id: string; changed: string[] }[];
  unchanged: number;
  /** Devices not saved: nothing identifies them (no serial, no urn). */
  skipped: string[];
  /** Cameras on a recorder that got their `recording` token (recordings-save.ts). */
  recordings?: { id: string; recording: string }[];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24);
}

function newId(d: DeviceReport, taken: Set<string>): string {
  const base = `${d.kind === 'recorder' ? 'nvr' : 'cam'}-${slug(d.model ?? d.manufacturer ?? '') || 'device'}`;
  const tail = slug((d.serial ?? d.urn ?? d.address).slice(-4)) || String(taken.size + 1);
  let id = `${base}-${tail}`;
  for (let n = 2; taken.has(id) || !ID_PATTERN.test(id); n++) id = `${base}-${tail}-${n}`;
  taken.add(id);
  return id;
}

/** Merges the devices into the config file's inventory. Writes nothing when the result would not validate. */
export function saveInventory(file: string, devices: DeviceReport[], now: number): SaveResult {
  const text = readFileSync(file, 'utf8');
  if (!/\.ya?ml$/i.test(file) && !/^[^{[]/.test(text.trimStart())) {
    throw new UsageError('inventory.format', `--save edits YAML configs only, and ${file} is not one; add the devices by hand, or move the config to toezicht.config.yaml.`);
  }
  const doc = parseDocument(text, { keepSourceTokens: true }) as Document.Parsed;
  let seq = doc.get('cameras', true);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set('cameras', seq);
  }
  const list = seq as YAMLSeq;
  const current = (list.toJSON() as unknown[]).map((c) => (typeof c === 'object' && c ? (c as HasDevice) : { id: '' }));
  const taken = new Set(current.map((c) => c.id));
  const result: SaveResult = { file, added: [], updated: [], unchanged: 0, skipped: [] };
  const date = new Date(now).toISOString().slice(0, 10);

  for (const d of devices) {
    if (!d.serial && !d.urn) {
      result.skipped.push(d.address);
      continue;
    }
    const facts = factsOf(d, now);
    const hit = matchCamera(current, d);
    if (hit) {
      const index = current.indexOf(hit);
      const changed: string[] = [];
      for (const [key, value] of Object.entries(facts)) {
        if (key === 'seen') continue;
        if ((hit.device as Record<string, unknown> | undefined)?.[key] !== value) {
          doc.setIn(['cameras', index, 'device', key], value);
          changed.push(key);
        }
      }
      if (changed.length || hit.device?.seen !== facts.seen) doc.setIn(['cameras', index, 'device', 'seen'], facts.seen);
      if (changed.length) result.updated.push({ id: hit.id, changed });
      else result.unchanged++;
      current[index] = { ...hit, device: { ...hit.device, ...facts } };
      continue;
    }
    const id = newId(d, taken);
    const what = [d.manufacturer, d.model].filter(Boolean).join(' ') || (d.kind ?? 'device');
    const node = doc.createNode({ id, name: `Needs a purpose: ${what} at ${d.address}`, category: 'unassigned', device: facts }) as YAMLMap;
    node.commentBefore = ` Found by \`toezicht cameras discover\` on ${date}: give it a name, location, purpose and category.`;
    list.add(node);
    current.push({ id, device: facts });
    result.added.push({ id, address: d.address });
  }

  const recordings = fillRecordings(doc, devices);
  if (recordings.length) result.recordings = recordings;
  // No folding: an entry written on one line by a person stays on one line.
  const out = doc.toString({ lineWidth: 0 });
  if (!result.added.length && !result.updated.length && !recordings.length && out === text) return result;
  const check = validateConfig(parseDocument(out).toJS(), path.dirname(file));
  if (check.problems.length) {
    throw new ToezichtError(
      'inventory.invalid',
      `The inventory was not saved: the merged config would not validate; fix ${path.basename(file)} first (\`toezicht config validate\`).`,
      { details: check.problems.map((p) => `${formatKeyPath(p.path)}: ${p.message}`) },
    );
  }
  // Atomically, keeping the file's mode: a crash leaves the old config, never half a new one.
  const mode = statSync(file).mode & 0o777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, out, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
  return result;
}

