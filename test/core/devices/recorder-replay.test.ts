// Footage pulled from the simulated recorder over ONVIF replay: the clip holds exactly the recorder's pictures
// (every slice byte for byte, in order, none missing or repeated) at their wall-clock times, from the keyframe at or
// before the start; failures (wrong password, a recorder that stops mid-stream, no replay, an unknown recording) are
// one sentence with their exit code; recording search and retention control work. All on 127.0.18.x.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRecorder, listRecordings, recordingSummary, setRecordingRetention, type RecorderSession } from '../../../src/core/devices/recorder.js';
import { pullReplay } from '../../../src/core/devices/replay.js';
import { ToezichtError } from '../../../src/core/errors.js';
import { inspectMp4, openMediaFile, resolveTool } from '../../../src/core/media/index.js';
// @ts-expect-error plain JavaScript simulator
import { startSimulator } from '../../sim/onvif-sim.mjs';
// @ts-expect-error plain JavaScript simulator
import { makeClip, recordingFrames } from '../../sim/recorder-footage.mjs';

const PASSWORD = 'Opname-Geheim-77!';
const creds = { user: 'beheer', password: PASSWORD, origin: 'env' as const };
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const HOUR = 3_600_000;

interface Clip {
  fps: number;
  gop: number;
  frames: { nals: Buffer[]; key: boolean }[];
}

let sim: { devices: Record<string, any>[]; log: { raw: string }[]; stop(): Promise<void> };
let clip: Clip;
let dir: string;

const recording = (token: string, source: string, from: number, until: number, extra: object = {}) => ({ token, sourceName: source, sourceId: `urn:uuid:source-${source}`, from, until, clip, retention: 'PT0S', ...extra });

beforeAll(async () => {
  clip = await makeClip({ ffmpeg: resolveTool('ffmpeg').path, width: 320, height: 240, fps: 5, gop: 10, seconds: 4 });
  dir = mkdtempSync(path.join(tmpdir(), 'toezicht-replay-'));
  const users = [{ user: 'beheer', password: PASSWORD }];
  sim = await startSimulator({
    multicast: false,
    devices: [
      // WS-Security for SOAP (the nvr style), Digest on RTSP; RTP payloads up to 7000 bytes, so P-frames go whole
      // (single units), keyframes in fragments (FU-A) and parameter sets together (STAP-A).
      { address: '127.0.18.10', port: 18080, style: 'nvr', kind: 'recorder', users, replay: { port: 18554, mtu: 7000 }, recordings: [recording('REC-1', 'aula', T0, T0 + HOUR, { gaps: [[T0 + 30 * 60_000, T0 + 31 * 60_000]] }), recording('REC-2', 'entree', T0 + HOUR, T0 + 2 * HOUR)] },
      // HTTP Digest for SOAP (the dahua style); stops after 25 pictures of any replay.
      { address: '127.0.18.11', port: 18080, style: 'dahua', kind: 'recorder', users, replay: { port: 18554, stopAfterFrames: 25 }, recordings: [recording('REC-1', 'gang', T0, T0 + HOUR)] },
      // No replay service, no recording control.
      { address: '127.0.18.12', port: 18080, style: 'nvr', kind: 'recorder', users, recordingControl: false, recordings: [recording('REC-1', 'plein', T0, T0 + HOUR)] },
      // Refuses a retention setting.
      { address: '127.0.18.13', port: 18080, style: 'axis', kind: 'recorder', users, refuseRetention: true, recordings: [recording('REC-1', 'hal', T0, T0 + HOUR)] },
    ],
  });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function device(address: string): Record<string, any> {
  return sim.devices.find((d) => d.address === address)!;
}

async function session(address: string, password = PASSWORD): Promise<RecorderSession> {
  return connectRecorder({ address: `${address}:18080`, credentials: { ...creds, password }, timeoutMs: 5000 });
}

/** The NAL units of each sample of the clip's video track, in decode order. */
async function clipPictures(file: string): Promise<Buffer[][]> {
  const info = await inspectMp4(file);
  const layout = info.video.layout!;
  const src = await openMediaFile(file);
  try {
    const out: Buffer[][] = [];
    for (let i = 0; i < info.video.sizes!.length; i++) {
      const sample = Buffer.alloc(info.video.sizes![i]!);
      await src.read(sample, 0, sample.length, layout.offsets[i]!);
      const units: Buffer[] = [];
      for (let at = 0; at < sample.length; ) {
        const n = sample.readUInt32BE(at);
        units.push(sample.subarray(at + 4, at + 4 + n));
        at += 4 + n;
      }
      out.push(units);
    }
    return out;
  } finally {
    await src.close();
  }
}

const slices = (units: Buffer[]): Buffer[] => units.filter((u) => [1, 5].includes(u[0]! & 0x1f));

async function expectFailure(run: Promise<unknown>, code: string, exitCode: number): Promise<ToezichtError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToezichtError);
  const e = error as ToezichtError;
  expect({ code: e.code, exitCode: e.exitCode }).toEqual({ code, exitCode });
  expect(e.message).not.toContain(PASSWORD);
  return e;
}

