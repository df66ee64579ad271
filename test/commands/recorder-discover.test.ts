// A recorder found by `cameras discover`: its recordings are shown with their tokens and sources; `--save` fills in
// `recording` on the cameras of its storage that match one source; `cameras show <recorder storage>` lists the
// recordings and which camera names each. On 127.0.18.30, unicast only.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toezicht } from '../helpers/cli.js';
import { makeSchool, type SchoolFixture } from '../helpers/school.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../sim/onvif-sim.mjs';

const PASSWORD = 'Ontdek-Recorder-30';
const env = { NVR_PASSWORD: PASSWORD };
const DAY = 86_400_000;
let sim: { stop(): Promise<void> };
let school: SchoolFixture;

const CONFIG = `school: { name: "OSG De Linde" }
storage:
  - { id: nvr1, type: recorder, address: "127.0.18.30:18082", user: beheer, passwordEnv: NVR_PASSWORD }
cameras:
  # De aula, boven het podium
  - { id: aula, name: Aula, category: surveillance, storage: nvr1 }
  - { id: fietsen, name: Fietsenstalling, category: surveillance, storage: nvr1 }
`;

beforeAll(async () => {
  const now = Date.now();
  sim = await startSimulator({
    multicast: false,
    devices: [
      {
        address: '127.0.18.30',
        port: 18082,
        style: 'nvr',
        kind: 'recorder',
        users: [{ user: 'beheer', password: PASSWORD }],
        recordings: [
          { token: 'REC-1', sourceName: 'Aula', sourceId: 'urn:uuid:cam-aula', from: now - 10 * DAY, until: now - 60_000 },
          { token: 'REC-2', sourceName: 'Entree', sourceId: 'urn:uuid:cam-entree', from: now - 12 * DAY, until: now - 60_000 },
        ],
      },
    ],
  });
  school = await makeSchool({ school: { name: 'x' } });
  writeFileSync(school.configFile, CONFIG);
});

afterAll(async () => {
  await sim?.stop();
  school?.cleanup();
});

describe('a recorder in discovery', () => {
  it('shows its recordings with their tokens and sources, and --save fills in the recording a camera matches', async () => {
    const r = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', '--host', '127.0.18.30:18082', '--user', 'beheer', '--password-env', 'NVR_PASSWORD', '--save'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/recording REC-1 {2}source Aula \(urn:uuid:cam-aula\)/);
    expect(r.stdout).toMatch(/recording REC-2 {2}source Entree \(urn:uuid:cam-entree\)/);
    expect(r.stdout).toMatch(/~ aula: recording REC-1/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    const text = readFileSync(school.configFile, 'utf8');
    expect(text).toContain('# De aula, boven het podium'); // a person's comment survives
    const cameras = parse(text).cameras as { id: string; recording?: string }[];
    expect(cameras.find((c) => c.id === 'aula')!.recording).toBe('REC-1');
    expect(cameras.find((c) => c.id === 'fietsen')!.recording).toBeUndefined(); // no source matches: left for a person
    expect(text).not.toContain(PASSWORD);
    const json = await toezicht(['cameras', 'discover', '--config', school.configFile, '--no-multicast', '--host', '127.0.18.30:18082', '--user', 'beheer', '--password-env', 'NVR_PASSWORD', '--json'], { env });
    const nvr = json.json.devices.find((d: { address: string }) => d.address === '127.0.18.30');
    expect(nvr.recordings.map((x: { token: string; source: string }) => [x.token, x.source])).toEqual([['REC-1', 'Aula'], ['REC-2', 'Entree']]);
  });

  it('cameras show <recorder storage> lists its recordings, their sources and which camera names each', async () => {
    const r = await toezicht(['cameras', 'show', 'nvr1', '--config', school.configFile, '--json'], { env });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ storage: 'nvr1', address: '127.0.18.30:18082', replay: false, recordingControl: true, unmatched: [{ camera: 'fietsen' }] });
    expect(r.json.recordings.map((x: { token: string; source: string; camera: string | null }) => [x.token, x.source, x.camera])).toEqual([['REC-1', 'Aula', 'aula'], ['REC-2', 'Entree', null]]);
    const human = await toezicht(['cameras', 'show', 'nvr1', '--config', school.configFile], { env });
    expect(human.stdout).toMatch(/REC-2 +Entree +urn:uuid:cam-entree/);
    expect(human.stdout).toMatch(/replay: no/);
    expect(human.stdout).toMatch(/camera fietsen names no recording yet/);
    expect(human.stdout + human.stderr).not.toContain(PASSWORD);
  });

  it('footage status names the camera that has no recording yet', async () => {
    const r = await toezicht(['footage', 'status', '--config', school.configFile, '--json'], { env });
    expect(r.json.findings).toContainEqual(expect.objectContaining({ rule: 'recorder.no-recording', camera: 'fietsen', message: expect.stringMatching(/fietsen: names no recording of recorder nvr1; set cameras\[\]\.recording/) }));
  });
});
