// Authentication as cameras need it: WS-Security UsernameToken with PasswordDigest (signed with the device's own
// clock), and HTTP Digest (SHA-256 or MD5). Passwords never travel in clear text: no PasswordText, no HTTP Basic.
import { createHash, randomBytes } from 'node:crypto';
import { escapeXml, NS } from './xml.js';

export interface Credentials {
  user: string;
  password: string;
  /** Where they came from, for messages (never the password itself). */
  origin: 'flag' | 'env' | 'file' | 'prompt' | 'default';
}

/** ISO 8601 UTC without milliseconds, as devices write and expect it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The WS-Security header for one request; `deviceNow` is the device's clock (this machine's + its offset). */
export function usernameTokenHeader(creds: Credentials, deviceNow: number): string {
  const nonce = randomBytes(16);
  const created = isoSeconds(deviceNow);
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(creds.password, 'utf8')])).digest('base64');
  return (
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" s:mustUnderstand="1">` +
    `<wsse:UsernameToken><wsse:Username>${escapeXml(creds.user)}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: string;
  algorithm: 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
  stale: boolean;
}

function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return out;
}

/** The strongest Digest challenge among the WWW-Authenticate headers; undefined when none is usable. */
export function pickDigestChallenge(headers: string[]): DigestChallenge | undefined {
  const found: DigestChallenge[] = [];
  for (const header of headers) {
    // One header may carry several challenges: split before each scheme name.
    for (const part of header.split(/,?\s*(?=\b(?:Digest|Basic|Bearer|Negotiate|NTLM)\s)/i)) {
      const m = /^\s*Digest\s+(.*)$/is.exec(part);
      if (!m) continue;
      const p = parseParams(m[1]!);
      const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
      const alg = algorithm === 'MD5' ? 'MD5' : algorithm === 'MD5-SESS' ? 'MD5-sess' : algorithm === 'SHA-256' ? 'SHA-256' : algorithm === 'SHA-256-SESS' ? 'SHA-256-sess' : undefined;
      if (!alg || !p.nonce) continue;
      const qop = p.qop?.split(',').map((q) => q.trim());
      if (qop && !qop.includes('auth')) continue;
      found.push({ realm: p.realm ?? '', nonce: p.nonce, ...(p.opaque ? { opaque: p.opaque } : {}), ...(qop ? { qop: 'auth' } : {}), algorithm: alg, stale: /^true$/i.test(p.stale ?? '') });
    }
  }
  found.sort((a, b) => Number(b.algorithm.startsWith('SHA')) - Number(a.algorithm.startsWith('SHA')));
  return found[0];
}

export function offersOnlyBasic(headers: string[]): boolean {
  return headers.some((h) => /\bBasic\b/i.test(h)) && !headers.some((h) => /\bDigest\b/i.test(h));
}

/** The Authorization header for one request under a Digest challenge; `nc` counts uses of its nonce. */
export function digestAuthorization(creds: Credentials, challenge: DigestChallenge, method: string, uri: string, nc: number, cnonce = randomBytes(12).toString('hex')): string {
  const h = (s: string): string => createHash(challenge.algorithm.startsWith('SHA') ? 'sha256' : 'md5').update(s, 'utf8').digest('hex');
  const ncText = nc.toString(16).padStart(8, '0');
  let ha1 = h(`${creds.user}:${challenge.realm}:${creds.password}`);
  if (challenge.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = challenge.qop ? h(`${ha1}:${challenge.nonce}:${ncText}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${challenge.nonce}:${ha2}`);
  const q = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [
    `username=${q(creds.user)}`,
    `realm=${q(challenge.realm)}`,
    `nonce=${q(challenge.nonce)}`,
    `uri=${q(uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${q(response)}`,
    ...(challenge.opaque ? [`opaque=${q(challenge.opaque)}`] : []),
    ...(challenge.qop ? [`qop=auth`, `nc=${ncText}`, `cnonce=${q(cnonce)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

/**
 * Well-known factory passwords, most likely first for the vendor the device names. Only tried when the given
 * credentials fail, and never more than the device's try budget allows.
 */
export function defaultCredentials(vendorHint: string): Credentials[] {
  const v = vendorHint.toLowerCase();
  const c = (user: string, password: string): Credentials => ({ user, password, origin: 'default' });
  const generic = [c('admin', 'admin'), c('admin', '12345'), c('admin', '')];
  if (v.includes('hikvision')) return [c('admin', '12345'), c('admin', 'admin'), c('admin', '')];
  if (v.includes('axis')) return [c('root', 'pass'), c('root', 'root'), c('admin', 'admin')];
  if (v.includes('dahua') || v.includes('amcrest')) return [c('admin', 'admin'), c('888888', '888888'), c('admin', '')];
  if (v.includes('hanwha') || v.includes('samsung')) return [c('admin', '4321'), c('admin', 'admin'), c('admin', '')];
  return generic;
}
