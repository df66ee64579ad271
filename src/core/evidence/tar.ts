// A plain ustar archive of a package's files, streamed (clips can be gigabytes), so that an encrypted package is one
// file that `age -d … | tar -x` unpacks anywhere. Deterministic: fixed owner, mode and time.
import { open } from 'node:fs/promises';
import path from 'node:path';

const BLOCK = 512;
const CHUNK = 1024 * 1024;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`file name too long for the archive: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  if (size < 8 ** 11) h.write(octal(size, 12), 124, 'latin1');
  else {
    // GNU base-256 for files of 8 GiB and more.
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write('0', 156, 'latin1');
  h.write('ustar\u000000', 257, 'latin1');
  h.write('root', 265, 'latin1');
  h.write('root', 297, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** The archive of `names` (files in `dir`), chunk by chunk. */
export async function* tarFiles(dir: string, names: string[], mtime: number): AsyncGenerator<Buffer> {
  for (const name of names) {
    const fh = await open(path.join(dir, name), 'r');
    try {
      const { size } = await fh.stat();
      yield header(name, size, mtime);
      let at = 0;
      while (at < size) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - at));
        const { bytesRead } = await fh.read(buf, 0, buf.length, at);
        if (!bytesRead) throw new Error(`${name} became shorter while it was archived`);
        at += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
      if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
    } finally {
      await fh.close();
    }
  }
  yield Buffer.alloc(2 * BLOCK);
}

export interface TarEntry {
  name: string;
  size: number;
}

/**
 * Reads a ustar stream, handing each regular file's bytes to `onData`. Names with a path (or `..`) are refused:
 * a package is one flat folder.
 */
export async function untar(
  source: AsyncIterable<Uint8Array>,
  handlers: { onEntry: (entry: TarEntry) => Promise<void> | void; onData: (chunk: Buffer) => Promise<void> | void; onEnd: () => Promise<void> | void },
): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  let pending = Buffer.alloc(0);
  let remaining = 0;
  let padding = 0;
  let finished = false;
  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, Buffer.from(chunk)]) : Buffer.from(chunk);
    for (;;) {
      if (finished) break;
      if (remaining > 0) {
        if (!pending.length) break;
        const take = Math.min(remaining, pending.length);
        await handlers.onData(pending.subarray(0, take));
        pending = pending.subarray(take);
        remaining -= take;
        if (remaining === 0) await handlers.onEnd();
        continue;
      }
      if (padding > 0) {
        const take = Math.min(padding, pending.length);
        pending = pending.subarray(take);
        padding -= take;
        if (padding > 0) break;
        continue;
      }
      if (pending.length < BLOCK) break;
      const h = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (h.every((b) => b === 0)) {
        finished = true;
        break;
      }
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const type = String.fromCharCode(h[156]!);
      const size = h[124]! & 0x80 ? Number(h.readBigUInt64BE(128)) : Number.parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
      if (type !== '0' && type !== '\0') throw new Error(`the archive holds ${name}, which is not a regular file`);
      if (!name || name.includes('/') || name.includes('\\') || name === '..' || name === '.') throw new Error(`the archive holds an unexpected name: ${name}`);
      const entry = { name, size };
      entries.push(entry);
      await handlers.onEntry(entry);
      remaining = size;
      padding = size % BLOCK ? BLOCK - (size % BLOCK) : 0;
      if (size === 0) await handlers.onEnd();
    }
    if (finished) break;
  }
  if (!finished || remaining > 0) throw new Error('the archive ends early (truncated)');
  return entries;
}
