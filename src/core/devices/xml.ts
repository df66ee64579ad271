// XML as devices send it: parsed strictly, by namespace and local name (prefixes differ per vendor), within bounds.
import { SaxesParser } from 'saxes';

export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tse: 'http://www.onvif.org/ver10/search/wsdl',
  trc: 'http://www.onvif.org/ver10/recording/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export interface XmlLimits {
  /** Longest document accepted, in characters. */
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxChars: 4 * 1024 * 1024, maxDepth: 64, maxElements: 100_000 };

/** What was wrong with a document: the words a report uses for it. */
export type XmlProblem = 'doctype' | 'limit' | 'malformed' | 'empty' | 'timeout';

export class XmlError extends Error {
  readonly problem: XmlProblem;
  constructor(message: string, problem: XmlProblem = 'malformed') {
    super(message);
    this.name = 'XmlError';
    this.problem = problem;
  }
}

// Small slices: between two of them the deadline is looked at, so one hostile reply costs at most a slice of work.
const SLICE_CHARS = 16 * 1024;

/**
 * Parses a whole document. Throws XmlError on anything that is not well-formed, has a DOCTYPE (no entity expansion,
 * ever), or exceeds the limits — at the first element past a limit, not at the end of the document (saxes does work
 * per open element that grows with depth: a reply nested 200,000 levels deep would take seconds to read through).
 * With a deadline (ms since the epoch), a parse still running then stops with problem 'timeout'.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS, deadline?: number): XmlElement {
  if (text.length > limits.maxChars) throw new XmlError(`the reply is larger than ${limits.maxChars} characters`, 'limit');
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  // Thrown from inside a handler, an error unwinds out of parser.write() at once: nothing more is read.
  parser.on('error', (e) => {
    throw e instanceof XmlError ? e : new XmlError(`not well-formed XML: ${e.message.split('\n')[0]}`);
  });
  parser.on('doctype', () => {
    throw new XmlError('the reply has a DOCTYPE, which devices never need; refused', 'doctype');
  });
  parser.on('opentag', (tag) => {
    if (++count > limits.maxElements) throw new XmlError(`the reply has more than ${limits.maxElements} elements`, 'limit');
    if (stack.length >= limits.maxDepth) throw new XmlError(`the reply nests deeper than ${limits.maxDepth} levels`, 'limit');
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      const attr = a as { local: string; uri: string; value: string; prefix: string };
      if (attr.prefix === 'xmlns' || (attr.prefix === '' && attr.local === 'xmlns')) continue;
      attrs[attr.local] = attr.value;
    }
    const el: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    const el = stack[stack.length - 1];
    if (el && el.text.length < 65_536) el.text += t;
  });
  parser.on('cdata', (t) => {
    const el = stack[stack.length - 1];
    if (el && el.text.length < 65_536) el.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    for (let i = 0; i < text.length; i += SLICE_CHARS) {
      if (deadline !== undefined && Date.now() >= deadline) throw new XmlError('the reply could not be read within the timeout', 'timeout');
      parser.write(text.slice(i, i + SLICE_CHARS));
    }
    parser.close();
  } catch (error) {
    if (error instanceof XmlError) throw error;
    throw new XmlError(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!root) throw new XmlError('the reply holds no XML element', 'empty');
  return root;
}

/** Direct children with this local name (and namespace, when given). */
export function kids(el: XmlElement | undefined, name: string, ns?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.name === name && (ns === undefined || c.ns === ns));
}

export function kid(el: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** Follows a path of local names through first matches: path(env, 'Body', 'GetDeviceInformationResponse'). */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = kid(cur, n);
  return cur;
}

/** Depth-first search for the first element with this local name (and namespace). */
export function findFirst(el: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  if (!el) return undefined;
  if (el.name === name && (ns === undefined || el.ns === ns)) return el;
  for (const c of el.children) {
    const hit = findFirst(c, name, ns);
    if (hit) return hit;
  }
  return undefined;
}

export function findAll(el: XmlElement | undefined, name: string, ns?: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  if (el.name === name && (ns === undefined || el.ns === ns)) out.push(el);
  for (const c of el.children) findAll(c, name, ns, out);
  return out;
}

/** Trimmed text of an element, or undefined when absent or empty. Always a string: serials stay serials. */
export function textOf(el: XmlElement | undefined): string | undefined {
  const t = el?.text.trim();
  return t ? t : undefined;
}

export function numberOf(el: XmlElement | undefined): number | undefined {
  const t = textOf(el);
  if (t === undefined) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Escapes text for element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
