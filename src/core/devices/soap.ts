// ONVIF SOAP calls to one device, with the authentication it turned out to need.
import { digestAuthorization, offersOnlyBasic, pickDigestChallenge, usernameTokenHeader, type Credentials, type DigestChallenge } from './auth.js';
import { DeviceError, httpExchange, safeUri, type HttpReply } from './http.js';
import { DEFAULT_XML_LIMITS, findFirst, kid, NS, parseXml, textOf, XmlError, type XmlElement } from './xml.js';

export const MAX_SOAP_BYTES = 2 * 1024 * 1024;

export type AuthMethod = 'none' | 'wsse' | 'digest';

/** One device's conversation: its address, its deadline, its clock, and what authentication works. */
export interface Session {
  address: string;
  deadline: number;
  /** Device clock minus this machine's, in ms (0 until read). */
  clockOffsetMs: number;
  creds?: Credentials;
  method: AuthMethod;
  challenge?: DigestChallenge;
  nc: number;
}

export function newSession(address: string, deadline: number): Session {
  return { address, deadline, clockOffsetMs: 0, method: 'none', nc: 0 };
}

/** The device wants credentials (or rejected the ones sent). */
export interface AuthNeeded {
  auth: true;
  challenge?: DigestChallenge;
  basicOnly: boolean;
  /** The device processed a WS-Security header and said no (as opposed to asking for HTTP Digest). */
  wsseRejected: boolean;
}

export type Outcome = { auth: false; body: XmlElement } | AuthNeeded;

function envelope(ns: string, op: string, inner: string, header: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema">` +
    `<s:Header>${header}</s:Header><s:Body><${op} xmlns="${ns}">${inner}</${op}></s:Body></s:Envelope>`
  );
}

const AUTH_FAULT = /NotAuthori[sz]ed|FailedAuthentication|InvalidSecurity|FailedCheck|SecurityTokenUnavailable|Unauthori[sz]ed|not authori[sz]ed|authentication|password/i;

/** One request with one way of authenticating; no retries. */
export async function attempt(s: Session, url: URL, ns: string, op: string, inner: string, mode: AuthMethod, creds?: Credentials): Promise<Outcome> {
  const header = mode === 'wsse' && creds ? usernameTokenHeader(creds, Date.now() + s.clockOffsetMs) : '';
  const headers: Record<string, string> = { 'content-type': `application/soap+xml; charset=utf-8; action="${ns}/${op}"` };
  if (mode === 'digest' && creds && s.challenge) headers.authorization = digestAuthorization(creds, s.challenge, 'POST', `${url.pathname}${url.search}`, ++s.nc);
  const reply = await httpExchange({ url, method: 'POST', headers, body: envelope(ns, op, inner, header), deadline: s.deadline, maxBytes: MAX_SOAP_BYTES });
  if (reply.status === 401 || reply.status === 403) {
    const www = reply.headers['www-authenticate'] ?? [];
    const challenge = pickDigestChallenge(www);
    return { auth: true, ...(challenge ? { challenge } : {}), basicOnly: offersOnlyBasic(www), wsseRejected: false };
  }
  const root = envelopeOf(reply, op, s.deadline);
  const body = kid(root, 'Body', root.ns);
  const fault = kid(body, 'Fault', root.ns);
  if (fault) {
    const codes = [findFirst(fault, 'Value'), findFirst(fault, 'faultcode'), findFirst(fault, 'Subcode')].map((e) => (e ? collectText(e) : '')).join(' ');
    const reason = textOf(findFirst(fault, 'Text')) ?? textOf(findFirst(fault, 'faultstring')) ?? 'no reason given';
    if (AUTH_FAULT.test(codes) || AUTH_FAULT.test(reason)) return { auth: true, basicOnly: false, wsseRejected: mode === 'wsse' };
    throw new DeviceError('fault', `answered ${op} with a SOAP fault: ${clip(reason)}`);
  }
  if (reply.status >= 300) throw new DeviceError('http', `answered ${op} with HTTP ${reply.status}`);
  if (!body) throw new DeviceError('malformed', `answered ${op} with a SOAP envelope without a body`);
  const response = body.children[0];
  if (!response) throw new DeviceError('malformed', `answered ${op} with an empty SOAP body`);
  // Only a namespaced <op>Response is an answer: anything else (a bare <GetDeviceInformationResponse>, another
  // operation's reply) proves nothing, least of all that the device is open.
  if (response.name !== `${op}Response` || response.ns !== ns) {
    throw new DeviceError('malformed', `answered ${op} with ${response.name}${response.ns ? ` in namespace ${clip(response.ns)}` : ' without a namespace'}, not an ONVIF ${op}Response`);
  }
  return { auth: false, body: response };
}

const SOAP_NS: string[] = [NS.soap12, NS.soap11];

