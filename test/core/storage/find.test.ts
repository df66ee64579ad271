import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderLister, findSegments, nearestSegments, openStorage } from '../../../src/core/storage/index.js';
import { DAY, HOUR, every, frigatePath, synologyPath, tempDir, writeFiles } from '../../helpers/school.js';

const AMS = 'Europe/Amsterdam';
const utc = (iso: string): number => Date.parse(iso);
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.cleanup());

/** A real store whose folder reads are counted. */
async function counted(spec: Parameters<typeof openStorage>[0]) {
  const opened = openStorage(spec, AMS);
  expect((await opened.store.check()).ok).toBe(true);
  const listed: string[] = [];
  const list = opened.store.list.bind(opened.store);
  opened.store.list = async (dir: string) => {
    listed.push(dir);
    return list(dir);
  };
  return { opened, listed };
}

describe('folders that can hold a range', () => {
  it('frigate: the UTC hour folders from a segment length before the start, across a day', () => {
    const folders = folderLister({ layout: 'frigate', timeZone: 'UTC' });
    expect(folders('entree', utc('2026-10-20T23:30:05Z'), utc('2026-10-21T00:10:00Z'))).toEqual(['2026-10-20/23/entree', '2026-10-21/00/entree']);
    // A segment that started 10 s before the hour covers its first seconds.
    expect(folders('entree', utc('2026-10-21T00:00:05Z'), utc('2026-10-21T00:00:30Z'))).toEqual(['2026-10-20/23/entree', '2026-10-21/00/entree']);
  });

  it('synology: the local half-day folders, across midnight and the October change', () => {
    const folders = folderLister({ layout: 'synology', timeZone: AMS, segmentSeconds: 60 });
    expect(folders('Gang', utc('2026-10-20T09:30:00Z'), utc('2026-10-20T10:30:00Z'))).toEqual(['Gang/20261020AM', 'Gang/20261020PM']);
    expect(folders('Gang', utc('2026-10-20T21:50:00Z'), utc('2026-10-20T22:10:00Z'))).toEqual(['Gang/20261020PM', 'Gang/20261021AM']);
    // 25 October 2026: 02:00–03:00 happens twice, both times in the AM folder.
    expect(folders('Gang', utc('2026-10-25T00:30:00Z'), utc('2026-10-25T01:30:00Z'))).toEqual(['Gang/20261025AM']);
  });

  it('pattern: the folder part of the pattern, in its time zone', () => {
    const folders = folderLister({ layout: 'pattern', pattern: '{camera}/{YYYY}{MM}{DD}/{HH}/{mm}{ss}.mp4', timeZone: AMS, segmentSeconds: 60 });
    expect(folders('aula', utc('2026-10-20T06:59:30Z'), utc('2026-10-20T07:10:00Z'))).toEqual(['aula/20261020/08', 'aula/20261020/09']);
  });
});

describe('finding one camera\'s segments', () => {
  it('frigate: exactly the segments overlapping the range, reading only their folders', async () => {
    tmp = tempDir();
    const root = path.join(tmp.dir, 'f');
    const starts = every(utc('2026-10-20T22:00:00Z'), utc('2026-10-21T02:00:00Z'), 10_000);
    writeFiles(root, [...starts.map((t) => frigatePath('entree', t)), ...starts.map((t) => frigatePath('aula', t))]);
    writeFiles(root, every(utc('2026-09-01T00:00:00Z'), utc('2026-09-03T00:00:00Z'), HOUR).map((t) => frigatePath('entree', t)));
    const { opened, listed } = await counted({ id: 'nas1', type: 'fs', root, layout: 'frigate' });
    const found = await findSegments(opened, 'entree', utc('2026-10-20T23:59:45Z'), utc('2026-10-21T00:00:20Z'));
    expect(found.segments.map((s) => s.relPath)).toEqual([
      '2026-10-20/23/entree/59.40.mp4',
      '2026-10-20/23/entree/59.50.mp4',
      '2026-10-21/00/entree/00.00.mp4',
      '2026-10-21/00/entree/00.10.mp4',
      '2026-10-21/00/entree/00.20.mp4',
    ]);
    expect(listed.sort()).toEqual(['2026-10-20/23/entree', '2026-10-21/00/entree']);
  });

  it('synology: both 02:30 recordings of the October night, in instant order', async () => {
    tmp = tempDir();
    const root = path.join(tmp.dir, 's');
    const starts = every(utc('2026-10-24T23:00:00Z'), utc('2026-10-25T03:00:00Z'), 60_000);
    writeFiles(root, starts.map((t) => synologyPath('Gang', t)));
    const { opened } = await counted({ id: 's', type: 'fs', root, layout: 'synology' });
    const found = await findSegments(opened, 'Gang', utc('2026-10-25T00:57:30Z'), utc('2026-10-25T01:01:00Z'));
    expect(found.segments.map((s) => new Date(s.start).toISOString())).toEqual([
      '2026-10-25T00:57:00.000Z',
      '2026-10-25T00:58:00.000Z',
      '2026-10-25T00:59:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T01:01:00.000Z',
    ]);
    // 02:57–02:59 summer time, then 02:00 winter time: the names repeat the hour, the instants do not.
    expect(found.segments.map((s) => s.relPath.split('-')[2])).toEqual(['025700', '025800', '025900', '020000', '020100']);
  });

  it('finds the nearest footage on either side of an empty range, even days away', async () => {
    tmp = tempDir();
    const root = path.join(tmp.dir, 'f');
    writeFiles(root, [frigatePath('entree', utc('2026-10-18T09:00:00Z')), frigatePath('entree', utc('2026-10-23T07:00:00Z'))]);
    const { opened } = await counted({ id: 'nas1', type: 'fs', root, layout: 'frigate' });
    const near = await nearestSegments(opened, 'entree', utc('2026-10-20T08:00:00Z'), utc('2026-10-20T09:00:00Z'));
    expect(near.before?.start).toBe(utc('2026-10-18T09:00:00Z'));
    expect(near.after?.start).toBe(utc('2026-10-23T07:00:00Z'));
    const none = await nearestSegments(opened, 'aula', utc('2026-10-20T08:00:00Z'), utc('2026-10-20T09:00:00Z') + DAY);
    expect(none).toEqual({});
  });
});
