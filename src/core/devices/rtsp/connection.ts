// One RTSP conversation over TCP (RFC 2326), with RTP and RTCP interleaved on the same connection: requests and
// their replies in order, HTTP Digest as devices ask for it (never Basic), and the interleaved packets handed on as
// they arrive. Reading pauses while the receiver is busy, so a recorder sending faster than the disk takes it is
// held back by TCP, and memory stays flat.
import net from 'node:net';
import { digestAuthorization, offersOnlyBasic, pickDigestChallenge, type Credentials, type DigestChallenge } from '../auth.js';
import { DeviceError } from '../http.js';
import { assertTarget } from '../network.js';

export interface RtspReply {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 256 * 1024;
const USER_AGENT = 'toezicht';

export class RtspConnection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private cseq = 0;
  private waiting: { resolve: (r: RtspReply) => void; reject: (e: Error) => void } | undefined;
  private challenge: DigestChallenge | undefined;
  private nc = 0;
  private closedError: Error | undefined;
  /** Called with each interleaved packet; may return a promise to hold reading until it settles. */
  onPacket: (channel: number, packet: Buffer) => void | Promise<void> = () => undefined;
  onClose: (error: Error | undefined) => void = () => undefined;
  private busy = false;

  private constructor(socket: net.Socket, private readonly creds: Credentials | undefined) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      void this.drain();
    });
    const closed = (error?: Error): void => {
      if (this.closedError) return;
      this.closedError = new DeviceError('network', error ? `broke off the replay connection (${error.message})` : 'closed the replay connection');
      this.waiting?.reject(this.closedError);
      this.waiting = undefined;
      // Packets still buffered are handed on before the close is told.
      void (async () => {
        while (this.busy) await new Promise((r) => setImmediate(r));
        await this.drain();
        this.onClose(error ? this.closedError : undefined);
      })();
    };
    socket.on('error', (e) => closed(e));
    socket.on('close', () => closed());
  }

  static connect(host: string, port: number, creds: Credentials | undefined, deadline: number): Promise<RtspConnection> {
    assertTarget(host, 'recorder');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DeviceError('timeout', `did not accept a replay connection on port ${port} in time`));
      }, Math.max(1, deadline - Date.now()));
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new RtspConnection(socket, creds));
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new DeviceError(e.code === 'ECONNREFUSED' ? 'refused' : 'network', e.code === 'ECONNREFUSED' ? `refused the replay connection on port ${port}` : `could not be reached for replay (${e.code ?? e.message})`));
      });
    });
  }

  /** Sends a request and waits for its reply; answers one Digest challenge with the credentials. */
  async request(method: string, url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<RtspReply> {
    let reply = await this.send(method, url, headers, timeoutMs);
    if (reply.status === 401 && this.creds) {
      const www = reply.headers['www-authenticate'] ? reply.headers['www-authenticate'].split('\n') : [];
      const challenge = pickDigestChallenge(www);
      if (!challenge) {
        if (offersOnlyBasic(www)) throw new DeviceError('auth', 'asks for HTTP Basic on its replay server, which would send the password in clear text; not sent');
        throw new DeviceError('auth', 'asked for credentials on its replay server in a way toezicht does not support');
      }
      const fresh = !this.challenge || this.challenge.nonce !== challenge.nonce;
      if (!fresh && !challenge.stale) throw new DeviceError('auth', `refused the credentials of user "${this.creds.user}" for replay`);
      this.challenge = challenge;
      this.nc = 0;
      reply = await this.send(method, url, headers, timeoutMs);
      if (reply.status === 401) throw new DeviceError('auth', `refused the credentials of user "${this.creds.user}" for replay`);
    } else if (reply.status === 401) throw new DeviceError('auth', 'needs credentials for replay');
    return reply;
  }

  private send(method: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<RtspReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    const all: Record<string, string> = { CSeq: String(++this.cseq), 'User-Agent': USER_AGENT, ...headers };
    if (this.challenge && this.creds) all.Authorization = digestAuthorization(this.creds, this.challenge, method, url, ++this.nc);
    const text = `${method} ${url} RTSP/1.0\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new DeviceError('timeout', `did not answer the replay request ${method} in time`));
      }, timeoutMs);
      this.waiting = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.socket.write(text);
    });
  }

  /** Parses what is buffered: interleaved packets ($, channel, length) and replies, in the order they came. */
  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.buffer.length) {
        if (this.buffer[0] === 0x24) {
          if (this.buffer.length < 4) break;
          const length = this.buffer.readUInt16BE(2);
          if (this.buffer.length < 4 + length) break;
          const channel = this.buffer[1]!;
          const packet = this.buffer.subarray(4, 4 + length);
          this.buffer = this.buffer.subarray(4 + length);
          const pending = this.onPacket(channel, packet);
          if (pending) {
            this.socket.pause();
            try {
              await pending;
            } finally {
              if (!this.socket.destroyed) this.socket.resume();
            }
          }
          continue;
        }
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) this.fail('sent an RTSP reply header larger than 64 KB');
          break;
        }
        const head = this.buffer.subarray(0, end).toString('latin1');
        const lines = head.split('\r\n');
        const status = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(lines[0]!);
        if (!status) {
          this.fail('sent something that is neither an RTSP reply nor an interleaved packet');
          break;
        }
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          if (i <= 0) continue;
          const key = line.slice(0, i).trim().toLowerCase();
          const value = line.slice(i + 1).trim();
          headers[key] = headers[key] === undefined ? value : `${headers[key]}\n${value}`;
        }
        const length = Number(headers['content-length'] ?? 0);
        if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) {
          this.fail('sent an RTSP reply with an unusable Content-Length');
          break;
        }
        if (this.buffer.length < end + 4 + length) break;
        const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        this.buffer = this.buffer.subarray(end + 4 + length);
        const waiter = this.waiting;
        this.waiting = undefined;
        waiter?.resolve({ status: Number(status[1]), reason: status[2] ?? '', headers, body });
      }
    } catch (error) {
      this.fail((error as Error).message);
    } finally {
      this.busy = false;
    }
  }

  private fail(message: string): void {
    const error = new DeviceError('malformed', message);
    this.waiting?.reject(error);
    this.waiting = undefined;
    this.closedError ??= error;
    this.socket.destroy();
    this.onClose(error);
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  close(): void {
    this.socket.destroy();
  }
}
