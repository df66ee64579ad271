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
import { buildFacts, factsHash, type Facts } from './facts.js';
import { renderMarkdown } from './render/markdown.js';
import { loadTemplates, str, templatesDigest } from './templates.js';
import type { DocumentKind, DocumentModel, Format, Lang, RenderKind } from './types.js';
import { buildView, type VersionInfo } from './view.js';

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
  document: RenderKind;
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

function writeAtomic(file: string, bytes: Buffer, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode });
  renameSync(tmp, file);
}

/** One document as it will be rendered: its inputs and, per language, its model (the version filled in later). */
interface Plan {
  kind: RenderKind;
  facts: Facts;
  inputsHash: string;
  status: 'concept' | 'vastgesteld';
  /** Languages whose text still has a "[nog in te vullen]" gap. */
  gaps: Lang[];
}

/** The confidential annex comes with the DPIA and the protocol, and only when there is a hidden camera. */
function renderKinds(config: Config, documents: DocumentKind[]): RenderKind[] {
  const kinds: RenderKind[] = [...documents];
  if (config.cameras.some((c) => c.category === 'covert') && (kinds.includes('protocol') || kinds.includes('dpia'))) kinds.push('covert-annex');
  return kinds;
}

function compose(plan: Plan, lang: Lang, templatesDir: string | undefined, version: VersionInfo): { model: DocumentModel; markdown: string; missing: string; slug: string } {
  const templates = loadTemplates(lang, templatesDir);
  const view = buildView(plan.facts, lang, templates.strings, version);
  const model = composeDocument({ kind: plan.kind, templates, view, version, status: plan.status });
  return { model, markdown: renderMarkdown(model), missing: str(templates.strings, 'missing'), slug: str(templates.strings, `files.${plan.kind}`) };
}

export async function renderDocuments(config: Config, register: Register, options: RenderOptions): Promise<RenderResult> {
  const now = options.now ?? Date.now();
  const report = await complianceReport(config, register, { now, lang: options.langs[0] ?? 'nl', ...(options.answers ? { answers: options.answers } : {}) });
  // Making the DPIA answers "there is no DPIA".
  const findings = options.documents.includes('dpia') ? report.findings.filter((f) => f.rule !== 'dpia.missing') : report.findings;
  const compliance: ComplianceReport = { ...report, findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
  const details = compliance.findings.map((f) => `${f.severity} ${f.rule}: ${f.message} [${f.source}]`);
  if (options.strict && compliance.findings.length) {
    throw new RefusalError(
      'documents.strict',
      `The compliance check found ${compliance.errors} error(s) and ${compliance.warnings} warning(s); with --strict nothing is rendered. Fix them (\`toezicht compliance check\`) or render without --strict for a concept.`,
      { details },
    );
  }
  const dpiaVersions = await register.documentVersions('dpia');
  // Everything is planned and its text made before anything is written: an adopted document is refused whole.
  const plans: Plan[] = renderKinds(config, options.documents).map((kind) => {
    const digest = templatesDigest(`${kind}.md`, options.templatesDir);
    const facts = buildFacts(config, kind, {
      templates: digest,
      // The annex is the same whether it comes with the DPIA or with the protocol: it does not read the answers.
      ...(kind === 'dpia' && options.answers ? { answers: options.answers } : {}),
      ...(kind !== 'dpia' && kind !== 'covert-annex' && dpiaVersions.length ? { dpiaVersion: dpiaVersions[dpiaVersions.length - 1]!.version } : {}),
    });
    const plan: Plan = { kind, facts, inputsHash: factsHash(facts), status: facts.settings.status ?? 'concept', gaps: [] };
    const createdAt = new Date(now).toISOString();
    const revision = revisionDate(kind === 'covert-annex' ? 'dpia' : kind, facts.settings, createdAt);
    const provisional: VersionInfo = { version: 0, createdAt, inputsHash: plan.inputsHash, ...(revision ? { revisionDate: revision } : {}) };
    // Only an adopted document can be refused for a gap: a concept is composed once, when it is written.
    for (const lang of plan.status === 'vastgesteld' ? options.langs : []) {
      // The model holds plain text (the Markdown escapes the brackets of the gap).
      const { model, missing } = compose(plan, lang, options.templatesDir, provisional);
      if (JSON.stringify(model).includes(JSON.stringify(missing).slice(1, -1))) plan.gaps.push(lang);
    }
    return plan;
  });
  const adopted = plans.filter((p) => p.status === 'vastgesteld');
  const gapped = adopted.filter((p) => p.gaps.length);
  if (adopted.length && (compliance.errors || gapped.length)) {
    const names = adopted.map((p) => p.kind).join(', ');
    throw new RefusalError(
      'documents.not-adoptable',
      `The ${names} ${adopted.length === 1 ? 'has' : 'have'} status vastgesteld, but ${[
        compliance.errors ? `the compliance check found ${compliance.errors} error(s)` : '',
        gapped.length ? `${gapped.map((p) => p.kind).join(', ')} still ${gapped.length === 1 ? 'has' : 'have'} a gap to fill in` : '',
      ].filter(Boolean).join(' and ')}; nothing was written. Fix them, or set documents.<name>.status to concept to render a concept.`,
      { details: [...details.filter((d) => d.startsWith('error')), ...gapped.map((p) => `gap ${p.kind}: the text still says "${str(loadTemplates(p.gaps[0]!, options.templatesDir).strings, 'missing')}"`)] },
    );
  }
  mkdirSync(options.outDir, { recursive: true });
  const results: RenderedDocument[] = [];
  for (const plan of plans) {
    const { kind, facts, inputsHash, status } = plan;
    const { version, created } = await register.documentVersionFor({ document: kind, inputsHash, inputs: facts as unknown as Record<string, unknown>, status });
    const revision = revisionDate(kind === 'covert-annex' ? 'dpia' : kind, facts.settings, version.createdAt);
    const files: RenderedFile[] = [];
    for (const lang of options.langs) {
      const { model, markdown, slug } = compose(plan, lang, options.templatesDir, { version: version.version, createdAt: version.createdAt, inputsHash, ...(revision ? { revisionDate: revision } : {}) });
      for (const format of options.formats) {
        const bytes = await toBytes(model, format, markdown);
        const file = path.join(options.outDir, `${slug}-v${version.version}-${lang}.${format}`);
        // The confidential annex is for the board, the management, the beheerder and the FG only.
        writeAtomic(file, bytes, kind === 'covert-annex' ? 0o600 : 0o644);
        const sha256 = sha256Hex(bytes);
        await register.recordDocumentRender(kind, version.version, { lang, format, file, sha256, markdown });
        files.push({ lang, format, file, sha256, bytes: bytes.length });
      }
    }
    results.push({ document: kind, version: version.version, created, inputsHash, status, ...(revision ? { revisionDate: revision } : {}), files });
  }
  return { compliance, documents: results };
}
