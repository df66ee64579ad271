// Runs every rule over the settings and reports the findings, errors first.
import { RULES } from './rules.js';
import type { ComplianceContext, ComplianceInput, ComplianceReport, Finding, Lang, Rule } from './types.js';

const fill = (template: string, values: Record<string, string> = {}): string => template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);

export function checkCompliance(input: ComplianceInput, context: ComplianceContext, options: { lang?: Lang; rules?: Rule[] } = {}): ComplianceReport {
  const lang = options.lang ?? 'en';
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    for (const hit of rule.check(input, context)) {
      const messages = { nl: fill(rule.message.nl, hit.values), en: fill(rule.message.en, hit.values) };
      findings.push({ rule: rule.id, severity: rule.severity, message: messages[lang], messages, source: rule.source, ...(hit.subject ? { subject: hit.subject } : {}) });
    }
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    checkedAt: new Date(context.now).toISOString(),
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
  };
}
