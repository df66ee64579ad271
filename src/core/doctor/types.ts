// One line of `toezicht doctor`: what was checked, how it stands, and the facts its message (messages/*/doctor.md) names.
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** What is checked: config, register, key, storage, ffmpeg, clock, schedule, holds, exports. */
  area: string;
  status: CheckStatus;
  /** The message's key in messages/<lang>/doctor.md; its `<key>.fix` says what to do. */
  key: string;
  /** The facts the message fills in (paths, counts, versions). */
  params: Record<string, string | number>;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** No check failed (warnings allowed). */
  ok: boolean;
}

/**
 * Whether a storage root carries its marker (the file that says "this is storage X of school Y", so an empty mount
 * point is told from the share). Plugged in by the storage area when it has markers; without one doctor says so.
 */
export type MarkerCheck = (storage: { id: string; root: string }) => Promise<{ marked: boolean; detail?: string }>;

export const check = (area: string, status: CheckStatus, key: string, params: Record<string, string | number> = {}): DoctorCheck => ({ area, status, key, params });
