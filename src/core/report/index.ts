// `toezicht report`: the accountability report for the privacy officer (FG), the board and the MR — what the
// register, the storages and the settings say about a period, with pictures.
import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import { canonicalJson, type Register } from '../register/index.js';
import { reportBlocks } from './blocks.js';
import { gatherReport, type ReportModel, type ReportOptions } from './model.js';
import { renderHtml, renderMarkdown, renderPdf, type RenderedFile, type ReportFormat } from './render.js';
import type { Text } from './text.js';

export { gatherReport, mergeRanges, GAP_MS, type ReportModel, type ReportOptions, type CameraRetention, type PurgeNight, type ReportHold, type ReportExport, type ReportRequest } from './model.js';
export { reportCharts, chartSvg, retentionChart, purgeChart, requestsChart, type Chart, type Shape } from './charts.js';
export { REPORT_FORMATS, type ReportFormat, type RenderedFile } from './render.js';
export type { Text } from './text.js';

export interface Report {
  model: ReportModel;
  /** SHA-256 of the model's canonical JSON: the figures the document shows, checkable later with --json. */
  sha256: string;
  files: RenderedFile[];
}

/** The SHA-256 of a report model (canonical JSON), as printed in the report. */
export function reportDigest(model: ReportModel): string {
  return createHash('sha256').update(canonicalJson(model as unknown as Record<string, unknown>)).digest('hex');
}

/** Gathers the period's figures and writes them in one format; `text` is the message lookup in the report's language. */
export async function makeReport(config: Config, register: Register, options: ReportOptions & { format: ReportFormat; text: Text; base?: string }): Promise<Report> {
  const model = await gatherReport(config, register, options);
  const sha256 = reportDigest(model);
  const blocks = reportBlocks(model, options.text, sha256);
  const base = options.base ?? `toezicht-report-${model.period.firstDay}-${model.period.lastDay}${options.confidential ? '-confidential' : ''}`;
  const files =
    options.format === 'md'
      ? renderMarkdown(blocks, base)
      : options.format === 'html'
        ? renderHtml(blocks, base, options.lang)
        : await renderPdf(blocks, base, { title: options.text('title'), lang: options.lang, digest: sha256 });
  return { model, sha256, files };
}
export { reportPeriod, writeReportFiles, type PeriodInput } from './period.js';
