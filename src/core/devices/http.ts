// One HTTP exchange with a device: bounded in time and size, never following redirects, to the device's own address.
import http from 'node:http';
import https from 'node:https';
import { assertTarget } from './network.js';

export type DeviceErrorKind = 'timeout' | 'refused' | 'network' | 'too-large' | 'malformed' | 'http' | 'fault' | 'auth' | 'unsupported';

/** Something a device did wrong or did not do; the message is one sentence about the device. */
export class DeviceError extends Error {
  readonly kind: DeviceErrorKind;
  constructor(kind: DeviceErrorKind, message: string) {
    super(message);
    this.name = 'DeviceError';
    this.kind = kind;
  }
}

export interface HttpReply {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

export interface HttpRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Absolute time (ms) by which the whole reply must be in. */
  deadline: number;
  maxBytes: number;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
  // Cameras present self-signed certificates; the channel is still encrypted. The address was chosen by us.
  https: new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false }),
};

/** Closes idle kept-alive connections, so a finished run does not linger until the devices hang up. */
export function closeConnections(): void {
  agents.http.destroy();
  agents.https.destroy();
}

export function httpExchange(req: HttpRequest): Promise<HttpReply> {
  assertTarget(req.url.hostname, 'device');
  const remaining = req.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new DeviceError('timeout', 'did not answer within the timeout'));
  const secure = req.url.protocol === 'https:';
  const mod = secure ? https : http;
  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const finish = (error: DeviceError | undefined, reply?: HttpReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(reply!);
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const request = mod.request(
      {
        host: req.url.hostname.replace(/^\[|\]$/g, ''),
        port: req.url.port || (secure ? 443 : 80),
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        agent: secure ? agents.https : agents.http,
        headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > req.maxBytes) {
          finish(new DeviceError('too-large', `sent a reply of ${declared} bytes, more than the ${req.maxBytes} accepted`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > req.maxBytes) finish(new DeviceError('too-large', `sent a reply larger than the ${req.maxBytes} bytes accepted`));
          else chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headersDistinct as Record<string, string[]>, body: Buffer.concat(chunks) }));
        res.on('error', (e) => finish(new DeviceError('network', `broke off its reply (${e.message})`)));
      },
    );
    const timer = setTimeout(() => finish(new DeviceError('timeout', 'did not answer within the timeout')), remaining);
    request.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish(new DeviceError('refused', `refused the connection on port ${req.url.port || (secure ? 443 : 80)}`));
      else if (e.code === 'ECONNRESET') finish(new DeviceError('network', 'closed the connection without a reply'));
      else finish(new DeviceError('network', `could not be reached (${e.code ?? e.message})`));
    });
    if (body) request.end(body);
    else request.end();
  });
}

/** The same service URL on the address that answered: a device never sends us to another host. */
export function onAddress(xaddr: string, address: string): { url: URL; moved: boolean } | undefined {
  let url: URL;
  try {
    url = new URL(xaddr);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.username = '';
  url.password = '';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === address) return { url, moved: false };
  url.hostname = address.includes(':') ? `[${address}]` : address;
  return { url, moved: true };
}

/** A URI fit to show: no user or password in it, nor credential-like query parameters. */
export function safeUri(uri: string | undefined): string | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (/^(user(name)?|pass(word)?|pwd|passwd|auth|token|key|secret|login)$/i.test(key)) url.searchParams.delete(key);
    }
    return url.toString();
  } catch {
    // Not a URL we understand: drop anything between "//" and "@", which is where credentials would be.
    return uri.replace(/\/\/[^/@]*@/, '//');
  }
}
