// `cameras check` and `cameras list`: the inventory's own findings, and (unless offline) what its devices say now.
import type { Config, ResolvedCamera } from '../config/index.js';
import { UsageError } from '../errors.js';
import { RETENTION_GUIDELINES } from '../policy/retention.js';
import { credentialSource, type CredentialSource } from './credentials.js';
import { discoverDevices, type DiscoverReport } from './discover.js';
import { inventoryFindings } from './findings.js';
import type { DeviceReport, Finding } from './model.js';

export interface InventoryEntry {
  id: string;
  name: string | null;
  category: string;
  location: string | null;
  purpose: string | null;
  retention: string | null;
  kind: 'camera' | 'recorder' | null;
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  urn: string | null;
  firmware: string | null;
  mac: string | null;
  seen: string | null;
  storage: string | null;
  authorisation: ResolvedCamera['authorisation'] | null;
}

export function inventoryEntry(c: ResolvedCamera): InventoryEntry {
  const d = c.device;
  return {
    id: c.id,
    name: c.name ?? null,
    category: c.category,
    location: c.location ?? null,
    purpose: c.purpose ?? null,
    retention: c.effectiveRetention ?? RETENTION_GUIDELINES[c.category].default ?? null,
    kind: d?.kind ?? null,
    address: d?.address ?? null,
    manufacturer: d?.manufacturer ?? null,
    model: d?.model ?? null,
    serial: d?.serial ?? null,
    urn: d?.urn ?? null,
    firmware: d?.firmware ?? null,
    mac: d?.mac ?? null,
    seen: d?.seen ?? null,
    storage: c.storage ?? null,
    authorisation: c.authorisation ?? null,
  };
}

export interface CheckOptions {
  /** Contact the inventoried devices (by their saved address) and add what they say. */
  contact: boolean;
  /** Also run discovery on this interface / these ranges, to find devices missing from the inventory. */
  discover?: { interface?: string; multicast: boolean; sweeps: string[] };
  /** Needed when devices are contacted. */
  credentials?: CredentialSource;
  tryDefaults: boolean;
  timeoutMs: number;
  ports: number[];
  now: number;
  onProgress?: (message: string) => void;
}

export interface CheckedCamera extends InventoryEntry {
  findings: Finding[];
  /** What the device said now (when contacted). */
  live: DeviceReport | null;
}

export interface CheckReport {
  cameras: CheckedCamera[];
  /** Devices that answered but are in no inventory entry. */
  unknown: DeviceReport[];
  findings: Finding[];
  errors: number;
  warnings: number;
}

export async function checkInventory(config: Config, options: CheckOptions): Promise<CheckReport> {
  const cameras: CheckedCamera[] = config.cameras.map((c) => ({
    ...inventoryEntry(c),
    findings: inventoryFindings(c, { now: options.now, timeZone: config.school.timezone }),
    live: null,
  }));
  let unknown: DeviceReport[] = [];
  const hosts = options.contact
    ? config.cameras.filter((c) => c.device?.address).map((c) => `${c.device!.address}${c.device!.port ? `:${c.device!.port}` : ''}`)
    : [];
  const multicast = options.discover?.multicast ?? false;
  const sweeps = options.discover?.sweeps ?? [];
  if (hosts.length || multicast || sweeps.length) {
    const found: DiscoverReport = await discoverDevices({
      ...(options.discover?.interface ? { interface: options.discover.interface } : {}),
      multicast,
      sweeps,
      hosts: [...new Set(hosts)],
      ports: options.ports,
      timeoutMs: options.timeoutMs,
      force: false,
      credentials: options.credentials ?? credentialSource({}),
      tryDefaults: options.tryDefaults,
      config,
      now: options.now,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    for (const d of found.devices) {
      const cam = d.inventoryId ? cameras.find((c) => c.id === d.inventoryId) : undefined;
      if (cam) {
        cam.live = d;
        cam.findings.push(...d.findings);
        if (d.error) cam.findings.push({ rule: 'device.error', severity: 'error', message: `"${cam.id}" (${d.address}) ${d.error}` });
      } else {
        // Something else answers at an inventoried address (replaced, or re-addressed): say so.
        const at = cameras.find((c) => c.address === d.address);
        if (at) {
          const what = d.error ? d.error : `answers as ${[d.manufacturer, d.model, d.serial && `serial ${d.serial}`].filter(Boolean).join(' ') || 'another device'}`;
          at.findings.push({ rule: 'device.changed', severity: 'error', message: `"${at.id}" (${d.address}): the device there ${what}, not the one in the inventory; check it and run \`cameras discover --save\`` });
        } else unknown.push(d);
      }
    }
    unknown = unknown.filter((d) => !d.error || d.foundBy.some((f) => f !== 'host'));
  }
  const findings = [...cameras.flatMap((c) => c.findings), ...unknown.flatMap((d) => d.findings)];
  return {
    cameras,
    unknown,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

export function listInventory(config: Config): InventoryEntry[] {
  return config.cameras.map(inventoryEntry);
}

export function findCamera(config: Config, id: string): ResolvedCamera {
  const camera = config.cameras.find((c) => c.id === id);
  if (!camera) {
    throw new UsageError('cameras.unknown', `No camera "${id}" in the inventory; expected one of: ${config.cameras.map((c) => c.id).join(', ') || '(the inventory is empty)'}.`);
  }
  return camera;
}

export interface CameraDetails {
  camera: InventoryEntry;
  findings: Finding[];
}

export function showCamera(config: Config, id: string, now: number): CameraDetails {
  const camera = findCamera(config, id);
  return { camera: inventoryEntry(camera), findings: inventoryFindings(camera, { now, timeZone: config.school.timezone }) };
}