/** The text from its first tag on, past an XML declaration and comments (a few at most; no regex to backtrack). */
function firstMarkup(text: string): string {
  let rest = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  for (let i = 0; i < 8; i++) {
    const end = rest.startsWith('<?') ? rest.indexOf('?>') : rest.startsWith('<!--') ? rest.indexOf('-->') : -1;
    if (end < 0) break;
    rest = rest.slice(end + (rest.startsWith('<?') ? 2 : 3)).trimStart();
  }
  return rest;
}

/**
 * The SOAP envelope of a reply; otherwise a DeviceError that says what the device answered instead (an HTML page,
 * a redirect, nothing, something that is not XML, a DOCTYPE …), since "did not answer" would be untrue.
 */
function envelopeOf(reply: HttpReply, op: string, deadline: number): XmlElement {
  const status = reply.status;
  // An error status makes the reply an HTTP error (an optional service that is not there); a 2xx that is not SOAP
  // is a malformed answer.
  const kind = status >= 400 ? 'http' : 'malformed';
  if (status >= 300 && status < 400) {
    const location = reply.headers.location?.[0];
    throw new DeviceError('http', `answered ${op} with a redirect (HTTP ${status})${location ? ` to ${clip(safeUri(location) ?? '')}` : ''}, which toezicht does not follow`);
  }
  const text = reply.body.toString('utf8');
  if (!text.trim()) throw new DeviceError(kind, `answered ${op} with an empty reply (HTTP ${status})`);
  // An HTML document is an HTML page whatever its label; a reply labelled text/html is one unless it is SOAP after all
  // (some cameras label their SOAP wrongly).
  const labelledHtml = /^\s*text\/html/i.test(reply.headers['content-type']?.[0] ?? '');
  const htmlPage = (): DeviceError => new DeviceError(kind, `answered ${op} with an HTML page (HTTP ${status}), not SOAP`);
  if (/^<(!doctype\s+html|html[\s>])/i.test(firstMarkup(text))) throw htmlPage();
  if (!/^(\uFEFF)?\s*</.test(text)) throw labelledHtml ? htmlPage() : new DeviceError(kind, `answered ${op} with something that is not XML (HTTP ${status})`);
  let root: XmlElement;
  try {
    root = parseXml(text, DEFAULT_XML_LIMITS, deadline);
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    switch (error.problem) {
      case 'doctype':
        throw new DeviceError('malformed', `answered ${op} with a DOCTYPE, which was refused (toezicht expands no entities)`);
      case 'limit':
        throw new DeviceError('too-large', `answered ${op} with XML beyond toezicht's bounds (${error.message.replace(/^the reply /, '')}); not read`);
      case 'timeout':
        throw new DeviceError('timeout', `did not answer ${op} readably within the timeout`);
      default:
        if (labelledHtml) throw htmlPage();
        throw new DeviceError(kind, `answered ${op} with malformed XML (HTTP ${status}): ${clip(error.message.replace(/^not well-formed XML: /, '').replace(/\.$/, ''))}`);
    }
  }
  if (root.name !== 'Envelope' || !SOAP_NS.includes(root.ns)) {
    if (labelledHtml) throw htmlPage();
    const what = root.name === 'Envelope' ? 'an Envelope without the SOAP namespace' : `<${clip(root.name)}>`;
    throw new DeviceError(kind, `answered ${op} with XML that is not a SOAP envelope (${what}, HTTP ${status})`);
  }
  return root;
}

function collectText(el: XmlElement): string {
  return [el.text, ...el.children.map(collectText)].join(' ');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 160 ? `${one.slice(0, 157)}…` : one;
}

/** A call with the session's known authentication; refreshes a Digest nonce once when the device asks. */
export async function call(s: Session, url: URL, ns: string, op: string, inner = ''): Promise<XmlElement> {
  let outcome = await attempt(s, url, ns, op, inner, s.method, s.creds);
  if (outcome.auth && s.method === 'digest' && outcome.challenge) {
    s.challenge = outcome.challenge;
    s.nc = 0;
    outcome = await attempt(s, url, ns, op, inner, 'digest', s.creds);
  }
  if (outcome.auth) {
    if (outcome.basicOnly) throw new DeviceError('auth', `asks for HTTP Basic for ${op}, which would send the password in clear text; not sent`);
    throw new DeviceError('auth', s.method === 'none' ? `needs credentials for ${op}` : `refused the credentials for ${op}`);
  }
  return outcome.body;
}

/** Like call(), but undefined when the device refuses the operation (an optional service). */
export async function tryCall(s: Session, url: URL, ns: string, op: string, inner = ''): Promise<XmlElement | undefined> {
  try {
    return await call(s, url, ns, op, inner);
  } catch (error) {
    if (error instanceof DeviceError && (error.kind === 'fault' || error.kind === 'http')) return undefined;
    throw error;
  }
}
