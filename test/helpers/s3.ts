// S3 helpers for the object-storage tests: a client of our own (another tool, as far as toezicht knows), buckets,
// objects written the way a recorder's upload would, and listings read back.
import { spawnSync } from 'node:child_process';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CephService } from '../services/services.d.mts';

/** Whether the Ceph daemons are installed; the S3 tests skip (saying why) only when they are not. */
export function cephInstalled(): boolean {
  return ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'monmaptool'].every((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
}

export function s3Client(ceph: Pick<CephService, 'endpoint' | 'accessKeyId' | 'secretAccessKey'>, endpoint = ceph.endpoint): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function makeBucket(client: S3Client, bucket: string, options: { versioned?: boolean; objectLock?: boolean } = {}): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket, ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }));
  if (options.versioned && !options.objectLock) await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

/** Writes these keys (small bodies), several at once. */
export async function putKeys(client: S3Client, bucket: string, keys: string[], body = 'segment', parallel = 32): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }
    }),
  );
}

export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    // toezicht's own records (register marker, hold records under <prefix>.toezicht/) are no footage.
    for (const o of page.Contents ?? []) if (!/(^|\/)\.toezicht\//.test(o.Key!)) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export interface VersionRow {
  key: string;
  versionId: string;
  marker: boolean;
}

export async function listVersions(client: S3Client, bucket: string, prefix = ''): Promise<VersionRow[]> {
  const out: VersionRow[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) }),
    );
    for (const v of page.Versions ?? []) out.push({ key: v.Key!, versionId: v.VersionId!, marker: false });
    for (const m of page.DeleteMarkers ?? []) out.push({ key: m.Key!, versionId: m.VersionId!, marker: true });
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  // toezicht's own records are no footage (see listKeys).
  return out.filter((v) => !/(^|\/)\.toezicht\//.test(v.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Empties a bucket of everything but what Object Lock keeps. */
export async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  const versions = await listVersions(client, bucket);
  for (let i = 0; i < versions.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: versions.slice(i, i + 1000).map((v) => ({ Key: v.key, VersionId: v.versionId })), Quiet: true } }));
  }
}
