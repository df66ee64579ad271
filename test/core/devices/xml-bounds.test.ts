// The XML bounds hold as work, not only as verdicts: a document past a limit is refused at the first element past
// it, and a parse still running at the deadline stops. (Before, a 1.4 MB reply nested 200,000 deep was refused only
// after seconds of parsing, and one 63 KB WS-Discovery datagram nested 21,000 deep cost about 4 s.)
import { describe, expect, it } from 'vitest';
import { parseProbeMatches } from '../../../src/core/devices/wsdiscovery.js';
import { parseXml, XmlError } from '../../../src/core/devices/xml.js';

const ENV = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope"';

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof XmlError) return error.problem;
    throw error;
  }
  return undefined;
}

function timed(run: () => unknown): number {
  const t = process.hrtime.bigint();
  try {
    run();
  } catch {
    // the verdict is checked elsewhere
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

describe('XML bounds as work', () => {
  const deep = `<?xml version="1.0"?><s:Envelope ${ENV}><s:Body>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</s:Body></s:Envelope>`;

  it('refuses a 1.4 MB reply nested 200,000 levels deep at once', () => {
    expect(deep.length).toBeGreaterThan(1_400_000);
    expect(() => parseXml(deep)).toThrow(/nests deeper than 64 levels/);
    expect(problemOf(() => parseXml(deep))).toBe('limit');
    // Generous: it takes milliseconds; unbounded it took over 4 s on this machine.
    expect(timed(() => parseXml(deep))).toBeLessThan(1000);
  });

  it('refuses a WS-Discovery datagram nested 21,000 deep at once', () => {
    const datagram = `<?xml version="1.0"?>${'<x>'.repeat(21_000)}`;
    expect(() => parseProbeMatches(datagram)).toThrow(/nests deeper than 32 levels/);
    expect(timed(() => parseProbeMatches(datagram))).toBeLessThan(1000);
  });

  it('stops at the element past the element limit', () => {
    const many = `<r>${'<e/>'.repeat(50_000)}</r>`;
    expect(() => parseXml(many, { maxChars: 1_000_000, maxDepth: 8, maxElements: 1_000 })).toThrow(/more than 1000 elements/);
  });

  it('stops a parse still running at its deadline', () => {
    const flat = `<s:Envelope ${ENV}><s:Body>${'<e x="1">t</e>'.repeat(10_000)}</s:Body></s:Envelope>`;
    expect(problemOf(() => parseXml(flat, undefined, Date.now() - 1))).toBe('timeout');
    expect(parseXml(flat, undefined, Date.now() + 60_000).children[0]!.children).toHaveLength(10_000);
  });

  it('names the problem: DOCTYPE, malformed, limit', () => {
    expect(problemOf(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'))).toBe('doctype');
    expect(problemOf(() => parseXml('<x><y></x>'))).toBe('malformed');
    expect(problemOf(() => parseXml('<x/>', { maxChars: 2, maxDepth: 8, maxElements: 8 }))).toBe('limit');
  });
});
