// A board's schools (`schools:`) as the commands that act on footage use them: `--school` checked against the
// config, the cameras of a school, and the school of a camera.
import { UsageError } from '../errors.js';
import type { Config } from './validate.js';

/** Where cameras and storages defined at the board's level (not under a school) are grouped in reports. */
export const BOARD_GROUP = '(board)';

/**
 * The school ids given with `--school`, checked against the config: none in a config without `schools:`, and
 * every one known. Returns them without repeats.
 */
export function requireSchools(config: Config, ids: readonly string[]): string[] {
  const wanted = [...new Set(ids)];
  if (!config.schools.length) {
    throw new UsageError('school.none', `--school ${wanted.join(', ')} needs a board's config with schools:, and this config has none; leave --school out (every camera here is the school's own).`);
  }
  const known = config.schools.map((s) => s.id);
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new UsageError('school.unknown', `There is no school ${unknown.map((u) => `"${u}"`).join(', ')} in the config; known: ${known.join(', ')}.`);
  }
  return wanted;
}

/** The ids of the cameras of these schools, in config order. */
export function camerasOfSchools(config: Config, schools: readonly string[]): string[] {
  return config.cameras.filter((c) => c.school !== undefined && schools.includes(c.school)).map((c) => c.id);
}

/** The school of a camera; the board's group for a camera of the board itself or one no longer in the config. */
export function schoolOfCamera(config: Config, camera: string): string {
  return config.cameras.find((c) => c.id === camera)?.school ?? BOARD_GROUP;
}

/** The schools whose cameras these are (board config only; empty for a one-school config), sorted. */
export function schoolsOfCameras(config: Config, cameras: readonly string[]): string[] {
  if (!config.schools.length) return [];
  return [...new Set(cameras.map((c) => schoolOfCamera(config, c)))].sort();
}

/**
 * `--school` with `--camera`: every camera must belong to one of the named schools. Nothing to check without
 * `--school`. The cameras are known (checked before).
 */
export function requireCamerasInSchools(config: Config, cameras: readonly string[], schools: readonly string[] | undefined): void {
  if (!schools?.length) return;
  const wanted = requireSchools(config, schools);
  for (const id of cameras) {
    const school = schoolOfCamera(config, id);
    if (!wanted.includes(school)) {
      const of = `${wanted.length > 1 ? 'schools' : 'school'} ${wanted.map((w) => `"${w}"`).join(', ')}`;
      throw new UsageError(
        'school.camera',
        school === BOARD_GROUP
          ? `Camera "${id}" is the board's own, not a camera of ${of}; leave it out, or leave out --school to name it.`
          : `Camera "${id}" belongs to school "${school}", not to ${of}; leave it out, or add --school ${school}.`,
      );
    }
  }
}

/** A school's display name (the board's name for the board's own group). */
export function schoolName(config: Config, id: string): string {
  return config.schools.find((s) => s.id === id)?.name ?? config.school.name;
}

/**
 * The ids of items (holds, exports) per school, for a report grouped by school: schools in config order, then the
 * board's group; an item on cameras of two schools is under both; with `only`, just those schools.
 */
export function idsBySchool(config: Config, items: readonly { id: string; schools: readonly string[] }[], only?: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const school of [...config.schools.map((s) => s.id), BOARD_GROUP]) {
    if (only && !only.includes(school)) continue;
    const ids = items.filter((i) => i.schools.includes(school)).map((i) => i.id);
    if (ids.length) out[school] = ids;
  }
  return out;
}
