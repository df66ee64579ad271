// A still from an inventoried camera (for the DPIA's camera annex): fetched from its own address, written 0600, audited.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, ResolvedCamera } from '../config/index.js';
import { RefusalError, ToezichtError } from '../errors.js';
import type { Register } from '../register/index.js';
import { digestAuthorization, pickDigestChallenge, type Credentials } from './auth.js';
import { closeConnections, httpExchange, onAddress, safeUri } from './http.js';
import { emptyReport } from './model.js';
import { findCamera } from './check.js';
import type { CredentialSource } from './credentials.js';
import { readDevice } from './read.js';

const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export interface SnapshotOptions {
  out: string;
  credentials?: Credentials;
  timeoutMs: number;
}

export interface SnapshotResult {
  camera: string;
  file: string;
  bytes: number;
  sha256: string;
  contentType: string | null;
  /** The snapshot URI, without credentials. */
  uri: string;
}

export function deviceServiceUrl(camera: ResolvedCamera): string | undefined {
  const a = camera.device?.address;
  return a ? `http://${a}${camera.device?.port ? `:${camera.device.port}` : ''}/onvif/device_service` : undefined;
}

export async function takeSnapshot(camera: ResolvedCamera, register: Register, options: SnapshotOptions): Promise<SnapshotResult> {
  const xaddr = deviceServiceUrl(camera);
  if (!xaddr) {
    throw new RefusalError('snapshot.no-address', `Camera "${camera.id}" has no device address in the inventory; run \`toezicht cameras discover --save\` first, or add device.address to it.`);
  }
  const deadline = Date.now() + options.timeoutMs;
  const report = emptyReport(camera.device!.address!);
  report.xaddrs = [xaddr];
  const session = await readDevice(report, { deadline, ...(options.credentials ? { credentials: options.credentials } : {}), tryDefaults: false });
  if (report.error && !report.snapshotUri) throw new ToezichtError('snapshot.device', `Camera "${camera.id}" (${report.address}) ${report.error}.`);
  if (!report.snapshotUri) throw new ToezichtError('snapshot.none', `Camera "${camera.id}" (${report.address}) offers no snapshot URI (GetSnapshotUri); take the still another way.`);
  const target = onAddress(report.snapshotUri, report.address);
  if (!target) throw new ToezichtError('snapshot.uri', `Camera "${camera.id}" gave a snapshot URI toezicht cannot fetch (${report.snapshotUri}).`);

  let reply = await httpExchange({ url: target.url, method: 'GET', deadline, maxBytes: MAX_SNAPSHOT_BYTES }).catch((e: Error) => {
    throw new ToezichtError('snapshot.fetch', `Camera "${camera.id}" (${report.address}): the snapshot ${e.message}.`);
  });
  const creds = session.creds ?? options.credentials;
  if (reply.status === 401 && creds) {
    const challenge = pickDigestChallenge(reply.headers['www-authenticate'] ?? []);
    if (!challenge) throw new ToezichtError('snapshot.auth', `Camera "${camera.id}" wants HTTP Basic for its snapshot, which would send the password in clear text; toezicht does not send it.`);
    const authorization = digestAuthorization(creds, challenge, 'GET', `${target.url.pathname}${target.url.search}`, 1);
    reply = await httpExchange({ url: target.url, method: 'GET', headers: { authorization }, deadline, maxBytes: MAX_SNAPSHOT_BYTES });
  }
  if (reply.status !== 200) throw new ToezichtError('snapshot.fetch', `Camera "${camera.id}" answered the snapshot request with HTTP ${reply.status}; check its credentials.`);
  const body = reply.body;
  const isJpeg = body.length > 3 && body[0] === 0xff && body[1] === 0xd8;
  const isPng = body.length > 8 && body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isJpeg && !isPng) throw new ToezichtError('snapshot.not-image', `Camera "${camera.id}" sent something that is not a JPEG or PNG image as its snapshot; nothing was written.`);

  const file = path.resolve(options.out);
  const sha256 = createHash('sha256').update(body).digest('hex');
  // A still shows people: personal data, readable by its owner only, and on the audit chain.
  writeFileSync(file, body, { mode: 0o600 });
  const uri = safeUri(report.snapshotUri)!;
  try {
    await register.appendAudit('cameras.snapshot', { camera: camera.id, address: report.address, file, bytes: body.length, sha256, uri });
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
  return { camera: camera.id, file, bytes: body.length, sha256, contentType: reply.headers['content-type']?.[0] ?? null, uri };
}

/** The snapshot of an inventoried camera by id, with the credentials that apply to it. */
export async function snapshotCamera(
  config: Config,
  register: Register,
  id: string,
  options: { out: string; credentials: CredentialSource; timeoutMs: number },
): Promise<SnapshotResult> {
  const camera = findCamera(config, id);
  const creds = options.credentials.forDevice({ address: camera.device?.address ?? '', serial: camera.device?.serial ?? null, urn: camera.device?.urn ?? null });
  try {
    return await takeSnapshot(camera, register, { out: options.out, timeoutMs: options.timeoutMs, ...(creds ? { credentials: creds } : {}) });
  } finally {
    closeConnections();
  }
}
