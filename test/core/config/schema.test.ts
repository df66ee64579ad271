import { describe, expect, it } from 'vitest';
import { configJsonSchema, validateConfig } from '../../../src/core/config/contract.js';

describe('the config contract', () => {
  it('pins the JSON Schema: a change to it must be a deliberate one', () => {
    expect(configJsonSchema()).toMatchSnapshot();
  });

  it('fills in defaults from the brief and resolves paths against the config folder', () => {
    const { config, problems } = validateConfig(
      {
        school: { name: 'X' },
        storage: [{ id: 'nas1', type: 'fs', root: 'footage', layout: 'frigate' }],
        cameras: [{ id: 'entree', category: 'surveillance', storage: 'nas1' }, { id: 'coach', category: 'coaching' }],
      },
      '/etc/toezicht',
    );
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      school: { name: 'X', timezone: 'Europe/Amsterdam' },
      register: '/etc/toezicht/.toezicht/register.db',
      storage: [{ root: '/etc/toezicht/footage' }],
      cameras: [{ id: 'entree', path: 'entree', effectiveRetention: 'P28D' }, { id: 'coach', effectiveRetention: undefined }],
      retention: { surveillance: 'P28D', 'online-lesson': 'P10M', livestream: 'P14D', media: 'school-year', covert: 'authorisation', unassigned: 'P28D' },
    });
  });

  it('reports problems of the schema and between keys in one go', () => {
    const { problems } = validateConfig(
      {
        school: { name: 'X', timezone: 'Mars/Olympus' },
        storage: [{ id: 'nas1', type: 'fs', root: 'f', layout: 'pattern', pattern: '{camera}/{YYYY}{MM}.mp4' }],
        cameras: [{ id: 'a', category: 'surveillance', storage: 'nas9' }, { id: 'a', category: 'surveillance', storage: 'nas1', colour: 'red' }],
      },
      '/',
    );
    const text = problems.map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^school\.timezone: expected an IANA time zone/),
        expect.stringMatching(/^cameras\.1\.colour: unknown key "colour"/),
        expect.stringMatching(/^storage\.0\.pattern: the pattern needs \{DD\}/),
        expect.stringMatching(/^cameras\.0\.storage: unknown storage "nas9"/),
        expect.stringMatching(/^cameras\.1\.id: duplicate camera id "a"/),
      ]),
    );
  });

  it('takes static privacy masks per camera and names a bad one', () => {
    const polygon = [[0.7, 0.05], [0.98, 0.05], [0.98, 0.4], [0.7, 0.4]];
    const ok = validateConfig({ school: { name: 'X' }, cameras: [{ id: 'aula', category: 'surveillance', masks: [{ name: 'raam', polygon }] }] }, '/');
    expect(ok.problems).toEqual([]);
    expect(ok.config?.cameras[0]?.masks).toEqual([{ name: 'raam', polygon }]);
    const bad = validateConfig(
      { school: { name: 'X' }, cameras: [{ id: 'aula', category: 'surveillance', masks: [{ polygon: [[0.1, 0.1], [1.5, 0.2]] }] }] },
      '/',
    );
    const text = bad.problems.map((p) => p.path.join('.'));
    expect(text).toEqual(expect.arrayContaining(['cameras.0.masks.0.polygon', 'cameras.0.masks.0.polygon.1.0']));
  });
});
