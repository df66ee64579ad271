// One pull of the bench, in a process of its own (so its peak RSS is its own): `pull` writes the clip through
// toezicht's replay client and MP4 writer; `discard` does the same RTSP exchange and throws the packets away (the
// baseline: what the simulator and loopback TCP cost).
//   node bench/replay/pull.mjs MODE ADDRESS RECORDING FROM_MS TO_MS OUTPUT
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [mode, address, recording, from, to, output] = process.argv.slice(2);
const credentials = { user: 'beheer', password: process.env.NVR_PASSWORD, origin: 'env' };
const { connectRecorder, pullReplay, replayUri } = await import(path.join(repo, 'dist/core/devices/index.js'));
const { RtspConnection } = await import(path.join(repo, 'dist/core/devices/rtsp/connection.js'));
const { clockTime } = await import(path.join(repo, 'dist/core/devices/replay.js'));
const session = await connectRecorder({ address, credentials });
const t0 = performance.now();
let result;
if (mode === 'pull') {
  result = await pullReplay({ session, credentials, recording, from: Number(from), to: Number(to), output });
} else {
  const uri = (await replayUri(session, recording)).toString();
  const conn = await RtspConnection.connect(session.host, Number(new URL(uri).port), credentials, Date.now() + 10_000);
  await conn.request('DESCRIBE', uri, { Accept: 'application/sdp', Require: 'onvif-replay' });
  const setup = await conn.request('SETUP', `${uri}/trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Require: 'onvif-replay' });
  let bytes = 0;
  const done = new Promise((resolve) => {
    conn.onPacket = (channel, packet) => {
      bytes += packet.length;
      if (channel === 1) resolve();
    };
  });
  await conn.request('PLAY', uri, { Session: setup.headers.session.split(';')[0], Range: `clock=${clockTime(Number(from))}-${clockTime(Number(to))}`, 'Rate-Control': 'no', Require: 'onvif-replay' });
  await done;
  conn.close();
  result = { bytes };
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, frames: result.frames, bytes: result.bytes, sha256: result.sha256 })}\n`);
process.exit(0);