describe('recording search and control on the recorder', () => {
  it('lists each recording with its source, span and retention; the summary spans them all', async () => {
    const rs = await session('127.0.18.10');
    expect(rs.identity.serial).toBe(device('127.0.18.10').serial);
    expect(rs.replay).toBeDefined();
    const list = await listRecordings(rs);
    expect(list).toEqual([
      { token: 'REC-1', source: 'aula', sourceId: 'urn:uuid:source-aula', from: new Date(T0).toISOString(), until: new Date(T0 + HOUR).toISOString(), maximumRetention: 'PT0S' },
      { token: 'REC-2', source: 'entree', sourceId: 'urn:uuid:source-entree', from: new Date(T0 + HOUR).toISOString(), until: new Date(T0 + 2 * HOUR).toISOString(), maximumRetention: 'PT0S' },
    ]);
    expect(await recordingSummary(rs)).toEqual({ from: new Date(T0).toISOString(), until: new Date(T0 + 2 * HOUR).toISOString(), recordings: 2 });
  });

  it('sets MaximumRetentionTime, and the recorder then keeps only that much', async () => {
    const rs = await session('127.0.18.10');
    expect(await setRecordingRetention(rs, 'REC-2', 'PT672H')).toEqual({ changed: true });
    const after = await listRecordings(rs);
    expect(after.find((r) => r.token === 'REC-2')!.maximumRetention).toBe('PT672H');
    expect(after.find((r) => r.token === 'REC-1')!.maximumRetention).toBe('PT0S');
    expect(device('127.0.18.10').retentionChanges).toEqual([{ token: 'REC-2', value: 'PT672H' }]);
    expect(device('127.0.18.10').deleteRequests ?? 0).toBe(0);
    // The source and content were sent back as the recorder stated them.
    const set = sim.log.filter((e) => /SetRecordingConfiguration/.test(e.raw)).at(-1)!.raw;
    expect(set).toContain('urn:uuid:source-entree');
    // Back, so the replay tests below see the whole recording.
    await setRecordingRetention(rs, 'REC-2', 'PT0S');
  });

  it('reports a recorder that refuses the setting, and one without recording control, instead of failing', async () => {
    const refusing = await setRecordingRetention(await session('127.0.18.13'), 'REC-1', 'PT672H');
    expect(refusing).toMatchObject({ changed: false, reason: 'refused' });
    expect((refusing as { detail: string }).detail).toMatch(/retention time is fixed/);
    expect(await setRecordingRetention(await session('127.0.18.12'), 'REC-1', 'PT672H')).toMatchObject({ changed: false, reason: 'no-control' });
  });
});

