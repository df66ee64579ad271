// One S3 client per storage, and one way to send a request: throttling, 5xx and dropped connections are retried with
// exponential backoff and full jitter, so a busy gateway slows a run down instead of failing it. The SDK's own retry
// is off: its token bucket gives up after a burst of errors, and the counts here go into the purge report.
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Keys } from './credentials.js';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<S3Sdk> | undefined;

/** The SDK, loaded on first use: a school without object storage never pays for it. */
export function loadSdk(): Promise<S3Sdk> {
  // It warns on every run that later releases need Node 22; the version in package-lock is pinned.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

export interface ClientSpec {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  keys: S3Keys;
  /** Requests in flight at once (sockets). */
  sockets?: number;
}

export async function makeClient(spec: ClientSpec): Promise<S3Client> {
  // The SDK warns on stderr of every run under Node < 22 about its releases of 2027; a cron job must stay quiet,
  // and the version we pin is not affected. The SDK's own switch, unless the user set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client } = await loadSdk();
  const sockets = spec.sockets ?? 32;
  return new S3Client({
    region: spec.region,
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
    forcePathStyle: spec.forcePathStyle,
    credentials: spec.keys,
    maxAttempts: 1,
    // Content-MD5 where S3 requires it, no newer checksum headers that S3-compatible stores reject.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    },
  });
}

const RETRY_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError', 'ServiceUnavailable', 'TimeoutError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Whether a failed request may succeed when sent again: throttling, a server error, a dropped connection. */
export function retryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; Code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (RETRY_CODES.has(e.name ?? '') || RETRY_CODES.has(e.Code ?? '') || NETWORK_CODES.has(e.code ?? '')) return true;
  if (e.$retryable) return true;
  // A connection that closes in mid-answer surfaces as a parse or socket error without a status.
  return status === undefined && /socket hang up|ECONNRESET|EPIPE|premature close|aborted|Unexpected end|XML|Deserialization/i.test(String((error as Error)?.message ?? ''));
}

export interface SendStats {
  requests: number;
  retries: number;
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseMs: 100, capMs: 5_000 };

/** Runs `attempt` until it succeeds or fails for good; every retry is counted in `stats`. */
export async function withRetry<T>(attempt: () => Promise<T>, stats: SendStats, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let n = 1; ; n++) {
    stats.requests++;
    try {
      return await attempt();
    } catch (error) {
      if (n >= policy.attempts || !retryable(error)) throw error;
      stats.retries++;
      await sleep(Math.random() * Math.min(policy.capMs, policy.baseMs * 2 ** (n - 1)));
    }
  }
}

/** The request's failure in a few words, for a report (never the keys: the SDK does not put them in messages). */
export function describeS3Error(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(error)}${status ? ` (HTTP ${status})` : ''}`;
}
