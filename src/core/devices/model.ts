// What toezicht knows about a device on the network: only facts it read for sure, null for the rest.

export interface MediaProfile {
  token: string;
  name: string | null;
  encoding: string | null;
  /** The encoder's resolution (what is streamed), not the sensor's bounds. */
  width: number | null;
  height: number | null;
  fps: number | null;
  /** RTSP URI without credentials. */
  rtsp: string | null;
}

export interface Recording {
  token: string;
  /** The source's name as the recorder knows it (else its SourceId). */
  source: string | null;
  sourceId: string | null;
  sourceAddress: string | null;
  /** Oldest and newest data, ISO 8601 UTC. A summary: gaps in between are not shown. */
  from: string | null;
  until: string | null;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  source?: string;
}

export type FoundBy = 'multicast' | 'unicast' | 'http' | 'host' | 'inventory';

export interface DeviceReport {
  urn: string | null;
  address: string;
  xaddrs: string[];
  scopes: string[];
  foundBy: FoundBy[];
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  hardwareId: string | null;
  mac: string | null;
  kind: 'camera' | 'recorder' | null;
  profiles: MediaProfile[];
  snapshotUri: string | null;
  /** Device clock minus this machine's, in seconds. */
  clockOffsetSeconds: number | null;
  recordings: Recording[];
  /** How the details were read: without credentials (open), with the given ones, with a factory default. */
  access: 'open' | 'credentials' | 'default-password' | 'refused' | null;
  /** Only plain HTTP service addresses were offered. */
  plainHttpOnly: boolean | null;
  /** XAddrs (advertised or in GetServices) that point somewhere other than the address that answered. */
  elsewhere: string[];
  /** The inventory entry this device is, when it is in the config. */
  inventoryId: string | null;
  findings: Finding[];
  error: string | null;
}

export function emptyReport(address: string): DeviceReport {
  return {
    urn: null,
    address,
    xaddrs: [],
    scopes: [],
    foundBy: [],
    manufacturer: null,
    model: null,
    firmware: null,
    serial: null,
    hardwareId: null,
    mac: null,
    kind: null,
    profiles: [],
    snapshotUri: null,
    clockOffsetSeconds: null,
    recordings: [],
    access: null,
    plainHttpOnly: null,
    elsewhere: [],
    inventoryId: null,
    findings: [],
    error: null,
  };
}