describe('replay into a clip', () => {
  it('a range across keyframe boundaries holds exactly the recorder’s pictures, byte for byte, from the keyframe before its start', async () => {
    const rec = device('127.0.18.10').recordings[0];
    const from = T0 + 37_300;
    const to = T0 + 52_100;
    const output = path.join(dir, 'range.mp4');
    const rs = await session('127.0.18.10');
    const before = { ...device('127.0.18.10').rtsp.stats.packets };
    const result = await pullReplay({ session: rs, credentials: creds, recording: 'REC-1', from, to, output });

    const frames = recordingFrames(rec, clip);
    const expected: number[] = frames.range(from, to);
    expect(expected[0]).toBe(180); // 37.3 s at 5 fps is picture 186; its keyframe is 180
    expect(expected.at(-1)).toBe(260);
    const got = await clipPictures(output);
    expect(got).toHaveLength(expected.length);
    got.forEach((units, i) => {
      const want = frames.frame(expected[i]!).nals as Buffer[];
      expect(Buffer.concat(slices(units)).equals(Buffer.concat(slices(want))), `picture ${i} (recorder picture ${expected[i]})`).toBe(true);
      expect(units.length).toBe(want.length); // parameter sets and SEI kept too
    });
    expect(result).toMatchObject({ frames: expected.length, keyframes: 9, codec: 'H264', first: new Date(T0 + 36_000).toISOString(), last: new Date(T0 + 52_000).toISOString(), gaps: [] });
    expect(result.uri).toBe('rtsp://127.0.18.10:18554/replay/REC-1');
    expect(result.recorder).toMatchObject({ address: '127.0.18.10:18080', serial: device('127.0.18.10').serial });

    // Their times: 200 ms apart from the keyframe's wall-clock time, which is the clip's creation time.
    const info = await inspectMp4(output);
    expect([...info.video.pts].map((p) => Math.round(p * 1000))).toEqual(expected.map((k) => (k - 180) * 200));
    expect([...info.video.keyframes]).toEqual(expected.map((k, i) => (k % 10 === 0 ? i : -1)).filter((i) => i >= 0));

    // It came as RTP single units, STAP-A and FU-A, with Rate-Control: no, and the clip plays.
    const packets = device('127.0.18.10').rtsp.stats.packets;
    for (const kind of ['single', 'stap-a', 'fu-a']) expect(packets[kind] - before[kind], kind).toBeGreaterThan(0);
    expect(device('127.0.18.10').rtsp.stats.plays.at(-1)).toMatchObject({ rateControl: 'no', done: true });
    execFileSync(resolveTool('ffmpeg').path, ['-v', 'error', '-xerror', '-i', output, '-f', 'null', '-']);
    // No spool left behind.
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool'))).toEqual([]);
  });

  it('names a gap in the recording and keeps it as a gap', async () => {
    const rec = device('127.0.18.10').recordings[0];
    const from = T0 + 29 * 60_000 + 50_000;
    const to = T0 + 31 * 60_000 + 10_000;
    const output = path.join(dir, 'gap.mp4');
    const result = await pullReplay({ session: await session('127.0.18.10'), credentials: creds, recording: 'REC-1', from, to, output });
    const expected: number[] = recordingFrames(rec, clip).range(from, to);
    expect(result.frames).toBe(expected.length);
    expect(result.gaps).toEqual([{ from: new Date(T0 + 30 * 60_000).toISOString(), until: new Date(T0 + 31 * 60_000).toISOString(), seconds: 60 }]);
    const info = await inspectMp4(output);
    const last = info.video.pts.length - 1;
    expect(Math.round(info.video.pts[last]! * 1000)).toBe((expected.at(-1)! - expected[0]!) * 200);
    const got = await clipPictures(output);
    got.forEach((units, i) => expect(Buffer.concat(slices(units)).equals(Buffer.concat(slices(recordingFrames(rec, clip).frame(expected[i]!).nals)))).toBe(true));
  });

  it('a wrong password is a config error (exit 2) that names the user, not the password', async () => {
    const e = await expectFailure(session('127.0.18.10', 'fout-wachtwoord'), 'recorder.auth', 2);
    expect(e.message).toContain('"beheer"');
    expect(e.message).not.toContain('fout-wachtwoord');
  });

  it('a recorder that stops mid-stream: exit 1, and no clip nor spool is left', async () => {
    const output = path.join(dir, 'broken.mp4');
    const e = await expectFailure(
      pullReplay({ session: await session('127.0.18.11'), credentials: creds, recording: 'REC-1', from: T0 + 60_000, to: T0 + 120_000, output }),
      'recorder.stream-broken',
      1,
    );
    expect(e.message).toMatch(/stopped sending the replay of "REC-1" before the end of the range .*25 pictures/);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool'))).toEqual([]);
  });

  it('a recorder without replay: exit 2, saying to export on the recorder', async () => {
    const e = await expectFailure(
      pullReplay({ session: await session('127.0.18.12'), credentials: creds, recording: 'REC-1', from: T0, to: T0 + 10_000, output: path.join(dir, 'none.mp4') }),
      'recorder.no-replay',
      2,
    );
    expect(e.message).toMatch(/offers no replay service/);
  });

  it('an unknown recording token: exit 2, listing the recordings there are', async () => {
    const e = await expectFailure(
      pullReplay({ session: await session('127.0.18.10'), credentials: creds, recording: 'REC-9', from: T0, to: T0 + 10_000, output: path.join(dir, 'unknown.mp4') }),
      'recorder.no-recording',
      2,
    );
    expect(e.message).toContain('REC-1 (aula), REC-2 (entree)');
  });

  it('never put the password on the wire in any form the recorder logged', () => {
    const wire = sim.log.map((e) => e.raw).join('\n');
    expect(wire).toContain('DESCRIBE rtsp://127.0.18.10:18554/replay/REC-1');
    expect(wire).toMatch(/Require: onvif-replay/);
    expect(wire).toMatch(/Rate-Control: no/);
    expect(wire).toContain('Range: clock=20261201T080037.300Z-20261201T080052.100Z');
    expect(wire).not.toContain(PASSWORD);
  });
});
