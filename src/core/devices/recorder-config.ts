// A recorder storage of the config, logged in to: its credentials (user + passwordEnv, or the credentials file of
// discovery.credentials; never a password in the config), and what `cameras show <recorder>` tells about it.
import type { Config, RecorderStorage } from '../config/index.js';
import { UsageError } from '../errors.js';
import type { Credentials } from './auth.js';
import { showCamera, type CameraDetails } from './check.js';
import { credentialSource } from './credentials.js';
import { closeConnections, connectRecorder, listRecordings, type RecorderIdentity, type RecorderRecording, type RecorderSession } from './recorder.js';

/** Who to log in as on a recorder: user + passwordEnv, else the credentials file of discovery.credentials. */
export function recorderCredentials(config: Config, storage: RecorderStorage): Credentials {
  if (storage.user !== undefined && storage.passwordEnv !== undefined) {
    const password = process.env[storage.passwordEnv];
    if (!password) throw new UsageError('recorder.password-env', `Recorder storage ${storage.id}: the environment variable ${storage.passwordEnv} (its passwordEnv) is not set or empty; export it before running toezicht.`);
    return { user: storage.user, password, origin: 'env' };
  }
  if (config.discovery.credentials) {
    const host = storage.address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const found = credentialSource({ file: config.discovery.credentials }).forDevice({ address: host });
    if (found) return found;
  }
  throw new UsageError('recorder.credentials', `Recorder storage ${storage.id} has no credentials: set user and passwordEnv, or add it to the credentials file (discovery.credentials).`);
}

export async function openRecorder(config: Config, storage: RecorderStorage): Promise<{ session: RecorderSession; credentials: Credentials }> {
  const credentials = recorderCredentials(config, storage);
  return { session: await connectRecorder({ address: storage.address, credentials }), credentials };
}


export interface RecorderDetails {
  storage: string;
  address: string;
  identity: RecorderIdentity;
  replay: boolean;
  recordingControl: boolean;
  /** Each recording, with the camera of the config that names it (null: none does yet). */
  recordings: (RecorderRecording & { camera: string | null })[];
  /** Cameras on this recorder whose recording it does not have. */
  unmatched: { camera: string; recording: string | undefined }[];
}

/** `cameras show <recorder storage>`: the recorder's recordings and sources, so a person can map them to cameras. */
export async function showRecorder(config: Config, id: string): Promise<RecorderDetails> {
  const storage = config.storage.find((s): s is RecorderStorage => s.id === id && s.type === 'recorder');
  if (!storage) throw new UsageError('cameras.unknown', `No recorder storage "${id}" in the config.`);
  const { session } = await openRecorder(config, storage);
  try {
    const recordings = await listRecordings(session);
    const cameras = config.cameras.filter((c) => c.storage === storage.id);
    return {
      storage: storage.id,
      address: storage.address,
      identity: session.identity,
      replay: Boolean(session.replay),
      recordingControl: Boolean(session.recording),
      recordings: recordings.map((r) => ({ ...r, camera: cameras.find((c) => c.recording === r.token)?.id ?? null })),
      unmatched: cameras.filter((c) => !recordings.some((r) => r.token === c.recording)).map((c) => ({ camera: c.id, recording: c.recording })),
    };
  } finally {
    closeConnections();
  }
}

/** `cameras show ID`: a camera of the inventory, or a recorder storage with its recordings. */
export async function showInventoryItem(config: Config, id: string, now: number): Promise<CameraDetails | RecorderDetails> {
  if (config.storage.some((s) => s.id === id && s.type === 'recorder') && !config.cameras.some((c) => c.id === id)) return showRecorder(config, id);
  return showCamera(config, id, now);
}
