// Devices on the network: WS-Discovery, ONVIF reads with device-clock WS-Security or HTTP Digest, findings, and the
// camera inventory in the config. Traffic goes only to the addresses that answered, were swept or were named.
export { discoverDevices, DEFAULT_TIMEOUT_MS, MAX_SWEEP_HOSTS, type DiscoverOptions, type DiscoverReport } from './discover.js';
export { checkInventory, inventoryEntry, listInventory, showCamera, findCamera, type CameraDetails, type CheckOptions, type CheckReport, type CheckedCamera, type InventoryEntry } from './check.js';
export { saveInventory, matchCamera, type SaveResult } from './inventory.js';
export { discoverAndSave, type DiscoverAndSaveResult } from './save.js';
export { takeSnapshot, snapshotCamera, type SnapshotResult } from './snapshot.js';
export { credentialSource, passwordFromEnv, type CredentialSource } from './credentials.js';
export { inventoryFindings, deviceFindings, CLOCK_TOLERANCE_SECONDS } from './findings.js';
export { networkGuard } from './network.js';
export type { Credentials } from './auth.js';
export type { DeviceReport, Finding, MediaProfile, Recording } from './model.js';
export { connectRecorder, listRecordings, recordingSummary, setRecordingRetention, replayUri, findRecording, parseRecorderAddress, recorderFailure, RecorderError, type RecorderSession, type RecorderRecording, type RecorderTarget, type RecorderIdentity, type RetentionChange } from './recorder.js';
export { pullReplay, clockTime, type ReplayRequest, type ReplayResult, type ReplayGap } from './replay.js';
export { recorderCredentials, openRecorder, showRecorder, showInventoryItem, type RecorderDetails } from './recorder-config.js';
