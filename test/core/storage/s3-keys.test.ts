// S3 keys: from a 0600 file named in the config, else from the environment; never shown in a message.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { s3Keys } from '../../../src/core/storage/s3/credentials.js';
import { retryable, withRetry } from '../../../src/core/storage/s3/client.js';
import { tempDir } from '../../helpers/school.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('S3 keys', () => {
  it('reads a 0600 file, refuses one others can read, and never quotes the secret', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, 'accessKeyId: AKIDTEST\nsecretAccessKey: s3cr3t-value\n');
    chmodSync(file, 0o644);
    expect(() => s3Keys('centraal', file, {})).toThrow(/can be read by others \(mode 0644\); run `chmod 600/);
    chmodSync(file, 0o600);
    expect(s3Keys('centraal', file, {})).toEqual({ accessKeyId: 'AKIDTEST', secretAccessKey: 's3cr3t-value' });
    writeFileSync(file, 'accessKeyId: [s3cr3t-value\n');
    let message = '';
    try {
      s3Keys('centraal', file, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not valid YAML/);
    expect(message).not.toContain('s3cr3t');
  });

  it('falls back to the environment, and says what to set when there are no keys', () => {
    expect(s3Keys('centraal', undefined, { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B' })).toEqual({ accessKeyId: 'A', secretAccessKey: 'B' });
    expect(() => s3Keys('centraal', undefined, {})).toThrow(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a 0600 credentials file/);
  });
});

describe('S3 retries', () => {
  it('retries throttling, 5xx and dropped connections, not refusals', async () => {
    expect(retryable({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(retryable({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(retryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(retryable({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(retryable({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })).toBe(false);
    const stats = { requests: 0, retries: 0 };
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
        return 'ok';
      },
      stats,
      { attempts: 5, baseMs: 1, capMs: 2 },
    );
    expect({ value, stats }).toEqual({ value: 'ok', stats: { requests: 3, retries: 2 } });
    await expect(withRetry(async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })), stats)).rejects.toThrow('denied');
  });
});
