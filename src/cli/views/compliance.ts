// Human view of compliance findings.
import type { ComplianceReport, Finding } from '../../core/policy/compliance/index.js';
import { colour, plural } from '../format.js';

export function renderFinding(f: Finding): string {
  const mark = f.severity === 'error' ? colour.red('error  ') : colour.yellow('warning');
  return `${mark} ${f.message}\n        ${colour.dim(`${f.rule} · ${f.source}`)}`;
}

export function renderCompliance(report: ComplianceReport): string {
  if (!report.findings.length) return colour.green('No findings: every rule is met.');
  const summary = `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}.`;
  return [...report.findings.map(renderFinding), '', summary].join('\n');
}
