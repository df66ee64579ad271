// The example schools of the document tests, and reading rendered DOCX and PDF files back as text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'yaml';
import type { Config } from '../../src/core/config/index.js';
import { validateConfig } from '../../src/core/config/contract.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/documents');
export const FULL_CONFIG = path.join(FIXTURES, 'full.config.yaml');
export const MINIMAL_CONFIG = path.join(FIXTURES, 'minimal.config.yaml');
export const DPIA_ANSWERS = path.join(FIXTURES, 'dpia-answers.yaml');

/** The config object of a fixture (to mutate), and the resolved config made from one. */
export const fixtureObject = (file: string): Record<string, any> => parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export function resolve(input: unknown, dir = '/school'): Config {
  const { config, problems } = validateConfig(input, dir);
  if (!config) throw new Error(`invalid test config: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
  return config;
}

const decodeXml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text of a DOCX: one line per paragraph (table cells joined by " | "), plus its parts for further checks. */
export function docxText(file: string): { text: string; parts: Record<string, string> } {
  const zip = unzipSync(readFileSync(file));
  const parts = Object.fromEntries(Object.entries(zip).filter(([name]) => name.endsWith('.xml') || name.endsWith('.rels')).map(([name, data]) => [name, strFromU8(data)]));
  // The body, then the footers (a person sees both; the sign carries its version only in its footer).
  const xml = [parts['word/document.xml'] ?? '', ...Object.entries(parts).filter(([n]) => /^word\/footer\d+\.xml$/.test(n)).map(([, x]) => x)].join('');
  // A table row becomes one line, its cells separated by " | ".
  const paragraphs = xml
    .replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (table) => table.replace(/<\/w:p>/g, '').replace(/<\/w:tc>/g, '<w:t> | </w:t>').replace(/<\/w:tr>/g, '</w:p>'))
    .split(/<\/w:p>/)
    .map((p) => decodeXml([...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((m) => m[1] ?? ' ').join('')));
  return { text: paragraphs.join('\n'), parts };
}

/** The text of a PDF by pdftotext (poppler-utils), in content order so table cells stay together. */
export async function pdfText(file: string, options: { first?: number; last?: number } = {}): Promise<string> {
  const args = ['-raw', '-enc', 'UTF-8', ...(options.first ? ['-f', String(options.first)] : []), ...(options.last ? ['-l', String(options.last)] : []), file, '-'];
  return (await execa('pdftotext', args)).stdout;
}

/** Whitespace collapsed, so a phrase matches however the line broke. */
export const flat = (text: string): string => text.replace(/(\p{L})-[ \t]*\n\s*/gu, '$1-').replace(/\s+/g, ' ');
