// Documents: the camera regulation and its companions, the DPIA, their versions, and the compliance check.
export { renderDocuments, type RenderOptions, type RenderResult, type RenderedDocument, type RenderedFile } from './generate.js';
export { generateDpia, defaultAnswersFile, type DpiaOptions, type DpiaResult } from './dpia/generate.js';
export { readAnswers, writeAnswers, answersSchema, RISKS, type DpiaAnswers } from './dpia/answers.js';
export { askDpiaAnswers, type Asker } from './dpia/questionnaire.js';
export { documentHistory, documentDiff, type HistoryEntry, type VersionDiff } from './history.js';
export { complianceReport, runComplianceCheck } from './compliance.js';
export { FORMATS, LANGS, REGLEMENT_DOCUMENTS, type Format, type Lang, type DocumentKind } from './types.js';
export type { Change } from './diff.js';
export { composeLetter, describeRetentionFor, loadWording, writeLetter, type LetterRequest } from './letter.js';
export { formatDate, escapeDeep, escapeMarkdown } from './format.js';
export { str, type Strings } from './templates.js';

/** A new A4 PDF with the project's fonts and its bytes once ended (pdfkit is loaded only when a PDF is made). */
export async function openPdf(options: PDFKit.PDFDocumentOptions): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  return (await import('./render/pdf.js')).openPdf(options);
}
