// Rendering documents: inputs → version (kept in the register) → model → every format, written to files.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { RefusalError } from '../errors.js';
import { revisionDate, type ComplianceReport } from '../policy/compliance/index.js';
import { sha256Hex, type Register } from '../register/index.js';
import { complianceReport } from './compliance.js';
import { composeDocument } from './compose.js';
import type { DpiaAnswers } from './dpia/answers.js';
import { buildFacts, factsHash } from './facts.js';
import { renderMarkdown } from './render/markdown.js';
import { loadTemplates, str, templatesDigest } from './templates.js';
import type { DocumentKind, DocumentModel, Format, Lang } from './types.js';
import { buildView } from './view.js';

export interface RenderOptions {
  documents: DocumentKind[];
  formats: Format[];
  langs: Lang[];
  outDir: string;
  templatesDir?: string;
  /** Refuse (exit 2) when the compliance check finds anything. */
  strict?: boolean;
  answers?: DpiaAnswers;
  now?: number;
}

export interface RenderedFile {
  lang: Lang;
  format: Format;
  file: string;
  sha256: string;
  bytes: number;
}

export interface RenderedDocument {
  document: DocumentKind;
  version: number;
  /** True when these inputs made a new version. */
  created: boolean;
  inputsHash: string;
  status: string;
  revisionDate?: string;
  files: RenderedFile[];
}

export interface RenderResult {
  compliance: ComplianceReport;
  documents: RenderedDocument[];
}

// The DOCX and PDF libraries are loaded when a document is rendered, not when `history` or `compliance check` start.
export async function toBytes(model: DocumentModel, format: Format, markdown: string): Promise<Buffer> {
  switch (format) {
    case 'md':
      return Buffer.from(markdown);
    case 'html':
      return Buffer.from((await import('./render/html.js')).renderHtml(model));
    case 'docx':
      return (await import('./render/docx.js')).renderDocx(model);
    case 'pdf':
      return (await import('./render/pdf.js')).renderPdf(model);
  }
}

function writeAtomic(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: 0o644 });
  renameSync(tmp, file);
}

export async function renderDocuments(config: Config, register: Register, options: RenderOptions): Promise<RenderResult> {
  const now = options.now ?? Date.now();
  const report = await complianceReport(config, register, { now, lang: options.langs[0] ?? 'nl' });
  // Making the DPIA answers "there is no DPIA".
  const findings = options.documents.includes('dpia') ? report.findings.filter((f) => f.rule !== 'dpia.missing') : report.findings;
  const compliance: ComplianceReport = { ...report, findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
  if (options.strict && compliance.findings.length) {
    throw new RefusalError(
      'documents.strict',
      `The compliance check found ${compliance.errors} error(s) and ${compliance.warnings} warning(s); with --strict nothing is rendered. Fix them (\`toezicht compliance check\`) or render without --strict for a concept.`,
      { details: compliance.findings.map((f) => `${f.severity} ${f.rule}: ${f.message} [${f.source}]`) },
    );
  }
  mkdirSync(options.outDir, { recursive: true });
  const dpiaVersions = await register.documentVersions('dpia');
  const results: RenderedDocument[] = [];
  for (const kind of options.documents) {
    const digest = templatesDigest(`${kind}.md`, options.templatesDir);
    const facts = buildFacts(config, kind, {
      templates: digest,
      ...(kind === 'dpia' && options.answers ? { answers: options.answers } : {}),
      ...(kind !== 'dpia' && dpiaVersions.length ? { dpiaVersion: dpiaVersions[dpiaVersions.length - 1]!.version } : {}),
    });
    const inputsHash = factsHash(facts);
    const status = facts.settings.status ?? 'concept';
    const { version, created } = await register.documentVersionFor({ document: kind, inputsHash, inputs: facts as unknown as Record<string, unknown>, status });
    const revision = revisionDate(kind, facts.settings, version.createdAt);
    const files: RenderedFile[] = [];
    for (const lang of options.langs) {
      const templates = loadTemplates(lang, options.templatesDir);
      const view = buildView(facts, lang, templates.strings, { version: version.version, createdAt: version.createdAt, inputsHash, ...(revision ? { revisionDate: revision } : {}) });
      const model = composeDocument({ kind, templates, view, version: { version: version.version, createdAt: version.createdAt, inputsHash }, status });
      const markdown = renderMarkdown(model);
      const slug = str(templates.strings, `files.${kind}`);
      for (const format of options.formats) {
        const bytes = await toBytes(model, format, markdown);
        const file = path.join(options.outDir, `${slug}-v${version.version}-${lang}.${format}`);
        writeAtomic(file, bytes);
        const sha256 = sha256Hex(bytes);
        await register.recordDocumentRender(kind, version.version, { lang, format, file, sha256, markdown });
        files.push({ lang, format, file, sha256, bytes: bytes.length });
      }
    }
    results.push({ document: kind, version: version.version, created, inputsHash, status, ...(revision ? { revisionDate: revision } : {}), files });
  }
  return { compliance, documents: results };
}

