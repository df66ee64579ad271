// The compliance check over the config, the inventory and (when there is one) the register's document versions.
import type { Config } from '../config/index.js';
import { checkCompliance, DOCUMENT_KINDS, type ComplianceContext, type ComplianceReport, type Lang } from '../policy/compliance/index.js';
import { existsSync } from 'node:fs';
import { openRegister, type Register } from '../register/index.js';

export async function complianceReport(config: Config, register: Register | undefined, options: { now?: number; lang?: Lang } = {}): Promise<ComplianceReport> {
  const now = options.now ?? Date.now();
  const context: ComplianceContext = { now };
  if (register) {
    const versions: NonNullable<ComplianceContext['versions']> = {};
    for (const kind of DOCUMENT_KINDS) {
      const all = await register.documentVersions(kind);
      const last = all[all.length - 1];
      if (last) versions[kind] = { version: last.version, createdAt: last.createdAt };
    }
    context.versions = versions;
  }
  return checkCompliance(config, context, { lang: options.lang ?? 'en' });
}

/** `compliance check`: reads the register's document versions when there is a register, and works without one. */
export async function runComplianceCheck(config: Config, options: { now?: number; lang?: Lang } = {}): Promise<ComplianceReport & { register: boolean }> {
  if (!existsSync(config.register)) return { ...(await complianceReport(config, undefined, options)), register: false };
  const { register } = openRegister(config.register);
  try {
    return { ...(await complianceReport(config, register, options)), register: true };
  } finally {
    register.close();
  }
}
