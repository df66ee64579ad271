// A school ready to export: a Frigate and a Synology storage, three cameras, this OS user in access.export,
// exports.root and the school's signing key.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createSigningKey } from '../../src/core/evidence/index.js';
import { makeSchool, type SchoolFixture } from './school.js';

export const ME = userInfo().username;

export async function exportSchool(settings: Record<string, unknown> = {}): Promise<SchoolFixture> {
  const school = await makeSchool({
    school: { name: 'OSG De Linde', board: 'Stichting OVO' },
    storage: [
      { id: 'nas1', type: 'fs', root: './recordings', layout: 'frigate' },
      { id: 'syno', type: 'fs', root: './surveillance', layout: 'synology', segmentSeconds: 20 },
    ],
    cameras: [
      { id: 'entree', name: 'Hoofdingang', location: 'Hoofdingang, binnen', category: 'surveillance', storage: 'nas1' },
      { id: 'aula', name: 'Aula', category: 'surveillance', storage: 'nas1' },
      { id: 'gang', name: 'Gang', category: 'surveillance', storage: 'syno', path: 'Gang' },
    ],
    access: { export: [ME] },
    exports: { root: './exports' },
    ...settings,
  });
  mkdirSync(path.join(school.dir, 'recordings'));
  mkdirSync(path.join(school.dir, 'surveillance'));
  await createSigningKey(school.config.keys.dir);
  return school;
}
