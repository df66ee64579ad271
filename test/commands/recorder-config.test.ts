// Recorder storages in the config (type: recorder): the documented example validates; each mistake is a problem
// at its key, with exit 2; the password itself never belongs in the file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { tempDir } from '../helpers/school.js';

const GOOD = `school: { name: "OSG De Linde", timezone: Europe/Amsterdam }
storage:
  - { id: nvr1, type: recorder, address: "10.0.0.5", user: admin, passwordEnv: NVR_PASSWORD, preserveTo: keep }
  - { id: keep, type: fs, root: ./preserved, layout: frigate }
cameras:
  - { id: aula, name: Aula, location: Aula, category: surveillance, storage: nvr1, recording: "RecordingToken001" }
  - { id: gang, category: surveillance, storage: nvr1, recording: "RecordingToken002" }
`;

const { dir, cleanup } = tempDir('toezicht-recorder-config-');
afterAll(cleanup);

async function validate(text: string): Promise<{ exitCode: number; json: any; stderr: string }> {
  writeFileSync(path.join(dir, 'toezicht.config.yaml'), text);
  return toezicht(['config', 'validate', '--json'], { cwd: dir });
}

describe('a recorder storage in the config', () => {
  it('accepts the example of the issue (address, user + passwordEnv, preserveTo, cameras with recording)', async () => {
    const r = await validate(GOOD);
    expect(r.json).toMatchObject({ valid: true, problems: [] });
    expect(r.exitCode).toBe(0);
  });

  it('accepts a recorder whose credentials come from the credentials file, on a port', async () => {
    const r = await validate(`${GOOD.replace('address: "10.0.0.5", user: admin, passwordEnv: NVR_PASSWORD', 'address: "10.0.0.5:8080"')}discovery: { credentials: ./devices.yaml }\n`);
    expect(r.json).toMatchObject({ valid: true });
  });

  it('accepts a camera on a recorder that names no recording yet (discover --save fills it in)', async () => {
    const r = await validate(GOOD.replace(', recording: "RecordingToken002"', ''));
    expect(r.json).toMatchObject({ valid: true });
  });

  const cases: [string, string, [unknown[], RegExp][]][] = [
    ['a recorder without credentials', GOOD.replace(', user: admin, passwordEnv: NVR_PASSWORD', ''), [[['storage', 0], /recorder "nvr1" has no credentials; add user and passwordEnv, or a credentials file/]]],
    ['a user without passwordEnv', GOOD.replace(', passwordEnv: NVR_PASSWORD', ''), [[['storage', 0, 'passwordEnv'], /has a user but no passwordEnv/]]],
    ['a password in the file', GOOD.replace('passwordEnv: NVR_PASSWORD', 'password: Geheim123'), [[['storage', 0, 'password'], /unknown key "password"/]]],
    ['preserveTo naming an unknown storage', GOOD.replace('preserveTo: keep', 'preserveTo: kluis'), [[['storage', 0, 'preserveTo'], /unknown storage "kluis"/]]],
    [
      'preserveTo naming a recorder',
      GOOD.replace('preserveTo: keep', 'preserveTo: nvr2').replace('  - { id: keep', '  - { id: nvr2, type: recorder, address: "10.0.0.6", user: admin, passwordEnv: NVR_PASSWORD }\n  - { id: keep'),
      [[['storage', 0, 'preserveTo'], /storage "nvr2" is a recorder; preserveTo names a file-tree \(fs\) or bucket \(s3\) storage/]],
    ],
    ['two cameras with one recording', GOOD.replace('RecordingToken002', 'RecordingToken001'), [[['cameras', 1, 'recording'], /same recording of "nvr1" as camera "aula"/]]],
    ['recording on a file-tree camera', GOOD.replace('storage: nvr1, recording: "RecordingToken002"', 'storage: keep, recording: "RecordingToken002"'), [[['cameras', 1, 'recording'], /recording applies to cameras on a recorder storage/]]],
    ['an address that is a URL', GOOD.replace('address: "10.0.0.5"', 'address: "http://10.0.0.5/onvif"'), [[['storage', 0, 'address'], /expected HOST or HOST:PORT/]]],
    ['a camera on an unknown recorder', GOOD.replace('storage: nvr1, recording: "RecordingToken002"', 'storage: nvr9, recording: "RecordingToken002"'), [[['cameras', 1, 'storage'], /unknown storage "nvr9"/]]],
  ];
  for (const [name, text, expected] of cases) {
    it(`rejects ${name} (exit 2, at its key)`, async () => {
      const r = await validate(text);
      expect(r.exitCode).toBe(2);
      for (const [at, message] of expected) expect(r.json.problems).toContainEqual(expect.objectContaining({ path: at, message: expect.stringMatching(message) }));
      expect(JSON.stringify(r.json)).not.toContain('Geheim123');
    });
  }
});
